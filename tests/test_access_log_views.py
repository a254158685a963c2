"""The access log (innsynslogg): who viewed or changed a pupil's records, for leaders and, for §12-5, owners."""
from contextlib import closing

from webapp.audit import append
from webapp.db import transaction

from . import data
from .conftest import login
from .meldinger import db_of, records  # noqa: F401 (a fixture)


def access_log(client, pupil_id=data.PUPIL_A, older_than=None):
    """The access log's page for a pupil, as text (status checked)."""
    response = client.get(f"/innsynslogg/elever/{pupil_id}" + (f"?eldre={older_than}" if older_than else ""))
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_views_changes_and_exports_of_a_pupils_records_are_in_the_access_log(app, records):  # noqa: F811
    leader, _ = login(app, "leder")
    staff, staff_auth = login(app, "ansatt")
    with closing(db_of(app).conn) as conn:
        observation_id = conn.execute("SELECT observation_id FROM melding WHERE id = ?",
                                      [records["melding"]]).fetchone()[0]
    assert staff.get(f"/registrer/{observation_id}").status_code == 200
    assert leader.get(f"/meldinger/{records['melding']}").status_code == 200
    assert leader.get(f"/saker/{records['sak']}/eksport.docx").status_code == 200
    assert leader.get(f"/meldinger/elever/{data.PUPIL_A}").status_code == 200
    page = access_log(leader)
    assert "Innsynslogg: Aksel Andersen" in page
    assert f"Så registrering nr. {observation_id}" in page and "Kari Lærer (ansatt)" in page
    assert f"Så melding nr. {records['melding']}" in page and "Rita Rektor (skoleledelsen)" in page
    assert f"Eksporterte sak nr. {records['sak']}" in page and f"sak-{records['sak']}.docx" in page
    assert "Så elevens kronologi" in page
    # reading the access log is itself in it, by whom and when
    assert "Så innsynsloggen" in page
    with closing(db_of(app).conn) as conn:
        assert conn.execute("SELECT user_id FROM audit_log WHERE entity = 'access_log' AND pupil_id = ?",
                            [data.PUPIL_A]).fetchall() == [(data.LEADER,)]
    # another pupil's log has none of it
    other = access_log(leader, data.PUPIL_A3)
    assert f"melding nr. {records['melding']}" not in other and "Ingen har sett" not in other


def test_the_chronology_links_to_the_access_log(app):
    leader, _ = login(app, "leder")
    page = leader.get(f"/meldinger/elever/{data.PUPIL_A}").get_data(as_text=True)
    assert f'href="/innsynslogg/elever/{data.PUPIL_A}"' in page


def test_another_schools_pupil_has_no_access_log_here(app):
    leader, _ = login(app, "leder")
    assert leader.get(f"/innsynslogg/elever/{data.PUPIL_B}").status_code == 404
    with closing(db_of(app).conn) as conn:
        assert not conn.execute("SELECT 1 FROM audit_log WHERE entity = 'access_log'").fetchall()


def test_leaders_never_see_lines_about_a_melding_only_the_owner_may_see(app, records):  # noqa: F811
    owner, _ = login(app, "skoleeier")
    leader, _ = login(app, "leder")
    assert owner.get(f"/meldinger/{records['melding_leader']}").status_code == 200
    assert owner.get(f"/meldinger/{records['melding_12_5']}").status_code == 200
    assert leader.get(f"/meldinger/{records['melding']}").status_code == 200
    # the owner's access log: the §12-5 records' lines, its own reading marked §12-5, nothing else
    for_owner = access_log(owner)
    assert f"Så melding nr. {records['melding_leader']}" in for_owner and "Ola Eier (skoleeier)" in for_owner
    assert f"Så melding nr. {records['melding_12_5']}" in for_owner
    assert f"melding nr. {records['melding']}<" not in for_owner and "Rita Rektor" not in for_owner
    assert "Så innsynsloggen" in for_owner and "§ 12-5" in for_owner
    # the leaders': the melding about a leader, and the owner reading the log, are not there at all
    for_leader = access_log(leader)
    assert f"melding nr. {records['melding_leader']}<" not in for_leader
    assert f"Så melding nr. {records['melding_12_5']}" in for_leader  # a §12-5 melding not about a leader
    assert f"Så melding nr. {records['melding']}" in for_leader
    assert for_leader.count("Så innsynsloggen") == 1 and "§ 12-5" not in for_leader


def test_an_owner_sees_no_access_log_of_a_pupil_without_section_12_5_records(app):
    owner, _ = login(app, "skoleeier")
    assert owner.get(f"/innsynslogg/elever/{data.PUPIL_A3}").status_code == 404


def test_the_owners_sak_page_links_to_the_pupils_access_log(app, records):  # noqa: F811
    from webapp import clock
    from webapp.saker import store as saker

    db = db_of(app)
    with transaction(db):
        sak_id = saker.open_sak(db, db["melding"].get(records["melding_12_5"]), data.PUPIL_A, data.LEADER,
                                data.LEADER, clock.now())
    db.conn.close()
    owner, _ = login(app, "skoleeier")
    page = owner.get(f"/saker/{sak_id}").get_data(as_text=True)
    assert f'href="/innsynslogg/elever/{data.PUPIL_A}"' in page
    assert "Så sak nr." in access_log(owner)


def test_the_access_log_comes_a_page_at_a_time_newest_first(app):
    db = db_of(app)
    with transaction(db):
        append(db, [(f"2026-11-{day:02d}T08:00:00+00:00", data.STAFF, data.SCHOOL_A, "view", "observation", day,
                     data.PUPIL_A, "") for day in range(1, 31)]
               + [(f"2026-10-{day:02d}T08:00:00+00:00", data.STAFF, data.SCHOOL_A, "view", "observation",
                   100 + day, data.PUPIL_A, "") for day in range(1, 31)])
    db.conn.close()
    leader, _ = login(app, "leder")
    first = access_log(leader)
    # the newest first, 50 lines on a page: this reading, 30 to 1 November, 30 to 12 October
    assert first.index("Så innsynsloggen") < first.index("registrering nr. 30<") < first.index("registrering nr. 1<")
    assert first.count("<li>") == 50
    assert "registrering nr. 112<" in first and "registrering nr. 111<" not in first
    with closing(db_of(app).conn) as conn:
        last_shown = conn.execute("SELECT id FROM audit_log WHERE entity_id = 112").fetchone()[0]
    assert f'href="/innsynslogg/elever/1?eldre={last_shown}"' in first and "Til de nyeste" not in first
    # the next page goes on from the last line shown, though this reading and the next were logged meanwhile
    second = access_log(leader, older_than=last_shown)
    assert "registrering nr. 111<" in second and "registrering nr. 101<" in second and "nr. 112<" not in second
    assert second.count("<li>") == 11 and "Til de nyeste" in second and "eldre=" not in second
