"""Test data: two schools, one of each role, classes, pupils and zones.

Ids are fixed so tests can name them. Everything is fictional.
"""
import json

from webapp import clock
from webapp.auth.second_factor import seal
from webapp.db import one, transaction
from webapp.school.demo import DEMO_ZONES, draw_demo_map
from webapp.school.images import process_map_image

PASSWORD = "riktig-passord-123"
# the tests' apps' SECRET_KEY (conftest.make_app), which seals the second factors' secrets
SECRET_KEY = "test-secret"

SCHOOL_A, SCHOOL_B = 1, 2
STAFF, LEADER, OWNER, ADMIN, STAFF_B, LEADER_B = 1, 2, 3, 4, 5, 6
CLASS_A, CLASS_A2, CLASS_B = 1, 2, 3
PUPIL_A, PUPIL_A2, PUPIL_A3, PUPIL_B = 1, 2, 3, 4
ZONE_A, ZONE_B = 1, 4

USERS = {
    "ansatt": (STAFF, "Kari Lærer", "staff", [SCHOOL_A]),
    "leder": (LEADER, "Rita Rektor", "leader", [SCHOOL_A]),
    "skoleeier": (OWNER, "Ola Eier", "owner", [SCHOOL_A, SCHOOL_B]),
    "admin": (ADMIN, "Adam Drift", "admin", []),
    "ansatt2": (STAFF_B, "Berit Annen", "staff", [SCHOOL_B]),
    "leder2": (LEADER_B, "Bjørn Leder", "leader", [SCHOOL_B]),
}

# leaders and owners must sign in with a second factor: the test ones have theirs (tests/conftest.py
# second_factor_code gives the code their app would show)
TOTP_SECRETS = {LEADER: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", OWNER: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
                LEADER_B: "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK"}


def load(db, password_hash):
    """Insert the test schools and people."""
    now = clock.utc_iso_now()
    with transaction(db):
        db["school"].insert_all([
            {"id": SCHOOL_A, "name": "Testbakken skole", "created_at": now},
            {"id": SCHOOL_B, "name": "Annen skole", "created_at": now},
        ])
        for username, (user_id, name, role, schools) in USERS.items():
            db["user"].insert({"id": user_id, "username": username, "full_name": name,
                               "password_hash": password_hash, "role": role, "created_at": now})
            for school in schools:
                db["membership"].insert({"user_id": user_id, "school_id": school})
        db["second_factor"].insert_all({"user_id": user_id, "secret": seal(secret, SECRET_KEY), "confirmed_at": now}
                                       for user_id, secret in TOTP_SECRETS.items())
        db["school_class"].insert_all([
            {"id": CLASS_A, "school_id": SCHOOL_A, "name": "5A", "contact_teacher_id": STAFF},
            {"id": CLASS_A2, "school_id": SCHOOL_A, "name": "6A"},
            {"id": CLASS_B, "school_id": SCHOOL_B, "name": "5B"},
        ])
        db["pupil"].insert_all([
            {"id": PUPIL_A, "school_id": SCHOOL_A, "class_id": CLASS_A, "full_name": "Aksel Andersen",
             "birth_date": "2015-03-04", "created_at": now},
            {"id": PUPIL_A2, "school_id": SCHOOL_A, "class_id": CLASS_A, "full_name": "Bea Berge",
             "birth_date": "2015-06-01", "created_at": now},
            {"id": PUPIL_A3, "school_id": SCHOOL_A, "class_id": CLASS_A2, "full_name": "Cato Dahle",
             "birth_date": "2014-01-20", "created_at": now},
            {"id": PUPIL_B, "school_id": SCHOOL_B, "class_id": CLASS_B, "full_name": "Dina Eide",
             "birth_date": "2015-09-09", "created_at": now},
        ])
        zone_id = 1
        for school in (SCHOOL_A, SCHOOL_B):
            for order, (name, polygon) in enumerate(DEMO_ZONES.items()):
                db["zone"].insert({"id": zone_id, "school_id": school, "name": name,
                                   "polygon": json.dumps(polygon), "sort_order": order})
                zone_id += 1


def author(db, user_id):
    """A user as the author of a record (id and full name), as capture's store takes one."""
    return one(db, "SELECT id, full_name FROM user WHERE id = ?", [user_id])


def add_map(db, school=SCHOOL_A, version="v1"):
    """Give a school the demo schoolyard map (its zones are the demo zones); its (width, height)."""
    image, width, height = process_map_image(draw_demo_map(), 40_000_000)
    db["schoolyard_map"].insert({"school_id": school, "image": image, "content_type": "image/webp",
                                 "width": width, "height": height, "version": version,
                                 "uploaded_at": "2026-11-01T08:00:00+00:00"})
    return width, height
