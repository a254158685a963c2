"""Operators: create schools with their first leader, and school owner accounts."""
from flask import Blueprint, abort, flash, redirect, request, url_for

from .. import clock
from ..db import get_db, transaction
from ..forms import choices
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
from .forms import OwnerForm, SchoolForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(schools, school_form, owner_form):
    """The operators' page: the schools, the owners and the two forms (one as it was sent, when refused)."""
    return render("admin/index.html", schools=schools, owners=store.owners(get_db()),
                  school_form=school_form, owner_form=owner_form)


@bp.route("/")
def index():
    """Schools and school owners."""
    return _page(store.schools(get_db()), SchoolForm(), OwnerForm())


@bp.route("/skoler/ny", methods=["POST"])
def school_new():
    """Create a school and its first leader, who gets a one-time password."""
    db = get_db()
    form = SchoolForm()
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
    # read after the write's transaction: a school created meanwhile, under the same name, is listed
    return _page(store.schools(db), form, OwnerForm()), 422


@bp.route("/skoleeiere/ny", methods=["POST"])
def owner_new():
    """Create a school owner account covering one or more schools."""
    db = get_db()
    schools = store.schools(db)
    form = OwnerForm()
    form.school_ids.choices = choices([(school["id"], school["name"]) for school in schools])
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
    return _page(schools, SchoolForm(), form), 422


@bp.route("/skoleeiere/<int:user_id>/skoler", methods=["POST"])
def owner_schools(user_id):
    """Change which schools an owner covers."""
    db = get_db()
    owner = store.owner(db, user_id)
    if owner is None:
        abort(404)
    valid = {school["id"] for school in store.schools(db)}
    chosen = [school for school in map(parse_id, request.form.getlist("school_ids")) if school in valid]
    with transaction(db):
        store.set_schools(db, user_id, chosen)
    flash("Skolene er oppdatert.")
    return redirect(url_for("admin.index"))
