"""Who may call what: every route × every method × every role, against the access table."""
import re

import pytest

from webapp.access import ACCESS, PUBLIC, ROLES

from . import data
from .conftest import csrf_token, make_app

ROLE_USERS = {"staff": data.STAFF, "leader": data.LEADER, "owner": data.OWNER, "admin": data.ADMIN}
# a value for every URL parameter: ids of school A's records where a route needs one
PARAMETER_VALUES = {"school": data.SCHOOL_A, "version": "v1", "filename": "trygg.css"}


def url_for_rule(rule):
    """A concrete URL for a rule, filling each parameter with a plausible value."""
    url = rule.rule
    for name in rule.arguments:
        value = PARAMETER_VALUES.get(name, 1)
        url = re.sub(r"<(?:[a-z]+:)?%s>" % name, str(value), url)
    return url


def all_routes(app):
    """(endpoint, method, url) for every rule the app serves."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url_for_rule(rule)


@pytest.fixture(scope="module")
def walk_app(tmp_path_factory):
    # CSRF is tested on its own (test_security); here it would hide the role checks.
    return make_app(tmp_path_factory.mktemp("walk"), WTF_CSRF_ENABLED=False)


def sign_in(client, app, user_id):
    """Start a session for a user, as logging in does, and put its id into the client's session."""
    from webapp import clock
    from webapp.auth import store
    from webapp.db import connect

    db = connect(app.config["DATABASE"])
    db.execute("UPDATE user SET active = 1, must_change_password = 0 WHERE id = ?", [user_id])
    with app.app_context():
        session_id = store.start_session(db, user_id, device="test", remember=False, now=clock.now())
    db.conn.close()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


def test_every_route_is_in_the_access_table(walk_app):
    missing = sorted({endpoint for endpoint, _, _ in all_routes(walk_app)} - set(ACCESS))
    assert not missing, f"routes missing from webapp/access.py ACCESS: {missing}"


def test_access_table_names_only_existing_routes(walk_app):
    endpoints = {rule.endpoint for rule in walk_app.url_map.iter_rules()}
    assert not sorted(set(ACCESS) - endpoints)


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_every_route_answers_each_role_as_the_table_says(walk_app, role):
    problems = []
    for endpoint, method, url in all_routes(walk_app):
        allowed = ACCESS[endpoint]
        client = walk_app.test_client()
        if role != "anonymous":
            sign_in(client, walk_app, ROLE_USERS[role])
        response = client.open(url, method=method, data={})
        status = response.status_code
        response.close()
        if allowed == PUBLIC:
            ok = status != 403
        elif role == "anonymous":
            ok = status == 302 and response.headers["Location"].startswith("/logg-inn")
        elif role in allowed:
            ok = status not in (401, 403) and status < 500
        else:
            ok = status == 403
        if not ok:
            problems.append(f"{method} {url} ({endpoint}) as {role}: {status}")
    assert not problems, "\n".join(problems)


def test_unknown_endpoint_is_denied_by_default(tmp_path):
    app = make_app(tmp_path)

    @app.route("/glemt-i-tabellen")
    def forgotten():
        return "should never be reached"

    client = app.test_client()
    sign_in(client, app, data.LEADER)
    assert client.get("/glemt-i-tabellen").status_code == 403


# ---------------------------------------------------------------- school isolation

OTHER_SCHOOL_URLS = [
    f"/skole/elever/{data.PUPIL_B}",
    f"/skole/klasser/{data.CLASS_B}",
    f"/skole/soner/{data.ZONE_B}",
    f"/skole/ansatte/{data.STAFF_B}",
    f"/skole/kart/{data.SCHOOL_B}/v1.webp",
    f"/innsyn/elev/{data.PUPIL_B}",


    f"/innsynslogg/elever/{data.PUPIL_B}",
]


@pytest.mark.parametrize("url", OTHER_SCHOOL_URLS)
def test_leader_cannot_open_other_schools_records(client, auth, url):
    auth.login("leder")
    assert client.get(url).status_code == 404


def test_leader_cannot_change_other_schools_pupil(client, auth, db):
    auth.login("leder")
    response = auth.post(f"/skole/elever/{data.PUPIL_B}", {"full_name": "Endret", "class_id": data.CLASS_A},
                         page="/skole/elever")
    assert response.status_code == 404
    assert db["pupil"].get(data.PUPIL_B)["full_name"] == "Dina Eide"


def test_leader_cannot_match_other_schools_feide_group(client, auth, db):
    """Classes from Feide (webapp/feide): another school's group is neither listed nor changed."""
    group = db["feide_group"].insert({"school_id": data.SCHOOL_B, "group_key": "fc:gogroup:1.0:5b", "name": "5B gruppe",
                                      "seen_at": "2026-11-24T08:00:00+00:00"}).last_pk
    auth.login("leder")
    assert "5B gruppe" not in client.get("/skole/feide-grupper").get_data(as_text=True)
    auth.post("/skole/feide-grupper", {f"klasse-{group}": data.CLASS_A}, page="/skole/feide-grupper")
    assert db["feide_group"].get(group)["class_id"] is None


def test_leader_cannot_move_pupil_into_other_schools_class(client, auth, db):
    auth.login("leder")
    response = auth.post(f"/skole/elever/{data.PUPIL_A}", {"full_name": "Aksel Andersen",
                                                          "class_id": data.CLASS_B}, page="/skole/elever")
    assert response.status_code in (404, 422)
    assert db["pupil"].get(data.PUPIL_A)["class_id"] == data.CLASS_A


def test_other_schools_pupils_are_not_listed(client, auth):
    auth.login("leder")
    html = client.get("/skole/elever").get_data(as_text=True)
    assert "Aksel Andersen" in html and "Dina Eide" not in html


def test_staff_cannot_switch_to_a_school_they_do_not_belong_to(client, auth):
    auth.login("ansatt")
    assert auth.post("/velg-skole", {"school_id": data.SCHOOL_B}).status_code == 404


# ---------------------------------------------------------------- a staff member who coordinates an aktivitetsplan

def test_a_staff_coordinator_reaches_their_cases_page_and_plan_and_nothing_else_of_leaderships(tmp_path):
    from webapp import clock
    from webapp.capture import store as capture
    from webapp.db import connect, transaction
    from webapp.saker import store as saker

    from .records import save_record

    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    db = connect(app.config["DATABASE"])
    now = clock.now()
    with transaction(db):
        ids = []
        for _ in range(2):  # two cases at the staff member's school; they coordinate the first's plan
            observation = save_record(db, kind="concern", observed_at=now, context="friminutt", outcome="follow_up",
                                      pupils={data.PUPIL_A: "utsatt"}, facts="Ble dyttet.")
            melding = capture.melding_of(db, observation)
            ids.append(saker.open_sak(db, melding, data.PUPIL_A, data.LEADER, data.LEADER, now))
        saker.save_plan(db, db["sak"].get(ids[0]), {"background": "", "investigations": "", "perspectives": "",
                                                    "findings": "", "coordinator_id": data.STAFF}, data.LEADER, now)
    db.conn.close()
    coordinated, other = ids
    readable = {("saker.show", "GET"): 200, ("saker.plan", "GET"): 200}
    problems = []
    for sak_id, expected_readable in ((coordinated, 200), (other, 404)):
        PARAMETER_VALUES["sak_id"] = sak_id
        try:
            routes = [r for r in all_routes(app) if r[0].split(".")[0] in ("saker", "feed")]
        finally:
            del PARAMETER_VALUES["sak_id"]
        for endpoint, method, url in routes:
            client = app.test_client()
            sign_in(client, app, data.STAFF)
            status = client.open(url, method=method, data={}).status_code
            expected = expected_readable if (endpoint, method) in readable else 403
            if status != expected:
                problems.append(f"{method} {url} ({endpoint}) as the coordinator: {status}, not {expected}")
    assert not problems, "\n".join(problems)


def test_innsyn_of_another_schools_pupil_is_404_and_releases_nothing(client, auth, db):
    auth.login("leder")
    token = csrf_token(client, "/")
    for url, form in ((f"/innsyn/elev/{data.PUPIL_B}", {"recipient": "eleven", "recipient_name": "X",
                                                         "client_id": "abcdefgh12"}),
                      (f"/innsyn/elev/{data.PUPIL_B}/fortrolig", {"fortrolig": "1"})):
        assert client.post(url, data={"csrf_token": token, **form}).status_code == 404, url
    assert db.execute("SELECT count(*) FROM innsyn_export").fetchone()[0] == 0
    assert db["pupil"].get(data.PUPIL_B)["confidential_address"] == 0


# ---------------------------------------------------------------- retention and archive (issue 19)

def test_only_the_schools_leaders_reach_a_closed_saks_archive_and_only_owners_set_the_months(tmp_path):
    from webapp import clock
    from webapp.db import connect, transaction
    from webapp.saker import store as saker

    from .meldinger import add_melding

    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    melding_id = add_melding(app, observation=False)
    db = connect(app.config["DATABASE"])
    with app.app_context(), transaction(db):
        sak_id = saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER, data.LEADER,
                                clock.now())
        saker.close_sak(db, db["sak"].get(sak_id), "Trygt nå.", None, data.LEADER, clock.now())
    db.conn.close()
    routes = [("GET", f"/oppbevaring/sak/{sak_id}"), ("GET", f"/oppbevaring/sak/{sak_id}/arkivuttrekk.zip"),
              ("POST", f"/oppbevaring/sak/{sak_id}/arkiver"), ("GET", "/oppbevaring/"), ("POST", "/oppbevaring/")]
    expected = {
        data.LEADER: [200, 200, 303, 200, 403],
        data.LEADER_B: [404, 404, 404, 200, 403],   # another school's leader: no such sak
        data.STAFF: [403, 403, 403, 403, 403],
        data.OWNER: [403, 403, 403, 200, 200],      # an empty form re-shown with its error
        data.ADMIN: [403, 403, 403, 403, 403],
    }
    problems = []
    for user_id, statuses in expected.items():
        for (method, url), status in zip(routes, statuses):
            client = app.test_client()
            sign_in(client, app, user_id)
            got = client.open(url, method=method, data={}).status_code
            got = 200 if got == 422 else got
            if got != status:
                problems.append(f"{method} {url} as user {user_id}: {got}, not {status}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- hvor og når, skolegårdsundersøkelsen

def test_leader_cannot_open_other_schools_survey_round_or_zone_records(client, auth, db):
    from webapp import clock
    from webapp.db import transaction
    from webapp.survey import store as survey

    with transaction(db):
        round_id = survey.open_round(db, data.SCHOOL_B, data.CLASS_B, data.LEADER_B, clock.now())
    auth.login("leder")
    for url in (f"/skolegard/{round_id}", f"/skolegard/{round_id}/samtale", f"/skolegard/{round_id}/resultat",
                f"/skolegard/{round_id}/skolegardsundersokelse.docx",
                f"/hvor-og-naar/registreringer?sone={data.ZONE_B}"):
        assert client.get(url).status_code == 404, url


# ---------------------------------------------------------------- a leader who has not enrolled a second factor

def test_a_leader_without_a_second_factor_reaches_nothing_but_its_enrolment(tmp_path):
    from webapp.access import SECOND_FACTOR_ENROL_ALLOWED
    from webapp.db import connect

    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    db = connect(app.config["DATABASE"])
    db.execute("DELETE FROM second_factor WHERE user_id = ?", [data.LEADER])
    db.conn.close()
    problems = []
    for endpoint, method, url in all_routes(app):
        client = app.test_client()
        sign_in(client, app, data.LEADER)
        response = client.open(url, method=method, data={})
        allowed = ACCESS[endpoint]
        if allowed == PUBLIC or endpoint in SECOND_FACTOR_ENROL_ALLOWED:
            ok = response.headers.get("Location") != "/totrinn/ny"
        elif "leader" not in allowed:
            ok = response.status_code == 403
        else:
            ok = response.status_code == 302 and response.headers["Location"] == "/totrinn/ny"
        if not ok:
            problems.append(f"{method} {url} ({endpoint}): {response.status_code} {response.headers.get('Location')}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- offline capture (webapp/offline)

def test_what_the_service_worker_keeps_is_the_same_for_every_role_and_holds_no_personal_data(walk_app):
    """The phone may keep the public offline routes: each role and a visitor get the same bytes."""
    public_offline = ["/frakoblet", "/frakoblet/filer.json", "/sw.js"]
    seen = {}
    for role in ["anonymous", *ROLES]:
        client = walk_app.test_client()
        if role != "anonymous":
            sign_in(client, walk_app, ROLE_USERS[role])
        for url in public_offline:
            response = client.get(url)
            assert response.status_code == 200, (url, role)
            seen.setdefault(url, set()).add(response.get_data())
    assert all(len(bodies) == 1 for bodies in seen.values())


def test_only_staff_at_a_school_get_the_outbox_key(walk_app):
    for role in ROLES:
        client = walk_app.test_client()
        sign_in(client, walk_app, ROLE_USERS[role])
        answer = client.get("/frakoblet/nokkel", headers={"Accept": "application/json"})
        assert answer.status_code == (200 if role in ("staff", "leader") else 403), role
