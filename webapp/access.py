"""Who may call what: the route × role table, checked before every request.

Deny by default: an endpoint missing from ACCESS answers 403 for everyone,
and tests/test_access.py fails until it is added here.
"""
from flask import abort, current_app, make_response, redirect, request, url_for
from flask_login import current_user

from .rendering import wants_json

PUBLIC = "public"  # no log-in needed
STAFF, LEADER, OWNER, ADMIN = "staff", "leader", "owner", "admin"
ROLES = (STAFF, LEADER, OWNER, ADMIN)

EVERYONE = frozenset(ROLES)
SCHOOL_STAFF = frozenset({STAFF, LEADER})  # people who work with pupils at a school
LEADERS = frozenset({LEADER})
OWNERS = frozenset({OWNER})
ADMINS = frozenset({ADMIN})
LEADERS_AND_OWNERS = frozenset({LEADER, OWNER})
# a case's page and its aktivitetsplan: also the staff member who coordinates the plan (saker/views.py load_sak)
CASE_READERS = frozenset({STAFF, LEADER, OWNER})

ACCESS = {
    "static": PUBLIC,
    # auth
    "auth.login": PUBLIC,
    "auth.logout": EVERYONE,
    "auth.change_password": EVERYONE,
    "auth.login_code": PUBLIC,  # the second step of logging in, before there is a session
    "auth.second_factor": EVERYONE,
    "auth.second_factor_enrol": EVERYONE,
    "auth.recovery_codes_new": EVERYONE,
    "auth.second_factor_off": EVERYONE,
    "auth.session_status": EVERYONE,
    "auth.extend_session": EVERYONE,
    # home
    "home.index": EVERYONE,
    "home.more": EVERYONE,
    "home.choose_school": frozenset({STAFF, LEADER, OWNER}),
    # school set-up, by its leaders
    "school.index": LEADERS,
    "school.staff": LEADERS,
    "school.staff_edit": LEADERS,
    "school.staff_reset_password": LEADERS,
    "school.staff_set_active": LEADERS,
    "school.staff_second_factor": LEADERS,
    "school.staff_import": LEADERS,
    "school.classes": LEADERS,
    "school.class_edit": LEADERS,
    "school.pupils": LEADERS,
    "school.pupil_edit": LEADERS,
    "school.pupil_import": LEADERS,
    "school.map": LEADERS,
    "school.map_upload": LEADERS,
    "school.zone_edit": LEADERS,
    "school.zone_new": LEADERS,
    "school.settings": LEADERS,
    "school.map_image": SCHOOL_STAFF,
    # systematic observation (Vedlegg 8); the views also check that the person
    # is a leader, planned the observation or is assigned to it
    "observation_logs.index": SCHOOL_STAFF,
    "observation_logs.plan_new": SCHOOL_STAFF,
    "observation_logs.plan_edit": SCHOOL_STAFF,
    "observation_logs.assign": SCHOOL_STAFF,
    "observation_logs.assignment_delete": SCHOOL_STAFF,
    "observation_logs.show": SCHOOL_STAFF,
    "observation_logs.analysis": SCHOOL_STAFF,
    "observation_logs.duty_decision": SCHOOL_STAFF,
    "observation_logs.log_new": SCHOOL_STAFF,
    "observation_logs.log": SCHOOL_STAFF,
    "observation_logs.log_header": SCHOOL_STAFF,
    "observation_logs.log_section": SCHOOL_STAFF,
    "observation_logs.export_print": SCHOOL_STAFF,
    "observation_logs.export_docx": SCHOOL_STAFF,
    "observation_logs.attach_to_sak": LEADERS,  # the put-together observation attached to a case
    # tilsyn: the duty roster, swaps, the duty screen, coverage (webapp/duty)
    "duty.index": SCHOOL_STAFF,
    "duty.roster": SCHOOL_STAFF,
    "duty.roster_print": SCHOOL_STAFF,
    "duty.plan_edit": LEADERS,
    "duty.slot_new": LEADERS,
    "duty.slot_edit": LEADERS,
    "duty.cell_edit": LEADERS,
    "duty.plan_import": LEADERS,
    "duty.swap_new": SCHOOL_STAFF,
    "duty.swap_answer": SCHOOL_STAFF,
    "duty.swap_withdraw": SCHOOL_STAFF,
    "duty.changes": LEADERS,
    "duty.reassign_duty": LEADERS,
    "duty.start": SCHOOL_STAFF,
    "duty.session": SCHOOL_STAFF,
    "duty.end": SCHOOL_STAFF,
    "duty.coverage_board": LEADERS,
    "duty.record": LEADERS,
    "duty.free_days": LEADERS,
    "duty.free_day_delete": LEADERS,
    "duty.watch": SCHOOL_STAFF,  # leaders, and contact teachers for their own classes
    "duty.watch_end": SCHOOL_STAFF,
    # the leaders' feed of meldinger and incidents (webapp/feed)
    "feed.index": LEADERS,
    "feed.items": LEADERS,
    "feed.badge": LEADERS,
    "feed.pupil_filter": LEADERS,
    "feed.melding": LEADERS_AND_OWNERS,   # owners: §12-5 meldinger only (feed/views.py load_melding)
    "feed.acknowledge": LEADERS_AND_OWNERS,
    "feed.assign": LEADERS_AND_OWNERS,
    "feed.close": LEADERS_AND_OWNERS,
    "feed.open_sak": LEADERS_AND_OWNERS,
    "feed.add_to_sak": LEADERS_AND_OWNERS,
    "feed.new": LEADERS,
    "feed.pupils": LEADERS,
    "feed.chronology": LEADERS,
    "feed.patterns_page": LEADERS,
    "feed.checklist_new": LEADERS,
    "feed.checklist": LEADERS,
    # cases (webapp/saker); owners see escalated and §12-5 cases
    "saker.index": LEADERS_AND_OWNERS,
    "saker.show": CASE_READERS,
    "saker.advance": LEADERS_AND_OWNERS,
    "saker.set_owner": LEADERS_AND_OWNERS,
    "saker.task": LEADERS_AND_OWNERS,
    "saker.talk_new": LEADERS_AND_OWNERS,
    "saker.stopp": LEADERS_AND_OWNERS,
    "saker.escalate": LEADERS,
    "saker.close": LEADERS_AND_OWNERS,
    "saker.plan": CASE_READERS,
    "saker.plan_save": LEADERS_AND_OWNERS,
    "saker.tiltak_new": LEADERS_AND_OWNERS,
    "saker.tiltak": LEADERS_AND_OWNERS,
    "saker.best_interests": LEADERS_AND_OWNERS,
    "saker.letter": LEADERS_AND_OWNERS,
    "saker.letter_docx": LEADERS_AND_OWNERS,
    "saker.letter_details": LEADERS_AND_OWNERS,
    "saker.plan_print": LEADERS_AND_OWNERS,
    "saker.plan_docx": LEADERS_AND_OWNERS,
    "saker.export_print": LEADERS_AND_OWNERS,
    "saker.export_docx": LEADERS_AND_OWNERS,
    "saker.attach_observation": LEADERS,  # a systematic observation of the pupil or class (issue 6)
    # capture: recording observations and incidents (staff and leaders who work with pupils)
    "capture.index": SCHOOL_STAFF,
    "capture.new": SCHOOL_STAFF,
    "capture.create": SCHOOL_STAFF,
    "capture.restore_draft": SCHOOL_STAFF,  # the form again from a draft kept on the phone
    "capture.show": SCHOOL_STAFF,
    "capture.correct": SCHOOL_STAFF,
    "capture.escalate": SCHOOL_STAFF,
    "capture.pupil_search": SCHOOL_STAFF,
    "capture.mine": SCHOOL_STAFF,         # one's own records and meldinger' status, never others'
    "capture.mine_list": SCHOOL_STAFF,
    # innsyn: copies of a pupil's records for the pupil or parents, fortrolig adresse (webapp/innsyn)
    "innsyn.index": LEADERS,
    "innsyn.pupil": LEADERS,
    "innsyn.export": LEADERS,
    "innsyn.show": LEADERS,
    "innsyn.download": LEADERS,
    "innsyn.confidential": LEADERS,


    # the access log (innsynslogg) of a pupil: owners its §12-5 records only (access_log/views.py)
    "access_log.pupil": LEADERS_AND_OWNERS,
    # retention and archive (webapp/retention): the rules, the owner's setting, a closed sak to the archive
    "retention.index": LEADERS_AND_OWNERS,
    "retention.setting": OWNERS,
    "retention.archive_page": LEADERS,
    "retention.archive_export": LEADERS,
    "retention.archive": LEADERS,
    # hvor og når: the school's records on its map, by zone and time slot, against the tilsyn records
    "hotspots.index": LEADERS,
    "hotspots.heatmap_image": LEADERS,
    "hotspots.cell_records": LEADERS,
    # Skolegårdsundersøkelsen (Vedlegg 5): leaders open rounds and read results, staff hold the talks
    "survey.index": SCHOOL_STAFF,
    "survey.show": SCHOOL_STAFF,
    "survey.talk_new": SCHOOL_STAFF,
    "survey.round_new": LEADERS,
    "survey.close": LEADERS,
    "survey.result": LEADERS,
    "survey.result_docx": LEADERS,
    # offline capture (webapp/offline): the service worker and the offline screen carry no personal data
    "offline.service_worker": PUBLIC,
    "offline.precache": PUBLIC,
    "offline.shell": PUBLIC,
    "offline.status": SCHOOL_STAFF,  # the user and a fresh CSRF token, before the phone's outbox is sent
    # operators
    "admin.index": ADMINS,
    "admin.school_new": ADMINS,
    "admin.owner_new": ADMINS,
    "admin.owner_schools": ADMINS,
    # log in with Feide (webapp/feide)
    "feide.login": PUBLIC,
    "feide.callback": PUBLIC,
    "feide.settings": OWNERS,
    "feide.groups": LEADERS,
}

# endpoints a user who must change their password may still reach
PASSWORD_CHANGE_ALLOWED = {"auth.change_password", "auth.logout", "static", "auth.session_status",
                           "auth.extend_session"}
# endpoints a user who must have a second factor and has none may still reach
SECOND_FACTOR_ENROL_ALLOWED = {"auth.second_factor_enrol", "auth.logout", "static", "auth.session_status",
                               "auth.extend_session"}


def is_owner():
    """Whether the signed-in user is a school owner (sees escalated and §12-5 records)."""
    return current_user.role == OWNER


def allowed_roles(endpoint):
    """The roles that may call an endpoint; None when it is not in the table."""
    return ACCESS.get(endpoint)


def check_access():
    """Before every request: deny unless the table lets this role in."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no such route: Flask answers 404
    roles = allowed_roles(endpoint)
    if roles is None:
        current_app.logger.error("Endpoint %s is missing from the access table", endpoint)
        abort(403)
    if roles == PUBLIC:
        return None
    user = current_user._get_current_object()  # the proxy resolved once, not per attribute
    if not user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if user.role not in roles:
        abort(403)
    if user.must_change_password and endpoint not in PASSWORD_CHANGE_ALLOWED:
        return _first_to("auth.change_password")
    if user.must_enrol_second_factor and endpoint not in SECOND_FACTOR_ENROL_ALLOWED:
        return _first_to("auth.second_factor_enrol")
    return None


def _first_to(endpoint):
    """Send the user to the page they must see first; the outbox's JSON gets a 403 (it keeps what it holds)."""
    if wants_json():  # a redirect to a page would be HTML where static/outbox.js reads JSON
        return make_response({"error": "logg inn i appen først"}, 403)
    return redirect(url_for(endpoint))


def init_app(app):
    """Check the table before every request."""
    app.before_request(check_access)
