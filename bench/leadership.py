"""Benchmark data and URLs for leadership (for the lead's bench/ script).

`generate(db, school_id, users, pupils, rng, now)` adds ~500 meldinger and
~60 cases with tasks, talks and aktivitetsplaner to a school that already
has its observations; `URLS` lists the pages to measure, feed first.
"""
import random
from datetime import timedelta

from webapp.feed import store as records
from webapp.saker import rules as routine
from webapp.saker import store as saker

# (name, path) — {pupil_id} and {sak_id} are filled in from `generate`'s result
URLS = [
    ("feed, first page", "/meldinger/"),
    ("feed, filtered (status ny, last 30 days)", "/meldinger/?status=ny&periode=30"),
    ("feed, filtered by pupil", "/meldinger/?elev={pupil_id}"),
    ("pupil chronology", "/meldinger/elever/{pupil_id}"),
    ("aktivitetsplan .docx", "/saker/{sak_id}/aktivitetsplan.docx"),
]


def generate(db, school_id, users, pupils, rng, now, meldinger=500, cases=60):
    """Add a year of meldinger and cases to a school; returns {"pupil_id", "sak_id"} for URLS.

    :param users: staff user ids (a list or a dict of them); a leader of the school decides cases
    :param pupils: pupil ids (a list, or a dict of lists by class)
    """
    users = list(users.values()) if isinstance(users, dict) else list(users)
    if pupils and isinstance(pupils, dict):
        pupils = [p for ids in pupils.values() for p in (ids if isinstance(ids, list) else [ids])]
    leader = db.execute(
        "SELECT user.id FROM user JOIN membership ON membership.user_id = user.id "
        "WHERE membership.school_id = ? AND user.role = 'leader' ORDER BY user.id LIMIT 1", [school_id]).fetchone()
    leader = leader[0] if leader else users[0]
    concerns = [r[0] for r in db.execute(
        "SELECT id FROM observation WHERE school_id = ? AND kind = 'concern' AND NOT EXISTS "
        "(SELECT 1 FROM melding WHERE observation_id = observation.id) ORDER BY id", [school_id])]
    # drawn from a generator of their own, seeded by one draw of rng: how many concerns there are
    # does not change the draws that follow (the meldinger's times, statuses and pupils)
    free_observations = random.Random(rng.random()).sample(concerns, min(meldinger, len(concerns)))
    created = []
    for index in range(meldinger):
        at = now - timedelta(minutes=rng.randint(5, 365 * 24 * 60))
        utsatt, utover = rng.sample(pupils, 2)
        status = rng.choices(["ny", "mottatt", "lukket"], [1, 5, 4])[0] if at < now - timedelta(days=2) else "ny"
        observation_id = free_observations[index] if index < len(free_observations) else None
        melding_id = records.insert_melding(
            db, school_id=school_id, author_id=rng.choice(users), created_at=at, observation_id=observation_id,
            pupils={utsatt: "utsatt", utover: "utøver"}, summary="Benchmark-melding.",
            section_12_5=rng.random() < 0.02, status=status,
            acknowledged_at=at + timedelta(minutes=30) if status != "ny" else None,
            acknowledged_by=leader if status != "ny" else None)
        created.append((melding_id, at, utsatt))
    sak_id = None
    for melding_id, at, utsatt in rng.sample([c for c in created], min(cases, len(created))):
        row = db["melding"].get(melding_id)
        db["melding"].update(melding_id, {"status": "ny"})
        row["status"] = "ny"
        sak_id = saker.open_sak(db, row, utsatt, leader, leader, at + timedelta(hours=1))
        steps = rng.randint(0, len(routine.PHASE_KEYS) - 3)
        moment = at + timedelta(days=1)
        for phase in routine.PHASE_KEYS[2:2 + steps]:
            saker.enter_phase(db, db["sak"].get(sak_id), phase, leader, min(moment, now),
                              reason="Benchmark: videre uten å utføre oppgavene.")
            moment += timedelta(days=rng.randint(2, 10))
        sak = db["sak"].get(sak_id)
        saker.add_talk(db, sak, "utsatt", utsatt, at.strftime("%Y-%m-%dT%H:%M"), "rektor", "Referat.", leader, at)
        for level in ("individ", "system"):
            saker.save_tiltak(db, sak, {
                "level": level, "name": f"Tiltak ({level})", "description": "Beskrivelse.",
                "justification": "Begrunnelse.", "participation": "Eleven og foresatte medvirket.",
                "start_on": at.date().isoformat(), "responsible": "Kontaktlærer",
                "evaluation_on": (at.date() + timedelta(weeks=5)).isoformat(),
                "evaluation_participants": "eleven, foresatte", "conclusion": ""}, leader, at)
    return {"pupil_id": created[0][2] if created else None, "sak_id": sak_id}
