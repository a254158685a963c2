"""Systematic observation (Vedlegg 8): plan it, share it out, log it on the phone, put it together."""
import json

from flask import Blueprint, abort, flash, make_response, redirect, request, url_for
from flask_login import current_user

from .. import clock, docx_template, submissions
from ..audit import audit, audit_pupils
from ..db import get_db, transaction
from ..docx_text import xml_safe
from ..forms import choices
from ..navigation import home_panel
from ..rendering import is_htmx, render
from ..retention import rules as retention_rules
from ..saker import store as saker
from ..school import store as school_store
from ..scope import get_or_404, parse_id, school_id
from . import documents, rules, store, texts
from .forms import AssignmentForm, PlanForm, answer_fields

bp = Blueprint("observation_logs", __name__, url_prefix="/observasjon")

MAX_TEXT = 10_000
ALL_DAYS = "alle"


# ------------------------------------------------------------------ loading, with access checks


def plan_or_404(plan_id):
    """A plan of the active school that the signed-in person may open, or 404."""
    plan = get_or_404("observation_plan", plan_id)
    if not store.can_open(get_db(), plan, current_user):
        abort(404)
    return plan


def organisable_plan_or_403(plan_id):
    """A plan the signed-in person may change and share out (leaders and whoever planned it)."""
    plan = plan_or_404(plan_id)
    if not store.can_organise(get_db(), plan, current_user):
        abort(403)
    return plan


def plannable_or_403(db):
    """The classes the signed-in person may plan for; 403 for those who may plan none."""
    class_ids = store.plannable_class_ids(db, school_id(), current_user)
    if not class_ids:
        abort(403)
    return class_ids


def log_or_404(log_id):
    """A log of a plan the signed-in person may open, with that plan."""
    log = get_or_404("observation_log", log_id)
    return log, plan_or_404(log["plan_id"])


def writable_log_or_403(log_id):
    """A log only its own observer may write in."""
    log, plan = log_or_404(log_id)
    if log["observer_id"] != current_user.id:
        abort(403)
    return log, plan


# ------------------------------------------------------------------ list


def tasks_of_the_day(db, user_id, day):
    """A person's observation tasks on a day, each with the form id its "Skriv logg" button sends."""
    tasks = store.tasks_on(db, school_id(), user_id, day)
    for task in tasks:
        task["client_id"] = submissions.new_client_id()
    return tasks


@bp.route("/")
def index():
    """The observations the person takes part in (leaders: all of the school's)."""
    db = get_db()
    now = clock.now()
    older = retention_rules.wants_older(request.args)
    since = retention_rules.clean_slate_start(now.date())
    # "clean slate": observations that ended before last school year began only when older is asked for
    plans = [plan for plan in store.plans_seen_by(db, school_id(), current_user)
             if older or plan["ends_on"] >= since.isoformat()]
    for plan in plans:
        plan["status"] = rules.status(plan, now)
    return render("observation_logs/index.html", plans=plans, tasks=tasks_of_the_day(db, current_user.id, now.date()),
                  can_plan=store.can_plan(db, school_id(), current_user), older=older, clean_slate_start=since)


# ------------------------------------------------------------------ plan (Vedlegg 8:1)


NO_PUPIL = (0, "Ingen – hele klassen")


def plan_form(db, class_ids, plan=None):
    """The planning form with the classes the person may plan for and their pupils to choose from.

    A GET may name the class (`class_id`: the class list asks for the page again
    when another class is chosen, to show that class's pupils).
    """
    class_ids = set(class_ids)
    if request.method != "GET":
        form = PlanForm()
    else:
        if plan is not None:
            data = {"class_id": plan["class_id"], "pupil_id": plan["pupil_id"] or 0,
                    "starts_on": plan["starts_on"], "ends_on": plan["ends_on"],
                    "needs": json.loads(plan["needs"])}
            for key, answer in json.loads(plan["answers"]).items():
                data["answer_" + key] = answer
        else:
            monday, friday = rules.week_of(clock.today())
            data = {"starts_on": monday.isoformat(), "ends_on": friday.isoformat()}
        if parse_id(request.args.get("class_id")) in class_ids:
            data["class_id"] = parse_id(request.args.get("class_id"))
        form = PlanForm(data=data)
    form.class_id.choices = choices([(row["id"], row["name"]) for row in school_store.classes_of(db, school_id())
                                     if row["id"] in class_ids])
    form.class_pupils = {}
    for row in school_store.pupils_by_class(db, school_id()):
        if row["class_id"] in class_ids:
            form.class_pupils.setdefault(row["class_id"], []).append((row["id"], row["full_name"]))
    kept = plan["pupil_id"] if plan is not None else None
    if kept and plan["class_id"] in class_ids and kept not in {
            pupil_id for pupils in form.class_pupils.values() for pupil_id, _ in pupils}:
        # the plan's pupil, who has left the school since, stays its own: the plan can still be changed
        form.class_pupils.setdefault(plan["class_id"], []).append(
            (kept, school_store.pupil_with_class(db, kept)["full_name"]))
    # any of these pupils is a valid answer, so that one of another class than the one chosen is
    # told so ("Eleven går ikke i klassen du har valgt"); the list shows the chosen class's only
    form.pupil_id.choices = choices([NO_PUPIL] + [pupil for pupils in form.class_pupils.values()
                                                  for pupil in pupils])
    return form


def shown_pupils(form):
    """Let the form's pupil list (Enkeltelev) offer only the chosen class's pupils (the first class's
    before one is chosen)."""
    offered = [choice.value for choice in form.class_id.choices]
    chosen = form.class_id.data if form.class_id.data in offered else (offered[0] if offered else None)
    form.pupil_id.choices = choices([NO_PUPIL] + form.class_pupils.get(chosen, []))
    return form


def plan_values(db, form):
    """The plan's row values from a valid form, or None after adding the form's errors."""
    first, last, problems = rules.parse_period(form.starts_on.data, form.ends_on.data)
    for field, message in problems.items():
        getattr(form, field).errors.append(message)
    if form.pupil_id.data:
        if school_store.pupil_class_id(db, school_id(), form.pupil_id.data) != form.class_id.data:
            form.pupil_id.errors.append("Eleven går ikke i klassen du har valgt.")
    if form.errors:
        return None
    answers = {key: getattr(form, "answer_" + key).data.strip()
               for key, _ in texts.PLANNING_QUESTIONS if getattr(form, "answer_" + key).data}
    return {
        "class_id": form.class_id.data, "pupil_id": form.pupil_id.data or None,
        "starts_on": first.isoformat(), "ends_on": last.isoformat(),
        "answers": json.dumps(answers, ensure_ascii=False),
        "needs": json.dumps([key for key in form.needs.data if key in texts.NEED_LABELS]),
        "updated_at": clock.utc_iso_now(),
    }


@bp.route("/ny", methods=["GET", "POST"])
def plan_new():
    """Plan a new observation (Vedlegg 8:1)."""
    db = get_db()
    form = plan_form(db, plannable_or_403(db))
    if form.validate_on_submit():
        values = plan_values(db, form)
        if values is not None:
            with transaction(db):
                plan_id = store.create_plan(db, values, school_id(), current_user.id)
                audit("create", "observation_plan", plan_id, pupil_id=values["pupil_id"], db=db)
            flash("Observasjonen er planlagt. Fordel oppgavene på observatørene.")
            return redirect(url_for("observation_logs.assign", plan_id=plan_id), 303)
    return render("observation_logs/plan_form.html", form=shown_pupils(form), plan=None,
                  answers=answer_fields(form), vedlegg8=texts), (422 if form.errors else 200)


@bp.route("/<int:plan_id>/plan", methods=["GET", "POST"])
def plan_edit(plan_id):
    """Change an observation's plan."""
    db = get_db()
    plan = organisable_plan_or_403(plan_id)
    # leaders plan for any class; a contact teacher keeps the plan in their own class
    form = plan_form(db, store.plannable_class_ids(db, school_id(), current_user), plan)
    if form.validate_on_submit():
        values = plan_values(db, form)
        if values is not None:
            with transaction(db):
                store.update_plan(db, plan_id, values)
                audit("update", "observation_plan", plan_id, pupil_id=values["pupil_id"], db=db)
            flash("Planen er lagret.")
            return redirect(url_for("observation_logs.show", plan_id=plan_id), 303)
    return render("observation_logs/plan_form.html", form=shown_pupils(form), plan=plan,
                  answers=answer_fields(form), vedlegg8=texts), (422 if form.errors else 200)


# ------------------------------------------------------------------ organise (Vedlegg 8:2)


@bp.route("/<int:plan_id>/fordeling", methods=["GET", "POST"])
def assign(plan_id):
    """Share the observation out: observers × days × situations."""
    db = get_db()
    plan = organisable_plan_or_403(plan_id)
    days = rules.plan_days(plan)
    ahead = rules.days_ahead(plan, clock.today())
    form = AssignmentForm()
    form.observer_id.choices = choices(store.observer_choices(db, school_id()))
    # "Alle dagene" gives tasks on the days still to come only; a past day can still be chosen on its own
    every_day = [(ALL_DAYS, "Alle dagene" if ahead == days else "Alle dagene fra i dag")] if ahead else []
    form.day.choices = choices(every_day + [
        (day.isoformat(), clock.format_long_date(day).capitalize()) for day in days])
    added = None
    if form.validate_on_submit():
        chosen = [d.isoformat() for d in ahead] if form.day.data == ALL_DAYS else [form.day.data]
        situation = " ".join(form.situation.data.split())
        with transaction(db):
            added = store.add_assignments(db, plan_id, school_id(), form.observer_id.data, chosen, situation)
            audit("update", "observation_plan", plan_id, pupil_id=plan["pupil_id"],
                  detail="fordeling", db=db)
        if added:
            flash(f"La til {added} oppgave{'r' if added > 1 else ''}.")
            return redirect(url_for("observation_logs.assign", plan_id=plan_id), 303)
        form.situation.errors.append("Denne oppgaven er allerede fordelt.")
    assignments = store.assignments_of(db, plan_id)
    observers = sorted({(a["observer_name"], a["observer_id"]) for a in assignments})
    grid = {(a["observer_id"], a["day"]): [] for a in assignments}
    for a in assignments:
        grid[(a["observer_id"], a["day"])].append(a)
    return render("observation_logs/assign.html", plan=plan, info=store.describe(db, plan), form=form,
                  days=days, observers=observers, grid=grid, assignments=assignments,
                  situations=texts.SITUATIONS, weekdays=clock.WEEKDAYS), (422 if form.errors else 200)


@bp.route("/<int:plan_id>/fordeling/<int:assignment_id>/slett", methods=["POST"])
def assignment_delete(plan_id, assignment_id):
    """Take a task away again; a log already written for it is kept."""
    db = get_db()
    plan = organisable_plan_or_403(plan_id)
    with transaction(db):
        if not store.delete_assignment(db, plan_id, assignment_id):
            abort(404)
        audit("update", "observation_plan", plan_id, pupil_id=plan["pupil_id"],
              detail="fordeling", db=db)
    flash("Oppgaven er fjernet.")
    return redirect(url_for("observation_logs.assign", plan_id=plan_id), 303)


# ------------------------------------------------------------------ put together


def render_show(db, plan, analysis_text=None, conflict=None, status_code=200):
    """The observation page; after a conflict, with the text the person was writing."""
    now = clock.now()
    organiser = store.can_organise(db, plan, current_user)
    records = store.duty_records(db, plan, now, viewer=current_user)
    audit_pupils("view", "observation_plan", plan["id"], rules.pupils_shown(plan, records))
    return render("observation_logs/show.html", plan=plan, info=store.describe(db, plan),
                  status=rules.status(plan, now), answers=json.loads(plan["answers"]),
                  needs=json.loads(plan["needs"]), assignments=store.assignments_of(db, plan["id"]),
                  logs=store.logs_of(db, plan["id"]), records=rules.by_section(records),
                  can_organise=organiser, can_decide=organiser, vedlegg8=texts,
                  client_id=submissions.new_client_id(),
                  analysis_text=plan["analysis"] if analysis_text is None else analysis_text,
                  conflict=conflict,
                  cases=saker.cases_for_observation_plan(db, plan) if current_user.role == "leader" else []
                  ), status_code


@bp.route("/<int:plan_id>")
def show(plan_id):
    """The observation: its plan, its tasks, every log side by side by section, the analysis."""
    db = get_db()
    return render_show(db, plan_or_404(plan_id))


def analysis_response(version):
    """The saved-status line, telling the page which version its text is now based on."""
    response = make_response(save_status("analyse"))
    response.headers["X-Draft-Base"] = str(version)
    return response


@bp.route("/<int:plan_id>/sak", methods=["POST"])
def attach_to_sak(plan_id):
    """Leaders: attach the put-together observation to an open case about its pupil or class."""
    db = get_db()
    plan = plan_or_404(plan_id)
    cases = {sak["id"]: sak for sak in saker.cases_for_observation_plan(db, plan)}
    sak = get_or_404("sak", request.form.get("sak_id"))
    if sak["id"] not in cases:
        abort(404)
    attachable = {p["id"]: p for p in saker.observation_plans_for(db, sak)}
    with transaction(db):
        if saker.attach_observation_plan(db, sak, attachable[plan_id], current_user.id, clock.now()):
            audit("update", "sak", sak["id"], pupil_id=sak["pupil_id"], detail=f"observasjon {plan_id} lagt ved")
    flash("Observasjonen er lagt ved saken.")
    return redirect(url_for("observation_logs.show", plan_id=plan_id) + "#saker", 303)


@bp.route("/<int:plan_id>/analyse", methods=["POST"])
def analysis(plan_id):
    """Save the analysis written when the logs are put together (autosaved as it is typed).

    Only those who organise the observation write it. The page sends the
    version its text was based on; if someone saved in between, nothing is
    overwritten: the person sees the other text and chooses.
    """
    db = get_db()
    plan = organisable_plan_or_403(plan_id)
    text = xml_safe(request.form.get("analysis", ""))
    if len(text) > 4 * MAX_TEXT:
        return save_status("analyse", error="Teksten er for lang. Ingenting er lagret ennå."), 422
    based_on = request.form.get("overwrite_version") or request.form.get("analysis_version", "")
    with transaction(db):
        current = store.plan(db, plan_id)
        if text == current["analysis"]:
            # a resend of what is saved already: nothing to do, nothing to fight over
            conflict = None
        elif based_on != str(current["analysis_version"]):  # compared as text: any number may be sent
            conflict = current
        else:
            conflict = None
            version = store.save_analysis(db, plan_id, text, current["analysis_version"], clock.utc_iso_now())
            audit("update", "observation_plan", plan_id, pupil_id=plan["pupil_id"], detail="analyse", db=db)
            current = {**current, "analysis_version": version}
    if conflict is not None:
        if not is_htmx():
            return render_show(db, conflict, analysis_text=text, conflict=conflict, status_code=409)
        return render("observation_logs/_analysis_conflict.html", saved=conflict), 409
    if not is_htmx():
        flash("Analysen er lagret.")
        return redirect(url_for("observation_logs.show", plan_id=plan_id) + "#analyse", 303)
    return analysis_response(current["analysis_version"])


@bp.route("/<int:plan_id>/tilsyn/<int:observation_id>", methods=["POST"])
def duty_decision(plan_id, observation_id):
    """Keep or drop a record that flowed in from duty or SFO (or undo the choice)."""
    db = get_db()
    plan = plan_or_404(plan_id)
    now = clock.now()
    record = next((r for r in store.duty_records(db, plan, now, viewer=current_user)
                   if r["id"] == observation_id), None)
    if record is None:
        abort(404)
    organiser = store.can_organise(db, plan, current_user)
    # an observer keeps or drops their own records; the rest is for those who organise
    if not organiser and record["author_id"] != current_user.id:
        abort(403)
    decision = request.form.get("decision")
    if decision not in store.DECISIONS:
        abort(400)
    with transaction(db):
        store.decide(db, plan_id, observation_id, decision, current_user.id, clock.to_utc_iso(now))
        audit("update", "observation_plan", plan_id, pupil_id=plan["pupil_id"],
              detail=f"tilsyn {observation_id}: {decision}", db=db)
    back_log = request.form.get("log_id", type=int)
    if not is_htmx():
        if back_log:
            return redirect(url_for("observation_logs.log", log_id=back_log) + f"#seksjon-{record['section']}", 303)
        return redirect(url_for("observation_logs.show", plan_id=plan_id), 303)
    record = next(r for r in store.duty_records(db, plan, now, viewer=current_user)
                  if r["id"] == observation_id)
    return render("observation_logs/_duty_record.html", plan=plan, record=record, log_id=back_log,
                  can_decide=organiser)


# ------------------------------------------------------------------ log (Vedlegg 8:3)


@bp.route("/<int:plan_id>/logg", methods=["POST"])
def log_new(plan_id):
    """Start a log, for one of one's tasks or on its own; a retry gives the same log."""
    db = get_db()
    plan = plan_or_404(plan_id)
    client_id = request.form.get("client_id", "")
    if not submissions.valid_client_id(client_id):
        abort(400)
    assignment = None
    if request.form.get("assignment_id"):
        assignment = store.own_assignment(db, plan_id, request.form.get("assignment_id", type=int), current_user.id)
        if assignment is None:
            abort(404)
    with transaction(db):
        log_id, created = store.start_log(
            db, plan_id=plan_id, school_id=school_id(), observer_id=current_user.id, client_id=client_id,
            assignment=assignment, today=clock.today(), stamp=clock.utc_iso_now())
        if created:
            audit("create", "observation_log", log_id, pupil_id=plan["pupil_id"], db=db)
    return redirect(url_for("observation_logs.log", log_id=log_id), 303)


@bp.route("/logg/<int:log_id>")
def log(log_id):
    """The log on the phone: its header and six sections; read-only for anyone but its observer."""
    db = get_db()
    log, plan = log_or_404(log_id)
    now = clock.now()
    observer = store.observer(db, log)
    same_day = [r for r in store.duty_records(db, plan, now, viewer=current_user)
                if clock.local(r["observed_at"]).date().isoformat() == log["log_date"]]
    audit_pupils("view", "observation_log", log_id, rules.pupils_shown(plan, same_day))
    return render("observation_logs/log.html", log=log, plan=plan, info=store.describe(db, plan),
                  observer=observer, filled=store.items_of(db, log_id), records=rules.by_section(same_day),
                  needs=json.loads(plan["needs"]), answers=json.loads(plan["answers"]),
                  editable=log["observer_id"] == current_user.id, vedlegg8=texts,
                  can_decide=store.can_organise(db, plan, current_user))


def save_status(form_id, error=None):
    """The small "saved at" line an autosaving form swaps in."""
    return render("observation_logs/_save_status.html", form_id=form_id, error=error,
                  saved_at=clock.utc_iso_now())


@bp.route("/logg/<int:log_id>/hode", methods=["POST"])
def log_header(log_id):
    """Save the log's header: date, duration and situation."""
    db = get_db()
    log, plan = writable_log_or_403(log_id)
    day = rules.parse_date(request.form.get("log_date", log["log_date"]))
    duration = xml_safe(request.form.get("duration", log["duration"])).strip()
    situation = xml_safe(request.form.get("situation", log["situation"])).strip()
    error = None
    if day is None:
        error = "Skriv en gyldig dato, f.eks. 24.11.2026. Ingenting i toppen er lagret ennå."
    elif len(duration) > 80 or len(situation) > 200:
        error = "Teksten er for lang. Ingenting i toppen er lagret ennå."
    if error:
        if not is_htmx():
            flash(error)
            return redirect(url_for("observation_logs.log", log_id=log_id), 303)
        return save_status("hode", error=error), 422
    with transaction(db):
        store.save_log_header(db, log_id, day, duration, situation, clock.utc_iso_now())
        audit("update", "observation_log", log_id, pupil_id=plan["pupil_id"], detail="hode", db=db)
    if not is_htmx():
        flash("Lagret.")
        return redirect(url_for("observation_logs.log", log_id=log_id), 303)
    return save_status("hode")


@bp.route("/logg/<int:log_id>/seksjon/<int:section>", methods=["POST"])
def log_section(log_id, section):
    """Save what is filled in of one section; fields not sent are left as they were."""
    db = get_db()
    log, plan = writable_log_or_403(log_id)
    keys = texts.section_items(section)
    if not keys:
        abort(404)
    form_id = f"seksjon-{section}"
    sent = {key: tuple(None if text is None else xml_safe(text)
                       for text in (request.form.get("seen-" + key), request.form.get("comment-" + key)))
            for key in keys}
    if any(len(text or "") > MAX_TEXT for pair in sent.values() for text in pair):
        return save_status(form_id, error="En av tekstene er for lang. Ingenting er lagret ennå."), 422
    stamp = clock.utc_iso_now()
    with transaction(db):
        store.save_section(db, log_id, sent, stamp)
        audit("update", "observation_log", log_id, pupil_id=plan["pupil_id"], detail=form_id, db=db)
    if not is_htmx():
        flash("Lagret.")
        return redirect(url_for("observation_logs.log", log_id=log_id) + "#" + form_id, 303)
    return save_status(form_id)


# ------------------------------------------------------------------ export


def export_data(db, plan, action, detail):
    """Everything an export shows, read once; one audit line per pupil whose records it holds."""
    contents, kept = store.export_contents(db, plan, clock.now(), current_user)
    audit_pupils(action, "observation_plan", plan["id"], rules.pupils_shown(plan, kept), detail=detail)
    return contents


@bp.route("/<int:plan_id>/utskrift")
def export_print(plan_id):
    """The whole observation as a printable page."""
    db = get_db()
    plan = plan_or_404(plan_id)
    return render("observation_logs/print.html", printed_at=clock.utc_iso_now(),
                  **export_data(db, plan, "export", "utskrift"))


@bp.route("/<int:plan_id>/observasjon.docx")
def export_docx(plan_id):
    """The whole observation as a Word document."""
    db = get_db()
    plan = plan_or_404(plan_id)
    document = documents.docx(export_data(db, plan, "export", "docx"), clock.now())
    return docx_template.download(document, f"observasjon-{plan_id}.docx")


# ------------------------------------------------------------------ home screen


@home_panel
def todays_tasks(user):
    """An observer's observation tasks for today, on their home screen."""
    if user.role not in ("staff", "leader") or not user.school_ids:
        return None
    tasks = tasks_of_the_day(get_db(), user.id, clock.today())
    if not tasks:
        return None
    return {"template": "observation_logs/_home_panel.html", "tasks": tasks}
