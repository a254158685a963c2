"""The demo school as its leaders would have set it up: staff, classes, pupils, the map and its zones.

Everything here is invented; the first demo step, so the others find the school's people and pupils.
"""
import io
import json
import random
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .. import clock
from ..auth.passwords import hash_password
from ..demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SCHOOL, SECOND_SCHOOL, demo_step
from .images import process_map_image
from .store import create_user

# shipped with Trygg (school/fonts/LICENSE): Pillow's own default font has no æ, ø or å
MAP_FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans-Bold.ttf"
MAP_LABELS = {"Skolen": (0.25, 0.20), "Tunet": (0.25, 0.47), "Øvre": (0.71, 0.12),
              "Nedre": (0.71, 0.30), "Idrettsplass": (0.83, 0.52), "Sandkasse": (0.17, 0.75),
              "Klatrestativ": (0.35, 0.92)}

DEMO_STAFF = [
    ("marte.dahl", "Marte Dahl", "Lærer"), ("jonas.berg", "Jonas Berg", "Lærer"),
    ("sofie.haugen", "Sofie Haugen", "Assistent"), ("emil.strand", "Emil Strand", "SFO-ansatt"),
    ("nora.vik", "Nora Vik", "Lærer"), ("olav.moen", "Olav Moen", "Lærer"),
    ("eva.lie", "Eva Lie", "SFO-leder"), ("tor.bakke", "Tor Bakke", "Miljøterapeut"),
    ("liv.eide", "Liv Eide", "Lærer"),
]
DEMO_LEADERS = [("anne.holm", "Anne Holm", "Avdelingsleder")]

FIRST_NAMES = [
    "Aksel", "Alma", "Amir", "Astrid", "Aurora", "Birk", "Ella", "Emma", "Filip", "Frida",
    "Hedda", "Henrik", "Ida", "Isak", "Jakob", "Johanne", "Kasper", "Leah", "Liam", "Linnea",
    "Lukas", "Maja", "Mathias", "Mia", "Noah", "Nora", "Olivia", "Oskar", "Sara", "Selma",
    "Sigrid", "Sofie", "Theo", "Tiril", "Tobias", "Vilde", "William", "Yasmin", "Ylva", "Zara",
]
LAST_NAMES = [
    "Andersen", "Bakken", "Berge", "Dahle", "Eriksen", "Fossum", "Gundersen", "Hagen", "Holm",
    "Iversen", "Jacobsen", "Karlsen", "Kvam", "Lien", "Moe", "Nilsen", "Nygård", "Olsen",
    "Pedersen", "Rønning", "Sandvik", "Strøm", "Sæther", "Tangen", "Ulstein", "Vold", "Øien",
]

# zones drawn on the demo map, as fractions of its width and height
DEMO_ZONES = {
    "Tunet": [[0.05, 0.40], [0.45, 0.40], [0.45, 0.95], [0.05, 0.95]],
    "Øvre/nedre": [[0.47, 0.05], [0.95, 0.05], [0.95, 0.40], [0.47, 0.40]],
    "Idrettsplass": [[0.47, 0.45], [0.95, 0.45], [0.95, 0.95], [0.47, 0.95]],
}


def draw_demo_map(width=1200, height=800):
    """A schematic schoolyard: building, tun, upper and lower yards, sports field."""
    image = Image.new("RGB", (width, height), (200, 226, 190))
    draw = ImageDraw.Draw(image)

    def box(fx0, fy0, fx1, fy1, **kwargs):
        draw.rectangle([fx0 * width, fy0 * height, fx1 * width, fy1 * height], **kwargs)

    box(0.05, 0.05, 0.45, 0.35, fill=(176, 122, 98), outline=(90, 60, 50), width=4)  # school
    box(0.05, 0.40, 0.45, 0.95, fill=(196, 196, 196), outline=(120, 120, 120), width=3)  # tunet
    box(0.47, 0.05, 0.95, 0.40, fill=(214, 208, 186), outline=(120, 120, 120), width=3)  # yards
    draw.line([0.47 * width, 0.22 * height, 0.95 * width, 0.22 * height], fill=(150, 140, 120), width=4)
    box(0.47, 0.45, 0.95, 0.95, fill=(96, 168, 92), outline=(255, 255, 255), width=4)  # field
    draw.ellipse([0.66 * width, 0.62 * height, 0.76 * width, 0.78 * height], outline=(255, 255, 255), width=4)
    draw.line([0.71 * width, 0.45 * height, 0.71 * width, 0.95 * height], fill=(255, 255, 255), width=4)
    rng = random.Random(7)
    for _ in range(14):  # trees along the edge
        x, y = rng.uniform(0.01, 0.99) * width, rng.choice([0.02, 0.98]) * height
        draw.ellipse([x - 16, y - 16, x + 16, y + 16], fill=(60, 120, 60))
    box(0.12, 0.55, 0.22, 0.70, fill=(230, 190, 90), outline=(140, 100, 40), width=3)  # sandpit
    box(0.30, 0.70, 0.40, 0.88, fill=(170, 120, 200), outline=(100, 60, 130), width=3)  # climbing frame
    font = ImageFont.truetype(str(MAP_FONT), 40)
    for text, (fx, fy) in MAP_LABELS.items():
        draw.text((fx * width, fy * height), text, fill=(20, 20, 20), font=font, anchor="mm",
                  stroke_width=3, stroke_fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@demo_step
def school_demo(db, context):
    """Two demo schools with their people, the first with four classes of pupils, a map and zones."""
    now, rng = context["now"], context["rng"]
    password_hash = hash_password(DEMO_PASSWORD)  # hashed once: scrypt is slow on purpose
    created = clock.to_utc_iso(now)
    school_ids = {}
    for name in (DEMO_SCHOOL, SECOND_SCHOOL):
        school_ids[name] = db["school"].insert({
            "name": name, "municipality": "Demokommune", "is_demo": 1, "created_at": created,
        }).last_pk
    users = {}
    for username, full_name, role, title, schools in DEMO_LOGINS:
        users[username] = create_user(
            db, username=username, full_name=full_name, role=role, title=title,
            password_hash=password_hash, school_ids=[school_ids[s] for s in schools])
    for username, full_name, title in DEMO_STAFF:
        users[username] = create_user(
            db, username=username, full_name=full_name, role="staff", title=title,
            password_hash=password_hash, school_ids=[school_ids[DEMO_SCHOOL]])
    for username, full_name, title in DEMO_LEADERS:
        users[username] = create_user(
            db, username=username, full_name=full_name, role="leader", title=title,
            password_hash=password_hash, school_ids=[school_ids[DEMO_SCHOOL]])

    school = school_ids[DEMO_SCHOOL]
    image, width, height = process_map_image(draw_demo_map(), 40_000_000)
    for name, sid in school_ids.items():
        db["schoolyard_map"].insert({
            "school_id": sid, "image": image, "content_type": "image/webp", "width": width,
            "height": height, "version": f"demo{sid}", "uploaded_at": created})
        for order, (zone, polygon) in enumerate(DEMO_ZONES.items()):
            db["zone"].insert({"school_id": sid, "name": zone, "polygon": json.dumps(polygon),
                               "sort_order": order, "active": 1})

    teachers = ["ansatt", "marte.dahl", "jonas.berg", "nora.vik"]
    pupils = {}
    birth_year = now.year
    for index, (class_name, age) in enumerate([("3A", 8), ("4A", 9), ("5A", 10), ("6A", 11)]):
        class_id = db["school_class"].insert({
            "school_id": school, "name": class_name,
            "contact_teacher_id": users[teachers[index]]}).last_pk
        for _ in range(20):
            full_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            born = date(birth_year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
            pupils.setdefault(class_name, []).append(db["pupil"].insert({
                "school_id": school, "class_id": class_id, "full_name": full_name,
                "birth_date": born.isoformat(), "active": 1, "created_at": created}).last_pk)
    second = school_ids[SECOND_SCHOOL]
    class_id = db["school_class"].insert({"school_id": second, "name": "5B",
                                          "contact_teacher_id": users["ansatt2"]}).last_pk
    for _ in range(15):
        db["pupil"].insert({
            "school_id": second, "class_id": class_id,
            "full_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "birth_date": date(birth_year - 11, rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
            "active": 1, "created_at": created})

    context.update(schools=school_ids, school=school, users=users, pupils=pupils)
