"""The school's rules: what a staff member's and a pupil's details and a class may be, and the zones' geometry.

Plain functions of their inputs, so the forms, the CSV imports and the map
check alike without a server.
"""
import functools
import json
import re
from datetime import date

from .csv_import import parse_date

NAME_MAX = 120
CLASS_NAME_MAX = 40
TITLE_MAX = 80
EMAIL_MAX = 120
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def name_problem(full_name):
    """What is wrong with a person's name (cleaned with one_line), or None: staff and pupils alike."""
    if not full_name:
        return "navn mangler"
    if len(full_name) > NAME_MAX:
        return f"navnet er for langt (høyst {NAME_MAX} tegn)"
    return None


def staff_problems(full_name, title, email):
    """What is wrong with a staff member's name, title and e-mail (each cleaned with one_line), keyed by field.

    The staff form checks the same limits with its validators; the CSV import calls this.
    """
    problems = {}
    if problem := name_problem(full_name):
        problems["full_name"] = problem
    if len(title) > TITLE_MAX:
        problems["title"] = f"stillingen er for lang (høyst {TITLE_MAX} tegn)"
    if email and not EMAIL.match(email):
        problems["email"] = f"e-postadressen «{email}» er ugyldig"
    elif len(email) > EMAIL_MAX:
        problems["email"] = f"e-postadressen er for lang (høyst {EMAIL_MAX} tegn)"
    return problems


def birth_date_problem(text, today):
    """A Norwegian message if the birth date is not a plausible pupil's, else None."""
    if not text:
        return None
    parsed = parse_date(text)
    if parsed is None:
        return f"fødselsdatoen «{text}» er ikke en gyldig dato (skriv dd.mm.åååå)"
    if parsed > today:
        return "fødselsdatoen er i fremtiden"
    if parsed < date(today.year - 25, 1, 1):
        return "fødselsdatoen er mer enn 25 år tilbake"
    return None


def pupil_problems(full_name, birth_date, today):
    """What is wrong with a pupil's name (cleaned with one_line) and birth date, keyed by field.

    The one rule for the pupil form and the CSV import; the form shows each as a sentence.
    """
    problems = {"full_name": name_problem(full_name), "birth_date": birth_date_problem(birth_date, today)}
    return {field: problem for field, problem in problems.items() if problem}


def left_school_problem(names):
    """The message for chosen pupils who have left the school (not «Aktiv elev ved skolen»)."""
    names = sorted(names)
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]
    return f"{who} har sluttet ved skolen. Fjern eleven fra registreringen, eller velg en annen elev."


def class_name_problem(name):
    """What is wrong with a class's name (cleaned with one_line), or None; the class form has the same limit."""
    if not name:
        return "klasse mangler"
    if len(name) > CLASS_NAME_MAX:
        return f"klassenavnet er for langt (høyst {CLASS_NAME_MAX} tegn)"
    return None


# ------------------------------------------------------------------ zones on the map


class PolygonProblem(ValueError):
    """A zone outline that cannot be used; the message is shown to the user."""


def parse_polygon(text):
    """A polygon from JSON [[x, y], ...] or lines of 'x,y' in percent.

    Returns a list of [x, y] pairs in 0..1. Raises PolygonProblem.
    """
    text = (text or "").strip()
    if not text:
        return []
    try:
        if text.startswith("["):
            points = [[float(x), float(y)] for x, y in json.loads(text)]
        else:
            points = []
            for line in text.replace(";", "\n").splitlines():
                if line.strip():
                    x, y = line.replace(" ", "").split(",")
                    points.append([float(x) / 100, float(y) / 100])
    except (ValueError, TypeError):
        raise PolygonProblem("Punktene må skrives som «x,y» i prosent, ett punkt per linje.")
    if len(points) < 3:
        raise PolygonProblem("En sone trenger minst tre punkter.")
    if not all(0 <= x <= 1 and 0 <= y <= 1 for x, y in points):
        raise PolygonProblem("Alle punktene må ligge innenfor kartet (0–100 %).")
    return [[round(x, 4), round(y, 4)] for x, y in points]


def polygon_as_percent_lines(polygon):
    """The text form of a polygon, for the list-based editor."""
    return "\n".join(f"{x * 100:.1f},{y * 100:.1f}" for x, y in polygon)


def contains(polygon, x, y):
    """Whether the point lies inside the polygon (ray casting)."""
    inside = False
    count = len(polygon)
    for i in range(count):
        x1, y1 = polygon[i]
        x2, y2 = polygon[(i + 1) % count]
        if (y1 > y) != (y2 > y):
            crossing = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < crossing:
                inside = not inside
    return inside


def zone_at(zones, x, y):
    """The first zone (dict with 'polygon' as JSON text or list) containing the point, or None."""
    for zone in zones:
        polygon = zone["polygon"]
        if isinstance(polygon, str):
            polygon = json.loads(polygon or "[]")
        if len(polygon) >= 3 and contains(polygon, x, y):
            return zone
    return None


def valid_point(x, y):
    """Whether a map point lies on the image."""
    return x is not None and y is not None and 0 <= x <= 1 and 0 <= y <= 1


def svg_points(polygon, width, height):
    """The polygon as an SVG points attribute in image pixels."""
    if isinstance(polygon, str):
        return _svg_points_of_json(polygon, width, height)
    return " ".join(f"{x * width:.0f},{y * height:.0f}" for x, y in polygon)


@functools.lru_cache(maxsize=512)
def _svg_points_of_json(polygon, width, height):
    """svg_points for a polygon as stored: every map on every screen draws the same few zones."""
    return svg_points(json.loads(polygon or "[]"), width, height)
