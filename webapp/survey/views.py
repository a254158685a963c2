"""Skolegårdsundersøkelsen: leaders open a round for a class, teachers hold the talks, the principal reads it."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from .. import clock, docx_template, submissions
from ..audit import audit, audit_pupils
from ..db import get_db, transaction
from ..forms import choices
from ..navigation import home_panel
from ..rendering import render
from ..school.rules import svg_points
from ..school.store import classes_of, map_image_of, map_of, zones_of
from ..scope import get_or_404, parse_id, school_id
from . import documents, rules, store, texts
from .forms import RoundForm, TalkForm

bp = Blueprint("survey", __name__, url_prefix="/skolegard")


def _round_or_404(round_id):
    """A round of the active school, with its class and counts (another school's: 404)."""
    return store.round_details(get_db(), get_or_404("survey_round", round_id)["id"])


@bp.route("/")
def index():
    """The rounds: open ones to hold talks in; for leaders every round and a form to open one."""
    db = get_db()
    school = school_id()
    leader = current_user.role == "leader"
    form = RoundForm()
    form.class_id.choices = choices([(c["id"], c["name"]) for c in classes_of(db, school)])
    return render("survey/index.html", texts=texts, form=form, leader=leader,
                  rounds=store.rounds(db, school, open_only=not leader))


@bp.route("/ny", methods=["POST"])
def round_new():
    """Open a round for a class."""
    db = get_db()
    school = school_id()
    form = RoundForm()
    class_ids = {c["id"] for c in classes_of(db, school)}
    if not form.validate_on_submit() or form.class_id.data not in class_ids:
        flash("Velg en klasse.")
        return redirect(url_for("survey.index"), code=303)
    with transaction(db):
        round_id = store.open_round(db, school, form.class_id.data, current_user.id, clock.now())
    flash("Runden er åpnet. Lærerne finner den under Skolegårdsundersøkelsen.")
    return redirect(url_for("survey.show", round_id=round_id), code=303)


@bp.route("/<int:round_id>")
def show(round_id):
    """A round: how far it has come and the next pupil's talk; for leaders the result and closing."""
    survey_round = _round_or_404(round_id)
    return render("survey/round.html", texts=texts, survey_round=survey_round,
                  leader=current_user.role == "leader")


@bp.route("/<int:round_id>/avslutt", methods=["POST"])
def close(round_id):
    """Close a round: no more talks."""
    survey_round = _round_or_404(round_id)
    db = get_db()
    with transaction(db):
        store.close_round(db, survey_round["id"], clock.now())
    flash("Runden er avsluttet.")
    return redirect(url_for("survey.result", round_id=round_id), code=303)


def _talk_page(survey_round, form, marks, listed, client_id, problem=None, status=200):
    """The talk's page: the text, the questions, a map with only this pupil's marks."""
    db = get_db()
    zones = zones_of(db, survey_round["school_id"], active_only=True)
    return render("survey/talk.html", texts=texts, survey_round=survey_round, form=form, zones=zones,
                  schoolyard=map_of(db, survey_round["school_id"]), svg_points=svg_points, client_id=client_id,
                  marks=[{**m, "x": m["map_x"], "y": m["map_y"], "shape": texts.MARK_SHAPE[m["kind"]],
                          "class": f"survey-{m['kind']}"} for m in marks if m["map_x"] is not None],
                  mark_values=[f"{m['kind']}:{m['map_x']}:{m['map_y']}" for m in marks if m["map_x"] is not None],
                  listed=listed, problem=problem), status


@bp.route("/<int:round_id>/samtale", methods=["GET", "POST"])
def talk_new(round_id):
    """One pupil's talk, on a fresh map: the text read aloud, the four questions, the marks."""
    survey_round = _round_or_404(round_id)
    if survey_round["closed_at"]:
        flash("Runden er avsluttet.")
        return redirect(url_for("survey.show", round_id=round_id), code=303)
    db = get_db()
    form = TalkForm()
    left = store.pupils_left(db, survey_round)
    form.pupil_id.choices = choices([(0, "Velg elev")] + [(p["id"], p["full_name"]) for p in left])
    if request.method == "GET":
        return _talk_page(survey_round, form, [], {}, submissions.new_client_id())
    zones = zones_of(db, survey_round["school_id"], active_only=True)
    listed = {kind: request.form.getlist(f"sone_{kind}") for kind in rules.KINDS}
    marks = rules.parse_marks(request.form.getlist("mark"), zones) + rules.listed_marks(listed, zones)
    client_id = submissions.client_id_of(request.form)
    with transaction(db):
        # a double tap or a resend finds the talk the first one saved
        if client_id and submissions.earlier(db, current_user.id, "skolegard", client_id):
            return _saved(round_id)
        problem = None
        if not form.validate_on_submit():
            problem = "Noe mangler. Sjekk feltene og trykk «Lagre» igjen."
        elif client_id is None:
            problem = submissions.INCOMPLETE
        elif form.pupil_id.data not in {p["id"] for p in left}:
            pupil_id = parse_id(form.pupil_id.data)
            problem = ("Samtalen med denne eleven er allerede lagret." if pupil_id
                       and store.talk_done(db, round_id, pupil_id) else "Velg eleven samtalen er med.")
        if problem is None:
            answers = {column: (getattr(form, column).data or "").strip() for column, _ in texts.QUESTIONS}
            talk_id = store.add_talk(db, survey_round, form.pupil_id.data, answers, marks, current_user.id,
                                     clock.now())
            submissions.remember(db, current_user.id, "skolegard", client_id, talk_id)
            audit("create", "survey_talk", talk_id, pupil_id=form.pupil_id.data, db=db)
    if problem is None:
        return _saved(round_id)
    return _talk_page(survey_round, form, [m for m in marks if m["map_x"] is not None],
                      {kind: {int(v) for v in values if v.isdigit()} for kind, values in listed.items()},
                      client_id or submissions.new_client_id(), problem, 422)


def _saved(round_id):
    """After a talk: back to the round, the map cleared for the next pupil."""
    flash("Samtalen er lagret. Kartet er tømt for neste elev.")
    return redirect(url_for("survey.show", round_id=round_id), code=303)


def result_data(db, survey_round, now):
    """The round's result: marks per kind for the maps, counts per zone held against records and duty, answers."""
    school = survey_round["school_id"]
    zones = zones_of(db, school, active_only=True)
    marks = store.marks_of(db, survey_round["id"])
    rows = rules.counts_per_zone(marks, zones)
    compared = rules.comparison(rows, store.concerns_per_zone(db, school, now),
                                store.duty_zones(db, school, now.date()))
    talks = store.talks_of(db, survey_round["id"])
    maps = [{"kind": kind, "question": question, "look": texts.MARK_LOOK[kind],
             "marks": [{"x": m["map_x"], "y": m["map_y"], "shape": shape, "class": f"survey-{kind}"}
                       for m in marks if m["kind"] == kind],
             "count": sum(1 for m in marks if m["kind"] == kind)}
            for kind, question, _, _, shape in texts.MARKS]
    return {"survey_round": survey_round, "zones": zones, "marks": marks, "rows": compared, "maps": maps,
            "talks": talks, "key_findings": [row for row in compared if row["key_finding"]],
            "schoolyard": map_of(db, school)}


@bp.route("/<int:round_id>/resultat")
def result(round_id):
    """The round's result for the principal: all marks on one map per question, per zone, against records; printable."""
    survey_round = _round_or_404(round_id)
    db = get_db()
    data = result_data(db, survey_round, clock.now())
    audit_pupils("view", "survey_round", round_id, [talk["pupil_id"] for talk in data["talks"]])
    return render("survey/result.html", texts=texts, svg_points=svg_points, printed_at=clock.utc_iso_now(), **data)


@bp.route("/<int:round_id>/skolegardsundersokelse.docx")
def result_docx(round_id):
    """The round's result as a Word document."""
    survey_round = _round_or_404(round_id)
    db = get_db()
    data = result_data(db, survey_round, clock.now())
    picture = map_image_of(db, survey_round["school_id"]) if data["schoolyard"] else None
    audit_pupils("export", "survey_round", round_id, [talk["pupil_id"] for talk in data["talks"]])
    document = documents.docx(data, picture and picture["image"], clock.now())
    return docx_template.download(document, f"skolegardsundersokelse-{round_id}.docx")



@home_panel
def open_rounds_panel(user):
    """The open rounds of Skolegårdsundersøkelsen on a teacher's home screen: the talks wait there."""
    if user.role != "staff" or not user.school_ids:
        return None
    rounds = store.rounds(get_db(), school_id(), open_only=True)
    if not rounds:
        return None
    return {"template": "survey/_home_panel.html", "order": 60, "rounds": rounds}
