"""Setting up the school, by its leaders: staff, classes, pupils, the map and its zones."""
import json
import sys

import click
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    request,
    url_for,
)
from flask_login import current_user

from .. import clock
from ..audit import audit
from ..auth.rules import password_problem
from ..auth.store import end_all_sessions
from ..db import get_db, has_schema, transaction
from ..feide import store as feide_store
from ..forms import choices
from ..rendering import render
from ..scope import current_school, get_or_404, parse_id, school_id, school_ids
from .csv_import import CsvProblem, parse_date, read_rows
from .forms import (
    ClassForm,
    PupilForm,
    SettingsForm,
    StaffEditForm,
    StaffForm,
    UploadForm,
    ZoneForm,
)
from .images import ImageProblem, process_map_image
from .rules import (
    PolygonProblem,
    parse_polygon,
    polygon_as_percent_lines,
    pupil_problems,
    svg_points,
)
from .store import (
    AccountProblem,
    add_class,
    add_pupil,
    class_name_taken,
    classes_of,
    create_user,
    map_image_of,
    map_of,
    member_elsewhere,
    one_time_password,
    people_of_school,
    pupil_import_problems,
    pupil_list,
    reset_password,
    save_map,
    school_id_named,
    school_member,
    school_name_problem,
    set_active,
    setup_counts,
    staff_import_problems,
    staff_members,
    store_imported_pupils,
    store_zone,
    update_class,
    update_person,
    update_pupil,
    update_settings,
    user_by_id,
    zone_name_taken,
    zones_of,
)

# cli_group=None: the blueprint's command is `flask create-user`, not `flask school create-user`
bp = Blueprint("school", __name__, url_prefix="/skole", cli_group=None)


@bp.route("/")
def index():
    """The leader's overview of the school's set-up."""
    db = get_db()
    school = current_school()
    return render("school/index.html", school=school, counts=setup_counts(db, school["id"]),
                  has_map=map_of(db, school["id"]) is not None)


# ------------------------------------------------------------------ staff


@bp.route("/ansatte", methods=["GET", "POST"])
def staff():
    """List the school's staff and add one."""
    db = get_db()
    form = StaffForm()
    new_password = None
    if form.validate_on_submit() and not _feide_id_refused(form):
        new_password = one_time_password()
        try:
            # account, password and audit line together: never an account nobody can use
            with transaction(db):
                user_id = create_user(
                    db, username=form.username.data, full_name=form.full_name.data,
                    role=form.role.data, title=form.title.data, email=form.email.data or "",
                    school_ids=[school_id()], password=new_password, must_change_password=True,
                )
                _keep_feide_id(db, user_id, form)
                audit("create", "user", user_id, detail="konto opprettet med engangspassord")
        except AccountProblem as problem:
            form.username.errors.append(str(problem))
        else:
            flash(f"{form.full_name.data} er lagt til.")
            created = user_by_id(db, user_id)
            return render("school/password_once.html", person=created, password=new_password)
    status = 422 if form.errors else 200
    return render("school/staff.html", form=form, people=staff_members(db, school_id())), status


def _feide_id_refused(form, user_id=0):
    """Whether the Feide username cannot be kept (the form then says why); never where Feide is off."""
    db = get_db()
    problem = feide_store.feide_on_at(db, school_id()) and feide_store.feide_id_problem(
        db, form.feide_id.data, user_id)
    if problem:
        form.feide_id.errors.append(problem)
    return bool(problem)


def _keep_feide_id(db, user_id, form):
    """Store the Feide username a leader typed in, where the school's owner uses Feide."""
    if feide_store.feide_on_at(db, school_id()):
        feide_store.set_feide_id(db, user_id, form.feide_id.data or "")


def _member_or_404(user_id):
    member = school_member(get_db(), school_id(), user_id)
    if member is None or member["role"] not in ("staff", "leader"):
        abort(404)
    return member


def _only_here(person):
    """Whether the account belongs to no school outside the leader's own.

    An account that also works at another school can see that school's pupils:
    its password and access are for the operators to change, not one school's leader.
    """
    return not member_elsewhere(get_db(), person["id"], current_user.school_ids)


SHARED_ACCOUNT = ("{name} arbeider også ved en annen skole. Passord og tilgang for kontoen endres av "
                  "driftsansvarlig i kommunen.")


@bp.route("/ansatte/<int:user_id>", methods=["GET", "POST"])
def staff_edit(user_id):
    """Change a staff member's name, position and role."""
    db = get_db()
    person = _member_or_404(user_id)
    link = feide_store.link_of(db, person["id"])
    form = StaffEditForm(data={**person, "feide_id": link["feide_id"] if link else ""})
    if form.validate_on_submit() and not _feide_id_refused(form, person["id"]):
        if person["id"] == current_user.id and form.role.data != "leader":
            form.role.errors.append("Du kan ikke fjerne din egen lederrolle.")
        else:
            with transaction(db):
                # the form's one_line filters have cleaned and stripped the texts
                update_person(db, person["id"], full_name=form.full_name.data, title=form.title.data,
                              email=form.email.data, role=form.role.data)
                _keep_feide_id(db, person["id"], form)
                if form.role.data != person["role"]:
                    end_all_sessions(db, person["id"])
            flash("Endringene er lagret.")
            return redirect(url_for("school.staff"))
    return render("school/staff_edit.html", form=form, person=person), (422 if form.errors else 200)


@bp.route("/ansatte/<int:user_id>/nytt-passord", methods=["POST"])
def staff_reset_password(user_id):
    """Give a staff member a one-time password, shown once."""
    person = _member_or_404(user_id)
    if not _only_here(person):
        flash(SHARED_ACCOUNT.format(name=person["full_name"]))
        return redirect(url_for("school.staff_edit", user_id=person["id"]))
    with transaction():
        password = reset_password(get_db(), person["id"])
        audit("update", "user", person["id"], detail="nytt engangspassord")
    return render("school/password_once.html", person=person, password=password)


@bp.route("/ansatte/<int:user_id>/aktiv", methods=["POST"])
def staff_set_active(user_id):
    """Deactivate or reactivate an account; deactivation ends its sessions at once."""
    person = _member_or_404(user_id)
    active = request.form.get("active") == "1"
    if person["id"] == current_user.id and not active:
        flash("Du kan ikke deaktivere deg selv.")
    elif not _only_here(person):
        flash(SHARED_ACCOUNT.format(name=person["full_name"]))
    else:
        set_active(get_db(), person["id"], active)
        flash(f"{person['full_name']} er {'aktivert' if active else 'deaktivert'}.")
    return redirect(url_for("school.staff"))


@bp.route("/ansatte/import", methods=["GET", "POST"])
def staff_import():
    """Import staff accounts from a CSV file; all rows or none."""
    db = get_db()
    form = UploadForm()
    problems, file_problem, created = [], None, []
    if form.validate_on_submit():
        try:
            problems, accounts = staff_import_problems(db, _uploaded_rows("Filen har ingen rader med ansatte."))
        except CsvProblem as problem:
            file_problem = str(problem)
        if not problems and not file_problem:
            with transaction(db):
                for account in accounts:
                    create_user(db, school_ids=[school_id()], **account)
            created = accounts
    status = 422 if (problems or file_problem) else 200
    return render("school/staff_import.html", form=form, problems=problems,
                  file_problem=file_problem, created=created), status


def _uploaded_bytes():
    upload = request.files.get("file")
    return upload.read() if upload else b""


def _uploaded_rows(no_rows):
    """The uploaded CSV file's rows; CsvProblem if it cannot be read, or with `no_rows` if it has none."""
    _, rows = read_rows(_uploaded_bytes())
    if not rows:
        raise CsvProblem(no_rows)
    return rows


# ------------------------------------------------------------------ classes


def _teacher_choices(db):
    return choices([(0, "Ingen")] + [(p["id"], p["full_name"]) for p in people_of_school(db, school_id())])


@bp.route("/klasser", methods=["GET", "POST"])
def classes():
    """List the classes and add one."""
    db = get_db()
    form = ClassForm()
    form.contact_teacher_id.choices = _teacher_choices(db)
    if form.validate_on_submit():
        name = form.name.data  # cleaned and stripped by the form (one_line)
        if class_name_taken(db, school_id(), name):
            form.name.errors.append(f"Klassen «{name}» finnes allerede.")
        else:
            with transaction(db):
                add_class(db, school_id(), name, form.contact_teacher_id.data or None)
            flash(f"Klassen {name} er lagt til.")
            return redirect(url_for("school.classes"))
    return render("school/classes.html", form=form, classes=classes_of(db, school_id())), (
        422 if form.errors else 200)


@bp.route("/klasser/<int:class_id>", methods=["GET", "POST"])
def class_edit(class_id):
    """Rename a class or change its contact teacher."""
    db = get_db()
    school_class = get_or_404("school_class", class_id)
    form = ClassForm(data={"name": school_class["name"],
                           "contact_teacher_id": school_class["contact_teacher_id"] or 0})
    form.contact_teacher_id.choices = _teacher_choices(db)
    if form.validate_on_submit():
        name = form.name.data
        if class_name_taken(db, school_id(), name, other_than=class_id):
            form.name.errors.append(f"Klassen «{name}» finnes allerede.")
        else:
            with transaction(db):
                update_class(db, class_id, name, form.contact_teacher_id.data or None)
            flash("Klassen er lagret.")
            return redirect(url_for("school.classes"))
    return render("school/class_edit.html", form=form, school_class=school_class), (
        422 if form.errors else 200)


# ------------------------------------------------------------------ pupils


def _class_choices(db):
    return choices([(c["id"], c["name"]) for c in classes_of(db, school_id())])


def _pupil_record(form):
    """The pupil's fields from a valid form, or None after adding the problems to the form."""
    problems = pupil_problems(form.full_name.data, form.birth_date.data or "", clock.today())
    for field, message in problems.items():
        getattr(form, field).errors.append(message[0].upper() + message[1:] + ".")
    get_or_404("school_class", form.class_id.data)
    if problems:
        return None
    birth = parse_date(form.birth_date.data).isoformat() if form.birth_date.data else None
    return {"full_name": form.full_name.data, "class_id": form.class_id.data,
            "birth_date": birth, "active": int(form.active.data)}


@bp.route("/elever", methods=["GET", "POST"])
def pupils():
    """List the pupils, by class, and add one."""
    db = get_db()
    form = PupilForm()
    form.class_id.choices = _class_choices(db)
    if form.validate_on_submit():
        record = _pupil_record(form)
        if record:
            with transaction(db):
                pupil_id = add_pupil(db, school_id(), record, clock.utc_iso_now())
                audit("create", "pupil", pupil_id, pupil_id=pupil_id)
            # flashed messages live in the (signed, not encrypted) cookie: no pupil names there
            flash("Eleven er lagt til.")
            return redirect(url_for("school.pupils", klasse=form.class_id.data))
    class_filter = parse_id(request.args.get("klasse")) or 0
    rows = pupil_list(db, school_id(), class_filter)
    if class_filter:
        form.class_id.data = form.class_id.data or class_filter
    return render("school/pupils.html", form=form, pupils=rows, classes=classes_of(db, school_id()),
                  class_filter=class_filter), (422 if form.errors else 200)


@bp.route("/elever/<int:pupil_id>", methods=["GET", "POST"])
def pupil_edit(pupil_id):
    """Change a pupil's name, class, birth date or whether they are at the school."""
    db = get_db()
    pupil = get_or_404("pupil", pupil_id)
    form = PupilForm(data={
        "full_name": pupil["full_name"], "class_id": pupil["class_id"],
        "birth_date": clock.format_date(pupil["birth_date"]) if pupil["birth_date"] else "",
        "active": bool(pupil["active"])})
    form.class_id.choices = _class_choices(db)
    if form.validate_on_submit():
        record = _pupil_record(form)
        if record:
            with transaction(db):
                update_pupil(db, pupil_id, record)
                audit("update", "pupil", pupil_id, pupil_id=pupil_id)
            flash("Eleven er lagret.")
            return redirect(url_for("school.pupils", klasse=form.class_id.data))
    elif request.method == "GET":
        audit("view", "pupil", pupil_id, pupil_id=pupil_id)
    return render("school/pupil_edit.html", form=form, pupil=pupil), (422 if form.errors else 200)


@bp.route("/elever/import", methods=["GET", "POST"])
def pupil_import():
    """Import pupils from a CSV file; all rows or none."""
    db = get_db()
    form = UploadForm()
    problems, file_problem, created, new_classes = [], None, [], []
    if form.validate_on_submit():
        try:
            problems, pupils_to_create, new_classes = pupil_import_problems(
                db, school_id(), _uploaded_rows("Filen har ingen rader med elever."), clock.today())
        except CsvProblem as problem:
            file_problem = str(problem)
        if not problems and not file_problem:
            with transaction(db):
                store_imported_pupils(db, school_id(), pupils_to_create, new_classes)
                audit("create", "pupil", None, detail=f"CSV-import: {len(pupils_to_create)} elever")
            created = pupils_to_create
        else:
            new_classes = []
    status = 422 if (problems or file_problem) else 200
    return render("school/pupil_import.html", form=form, problems=problems, file_problem=file_problem,
                  created=created, new_classes=new_classes), status


# ------------------------------------------------------------------ map and zones


def _map_page(form, problem=None):
    db = get_db()
    return render("school/map.html", form=form, schoolyard=map_of(db, school_id()),
                  zones=zones_of(db, school_id()), svg_points=svg_points, problem=problem)


@bp.route("/kart", endpoint="map")
def show_map():
    """The schoolyard map with its zones."""
    return _map_page(UploadForm())


@bp.route("/kart", methods=["POST"])
def map_upload():
    """Upload a new schoolyard map (JPEG, PNG or WebP), re-encoded and stripped of EXIF."""
    db = get_db()
    form = UploadForm()
    problem = None
    if form.validate_on_submit():
        try:
            image, width, height = process_map_image(
                _uploaded_bytes(), current_app.config["MAP_MAX_UPLOAD_PIXELS"])
        except ImageProblem as error:
            problem = str(error)
        else:
            with transaction(db):
                save_map(db, school_id(), image, width, height, clock.utc_iso_now())
            flash("Kartet er lagret.")
            return redirect(url_for("school.map"))
    else:
        problem = "Skjemaet er utløpt. Prøv igjen."
    return _map_page(form, problem), 422


@bp.route("/kart/<int:school>/<version>.webp")
def map_image(school, version):
    """The map image; its URL changes with each upload, so it is cached for a year."""
    if school not in school_ids():
        abort(404)
    row = map_image_of(get_db(), school)
    if row is None or row["version"] != version:
        abort(404)
    response = make_response(row["image"])
    response.headers["Content-Type"] = row["content_type"]
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


def _zone_form_page(form, zone, status=200):
    db = get_db()
    return render("school/zone_edit.html", form=form, zone=zone, schoolyard=map_of(db, school_id()),
                  zones=zones_of(db, school_id()), svg_points=svg_points), status


def _save_zone(form, zone_id=None):
    """Validate and store a zone; returns True when saved."""
    db = get_db()
    try:
        polygon = parse_polygon(form.polygon.data)
    except PolygonProblem as problem:
        form.polygon.errors.append(str(problem))
        return False
    name = form.name.data.strip()
    if zone_name_taken(db, school_id(), name, other_than=zone_id):
        form.name.errors.append(f"Sonen «{name}» finnes allerede.")
        return False
    record = {"name": name, "polygon": json.dumps(polygon), "sort_order": form.sort_order.data or 0,
              "active": int(form.active.data)}
    with transaction(db):
        store_zone(db, school_id(), record, zone_id)
    return True


@bp.route("/soner/ny", methods=["GET", "POST"])
def zone_new():
    """Add a zone: a name and an outline on the map (or typed as points)."""
    form = ZoneForm()
    if form.validate_on_submit() and _save_zone(form):
        flash("Sonen er lagt til.")
        return redirect(url_for("school.map"))
    return _zone_form_page(form, None, 422 if form.errors else 200)


@bp.route("/soner/<int:zone_id>", methods=["GET", "POST"])
def zone_edit(zone_id):
    """Rename a zone or redraw its outline."""
    zone = get_or_404("zone", zone_id)
    form = ZoneForm(data={"name": zone["name"], "sort_order": zone["sort_order"],
                          "active": bool(zone["active"]),
                          "polygon": polygon_as_percent_lines(json.loads(zone["polygon"]))})
    if form.validate_on_submit() and _save_zone(form, zone_id):
        flash("Sonen er lagret.")
        return redirect(url_for("school.map"))
    return _zone_form_page(form, zone, 422 if form.errors else 200)


# ------------------------------------------------------------------ settings


@bp.route("/innstillinger", methods=["GET", "POST"])
def settings():
    """The school's name and the thresholds Trygg uses to alert leaders."""
    db = get_db()
    school = current_school()
    form = SettingsForm(data=school)
    if form.validate_on_submit():
        name = form.name.data.strip()
        with transaction(db):
            # checked in the write's transaction: two leaders renaming at once cannot both pass
            problem = school_name_problem(db, name, school["id"])
            if not problem:
                update_settings(db, school["id"], {
                    "name": name, "municipality": (form.municipality.data or "").strip(),
                    "pattern_threshold": form.pattern_threshold.data,
                    "pattern_window_days": form.pattern_window_days.data,
                    "unacknowledged_alert_minutes": form.unacknowledged_alert_minutes.data})
        if problem:
            form.name.errors.append(problem)
        else:
            flash("Innstillingene er lagret.")
            return redirect(url_for("school.index"))
    return render("school/settings.html", form=form), (422 if form.errors else 200)


# ------------------------------------------------------------------ accounts without a browser


@bp.cli.command("create-user")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["staff", "leader", "owner", "admin"]),
              help="What the account may do.")
@click.option("--school", "schools", multiple=True, help="School name (repeat for several).")
@click.option("--name", "full_name", help="Full name (defaults to the username).")
@click.option("--title", default="", help="Position, e.g. rektor.")
def create_user_command(username, role, schools, full_name, title):
    """Create an account; the password is read from standard input."""
    db = get_db()
    if not has_schema(db):
        raise click.ClickException("Databasen finnes ikke. Kjør `flask migrate` først.")
    school_ids = []
    for name in schools:
        school = school_id_named(db, name)
        if school is None:
            raise click.ClickException(f"Fant ingen skole som heter «{name}».")
        school_ids.append(school)
    if role in ("staff", "leader") and not school_ids:
        raise click.ClickException("Ansatte og ledere må høre til en skole: bruk --school.")
    if sys.stdin.isatty():
        password = click.prompt("Passord", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    try:
        create_user(db, username=username, full_name=full_name or username, role=role,
                    title=title, school_ids=school_ids, password=password)
    except AccountProblem as problem:
        raise click.ClickException(str(problem))
    click.echo(f"Opprettet {username} ({role}) i {current_app.config['DATABASE']}")
