"""Leadership's feed (/meldinger): meldinger and incidents live, acknowledging, assigning,
closing or opening a sak; meldinger entered on behalf of pupils and parents; the pupil
chronology, patterns and the Vedlegg 6 checklist. (Staff see their own meldinger' status in
capture's "Mine registreringer", /registrer/mine.)
"""
import json
from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from .. import clock, navigation, submissions
from ..access import is_owner
from ..audit import audit, audit_pupils
from ..db import get_db, transaction
from ..docx_text import xml_safe
from ..forms import choices
from ..navigation import home_panel
from ..rendering import render
from ..retention import rules as retention_rules
from ..saker import rules as routine
from ..saker import store as saker
from ..school import store as school_store
from ..school.rules import left_school_problem, svg_points
from ..school.store import classes_of, map_of, zones_of
from ..scope import current_school, get_or_404, parse_id, school_id, school_ids
from . import store as records
from . import texts
from .forms import OnBehalfForm

bp = Blueprint("feed", __name__, url_prefix="/meldinger")


@bp.context_processor
def labels():
    """The words the feed's templates show for stored keys."""
    return {"status_labels": records.STATUS_LABELS, "context_labels": records.CONTEXT_LABELS,
            "channel_labels": records.CHANNEL_LABELS, "label_names": records.LABEL_NAMES,
            "labels": records.LABELS, "offence_labels": records.OFFENCE_LABELS, "periods": records.PERIODS,
            "role_labels": records.ROLE_LABELS, "source_labels": records.SOURCE_LABELS}


def _filter_choices(school):
    """The school's classes and zones for the filter, as (id, name): no pupil counts, no zone shapes."""
    return {"classes": classes_of(get_db(), school), "zones": school_store.zone_choices(get_db(), school)}


def _page():
    """The page number asked for (1 when missing or odd)."""
    try:
        return max(1, min(int(request.args.get("side", 1)), 200))
    except ValueError:
        return 1


def _feed_page():
    """The feed page the request asks for: filters, page number, its items (pupils not yet read) and fingerprint."""
    school = school_id()
    filters = records.parse_filters(get_db(), school, request.args)
    page = _page()
    items, more = records.feed_items(get_db(), school, filters, clock.now(), page)
    return {"filters": filters, "page": page, "items": items, "more": more,
            "fingerprint": records.fingerprint(items)}


def _feed_context(found):
    """What the feed's templates need for a page from _feed_page: its items with their pupils, the map."""
    school = school_id()
    feed_map = map_of(get_db(), school)
    records.hydrate(get_db(), found["items"])
    return {**found, "query": {k: v for k, v in found["filters"].items() if v}, "feed_map": feed_map,
            "clean_slate_start": retention_rules.clean_slate_start(clock.today()),
            "map_image_url": url_for("school.map_image", school=school, version=feed_map["version"])
            if feed_map else None}


def _audit_feed(context):
    """One audit line for a feed page shown (it names pupils): not one per pupil, none for an unchanged poll.

    Filtered by a pupil, the page is that pupil's records: the line names the pupil, as the chronology's does.
    Filtered by a class, it is the class's records: the line names the class.
    """
    filters = context["filters"]
    detail = (f"klasse {filters['klasse']}, " if filters.get("klasse") else "") + f"side {context['page']}"
    audit("view", "feed", None, pupil_id=filters["elev"] or None, detail=detail)


def load_melding(melding_id):
    """A melding the user may open, or 404.

    Leaders see their school's meldinger except §12-5 ones about a leader;
    owners see §12-5 meldinger at any of their schools.
    """
    if is_owner():
        melding = get_or_404("melding", melding_id, all_schools=True)
        if not melding["section_12_5"]:
            abort(404)
    else:
        melding = get_or_404("melding", melding_id)
        if melding["concerns_leader"]:
            abort(404)
    return melding


def _receivers(school):
    """Who may have taken a melding in, as select options: the school's staff and leaders."""
    return [(p["id"], p["full_name"] + (f" ({p['title']})" if p["title"] else ""))
            for p in school_store.people_of_school(get_db(), school)]


@bp.route("/")
def index():
    """The live feed of meldinger and incidents at the school, newest first, with filters."""
    context = _feed_context(_feed_page())
    school = school_id()
    _audit_feed(context)
    pupil_id = context["filters"]["elev"]
    chosen = school_store.pupils_by_id(get_db(), school, [pupil_id]) if pupil_id else []
    return render("feed/index.html", "feed/_items.html", **context, **_filter_choices(school),
                  chosen_pupil=chosen[0] if chosen else None)


@bp.route("/elevfilter", methods=["POST"])
def pupil_filter():
    """Pupils for the feed's pupil filter, by the first letters of a name (POST: names never go into URLs)."""
    text = request.form.get("q", "")
    pupils = school_store.search_pupils(get_db(), school_id(), text, limit=12)
    return render("feed/_pupil_filter_matches.html", "feed/_pupil_filter_matches.html", pupils=pupils,
                  searched=bool(text.strip()))


@bp.route("/liste")
def items():
    """The feed's list, polled every few seconds; 204 when nothing changed."""
    found = _feed_page()
    # an unchanged poll (the most frequent request of an open feed) is answered before
    # the page's pupils are read and its items worked out
    if found["page"] == 1 and request.args.get("v") == found["fingerprint"]:
        return "", 204
    context = _feed_context(found)
    _audit_feed(context)
    return render("feed/_items.html", "feed/_items.html", **context)


@bp.route("/teller")
def badge():
    """The number of unacknowledged meldinger, for the tab's badge."""
    count = records.unacknowledged_count(get_db(), school_id())
    return render("feed/_badge.html", "feed/_badge.html", count=count)


# ------------------------------------------------------------------ one melding


def _melding_page(melding, close_error=None, close_reason="", status=200):
    """Render one melding's page (audited), with an optional error on the close form."""
    db = get_db()
    observation = records.observation_view(db, melding["observation_id"])
    pupils = records.melding_pupils(db, melding["id"])
    names = school_store.user_names(db, {melding["author_id"], melding["acknowledged_by"], melding["assigned_to"],
                                    melding["closed_by"], melding["received_by_id"]})
    sak = records.melding_sak(db, melding["id"], owner=is_owner())
    schoolyard = map_of(db, melding["school_id"]) if observation and observation["map_x"] is not None else None
    audit_pupils("view", "melding", melding["id"], [p["id"] for p in pupils], school_id=melding["school_id"])
    return render("feed/melding.html", melding=melding, observation=observation, pupils=pupils,
                  names=names, sak=sak, schoolyard=schoolyard,
                  zones=zones_of(db, melding["school_id"]) if schoolyard else [], svg_points=svg_points,
                  owners=saker.choosable_people(get_db(), melding),
                  recipients=routine.recipients(melding), close_error=close_error,
                  open_cases=saker.open_cases_for(db, melding["school_id"], [p["id"] for p in pupils],
                                                  melding, owner=is_owner()),
                  close_reason=close_reason, status_text=records.melding_status_text(melding, names)), status


@bp.route("/<int:melding_id>")
def melding(melding_id):
    """One melding: what, where, who; acknowledge, assign, close or open a sak."""
    return _melding_page(load_melding(melding_id))


@bp.route("/<int:melding_id>/motta", methods=["POST"])
def acknowledge(melding_id):
    """Acknowledge a melding: its author sees who received it and when."""
    melding = load_melding(melding_id)
    db = get_db()
    with transaction(db):
        if saker.acknowledge(db, melding, current_user.id, clock.now()):
            audit("update", "melding", melding_id, school_id=melding["school_id"], detail="mottatt")
    flash("Meldingen er markert som mottatt.")
    return redirect(url_for("feed.melding", melding_id=melding_id), 303)


@bp.route("/<int:melding_id>/ansvarlig", methods=["POST"])
def assign(melding_id):
    """Give the melding a case owner among those who may open it (saker.choosable_people)."""
    melding = load_melding(melding_id)
    owner_id = parse_id(request.form.get("assigned_to"))
    if owner_id not in dict(saker.choosable_people(get_db(), melding)):
        abort(404)
    db = get_db()
    with transaction(db):
        saker.assign_melding(db, melding, owner_id, current_user.id, clock.now())
        audit("update", "melding", melding_id, school_id=melding["school_id"], detail="ansvarlig")
    flash("Ansvarlig er satt.")
    return redirect(url_for("feed.melding", melding_id=melding_id), 303)


def _already_handled(melding_id):
    """Back to the melding when it was closed or made a sak meanwhile (e.g. by a double tap)."""
    flash("Meldingen er allerede behandlet.")
    return redirect(url_for("feed.melding", melding_id=melding_id), 303)


@bp.route("/<int:melding_id>/lukk", methods=["POST"])
def close(melding_id):
    """Close a melding with a reason (no sak needed)."""
    melding = load_melding(melding_id)
    reason = xml_safe(request.form.get("reason")).strip()
    if melding["status"] not in saker.OPEN_STATUSES:
        return _already_handled(melding_id)
    if not reason or len(reason) > 3000:
        return _melding_page(melding, close_error="Skriv hvorfor meldingen lukkes (høyst 3000 tegn).",
                             close_reason=reason, status=422)
    db = get_db()
    with transaction(db):
        closed = saker.close_melding(db, melding, reason, current_user.id, clock.now())
        if closed:
            audit("update", "melding", melding_id, school_id=melding["school_id"], detail="lukket")
    flash("Meldingen er lukket." if closed else "Meldingen er allerede behandlet.")
    return redirect(url_for("feed.melding", melding_id=melding_id), 303)


@bp.route("/<int:melding_id>/sak", methods=["POST"])
def open_sak(melding_id):
    """Open a sak from a melding; the routine's investigation starts today."""
    melding = load_melding(melding_id)
    db = get_db()
    if melding["status"] not in saker.OPEN_STATUSES:
        return _already_handled(melding_id)
    pupils = records.melding_pupils(db, melding_id)
    pupil_id = parse_id(request.form.get("pupil_id"))
    owner_id = current_user.id if request.form.get("owner_id", "0") in ("", "0") else parse_id(request.form["owner_id"])
    if pupil_id not in {p["id"] for p in pupils}:
        abort(404)
    if owner_id not in dict(saker.choosable_people(get_db(), melding)):
        abort(404)
    with transaction(db):
        sak_id = saker.open_sak(db, melding, pupil_id, current_user.id, owner_id, clock.now())
        if sak_id is not None:
            audit("create", "sak", sak_id, pupil_id=pupil_id, school_id=melding["school_id"])
    if sak_id is None:  # a double tap: the first tap opened the case
        return _already_handled(melding_id)
    flash("Saken er opprettet. Undersøkelsen starter nå.")
    return redirect(url_for("saker.show", sak_id=sak_id), 303)


@bp.route("/<int:melding_id>/legg-til-sak", methods=["POST"])
def add_to_sak(melding_id):
    """Add the melding to an open case about one of its pupils."""
    melding = load_melding(melding_id)
    db = get_db()
    if melding["status"] not in saker.OPEN_STATUSES:
        return _already_handled(melding_id)
    pupil_ids = [p["id"] for p in records.melding_pupils(db, melding_id)]
    cases = {c["id"] for c in saker.open_cases_for(db, melding["school_id"], pupil_ids, melding,
                                                   owner=is_owner())}
    sak_id = parse_id(request.form.get("sak_id"))
    if sak_id not in cases:
        abort(404)
    sak = saker.sak_row(db, sak_id)
    with transaction(db):
        added = saker.add_melding(db, sak, melding, current_user.id, clock.now())
        if added:
            audit("update", "sak", sak_id, pupil_id=sak["pupil_id"], school_id=sak["school_id"],
                  detail=f"melding {melding_id} lagt til")
    if not added:
        return _already_handled(melding_id)
    flash("Meldingen er lagt til i saken.")
    return redirect(url_for("saker.show", sak_id=sak_id), 303)


# ------------------------------------------------------------------ on behalf of pupils and parents


@bp.route("/ny", methods=["GET", "POST"])
def new():
    """A leader enters a melding received from a pupil or parent by e-mail, phone, talk …"""
    db = get_db()
    school = school_id()
    form = OnBehalfForm()
    if request.method == "GET":
        form.received_on.data = clock.today()
        form.received_by_id.data = current_user.id
    people = _receivers(school)
    form.received_by_id.choices = choices(people)
    pupil_options = [(p["id"], f"{p['full_name']} ({p['class_name'] or 'uten klasse'})")
                     for p in school_store.pupils_by_class(get_db(), school)]
    form.pupil_id.choices = choices([(0, "Velg elev")] + pupil_options)
    form.other_pupils.choices = choices(pupil_options)
    client_id = submissions.client_id_of(request.form)
    form_error = None
    if form.validate_on_submit():
        chosen = {form.pupil_id.data, *form.other_pupils.data} - {0}
        at_school, left = school_store.school_pupil_ids(db, school, chosen)
        if client_id is None:
            form_error = submissions.INCOMPLETE
        elif not form.pupil_id.data:
            form.pupil_id.errors.append("Velg eleven meldingen gjelder.")
        elif at_school | left.keys() != chosen or form.received_by_id.data not in dict(people):
            abort(404)
        elif left:
            form.pupil_id.errors.append(left_school_problem(left.values()))
        elif form.received_on.data > clock.today():
            form.received_on.errors.append("Datoen kan ikke være frem i tid.")
        elif form.concerns_leader.data and not form.section_12_5.data:
            form.concerns_leader.errors.append("Gjelder det en leder, er det en §12-5-melding: kryss av for den også.")
        elif form.section_12_5.data and not form.adult_involved.data:
            form.adult_involved.errors.append("Skriv hvem den ansatte er: navn, eller rolle og hvor hen jobber.")
        else:
            pupils = {pid: "utøver" for pid in form.other_pupils.data if pid != form.pupil_id.data}
            pupils[form.pupil_id.data] = "utsatt"
            with transaction(db):
                melding, created = records.enter_melding(
                    db, school=school, author_id=current_user.id, pupils=pupils, summary=form.summary.data,
                    source=form.source.data, channel=form.channel.data, raised_by=(form.raised_by.data or "").strip(),
                    received_on=form.received_on.data, received_by_id=form.received_by_id.data,
                    section_12_5=form.section_12_5.data, concerns_leader=form.concerns_leader.data,
                    adult_involved=form.adult_involved.data, client_id=client_id, now=clock.now())
                if created:  # a resend of the form (a double tap) made nothing new
                    audit_pupils("create", "melding", melding["id"], list(pupils))
            return _on_behalf_saved(melding["id"], melding["concerns_leader"])
    return render("feed/new.html", form=form, form_error=form_error,
                  client_id=client_id or submissions.new_client_id()), (422 if form.errors or form_error else 200)


def _on_behalf_saved(melding_id, to_owner_only):
    """The answer to a saved melding on behalf of others (the same for a repeat)."""
    flash("Meldingen er registrert.")
    if to_owner_only:
        flash("Meldingen gjelder en leder og er sendt rett til skoleeier.")
        return redirect(url_for("feed.index"), 303)
    return redirect(url_for("feed.melding", melding_id=melding_id), 303)


# ------------------------------------------------------------------ pupil chronology


@bp.route("/elever", methods=["GET", "POST"])
def pupils():
    """Choose a pupil for the chronology: from the class lists, or search by name (POST)."""
    pupils = school_store.pupils_by_class(get_db(), school_id())
    if request.method == "POST":
        query = (request.form.get("q") or "").strip()
        matches = [pupil for pupil in pupils if query and query.lower() in pupil["full_name"].lower()]
        return render("feed/pupils.html", "feed/_pupil_matches.html", matches=matches, query=query, pupils=None)
    return render("feed/pupils.html", pupils=pupils, matches=None, query="")


@bp.route("/elever/<int:pupil_id>")
def chronology(pupil_id):
    """Everything recorded about a pupil in time order; viewing it is audited."""
    pupil = get_or_404("pupil", pupil_id)
    db = get_db()
    page = _page()
    older = retention_rules.wants_older(request.args)
    rows, more = records.chronology(db, pupil_id, page,
                                    since=None if older else retention_rules.clean_slate_since(clock.now()))
    audit("view", "chronology", pupil_id, pupil_id=pupil_id)
    return render("feed/chronology.html", pupil=pupil, rows=_chronology_shown(rows), page=page, more=more,
                  class_name=school_store.class_name(db, pupil["class_id"]), older=older,
                  clean_slate_start=retention_rules.clean_slate_start(clock.today()))


# a chronology row's heading and link by its kind (an observation's heading also by positive/concern)
_CHRONOLOGY_TITLES = {"notat": "Notat i elevmappen", "melding": "Melding", "sak": "Sak opprettet"}
# (the page's endpoint, its id argument, the link's text)
_CHRONOLOGY_LINKS = {"observasjon": ("capture.show", "observation_id", "Se registreringen"),
                     "melding": ("feed.melding", "melding_id", "Åpne meldingen"),
                     "sak": ("saker.show", "sak_id", "Åpne saken")}


def _chronology_shown(rows):
    """What each chronology row shows, worked out here so that chronology.html only places it."""
    shown = []
    for row in rows:
        item = row["item"]
        positive = item == "observasjon" and row["detail"] == "positive"
        meta = [clock.format_datetime(row["at"])]
        if row["author"]:
            meta.append(row["author"])
        if row["role"]:
            meta.append(records.ROLE_LABELS.get(row["role"], row["role"]))
        if row["zone"]:
            meta.append(row["zone"])
        elif row["context"]:
            meta.append(records.CONTEXT_LABELS.get(row["context"], row["context"]))
        endpoint, id_argument, link_text = _CHRONOLOGY_LINKS.get(item, (None, None, None))
        shown.append(SimpleNamespace(
            item=item, positive=positive, text=row["text"], meta=" · ".join(meta),
            title=("Positiv observasjon" if positive else "Hendelse") if item == "observasjon"
            else _CHRONOLOGY_TITLES.get(item, "Sak opprettet"),
            labels=[records.LABEL_NAMES.get(label, label) for label in row["labels"]],
            note=_note_mark(row) if row["noted"] else "",
            href=url_for(endpoint, **{id_argument: row["id"]}) if endpoint else None, link_text=link_text))
    return shown


def _note_mark(row):
    """What an observation's line says of the note made from it: the note itself is not a line of its own."""
    if row["status"] == "solved":
        return f"{records.STATUS_LABELS['lost']}: notat i elevmappen"
    return "Notat i elevmappen"


# ------------------------------------------------------------------ patterns and Vedlegg 6


@bp.route("/monstre")
def patterns_page():
    """Pupils who trip the school's pattern rules, with the Vedlegg 6 checklist at hand."""
    db = get_db()
    school = current_school()
    flagged = records.school_patterns(db, school, clock.now())
    checklists = records.recent_checklists(db, school["id"])
    return render("feed/patterns.html", flagged=flagged, school=school, checklists=checklists,
                  classes=classes_of(db, school["id"]))


def _answers_from(form):
    """The checklist's answers from a form, and the questions whose comment is too long."""
    answers, problems = {}, []
    for number, _ in enumerate(texts.CHECKLIST_QUESTIONS, start=1):
        answer = form.get(f"q{number}", "")
        comment = xml_safe(form.get(f"c{number}")).strip()
        if answer not in ("ja", "nei", ""):
            answer = ""
        if len(comment) > 2000:
            problems.append(number)
        answers[str(number)] = {"answer": answer, "comment": comment}
    return answers, problems


@bp.route("/sjekkliste/ny", methods=["GET", "POST"])
def checklist_new():
    """Fill in Vedlegg 6 "Ved mistanke om mobbing" for a group; the answers are kept."""
    db = get_db()
    school = school_id()
    source = request.form if request.method == "POST" else request.args
    # the class is required, the pupil optional; another school's (or no id at all) is a 404
    school_class = get_or_404("school_class", source.get("klasse"))
    pupil_id = get_or_404("pupil", source["elev"])["id"] if source.get("elev") else None
    answers, problems = {}, []
    client_id = submissions.client_id_of(request.form)
    form_error = None
    if request.method == "POST":
        answers, problems = _answers_from(request.form)
        if client_id is None:
            form_error = submissions.INCOMPLETE
        elif not problems:
            with transaction(db):
                # a double tap or a resend finds the checklist the first one saved
                checklist_id = submissions.earlier(db, current_user.id, "sjekkliste", client_id)
                if checklist_id is None:
                    checklist_id = records.insert_checklist(
                        db, school_id=school, class_id=school_class["id"], pupil_id=pupil_id,
                        created_by=current_user.id, created_at=clock.utc_iso_now(), answers=answers)
                    submissions.remember(db, current_user.id, "sjekkliste", client_id, checklist_id)
                    audit("create", "mobbing_checklist", checklist_id, pupil_id=pupil_id)
            flash("Sjekklisten er lagret.")
            return redirect(url_for("feed.checklist", checklist_id=checklist_id), 303)
    return render("feed/checklist_form.html", school_class=school_class, pupil_id=pupil_id,
                  answers=answers, problems=problems, texts=texts, form_error=form_error,
                  client_id=client_id or submissions.new_client_id()), (422 if problems or form_error else 200)


@bp.route("/sjekkliste/<int:checklist_id>")
def checklist(checklist_id):
    """A saved Vedlegg 6 checklist with its answers."""
    record = get_or_404("mobbing_checklist", checklist_id)
    db = get_db()
    author = school_store.user_names(db, {record["created_by"]}).get(record["created_by"], "")
    answers = json.loads(record["answers"])
    yes = sum(1 for a in answers.values() if a["answer"] == "ja")
    return render("feed/checklist.html", record=record, answers=answers, texts=texts, yes=yes,
                  class_name=school_store.class_name(db, record["class_id"]), author=author)


def kind_text(melding):
    """The kind of a melding, as a notification names it."""
    if melding["section_12_5"]:
        return "§12-5: ansatt krenker elev"
    if melding["source"] in ("elev", "foresatt"):
        return f"melding fra {records.SOURCE_LABELS[melding['source']]}"
    return "melding"


@navigation.badge("feed.index", refresh="feed.badge")
def unacknowledged_badge(user):
    """The number of meldinger waiting for a leader, on the Meldinger tab."""
    if user.role != "leader" or not user.school_ids:
        return 0
    return records.unacknowledged_count(get_db(), school_id())


# items of each list on the leader's home screen
HOME_LIST = 5
# the newest waiting meldinger read for the alerts (all are counted)
WAITING_READ = 50
# the §12-5 meldinger not yet received that an owner's home screen lists
OWNER_LIST = 20


@home_panel
def leader_panel(user):
    """Leaders: meldinger to acknowledge (§12-5 and old ones highlighted), overdue case tasks."""
    if user.role != "leader" or not user.school_ids:
        return None
    db = get_db()
    school = current_school()
    now = clock.now()
    waiting = records.waiting_meldinger(db, school["id"], WAITING_READ)
    for melding in waiting:
        melding["kind"] = kind_text(melding)
        melding["alert"] = routine.needs_attention(melding, now, school["unacknowledged_alert_minutes"])
        melding["too_long"] = routine.unacknowledged_too_long(melding, now, school["unacknowledged_alert_minutes"])
    today = routine.oslo_date(now)
    overdue = saker.overdue_tasks(db, [school["id"]], today)
    mine_first = sorted(overdue, key=lambda t: (t["owner_id"] != user.id, t["due_on"]))
    alerts = [m for m in waiting if m["alert"]]
    # what waits for a leader comes before their own duty and records; a phone's
    # home screen shows the first few, the feed and the case list have the rest
    return {"template": "feed/_home_leader.html", "order": 10, "waiting": waiting,
            "waiting_count": records.unacknowledged_count(db, school["id"]),
            "alerts": alerts[:HOME_LIST], "more_alerts": len(alerts) - len(alerts[:HOME_LIST]),
            "overdue": mine_first[:HOME_LIST],
            "more_overdue": saker.overdue_count(db, [school["id"]], today) - len(mine_first[:HOME_LIST]),
            "alert_minutes": school["unacknowledged_alert_minutes"]}


@home_panel
def owner_panel(user):
    """Owners: §12-5 meldinger not yet dealt with and escalated cases at their schools."""
    if user.role != "owner" or not user.school_ids:
        return None
    db = get_db()
    ids = school_ids()
    meldinger = records.section_12_5_waiting(db, ids, OWNER_LIST)
    for melding in meldinger:
        melding["kind"] = kind_text(melding)
    cases = saker.owner_case_count(db, ids)
    return {"template": "feed/_home_owner.html", "order": 10, "meldinger": meldinger, "cases": cases,
            "schools": owner_overview(db, ids, routine.oslo_date(clock.now()))}


def owner_overview(db, school_ids, today):
    """Per school, by name: meldinger waiting, open cases, overdue tasks and open §12-5 cases."""
    waiting = records.waiting_by_school(db, school_ids)
    cases = saker.owner_overview(db, school_ids, today)
    return [{"id": school["id"], "name": school["name"], "waiting": waiting.get(school["id"], 0), **cases[school["id"]]}
            for school in school_store.schools_by_id(db, school_ids)]
