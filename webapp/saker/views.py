"""Cases (/saker): the routine's phases and tasks, talks with referat, escalation to the
owner, the aktivitetsplan with its tiltak and barnets beste, and the documents.
"""
from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from .. import clock, docx_template, submissions
from ..access import is_owner
from ..audit import audit
from ..db import get_db, transaction
from ..docx_text import xml_safe
from ..feed import store as records
from ..forms import choices
from ..navigation import home_panel
from ..rendering import render
from ..retention import rules as retention_rules
from ..scope import get_or_404, parse_id, school_id, school_ids
from . import documents, texts
from . import rules as routine
from . import store as saker
from .forms import CloseSakForm, EscalateForm, LetterDetailsForm, PlanForm, StartMeetingForm, TalkForm, TiltakForm

bp = Blueprint("saker", __name__, url_prefix="/saker")


def _audit(action, sak, detail=""):
    """Audit an action on a case, for its pupil."""
    audit(action, "sak", sak["id"], pupil_id=sak["pupil_id"], school_id=sak["school_id"], detail=detail)


def _back(sak, anchor=""):
    """Redirect to the case's page (at an anchor)."""
    return redirect(url_for("saker.show", sak_id=sak["id"]) + anchor, 303)


def _editable(sak):
    """Closed cases are kept as they are."""
    if sak["phase"] == "avsluttet":
        flash("Saken er avsluttet og kan ikke endres.")
        return False
    return True


def load_sak(sak_id):
    """A case the user may open, or 404: leaders their school's, owners escalated and §12-5 ones,
    a staff member the one whose aktivitetsplan they coordinate (access.py lets staff only view it).
    """
    if is_owner():
        sak = get_or_404("sak", sak_id, all_schools=True)
        if not (sak["escalated_at"] or sak["section_12_5"]):
            abort(404)
    else:
        sak = get_or_404("sak", sak_id)
        if sak["concerns_leader"]:
            abort(404)
        if current_user.role == "staff" and not saker.coordinates(get_db(), sak, current_user.id):
            abort(404)
    return sak


@bp.route("/")
def index():
    """Leaders: the school's cases. Owners: escalated and §12-5 cases, and §12-5 meldinger, at their schools."""
    db = get_db()
    show_closed = request.args.get("vis") == "alle"
    older = retention_rules.wants_older(request.args)
    since = None if older else retention_rules.clean_slate_since(clock.now())
    if is_owner():
        cases = saker.owner_cases(db, school_ids(), show_closed=show_closed, since=since)
        meldinger = saker.open_section_12_5_meldinger(db, school_ids())
    else:
        cases = saker.school_cases(db, school_id(), show_closed=show_closed, since=since)
        meldinger = []
    today = clock.today()
    overdue = {r["sak_id"] for r in saker.overdue_tasks(
        db, sorted({c["school_id"] for c in cases}), today, include_concerns_leader=is_owner(), limit=1000)}
    return render("saker/index.html", cases=cases, meldinger=meldinger, overdue=overdue,
                  show_closed=show_closed, phases=routine.PHASE_LABELS, older=older,
                  clean_slate_start=retention_rules.clean_slate_start(clock.today()))


def _can_change(sak):
    """Whether the signed-in user may change the case: leaders and owners, while it is open (staff only view it)."""
    return current_user.role in ("leader", "owner") and sak["phase"] != "avsluttet"


def _with_current(options, current_id, empty):
    """Options for a select, with an empty first choice when the current person is not (or no longer) among them."""
    if current_id and current_id in dict(options):
        return options
    return [(0, empty)] + options


@bp.route("/<int:sak_id>")
def show(sak_id):
    """A case: its phase, tasks with owners and due dates, talks, plan, documents and history."""
    sak = load_sak(sak_id)
    db = get_db()
    bundle = saker.case_bundle(db, sak)
    _audit("view", sak)
    today = clock.today()
    for task in bundle["tasks"]:
        task["overdue"] = routine.is_overdue(task, today)
    people = saker.choosable_people(get_db(), sak)
    return render("saker/show.html", **bundle, phases=routine.PHASES, phase_labels=routine.PHASE_LABELS,
                  next_phase=routine.next_phase(sak["phase"]), people=people,
                  owner_options=_with_current(people, sak["owner_id"], "Velg saksansvarlig"),
                  talk_labels=routine.TALK_LABELS, evaluation_due=routine.evaluation_due(sak["measures_started_on"]),
                  today=today, escalate_form=EscalateForm(), current_index=routine.phase_index(sak["phase"]),
                  open_in_phase=routine.open_tasks_of_phase(bundle["tasks"], sak["phase"]),
                  can_change=_can_change(sak), meeting_text=documents.meeting_text,
                  observation_choices=[p for p in saker.observation_plans_for(db, sak) if not p["attached"]]
                  if current_user.role == "leader" else [])


@bp.route("/<int:sak_id>/observasjoner", methods=["POST"])
def attach_observation(sak_id):
    """Attach a systematic observation of the case's pupil or class to the case."""
    sak = load_sak(sak_id)
    if not _editable(sak):
        return _back(sak, "#observasjoner")
    db = get_db()
    plans = {plan["id"]: plan for plan in saker.observation_plans_for(db, sak)}
    plan = plans.get(parse_id(request.form.get("plan_id")))
    if plan is None:
        abort(404)
    with transaction(db):
        if saker.attach_observation_plan(db, sak, plan, current_user.id, clock.now()):
            _audit("update", sak, f"observasjon {plan['id']} lagt ved")
    flash("Observasjonen er lagt ved saken.")
    return _back(sak, "#observasjoner")


@bp.route("/<int:sak_id>/fase", methods=["POST"])
def advance(sak_id):
    """Move the case to the routine's next phase (closing has its own form).

    With tasks of the current phase still open, the leader is asked to confirm
    and say why; the reason and the tasks left open go into the case's history.
    """
    sak = load_sak(sak_id)
    target = routine.next_phase(sak["phase"])
    if not _editable(sak) or target is None:
        return _back(sak)
    if target == "avsluttet":
        return redirect(url_for("saker.close", sak_id=sak_id), 303)
    if request.form.get("phase") != target:
        flash("Saken er allerede flyttet. Se fasen under.")
        return _back(sak)
    db = get_db()
    reason = xml_safe(request.form.get("reason")).strip()
    error = None
    with transaction(db):
        left_open = saker.open_tasks(db, sak)
        if left_open and request.form.get("confirm") != "1":
            error = ""  # asked, not yet answered: no message
        elif left_open and not reason:
            error = "Skriv hvorfor saken går videre før oppgavene er utført."
        elif len(reason) > 3000:
            error = "Begrunnelsen kan være høyst 3000 tegn."
        else:
            saker.enter_phase(db, sak, target, current_user.id, clock.now(), reason=reason if left_open else "")
            _audit("update", sak, f"fase: {target}")
    if error is not None:
        today = clock.today()
        for task in left_open:
            task["overdue"] = routine.is_overdue(task, today)
        return render("saker/advance.html", sak=sak, target=target, phase_labels=routine.PHASE_LABELS,
                      tasks=left_open, reason=reason, error=error), (422 if error else 200)
    flash(f"Saken er i fasen {routine.PHASE_LABELS[target]}.")
    return _back(sak)


def _person(sak, field):
    """A person id from the form who may be chosen for the case (404 otherwise), with the name; 0 for none."""
    raw = request.form.get(field) or "0"
    person_id = 0 if raw == "0" else parse_id(raw)
    if person_id is None:
        abort(404)
    names = dict(saker.choosable_people(get_db(), sak))
    if person_id and person_id not in names:
        abort(404)
    return person_id, names.get(person_id, "")


@bp.route("/<int:sak_id>/ansvarlig", methods=["POST"])
def set_owner(sak_id):
    """Make someone who may open the case its saksansvarlig."""
    sak = load_sak(sak_id)
    owner_id, name = _person(sak, "owner_id")
    if owner_id and _editable(sak) and owner_id != sak["owner_id"]:
        db = get_db()
        with transaction(db):
            saker.set_owner(db, sak, owner_id, name, current_user.id, clock.now())
            _audit("update", sak, "saksansvarlig")
        flash(f"{name} er saksansvarlig.")
    return _back(sak)


@bp.route("/<int:sak_id>/oppgaver/<int:task_id>", methods=["POST"])
def task(sak_id, task_id):
    """Mark a routine task done or reopen it, give it an owner or a new due date."""
    sak = load_sak(sak_id)
    db = get_db()
    row = saker.task_of(db, sak_id, task_id)
    if row is None:
        abort(404)
    if not _editable(sak):
        return _back(sak)
    owner_id, name = _person(sak, "owner_id")
    due_on = None
    if request.form.get("due_on"):
        try:
            due_on = date.fromisoformat(request.form["due_on"])
        except ValueError:
            flash("Fristen må være en gyldig dato.")
            return _back(sak, f"#oppgave-{task_id}")
        latest = routine.evaluation_due(sak["measures_started_on"])
        if row["task_key"] == "evalueringsmote" and latest and due_on > latest:
            flash(f"Evalueringen skal skje senest seks uker etter at tiltakene startet, innen {latest:%d.%m.%Y}.")
            return _back(sak, f"#oppgave-{task_id}")
    done = {"1": True, "0": False}.get(request.form.get("done", ""))
    with transaction(db):
        saker.update_task(db, sak, row, current_user.id, clock.now(), done=done, owner_id=owner_id,
                          owner_name=name, due_on=due_on)
        _audit("update", sak, "oppgave")
    return _back(sak, f"#oppgave-{task_id}")


@bp.route("/<int:sak_id>/samtaler/ny", methods=["GET", "POST"])
def talk_new(sak_id):
    """Log a talk or meeting with its referat; the Vedlegg 9 script is at hand."""
    sak = load_sak(sak_id)
    db = get_db()
    form = TalkForm()
    form.pupil_id.choices = choices([(0, "Ingen bestemt elev")]
                                    + [(p["id"], p["full_name"]) for p in saker.case_pupils(db, sak)])
    if request.method == "GET":
        form.kind.data = request.args.get("type") if request.args.get("type") in routine.TALK_LABELS else "utsatt"
        form.held_at.data = clock.now().replace(second=0, microsecond=0, tzinfo=None)
    client_id = submissions.client_id_of(request.form)
    form_error = None
    if form.validate_on_submit() and _editable(sak):
        if client_id is None:
            form_error = submissions.INCOMPLETE
        else:
            with transaction(db):
                # a double tap or a resend finds the talk the first one saved
                if submissions.earlier(db, current_user.id, "samtale", client_id) is None:
                    talk_id = saker.add_talk(db, sak, form.kind.data, form.pupil_id.data or None,
                                             form.held_at.data.strftime("%Y-%m-%dT%H:%M"),
                                             (form.participants.data or "").strip(), form.referat.data.strip(),
                                             current_user.id, clock.now())
                    submissions.remember(db, current_user.id, "samtale", client_id, talk_id)
                    _audit("update", sak, "samtale")
            flash("Samtalen er lagret.")
            return _back(sak, "#samtaler")
    return render("saker/talk_form.html", sak=sak, form=form, texts=texts, form_error=form_error,
                  client_id=client_id or submissions.new_client_id()), (422 if form.errors or form_error else 200)


@bp.route("/stopp-samtale")
def stopp():
    """The Vedlegg 9 stopp-samtale script."""
    return render("saker/stopp.html", texts=texts)


@bp.route("/<int:sak_id>/eskaler", methods=["POST"])
def escalate(sak_id):
    """Send a serious case to the school owner, recording that an avvik was filed."""
    sak = load_sak(sak_id)
    form = EscalateForm()
    if not form.validate_on_submit() or not _editable(sak):
        return _back(sak)
    if not form.avvik_filed.data:
        flash("Meld avvik i Kvalitetsportalen først, og kryss av for at det er gjort.")
        return _back(sak, "#eskaler")
    db = get_db()
    with transaction(db):
        saker.escalate(db, sak, (form.note.data or "").strip(), True, current_user.id, clock.now())
        _audit("update", sak, "eskalert")
    flash("Saken er sendt til skoleeier.")
    return _back(sak)


@bp.route("/<int:sak_id>/lukk", methods=["GET", "POST"])
def close(sak_id):
    """Close the case with a reason; the aktivitetsplan stays open until the pupil says they are safe."""
    sak = load_sak(sak_id)
    db = get_db()
    form = CloseSakForm()
    has_plan = saker.has_tiltak(db, sak_id)
    if form.validate_on_submit() and _editable(sak):
        if has_plan and not form.pupil_says_safe.data:
            form.pupil_says_safe.errors.append(
                "Saken har en aktivitetsplan. Den gjelder til eleven selv sier at hen har det trygt og godt.")
        else:
            safe_on = (form.pupil_says_safe_on.data or clock.today()).isoformat() if form.pupil_says_safe.data else None
            with transaction(db):
                saker.close_sak(db, sak, form.reason.data.strip(), safe_on, current_user.id, clock.now())
                _audit("update", sak, "avsluttet")
            flash("Saken er avsluttet.")
            return _back(sak)
    return render("saker/close.html", sak=sak, form=form, has_plan=has_plan), (422 if form.errors else 200)


# ------------------------------------------------------------------ aktivitetsplan


# saving is an endpoint of its own, so that the access table lets the coordinator view the plan, not change it
@bp.route("/<int:sak_id>/aktivitetsplan", methods=["GET"])
@bp.route("/<int:sak_id>/aktivitetsplan", methods=["POST"], endpoint="plan_save")
def plan(sak_id):
    """The aktivitetsplan (Vedlegg 12): background, investigations, findings, coordinator, tiltak."""
    sak = load_sak(sak_id)
    db = get_db()
    bundle = saker.plan_bundle(db, sak)
    current = bundle["plan"] or {}
    form = PlanForm(data={**current, "coordinator_id": current.get("coordinator_id") or 0})
    coordinators = saker.choosable_people(get_db(), sak, "koordinator")
    form.coordinator_id.choices = choices([(0, "Ikke valgt")] + coordinators)
    if form.validate_on_submit() and _editable(sak):
        values = {f: (getattr(form, f).data or "").strip() for f in
                  ("background", "investigations", "perspectives", "findings")}
        values["coordinator_id"] = form.coordinator_id.data or None
        if values["coordinator_id"] and values["coordinator_id"] not in dict(coordinators):
            abort(404)
        with transaction(db):
            access = saker.save_plan(db, sak, values, current_user.id, clock.now())
            _audit("update", sak, "aktivitetsplan")
            for change, user_id, _ in access:
                _audit("update", sak, f"tilgang {change}: koordinator, bruker {user_id}")
        flash("Aktivitetsplanen er lagret.")
        for change, _, name in access:
            flash(f"{name} kan nå åpne saken og aktivitetsplanen." if change == "gitt"
                  else f"{name} har ikke lenger tilgang til saken.")
        return redirect(url_for("saker.plan", sak_id=sak_id), 303)
    if request.method == "GET":
        _audit("view", sak, "aktivitetsplan")
    return render("saker/plan.html", **bundle, form=form, texts=texts, can_change=_can_change(sak)), \
        (422 if form.errors else 200)


def _tiltak_values(form):
    """A measure's fields from its form, ready to store."""
    return {
        "level": form.level.data, "name": form.name.data.strip(),
        "description": (form.description.data or "").strip(),
        "justification": (form.justification.data or "").strip(),
        "participation": (form.participation.data or "").strip(),
        "start_on": form.start_on.data.isoformat() if form.start_on.data else None,
        "responsible": (form.responsible.data or "").strip(),
        "evaluation_on": form.evaluation_on.data.isoformat() if form.evaluation_on.data else None,
        "evaluation_participants": (form.evaluation_participants.data or "").strip(),
        "conclusion": (form.conclusion.data or "").strip(),
    }


def _tiltak_problems(form):
    """The evaluation between the measure's start and six weeks after it (routine.evaluation_due)."""
    start, evaluation = form.start_on.data, form.evaluation_on.data
    if start and evaluation and evaluation > routine.evaluation_due(start):
        form.evaluation_on.errors.append(
            f"Evalueringen skal skje senest seks uker etter oppstart, innen {routine.evaluation_due(start):%d.%m.%Y}.")
    if start and evaluation and evaluation < start:
        form.evaluation_on.errors.append("Evalueringen kan ikke være før tiltaket starter.")
    return bool(form.evaluation_on.errors)


@bp.route("/<int:sak_id>/tiltak/ny", methods=["GET", "POST"], defaults={"tiltak_id": None}, endpoint="tiltak_new")
@bp.route("/<int:sak_id>/tiltak/<int:tiltak_id>", methods=["GET", "POST"])
def tiltak(sak_id, tiltak_id):
    """Add or change a measure of the aktivitetsplan (individual or group/system level)."""
    sak = load_sak(sak_id)
    db = get_db()
    row = None
    if tiltak_id is not None:
        row = saker.tiltak_of(db, sak_id, tiltak_id)
        if row is None:
            abort(404)
    level = request.args.get("niva") if request.args.get("niva") in ("individ", "system") else "individ"
    data = dict(row) if row else {"level": level}
    for field in ("start_on", "evaluation_on"):
        if data.get(field):
            data[field] = date.fromisoformat(data[field])
    form = TiltakForm(data=data)
    # a new measure is stored once per form id; a change to one is the same change when repeated
    client_id = submissions.client_id_of(request.form) if row is None else None
    form_error = None
    if form.validate_on_submit() and not _tiltak_problems(form) and _editable(sak):
        if row is None and client_id is None:
            form_error = submissions.INCOMPLETE
        else:
            with transaction(db):
                if row is not None or submissions.earlier(db, current_user.id, "tiltak", client_id) is None:
                    tiltak_id = saker.save_tiltak(db, sak, _tiltak_values(form), current_user.id, clock.now(), row)
                    if row is None:
                        submissions.remember(db, current_user.id, "tiltak", client_id, tiltak_id)
                    _audit("update", sak, "tiltak")
            flash("Tiltaket er lagret.")
            return redirect(url_for("saker.plan", sak_id=sak_id) + "#tiltak", 303)
    return render("saker/tiltak_form.html", sak=sak, form=form, tiltak=row, form_error=form_error,
                  client_id=None if row else client_id or submissions.new_client_id()), \
        (422 if form.errors or form_error else 200)


@bp.route("/<int:sak_id>/barnets-beste", methods=["GET", "POST"])
def best_interests(sak_id):
    """The barnets beste assessment under the Vedlegg 13 headings."""
    sak = load_sak(sak_id)
    db = get_db()
    current = saker.best_interests_of(db, sak_id)
    problems = []
    if request.method == "POST" and _editable(sak):
        values = {}
        for key, heading in texts.BEST_HEADINGS:
            values[key] = {c: xml_safe(request.form.get(f"{key}-{c}")).strip() for c in texts.BEST_FIELDS}
            if any(len(v) > 5000 for v in values[key].values()):
                problems.append(heading)
        if not problems:
            with transaction(db):
                saker.save_best_interests(db, sak, values, current_user.id, clock.now())
                _audit("update", sak, "barnets beste")
            flash("Barnets beste-vurderingen er lagret.")
            return redirect(url_for("saker.plan", sak_id=sak_id) + "#barnets-beste", 303)
        current = values
    return render("saker/best_interests.html", sak=sak, current=current, texts=texts,
                  problems=problems), (422 if problems else 200)


# ------------------------------------------------------------------ documents


def _docx(data, filename, sak):
    """Answer with a .docx attachment, audited as an export."""
    _audit("export", sak, filename)
    return docx_template.download(data, filename)


def _letter_page(sak, form, details=None, status=200):
    """The letter's page (audited) with its two forms: the start meeting and how the concern came."""
    bundle = saker.letter_bundle(get_db(), sak)
    _audit("view", sak, "brev")
    return render("saker/letter.html", sak=sak, form=form, details=details or _details_form(bundle),
                  letter=documents.letter_values(bundle, clock.today()), school=bundle["school"],
                  corrected=bundle["letter"] is not None), status


def _meeting_form(sak, submitted):
    """The start meeting's form: as sent, or as the case has it."""
    if submitted:
        return StartMeetingForm()
    form = StartMeetingForm(formdata=None)
    if sak["start_meeting_at"]:
        form.start_meeting_at.data = clock.parse(sak["start_meeting_at"]).replace(tzinfo=None)
        form.start_meeting_participants.data = sak["start_meeting_participants"]
    return form


def _details_form(bundle):
    """The form for how the concern came, filled in as the letter says it now (corrected or as recorded)."""
    came = documents.receipt(bundle) or {}
    return LetterDetailsForm(formdata=None, data={
        "source": came.get("source") or "foresatt", "raised_by": came.get("raised_by", ""),
        "channel": came.get("channel") or "telefon", "receiver": came.get("receiver", ""),
        "concern_on": routine.as_date(came.get("concern_on")), "received_on": routine.as_date(came.get("received_on")),
        "letter_on": routine.as_date((bundle["letter"] or {}).get("letter_on")) or clock.today()})


@bp.route("/<int:sak_id>/brev", methods=["GET", "POST"])
def letter(sak_id):
    """Vedlegg 10, "Melding om mottatt bekymring", as a printable page; set the start meeting."""
    sak = load_sak(sak_id)
    db = get_db()
    form = _meeting_form(sak, request.method == "POST")
    if form.validate_on_submit() and _editable(sak):
        with transaction(db):
            saker.set_start_meeting(db, sak, form.start_meeting_at.data.strftime("%Y-%m-%dT%H:%M"),
                                    form.start_meeting_participants.data.strip(), current_user.id, clock.now())
            _audit("update", sak, "oppstartsmøte")
        flash("Oppstartsmøtet er lagret i brevet.")
        return redirect(url_for("saker.letter", sak_id=sak_id), 303)
    return _letter_page(sak, form, status=422 if form.errors else 200)


@bp.route("/<int:sak_id>/brev/opplysninger", methods=["POST"])
def letter_details(sak_id):
    """Correct who raised the concern, how, when and to whom: the letter and the plan say it so."""
    sak = load_sak(sak_id)
    if not _editable(sak):
        return _back(sak)
    details = LetterDetailsForm()
    if details.validate_on_submit() and not details.dates_ahead_of(clock.today()):
        db = get_db()
        bundle = saker.letter_bundle(db, sak)
        before = {**(documents.receipt(bundle) or {}), "letter_on": (bundle["letter"] or {}).get("letter_on")}
        with transaction(db):
            if saker.save_letter_details(db, sak, details.values(), before, current_user.id, clock.now()):
                _audit("update", sak, "brev rettet")
        flash("Opplysningene i brevet er lagret.")
        return redirect(url_for("saker.letter", sak_id=sak_id) + "#brev", 303)
    return _letter_page(sak, _meeting_form(sak, False), details, 422)


@bp.route("/<int:sak_id>/brev.docx")
def letter_docx(sak_id):
    """Vedlegg 10 as a Word file."""
    sak = load_sak(sak_id)
    data = documents.letter_docx(saker.letter_bundle(get_db(), sak), clock.today())
    return _docx(data, f"melding-om-mottatt-bekymring-sak-{sak_id}.docx", sak)


@bp.route("/<int:sak_id>/aktivitetsplan/utskrift")
def plan_print(sak_id):
    """The aktivitetsplan (Vedlegg 12 with 13) as a printable page."""
    sak = load_sak(sak_id)
    bundle = saker.plan_bundle(get_db(), sak)
    _audit("view", sak, "aktivitetsplan utskrift")
    return render("saker/plan_print.html", sak=sak, plan=documents.plan_values(bundle), texts=texts)


@bp.route("/<int:sak_id>/aktivitetsplan.docx")
def plan_docx(sak_id):
    """The aktivitetsplan (Vedlegg 12 with 13) as a Word file."""
    sak = load_sak(sak_id)
    data = documents.plan_docx(saker.plan_bundle(get_db(), sak))
    return _docx(data, f"aktivitetsplan-sak-{sak_id}.docx", sak)


def _export_bundle(sak):
    """Everything about the case for its export, each attached observation with the link to its printout."""
    bundle = saker.case_bundle(get_db(), sak)
    for plan in bundle["observation_plans"]:
        plan["print_url"] = url_for("observation_logs.export_print", plan_id=plan["id"], _external=True)
    return bundle


@bp.route("/<int:sak_id>/eksport")
def export_print(sak_id):
    """The whole case as one printable page."""
    sak = load_sak(sak_id)
    bundle = _export_bundle(sak)
    _audit("export", sak, "utskrift")
    return render("saker/export.html", **bundle, plan_doc=documents.plan_values(bundle),
                  phase_labels=routine.PHASE_LABELS, talk_labels=routine.TALK_LABELS,
                  role_labels=records.ROLE_LABELS, label_names=records.LABEL_NAMES,
                  channel_text=documents.channel_text, meeting_text=documents.meeting_text, texts=texts)


@bp.route("/<int:sak_id>/eksport.docx")
def export_docx(sak_id):
    """The whole case as one Word file: the record shown to the Statsforvalter."""
    sak = load_sak(sak_id)
    data = documents.export_docx(_export_bundle(sak))
    return _docx(data, f"sak-{sak_id}.docx", sak)


# ------------------------------------------------------------------ home screen


@home_panel
def coordinator_panel(user):
    """Staff: the open cases whose aktivitetsplan they coordinate (the only cases they may open)."""
    if user.role != "staff" or not user.school_ids:
        return None
    cases = saker.coordinated_by(get_db(), school_id(), user.id)
    if not cases:
        return None
    return {"template": "saker/_home_coordinator.html", "order": 40, "cases": cases}
