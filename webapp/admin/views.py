"""Operators: create schools with their first leader, and school owner accounts."""
from flask import Blueprint, flash, redirect, request, url_for
from wtforms import SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .. import clock
from ..db import get_db, transaction
from ..forms import Form, choices
from ..rendering import render
from ..school.store import (
    AccountProblem,
    create_user,
    one_time_password,
    school_name_problem,
    user_by_id,
)
from ..scope import parse_id
from . import store

bp = Blueprint("admin", __name__, url_prefix="/admin")
REQUIRED = "Dette feltet må fylles ut."


class SchoolForm(Form):
    name = StringField("Skolens navn", validators=[InputRequired(REQUIRED), Length(max=120)])
    municipality = StringField("Kommune", validators=[Optional(), Length(max=80)])
    leader_username = StringField("Brukernavn for første leder", validators=[InputRequired(REQUIRED)])
    leader_name = StringField("Lederens fulle navn", validators=[InputRequired(REQUIRED), Length(max=120)])
    leader_title = StringField("Stilling", default="Rektor", validators=[Optional(), Length(max=80)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OwnerForm(Form):
    username = StringField("Brukernavn", validators=[InputRequired(REQUIRED)])
    full_name = StringField("Fullt navn", validators=[InputRequired(REQUIRED), Length(max=120)])
    title = StringField("Stilling", default="Skolefaglig rådgiver", validators=[Optional()])
    school_ids = MultiCheckboxField("Skoler", coerce=int, choices=[])


def schools():
    """Every school with its number of accounts."""
    return store.schools(get_db())


def owners():
    """School owner accounts with the schools they cover."""
    return store.owners(get_db())


def _school_choices():
    return choices([(s["id"], s["name"]) for s in schools()])


@bp.route("/")
def index():
    """Schools and school owners."""
    owner_form = OwnerForm()
    owner_form.school_ids.choices = _school_choices()
    return render("admin/index.html", schools=schools(), owners=owners(),
                  school_form=SchoolForm(), owner_form=owner_form)


@bp.route("/skoler/ny", methods=["POST"])
def school_new():
    """Create a school and its first leader, who gets a one-time password."""
    db = get_db()
    form = SchoolForm()
    owner_form = OwnerForm()
    owner_form.school_ids.choices = _school_choices()
    if form.validate_on_submit():
        name = form.name.data.strip()
        password = one_time_password()
        try:
            with transaction(db):
                # checked in the write's transaction: two operators creating the same school cannot both pass
                problem = school_name_problem(db, name)
                if not problem:
                    school_id = store.add_school(db, name, (form.municipality.data or "").strip(),
                                                 clock.utc_iso_now())
                    leader_id = create_user(
                        db, username=form.leader_username.data, full_name=form.leader_name.data,
                        role="leader", title=form.leader_title.data or "", school_ids=[school_id],
                        password=password, must_change_password=True)
        except AccountProblem as account_problem:
            form.leader_username.errors.append(str(account_problem))
        else:
            if problem:
                form.name.errors.append(problem)
            else:
                return render("school/password_once.html", person=user_by_id(db, leader_id), password=password,
                              back_url=url_for("admin.index"))
    return render("admin/index.html", schools=schools(), owners=owners(), school_form=form,
                  owner_form=owner_form), 422


@bp.route("/skoleeiere/ny", methods=["POST"])
def owner_new():
    """Create a school owner account covering one or more schools."""
    db = get_db()
    form = OwnerForm()
    form.school_ids.choices = _school_choices()
    if form.validate_on_submit():
        if not form.school_ids.data:
            form.school_ids.errors.append("Velg minst én skole.")
        else:
            password = one_time_password()
            try:
                owner_id = create_user(db, username=form.username.data, full_name=form.full_name.data,
                                       role="owner", title=form.title.data or "",
                                       school_ids=form.school_ids.data, password=password,
                                       must_change_password=True)
            except AccountProblem as problem:
                form.username.errors.append(str(problem))
            else:
                owner = user_by_id(db, owner_id)
                return render("school/password_once.html", person=owner, password=password,
                              back_url=url_for("admin.index"))
    return render("admin/index.html", schools=schools(), owners=owners(), school_form=SchoolForm(),
                  owner_form=form), 422


@bp.route("/skoleeiere/<int:user_id>/skoler", methods=["POST"])
def owner_schools(user_id):
    """Change which schools an owner covers."""
    db = get_db()
    owner = store.owner(db, user_id)
    if owner is None:
        from flask import abort

        abort(404)
    valid = {s["id"] for s in schools()}
    chosen = [school for school in map(parse_id, request.form.getlist("school_ids")) if school in valid]
    with transaction(db):
        store.set_schools(db, user_id, chosen)
    flash("Skolene er oppdatert.")
    return redirect(url_for("admin.index"))
