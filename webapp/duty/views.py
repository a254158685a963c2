"""Tilsyn screens: my duties, the roster and its editing, swaps, the duty itself, coverage."""
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from .. import clock
from ..audit import audit, audit_lines
from ..db import get_db, transaction
from ..forms import choices
from ..navigation import home_panel
from ..rendering import render
from ..school.csv_import import CsvProblem, parse_date, read_rows
from ..school.forms import UploadForm
from ..school.rules import left_school_problem, svg_points
from ..school.store import map_of, school_pupil_ids, staff_members, zone_name, zones_of
from ..scope import current_school, get_or_404, parse_id, school_id
from . import texts
from .forms import EndForm, FreeDayForm, ReassignForm, SlotForm, SwapForm, WatchForm
from .roster_import import check_plan
from .rules import (
    SCHOOL_DAYS,
    SlotProblem,
    can_start,
    coverage,
    current_or_next_slot,
    duty_state,
    flag_problems,
    minutes_until,
    now_or_next,
    parse_slot_times,
    school_week,
    upcoming_school_days,
)
from .store import (
    active_flags,
    add_flag,
    add_free_day,
    add_slot,
    answer_swap,
    cell_user_ids,
    change_slot,
    changes_for_user,
    changes_from,
    close_expired_sessions,
    current_duty_session,
    duties_of,
    duties_on,
    duty_record,
    end_flag,
    end_session,
    end_slot,
    find_duty,
    flaggable_pupils,
    flags_managed_by,
    free_day,
    free_days_from,
    handover_for,
    may_flag,
    pending_count,
    plan_grid,
    plan_valid_from,
    reassign,
    remove_free_day,
    replace_plan,
    request_swap,
    sessions_on,
    set_cell,
    slot_by_id,
    slots_on,
    start_session,
    withdraw_swap,
)

WEEK_AHEAD = 5  # school days shown in "my week"

bp = Blueprint("duty", __name__, url_prefix="/tilsyn")


def _day_arg(name="dato"):
    """A date from the query string, or today."""
    parsed = parse_date(request.args.get(name, ""))
    return parsed or clock.today()


def _date_or_404(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


def _colleague_choices(db, exclude):
    people = [p for p in staff_members(db, school_id(), active_only=True) if p["id"] != exclude]
    return choices([(0, "Velg …")] + [(p["id"], p["full_name"]) for p in people])


@bp.app_template_filter("wait")
def wait_text(minutes):
    """'5 min', '1 t 20 min': how long until a duty starts."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} t {rest} min" if rest else f"{hours} t"


@bp.app_template_filter("weekday")
def weekday_name(value):
    """'Torsdag' for a date or a 'YYYY-MM-DD' string."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return clock.WEEKDAYS[day.weekday()]


@bp.app_template_filter("shortdate")
def short_date(value):
    """'26.11.' for a date or a 'YYYY-MM-DD' string."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day}.{day.month}."


# ------------------------------------------------------------------ my duties


def my_duties(db, user_id, now):
    """What a person needs to know about their own duties at this moment."""
    today = now.date()
    school = school_id()
    days = upcoming_school_days(today, WEEK_AHEAD)
    duties = duties_of(db, school, user_id, days)
    todays = [d for d in duties if d["date"] == today]
    upcoming = [d for d in duties if d["end_at"] > now]
    current = now_or_next(todays, now)
    session = current_duty_session(db, user_id, now)
    return {
        "now": now, "today": today, "free_day": free_day(db, school, today),
        "weekend": today.weekday() > 4,
        "current": current,
        "state": duty_state(current, now) if current else None,
        "minutes": minutes_until(current, now) if current else None,
        "can_start": bool(current and can_start(current, now)),
        "session": session,
        "session_zone": zone_name(db, session["zone_id"]) if session else "",
        "todays": todays,
        "later": [d for d in upcoming if d["date"] != today],
        "next_day_duty": next((d for d in upcoming if d["date"] != today), None),
        "pending": pending_count(db, school, user_id, today),
    }


@home_panel
def duty_panel(user):
    """The home screen's duty card: my duty now or next, and the rest of my week."""
    if user.role not in ("staff", "leader") or not user.school_ids:
        return None
    info = my_duties(get_db(), user.id, clock.now())
    return {"template": "duty/_home_panel.html", "duty": info}


@bp.route("/")
def index():
    """My duties: now or next, the week, swap requests to and from me."""
    db = get_db()
    now = clock.now()
    return render("duty/index.html", duty=my_duties(db, current_user.id, now),
                  changes=changes_for_user(db, school_id(), current_user.id, now.date()),
                  change_status=texts.CHANGE_STATUS)


# ------------------------------------------------------------------ the roster


def _week_nav(day):
    week = school_week(day)
    return {"days": week, "previous": week[0] - timedelta(days=7), "next": week[0] + timedelta(days=7)}


@bp.route("/plan")
def roster():
    """The roster of one date, swaps and reassignments shown, for everyone at the school."""
    db = get_db()
    day = _day_arg()
    duties = duties_on(db, school_id(), day)
    slots = slots_on(db, school_id(), day)
    return render("duty/roster.html", day=day, week=_week_nav(day), slots=slots, duties=duties,
                  free=free_day(db, school_id(), day), now=clock.now())


@bp.route("/plan/utskrift")
def roster_print():
    """The whole weekly plan on one A4 page, laid out like Vedlegg 2:2, with the date it applies from."""
    db = get_db()
    today = clock.today()
    return render("duty/roster_print.html", slots=slots_on(db, school_id(), today),
                  zones=zones_of(db, school_id(), active_only=True), grid=plan_grid(db, school_id(), today),
                  days=SCHOOL_DAYS, footer=texts.PLAN_FOOTER, valid_from=plan_valid_from(db, school_id(), today),
                  school=current_school())


def _plan_edit_page(db, today, weekday, form, problem=None):
    """The plan editor on a weekday, with the new-slot form (and why it was refused)."""
    return render("duty/plan_edit.html", slots=slots_on(db, school_id(), today),
                  zones=zones_of(db, school_id(), active_only=True), grid=plan_grid(db, school_id(), today),
                  weekday=weekday, days=SCHOOL_DAYS, form=form, problem=problem)


@bp.route("/plan/rediger")
def plan_edit():
    """The leader's editor: time slots, and who is in each slot × zone on a weekday."""
    today = clock.today()
    try:
        weekday = min(4, max(0, int(request.args.get("dag", min(today.weekday(), 4)))))
    except ValueError:
        weekday = 0
    return _plan_edit_page(get_db(), today, weekday, SlotForm())


@bp.route("/plan/tider", methods=["POST"])
def slot_new():
    """Add a time slot to the plan."""
    db = get_db()
    today = clock.today()
    form = SlotForm()
    problem = None
    if form.validate_on_submit():
        try:
            starts, ends = parse_slot_times(form.starts.data, form.ends.data)
            add_slot(db, school_id(), starts, ends, today, slots_on(db, school_id(), today))
        except SlotProblem as error:
            problem = str(error)
        else:
            flash(f"Tidsrommet {starts}–{ends} er lagt til.")
            return redirect(url_for("duty.plan_edit"))
    return _plan_edit_page(db, today, 0, form, problem or "Fyll inn fra og til."), 422


def _current_slot_or_404(slot_id):
    slot = get_or_404("duty_slot", slot_id)
    today = clock.today().isoformat()
    if slot["valid_from"] > today or (slot["valid_to"] and slot["valid_to"] < today):
        abort(404)
    return slot


@bp.route("/plan/tider/<int:slot_id>", methods=["GET", "POST"])
def slot_edit(slot_id):
    """Change a slot's times, or take it off the plan."""
    db = get_db()
    today = clock.today()
    slot = _current_slot_or_404(slot_id)
    form = SlotForm(data=slot)
    problem = None
    if request.method == "POST" and request.form.get("remove") == "1" and form.validate_on_submit():
        end_slot(db, slot, today)
        flash(f"Tidsrommet {slot['starts']}–{slot['ends']} er tatt ut av planen.")
        return redirect(url_for("duty.plan_edit"))
    if form.validate_on_submit():
        try:
            starts, ends = parse_slot_times(form.starts.data, form.ends.data)
            change_slot(db, school_id(), slot, starts, ends, today, slots_on(db, school_id(), today))
        except SlotProblem as error:
            problem = str(error)
        else:
            flash(f"Tidsrommet er endret til {starts}–{ends}.")
            return redirect(url_for("duty.plan_edit"))
    status = 422 if (problem or form.errors) else 200
    return render("duty/slot_edit.html", form=form, slot=slot, problem=problem), status


@bp.route("/plan/<int:slot_id>/<int:zone_id>/<int:weekday>", methods=["GET", "POST"])
def cell_edit(slot_id, zone_id, weekday):
    """Choose who has duty in one slot and zone on one weekday."""
    db = get_db()
    today = clock.today()
    slot = _current_slot_or_404(slot_id)
    zone = get_or_404("zone", zone_id)
    if not 0 <= weekday <= 4:
        abort(404)
    people = staff_members(db, school_id(), active_only=True)
    chosen = cell_user_ids(db, slot_id, zone_id, weekday)
    if request.method == "POST":
        wanted = [parse_id(v) for v in request.form.getlist("user_id")]
        if None in wanted:
            abort(400)
        valid = {p["id"] for p in people}
        # someone deactivated since keeps their place until a leader removes them
        wanted = [u for u in wanted if u in valid or u in chosen]
        set_cell(db, school_id(), slot_id, zone_id, weekday, wanted, today)
        flash(f"{SCHOOL_DAYS[weekday]} {slot['starts']}–{slot['ends']}, {zone['name']} er lagret.")
        return redirect(url_for("duty.plan_edit", dag=weekday))
    return render("duty/cell_edit.html", slot=slot, zone=zone, weekday=weekday, day_name=SCHOOL_DAYS[weekday],
                  people=people, chosen=chosen)


@bp.route("/plan/import", methods=["GET", "POST"])
def plan_import():
    """Replace the plan with one read from CSV (Vedlegg 2:2's layout); all rows or none."""
    db = get_db()
    today = clock.today()
    form = UploadForm()
    problems, file_problem, result = [], None, None
    if form.validate_on_submit():
        upload = request.files.get("file")
        try:
            header, rows = read_rows(upload.read() if upload else b"")
            staff = staff_members(db, school_id(), active_only=True)
            problems, slots, new_zones, cells = check_plan(header, rows, staff, zones_of(db, school_id()))
            if not problems and not cells:
                file_problem = "Filen har ingen vakter."
        except CsvProblem as problem:
            file_problem = str(problem)
        if not problems and not file_problem:
            replace_plan(db, school_id(), slots, new_zones, cells, today)
            result = {"slots": len(slots), "duties": len(cells), "new_zones": new_zones}
    status = 422 if (problems or file_problem) else 200
    return render("duty/plan_import.html", form=form, problems=problems, file_problem=file_problem,
                  result=result), status


# ------------------------------------------------------------------ swaps and reassignments


def _dated_duty_or_404(day_text, slot_id, zone_id, user_id):
    day = _date_or_404(day_text)
    get_or_404("duty_slot", slot_id)
    get_or_404("zone", zone_id)
    duty = find_duty(get_db(), school_id(), day, slot_id, zone_id, user_id)
    if duty is None:
        abort(404)
    return duty


@bp.route("/bytte/<day>/<int:slot_id>/<int:zone_id>", methods=["GET", "POST"])
def swap_new(day, slot_id, zone_id):
    """Ask a colleague to take one of my dated duties."""
    db = get_db()
    duty = _dated_duty_or_404(day, slot_id, zone_id, current_user.id)
    form = SwapForm()
    form.to_user_id.choices = _colleague_choices(db, current_user.id)
    problem = None
    if form.validate_on_submit():
        _, problem = request_swap(db, school_id(), duty, form.to_user_id.data, form.note.data, clock.now())
        if problem is None:
            flash("Forespørselen er sendt. Vakten er din til kollegaen har sagt ja.")
            return redirect(url_for("duty.index"))
    status = 422 if (problem or form.errors) else 200
    return render("duty/swap_new.html", form=form, duty=duty, problem=problem,
                  rule=texts.SWAP_RULE), status


def _own_change(change_id, column):
    change = get_or_404("duty_change", change_id)
    if change[column] != current_user.id:
        abort(404)
    return change


@bp.route("/bytte/<int:change_id>/svar", methods=["POST"])
def swap_answer(change_id):
    """The colleague says yes or no to taking a duty."""
    change = _own_change(change_id, "to_user_id")
    accept = request.form.get("answer") == "ja"
    problem = answer_swap(get_db(), change, accept, clock.now())
    flash(problem or ("Du har tatt vakten." if accept else "Du har sagt nei til byttet."))
    return redirect(url_for("duty.index"))


@bp.route("/bytte/<int:change_id>/trekk", methods=["POST"])
def swap_withdraw(change_id):
    """Take back an unanswered swap request."""
    withdraw_swap(get_db(), _own_change(change_id, "from_user_id"), clock.now())
    flash("Forespørselen er trukket tilbake.")
    return redirect(url_for("duty.index"))


@bp.route("/bytter")
def changes():
    """Leadership's view of swaps and reassignments, from this week on."""
    today = clock.today()
    return render("duty/changes.html", changes=changes_from(get_db(), school_id(), school_week(today)[0]),
                  today=today, change_status=texts.CHANGE_STATUS)


@bp.route("/omfordel/<day>/<int:slot_id>/<int:zone_id>/<int:user_id>", methods=["GET", "POST"])
def reassign_duty(day, slot_id, zone_id, user_id):
    """A leader gives a dated duty to someone else directly."""
    db = get_db()
    duty = _dated_duty_or_404(day, slot_id, zone_id, user_id)
    form = ReassignForm()
    form.to_user_id.choices = _colleague_choices(db, user_id)
    problem = None
    if form.validate_on_submit():
        _, problem = reassign(db, school_id(), duty, form.to_user_id.data, current_user.id,
                              form.note.data, clock.now())
        if problem is None:
            flash("Vakten er omfordelt.")
            return redirect(url_for("duty.roster", dato=duty["date"].isoformat()))
    status = 422 if (problem or form.errors) else 200
    return render("duty/reassign.html", form=form, duty=duty, problem=problem), status


# ------------------------------------------------------------------ on duty


@bp.route("/start", methods=["POST"])
def start():
    """Start vakt: begin one of my rostered duties, now or just before it begins."""
    db = get_db()
    now = clock.now()
    slot_id, zone_id = parse_id(request.form.get("slot_id")), parse_id(request.form.get("zone_id"))
    if slot_id is None or zone_id is None:
        abort(400)
    duty = find_duty(db, school_id(), now.date(), slot_id, zone_id, current_user.id)
    if duty is None or not can_start(duty, now):
        flash("Denne vakten kan ikke startes nå. Du kan starte en vakt fra ti minutter før den begynner.")
        return redirect(url_for("duty.index"))
    session_id = start_session(db, school_id(), current_user.id, duty, now)
    return redirect(url_for("duty.session", session_id=session_id))


def _own_session(session_id):
    session = get_or_404("duty_session", session_id)
    if session["user_id"] != current_user.id:
        abort(404)
    return session


def watch_list_seen(flags):
    """Record who saw the watch list: one audit line per pupil shown."""
    if flags:
        audit_lines("view", [("watch_flag", flag["id"], flag["pupil_id"], "følg med på") for flag in flags])


@bp.route("/vakt/<int:session_id>")
def session(session_id):
    """The duty screen: zone, routine, vest, handover, who to keep an eye on, and recording."""
    db = get_db()
    now = clock.now()
    close_expired_sessions(db, now)
    duty_session = _own_session(session_id)
    zone = get_or_404("zone", duty_session["zone_id"])
    slot = slot_by_id(db, duty_session["slot_id"])
    flags = active_flags(db, school_id(), now.date()) if duty_session["ended_at"] is None else []
    watch_list_seen(flags)
    return render("duty/session.html", duty_session=duty_session, zone=zone, slot=slot,
                  handover=handover_for(db, duty_session), flags=flags, routine=texts,
                  schoolyard=map_of(db, school_id()), zones=zones_of(db, school_id(), active_only=True),
                  svg_points=svg_points, highlight_zone_id=zone["id"], form=EndForm())


@bp.route("/vakt/<int:session_id>/avslutt", methods=["GET", "POST"])
def end(session_id):
    """Avslutt vakt, with a handover note for the next person in the same zone."""
    db = get_db()
    now = clock.now()
    close_expired_sessions(db, now)
    duty_session = _own_session(session_id)
    form = EndForm()
    if form.validate_on_submit():
        end_session(db, duty_session, now, form.handover_note.data)
        note_kept = " Beskjeden til neste på vakt er lagret." if form.handover_note.data.strip() else ""
        flash("Vakten er avsluttet." + note_kept)
        return redirect(url_for("home.index"))
    zone = get_or_404("zone", duty_session["zone_id"])
    return render("duty/end.html", form=form, duty_session=duty_session, zone=zone), (
        422 if form.errors else 200)


# ------------------------------------------------------------------ leadership


def coverage_now(db, now):
    """Today's coverage for the slot running now (or the next one)."""
    today = now.date()
    school = school_id()
    close_expired_sessions(db, now)
    slots = slots_on(db, school, today)
    duties = duties_on(db, school, today)
    free = free_day(db, school, today)
    slot = None if (free or today.weekday() > 4) else current_or_next_slot(slots, today, now)
    board = None
    if slot:
        zones = zones_of(db, school, active_only=True)
        extra = {d["zone_id"] for d in duties} - {z["id"] for z in zones}
        zones += [get_or_404("zone", z) for z in sorted(extra)]
        board = coverage(zones, slot, duties, sessions_on(db, school, today), today, now)
    later = [s for s in slots if slot and s["starts"] > slot["starts"]]
    return {"board": board, "free": free, "today": today, "now": now, "later": later}


@bp.route("/dekning")
def coverage_board():
    """Whether every zone is covered right now; the board refreshes itself."""
    info = coverage_now(get_db(), clock.now())
    return render("duty/coverage.html", "duty/_coverage.html", cover=info)


@bp.route("/logg")
def record():
    """Who was on duty where on a date, as it happened."""
    db = get_db()
    day = _day_arg()
    return render("duty/record.html", day=day, rows=duty_record(db, school_id(), day, clock.now()),
                  previous=day - timedelta(days=1), next=day + timedelta(days=1))


@bp.route("/fridager", methods=["GET", "POST"])
def free_days():
    """Dates without duties (planning days and the like)."""
    db = get_db()
    today = clock.today()
    form = FreeDayForm()
    if form.validate_on_submit():
        day = parse_date(form.day.data)
        if day is None:
            form.day.errors.append("Skriv en dato (dd.mm.åååå).")
        elif day < today:
            form.day.errors.append("Datoen har allerede vært.")
        elif free_day(db, school_id(), day):
            form.day.errors.append("Den datoen er allerede uten tilsyn.")
        else:
            add_free_day(db, school_id(), day, (form.reason.data or "").strip(), current_user.id, clock.utc_iso_now())
            flash(f"Ingen tilsyn {clock.format_long_date(day)}.")
            return redirect(url_for("duty.free_days"))
    days = free_days_from(db, school_id(), today)
    return render("duty/free_days.html", form=form, days=days), (422 if form.errors else 200)


@bp.route("/fridager/<day>/slett", methods=["POST"])
def free_day_delete(day):
    """Give a date its duties back."""
    db = get_db()
    remove_free_day(db, school_id(), _date_or_404(day))
    flash("Datoen har tilsyn igjen.")
    return redirect(url_for("duty.free_days"))


# ------------------------------------------------------------------ følg med på


@bp.route("/folg-med", methods=["GET", "POST"])
def watch():
    """Flag a pupil for duty staff to keep an eye on; leaders and contact teachers."""
    db = get_db()
    today = clock.today()
    pupils = flaggable_pupils(db, current_user, school_id())
    form = WatchForm()
    form.pupil_id.choices = choices([(0, "Velg elev …")] + [
        (p["id"], f"{p['full_name']} ({p['class_name']})") for p in pupils])
    if form.validate_on_submit():
        problems, until = flag_problems(form.look_for.data, form.until.data, today)
        for field, message in problems.items():
            getattr(form, field).errors.append(message)
        _, left = school_pupil_ids(db, school_id(), [form.pupil_id.data])
        if left:
            form.pupil_id.errors.append(left_school_problem(left.values()))
        elif not form.pupil_id.data or not may_flag(db, current_user, school_id(), form.pupil_id.data):
            form.pupil_id.errors.append("Velg en elev fra listen.")
        if not form.errors:
            with transaction(db):
                flag_id = add_flag(db, school_id(), form.pupil_id.data, form.look_for.data.strip(), until,
                                   current_user.id, clock.utc_iso_now())
                audit("create", "watch_flag", flag_id, pupil_id=form.pupil_id.data, db=db)
            flash("Eleven står nå på listen «Følg med på» for dem som har tilsyn.")
            return redirect(url_for("duty.watch"))
    if request.method == "GET":
        form.until.data = form.until.data or (today + timedelta(days=14)).isoformat()
    flags = flags_managed_by(db, current_user, school_id(), today)
    watch_list_seen(flags)
    return render("duty/watch.html", form=form, flags=flags, can_flag=bool(pupils)), (
        422 if form.errors else 200)


@bp.route("/folg-med/<int:flag_id>/avslutt", methods=["POST"])
def watch_end(flag_id):
    """Take a pupil off the watch list."""
    db = get_db()
    flag = get_or_404("watch_flag", flag_id)
    if not may_flag(db, current_user, school_id(), flag["pupil_id"]) and flag["created_by"] != current_user.id:
        abort(404)
    with transaction(db):
        end_flag(db, flag_id, current_user.id, clock.utc_iso_now())
        audit("update", "watch_flag", flag_id, pupil_id=flag["pupil_id"], detail="tatt av listen", db=db)
    flash("Eleven er tatt av listen.")
    return redirect(url_for("duty.watch"))
