"""Capture screens: record, receive a receipt, correct, escalate; the author's records with their meldinger' status."""
from flask import Blueprint, abort, flash, jsonify, redirect, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from .. import clock, submissions
from ..audit import audit, audit_lines, audit_pupils
from ..db import get_db, transaction
from ..navigation import home_panel
from ..rendering import render, wants_json
from ..saker import store as saker
from ..school import store as school_store
from ..school.rules import svg_points
from ..scope import get_or_404, parse_id, school_id
from . import rules, store

bp = Blueprint("capture", __name__, url_prefix="/registrer")
# a melding's status line, spelled once for capture's and leadership's templates
bp.add_app_template_global(rules.melding_status_text, "melding_status_text")


def _author():
    """The signed-in user as the author of a record."""
    return {"id": current_user.id, "full_name": current_user.full_name}


def _own_duty(db, raw_id):
    """One of the user's own duties at the school, as a link or form names it (`vakt`, `duty_session_id`), or None."""
    duty_id = parse_id(raw_id)
    return store.duty_session_of(db, current_user.id, school_id(), duty_id) if duty_id else None


def _duty(db, now, requested=None):
    """The duty a capture belongs to: the one asked for (from the duty screen), else the one in progress."""
    return _own_duty(db, requested) or store.duty_in_progress(db, current_user.id, school_id(), now)


def _pupil_choices(db, values, now):
    """The pupils to show as choices: those already chosen in the form, then recent ones."""
    school = school_id()
    chosen_ids = [i for i in (parse_id(raw) for raw in values.getlist("pupil")) if i is not None]
    chosen = school_store.pupils_by_id(db, school, chosen_ids)
    taken = {pupil["id"] for pupil in chosen}
    recent = [p for p in store.recent_pupils(db, current_user.id, school, now) if p["id"] not in taken]
    return chosen, recent


def _form_page(values, *, errors=None, status=200, observation=None, conflict_id=None, duty=None, restored=False):
    """The capture form, new or correcting, with the user's input and any errors."""
    db = get_db()
    now = clock.now()
    school = school_id()
    chosen, recent = _pupil_choices(db, values, now)
    zones = school_store.zones_of(db, school, active_only=True)
    # a zone that is not one of the school's checks "Ingen / annet"
    zone_checked = values.get("zone_id", "") if values.get("zone_id") in {str(zone["id"]) for zone in zones} else ""
    # the context this user recorded last is offered first (off duty the form asks for one)
    context_first = store.last_context(db, current_user.id, school) if observation is None else ""
    return render(
        "capture/form.html", values=values, errors=errors or {}, observation=observation,
        conflict_id=conflict_id, duty=duty, chosen=chosen, recent=recent, zones=zones, zone_checked=zone_checked,
        schoolyard=school_store.map_of(db, school), classes=school_store.classes_of(db, school),
        context_first=context_first if context_first in rules.CONTEXTS else "", rules=rules, choices=rules.choices,
        svg_points=svg_points, restored=restored,
    ), status


@bp.route("/")
def index():
    """The capture start: the two big buttons and the author's latest records."""
    db = get_db()
    now = clock.now()
    duty = store.duty_in_progress(db, current_user.id, school_id(), now)
    records = store.my_records(db, current_user.id, school_id(), limit=5)
    return render("capture/index.html", duty_session=duty, records=records, rules=rules, now=now)


@bp.route("/ny/<kind>")
def new(kind):
    """Open the capture form; the time of this first tap is when it happened, unless changed."""
    if kind not in rules.KIND_SLUGS:
        abort(404)
    db = get_db()
    now = clock.now()
    duty = _duty(db, now, request.args.get("vakt"))
    local = now.astimezone(clock.OSLO)
    values = MultiDict({
        "kind": rules.KIND_SLUGS[kind], "client_id": submissions.new_client_id(),
        "opened_at": clock.to_utc_iso(now), "observed_date": local.date().isoformat(),
        "observed_time": local.strftime("%H:%M"),
        "context": rules.default_context(now, duty, current_user.title),
        "zone_id": str(duty["zone_id"]) if duty and duty["zone_id"] else "",
        "duty_session_id": str(duty["id"]) if duty else "",
    })
    return _form_page(values, duty=duty)


@bp.route("/utkast", methods=["POST"])
def restore_draft():
    """Open the capture form again with a draft kept on the phone (POST: the text never goes in a URL).

    Nothing is saved here; the draft keeps its form id, so if it was in fact saved
    before the session ended, saving it again gives the same record, not a second.
    """
    values = request.form.copy()
    values.pop("csrf_token", None)
    if values.get("kind") not in rules.KINDS:
        abort(404)
    if not submissions.valid_client_id(values.get("client_id", "")):
        values["client_id"] = submissions.new_client_id()
    # only the duty the draft was opened for (one of the user's own), never a guess at the one now
    duty = _own_duty(get_db(), values.get("duty_session_id"))
    values["duty_session_id"] = str(duty["id"]) if duty else ""
    return _form_page(values, duty=duty, restored=True)


def _has_map(db, school):
    """A question for parse_capture, asked only if a point on the map was sent: has the school a map?"""
    return lambda: school_store.map_of(db, school) is not None


@bp.route("/ny", methods=["POST"])
def create():
    """Save a capture once per form id; a resend gets the same answer, changed content a conflict."""
    db = get_db()
    now = clock.now()
    school = school_id()
    form = request.form
    zones = school_store.zones_of(db, school, active_only=True)
    pupil_ids, left = school_store.school_pupil_ids(db, school, form.getlist("pupil"))
    record, errors = rules.parse_capture(
        form, now, pupil_ids=pupil_ids, left=left, zones=zones, has_map=_has_map(db, school))
    client_id = form.get("client_id", "")
    if not submissions.valid_client_id(client_id):
        errors["form"] = "Skjemaet var ufullstendig. Sjekk feltene og trykk «Lagre» en gang til."
    # only the duty the form was opened for (one of the user's own), never a guess at save time
    duty = _own_duty(db, form.get("duty_session_id"))
    if errors and wants_json():  # the phone's outbox keeps the record with the reason, to correct or discard
        return jsonify(errors=errors), 422
    if errors:
        values = form.copy()
        if "form" in errors:
            values["client_id"] = submissions.new_client_id()
        return _form_page(values, errors=errors, status=422, duty=duty)
    try:
        observation_id, _ = store.save_observation(
            db, school=school, author=_author(), record=record, client_id=client_id, now=now,
            duty_session_id=duty["id"] if duty else None,
            audit=lambda observation_id, made: _audit_created(observation_id, record, made))
    except store.Conflict as conflict:
        if wants_json():
            return jsonify(errors={"form": rules.SAVED_OTHERWISE}), 409
        values = form.copy()
        values["client_id"] = submissions.new_client_id()
        return _form_page(values, status=409, conflict_id=conflict.observation_id, duty=duty)
    if wants_json():  # sent from the outbox: a resend of the same form id answers with the same record
        return jsonify(observation=observation_id, url=url_for("capture.show", observation_id=observation_id)), 201
    # the receipt says what became of the record (worked out from it there): no flash in the
    # session, so saving does not re-sign the session cookie twice
    return redirect(url_for("capture.show", observation_id=observation_id, lagret=1), code=303)


def _saved_message(record):
    """What the receipt says first."""
    if record["kind"] == "concern" and record["concerns_leader"]:
        return "Lagret. Meldingen gjelder en leder og er sendt rett til skoleeier (kommunen), ikke til skoleledelsen."
    if rules.makes_melding(record):
        return "Lagret. Meldingen er sendt til skoleledelsen."
    if record["kind"] == "concern" and record["outcome"] == "solved":
        return "Lagret. Et notat er lagt i elevmappen til hver elev."
    return "Lagret."


def _audit_created(observation_id, record, made):
    """Audit lines for the new observation and the notes or melding made from it (one statement)."""
    pupil_ids = [pupil_id for pupil_id, _ in record["pupils"]] or [None]
    lines = [("observation", observation_id, pupil_id, "") for pupil_id in pupil_ids]
    if "melding" in made:
        lines += [("melding", made["melding"], pupil_id, "§ 12-5" if record["section_12_5"] else "")
                  for pupil_id in pupil_ids]
    lines += [("pupil_note", note_id, pupil_id, "") for note_id, pupil_id in made.get("notes", ())]
    audit_lines("create", lines)


def _own_observation(observation_id, *, leaders_too=False):
    """An observation of the active school written by the user (leaders may read any), else 404."""
    observation = get_or_404("observation", observation_id)
    if observation["author_id"] != current_user.id:
        if not (leaders_too and current_user.role == "leader"):
            abort(404)
        if store.only_owners_see(get_db(), observation_id):
            abort(404)  # a melding about a leader is for the school owner, as in the feed
    return observation


@bp.route("/<int:observation_id>")
def show(observation_id):
    """One record: the receipt after saving, and what became of it."""
    return _show_page(_own_observation(observation_id, leaders_too=True))


def _show_page(observation, escalate_error=None, facts="", status=200):
    """One record's page; `escalate_error`: why "Gjør om til melding" was refused, with what was typed."""
    db = get_db()
    observation_id = observation["id"]
    pupils = store.observation_pupils(db, observation_id)
    audit_pupils("view", "observation", observation_id, [p["pupil_id"] for p in pupils])
    now = clock.now()
    melding = store.melding_of(db, observation_id)
    record = rules.record_from_row(observation, pupils, melding)
    return render(
        "capture/show.html", observation=observation, pupils=pupils, melding=melding,
        notice=_saved_message(record) if request.args.get("lagret") else None,
        zone_name=school_store.zone_name(db, observation["zone_id"]),
        notes=store.note_count(db, observation_id),
        can_correct=observation["author_id"] == current_user.id and rules.can_correct(observation, now),
        is_author=observation["author_id"] == current_user.id, rules=rules,
        escalate_error=escalate_error, escalate_facts=facts, record=record,
        revisions=store.revision_count(db, observation_id),
    ), status


def _values_of(observation, pupils, melding):
    """The form values of a stored observation, for the correction form."""
    record = rules.record_from_row(observation, pupils, melding)
    local = record["observed_at"]
    values = MultiDict([
        ("kind", record["kind"]), ("opened_at", observation["observed_at"]),
        ("observed_date", local.date().isoformat()), ("observed_time", local.strftime("%H:%M")),
        ("context", record["context"]), ("zone_id", str(record["zone_id"] or "")),
        ("map_x", "" if record["map_x"] is None else str(record["map_x"])),
        ("map_y", "" if record["map_y"] is None else str(record["map_y"])),
        ("intervened", "" if record["intervened"] is None else str(record["intervened"])),
        ("outcome", record["outcome"] or ""), ("facts", record["facts"]), ("comment", record["comment"]),
        ("adult_involved", record["adult_involved"]),
        ("version", str(observation["version"])),
    ])
    if record["pupils_unclear"] and pupils:
        values["pupils_unclear"] = "1"
    if record["concerns_leader"]:
        values["concerns_leader"] = "1"
    for pupil_id, role in record["pupils"]:
        values.add("pupil", str(pupil_id))
        values[f"role_{pupil_id}"] = role
    for offence in record["offence_types"]:
        values.add("offence_type", offence)
    for label in record["labels"]:
        values.add("label", label)
    return values


@bp.route("/<int:observation_id>/rett", methods=["GET", "POST"])
def correct(observation_id):
    """Correct one's own record shortly after; the earlier version is kept in its history."""
    db = get_db()
    now = clock.now()
    observation = _own_observation(observation_id)
    if not rules.can_correct(observation, now):
        flash("Fristen for å rette er ute. Skriv en ny registrering, eller send en melding.")
        return redirect(url_for("capture.show", observation_id=observation_id), code=303)
    if request.method == "GET":
        pupils = store.observation_pupils(db, observation_id)
        melding = store.melding_of(db, observation_id)
        return _form_page(_values_of(observation, pupils, melding), observation=observation)
    school = school_id()
    form = request.form
    # a pupil who has left since stays on the record corrected; none who has left is added
    named = {p["pupil_id"] for p in store.observation_pupils(db, observation_id)}
    pupil_ids, left = school_store.school_pupil_ids(db, school, form.getlist("pupil"), keep=named)
    record, errors = rules.parse_capture(
        form, now, pupil_ids=pupil_ids, left=left,
        zones=school_store.zones_of(db, school, active_only=True), has_map=_has_map(db, school))
    values = form.copy()
    if errors:
        return _form_page(values, errors=errors, status=422, observation=observation)
    try:
        with transaction(db):
            change = store.correct_observation(db, observation_id=observation_id, version=form.get("version"),
                                               author=_author(), record=record, now=now)
            if change is not None:
                _route_and_audit_correction(observation_id, record, change, now)
    except store.Stale as stale:
        values["version"] = str(stale.version)
        return _form_page(values, status=409, observation=observation, conflict_id=observation_id)
    if change is None:  # a resend of the correction just saved
        return redirect(url_for("capture.show", observation_id=observation_id), code=303)
    flash("Rettelsen er lagret. Den forrige versjonen er tatt vare på.")
    return redirect(url_for("capture.show", observation_id=observation_id), code=303)


def _made_12_5(change):
    """Whether a correction made its existing melding § 12-5, or about a leader."""
    before, after = change.melding_before, change.melding
    return before is not None and (after["section_12_5"] > before["section_12_5"]
                                   or after["concerns_leader"] > before["concerns_leader"])


def _route_and_audit_correction(observation_id, record, change, now):
    """In the correction's transaction: route a melding it made § 12-5 as a new one (its cases too), and audit."""
    pupil_ids = sorted({p["pupil_id"] for p in change.pupils_before} | {pupil_id for pupil_id, _ in record["pupils"]})
    audit_pupils("update", "observation", observation_id, pupil_ids)
    melding = change.melding
    if melding is not None and change.melding_before is None:  # the correction made the melding
        audit_pupils("create", "melding", melding["id"], [pupil_id for pupil_id, _ in record["pupils"]],
                     detail="§ 12-5" if melding["section_12_5"] else "")
    elif melding is not None and _made_12_5(change):
        db = get_db()
        detail = "rettet til § 12-5" + (", gjelder en leder" if melding["concerns_leader"] else "")
        audit_pupils("update", "melding", melding["id"], pupil_ids, detail=detail)
        for sak_id in saker.route_corrected_melding(db, change.melding_before, melding, current_user.id, now):
            audit("update", "sak", sak_id, pupil_id=saker.sak_row(db, sak_id)["pupil_id"], detail=detail)


@bp.route("/<int:observation_id>/melding", methods=["POST"])
def escalate(observation_id):
    """Turn an incident solved on the spot into a melding to leadership, with one tap."""
    db = get_db()
    observation = _own_observation(observation_id)
    if observation["kind"] != "concern":
        abort(404)
    pupils = store.observation_pupils(db, observation_id)
    record = rules.record_from_row(observation, pupils)
    if not record["facts"] and store.melding_of(db, observation_id) is None:
        # a melding must say what happened: the author writes it now, and it goes in the melding
        record["facts"], problem = rules.melding_facts(request.form.get("facts"))
        if problem:
            return _show_page(observation, escalate_error=problem, facts=request.form.get("facts", ""), status=422)
    with transaction(db):
        melding_id, created = store.create_melding(
            db, observation_id, observation["school_id"], _author(), record, clock.now())
        if created:
            audit_pupils("create", "melding", melding_id, [p["pupil_id"] for p in pupils])
    flash("Meldingen er sendt til skoleledelsen." if created else "Meldingen var allerede sendt.")
    return redirect(url_for("capture.show", observation_id=observation_id), code=303)


@bp.route("/elever", methods=["POST"])
def pupil_search():
    """Pupils by the first letters of a name, or by class (POST: names never go into URLs).

    Pupils already chosen or listed in the form (`pupil`, `shown`) are left out.
    """
    db = get_db()
    class_id = parse_id(request.form.get("klasse"))
    exclude = {parse_id(raw) for raw in request.form.getlist("pupil") + request.form.getlist("shown")} - {None}
    text = request.form.get("q", "")
    pupils = school_store.search_pupils(db, school_id(), text, class_id or None, exclude)
    return render("capture/_pupil_results.html", "capture/_pupil_results.html", pupils=pupils,
                  searched=bool(text.strip() or class_id), rules=rules, values=MultiDict())


def _mine_context():
    """The author's records for "Mine registreringer", or only those that became meldinger (`?vis=meldinger`)."""
    meldinger_only = request.args.get("vis") == "meldinger"
    records = store.my_records(get_db(), current_user.id, school_id(), limit=50, meldinger_only=meldinger_only)
    return {"records": records, "meldinger_only": meldinger_only, "rules": rules, "now": clock.now(),
            "waiting": any(r["melding_id"] and not r["acknowledged_at"] for r in records)}


@bp.route("/mine")
def mine():
    """The author's own records, and for each melding whether leadership has received it (live)."""
    return render("capture/mine.html", "capture/_mine_list.html", **_mine_context())


@bp.route("/mine/liste")
def mine_list():
    """The list of one's own records, polled while a melding waits, so "Mottatt av …" shows by itself."""
    return render("capture/_mine_list.html", "capture/_mine_list.html", **_mine_context())


@home_panel
def capture_panel(user):
    """Staff and leaders at a school get the capture buttons and "Mine siste registreringer"."""
    if user.role not in ("staff", "leader") or not user.school_ids:
        return None
    db = get_db()
    now = clock.now()
    school = school_id()
    return {
        "template": "capture/_home_panel.html",
        "duty_session": store.duty_in_progress(db, user.id, school, now),
        "records": store.my_records(db, user.id, school, limit=3),
        "has_meldinger": store.has_meldinger(db, user.id, school),
        "rules": rules,
        "now": now,
    }
