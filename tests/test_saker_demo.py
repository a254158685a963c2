"""The demo shows leadership at work: meldinger, a pattern, a case with a plan, an escalated §12-5 case."""
from webapp import clock
from webapp.db import one
from webapp.feed import store as feed_store

from .conftest import demo_database


def test_demo_has_meldinger_a_pattern_an_active_case_and_an_escalated_12_5_case(app):
    with app.app_context():
        now = clock.now()
    db = demo_database(app, str(app.config["DATABASE"]).replace("trygg.sqlite", "demo.sqlite"), now)
    school = one(db, "SELECT * FROM school WHERE name = 'Solbakken skole'")
    statuses = [r[0] for r in db.execute("SELECT status FROM melding WHERE school_id = ?", [school["id"]])]
    assert "ny" in statuses and "mottatt" in statuses
    assert feed_store.school_patterns(db, school, now)
    active = one(db, "SELECT * FROM sak WHERE phase = 'iverksette_tiltak'")
    assert db.execute("SELECT count(*) FROM tiltak WHERE sak_id = ?", [active["id"]]).fetchone()[0] >= 2
    assert db["aktivitetsplan"].get(active["id"])["coordinator_id"]
    escalated = one(db, "SELECT * FROM sak WHERE section_12_5 AND escalated_at IS NOT NULL AND avvik_filed")
    assert escalated is not None
    owner = one(db, "SELECT id FROM user WHERE username = 'skoleeier'")
    assert one(db, "SELECT 1 FROM membership WHERE user_id = ? AND school_id = ?",
               [owner["id"], escalated["school_id"]])
    db.conn.close()
