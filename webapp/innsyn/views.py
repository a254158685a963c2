"""Innsyn (/innsyn): a leader releases a copy of everything recorded about one pupil, to the pupil or the
parents, other pupils as "Elev A", "Elev B" …; the record of copies released; fortrolig adresse."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from .. import clock, docx_template, submissions
from ..audit import audit
from ..db import get_db, transaction
from ..rendering import render
from ..school.store import names_of_people, pupil_list, pupil_with_class
from ..scope import get_or_404, school_id
from . import documents, rules
from . import store as innsyn
from .forms import ExportForm

bp = Blueprint("innsyn", __name__, url_prefix="/innsyn")


@bp.context_processor
def words():
    """The words the templates show for stored keys."""
    return {"recipients": rules.RECIPIENTS, "sections": innsyn.SECTIONS}


@bp.route("/")
def index():
    """The record of copies released at the school: when, by whom, to whom, how many records."""
    return render("innsyn/index.html", exports=innsyn.exports(get_db(), school_id()))


def _pupil_page(pupil, form, client_id, status=200):
    """A pupil's innsyn page: fortrolig adresse, a new copy, the copies released before."""
    return render("innsyn/pupil.html", pupil=pupil, form=form, client_id=client_id,
                  exports=innsyn.exports(get_db(), school_id(), pupil["id"])), status


@bp.route("/elev/<int:pupil_id>")
def pupil(pupil_id):
    """A pupil's innsyn page; viewing it is audited."""
    get_or_404("pupil", pupil_id)
    row = pupil_with_class(get_db(), pupil_id)
    audit("view", "innsyn", pupil_id, pupil_id=pupil_id)
    return _pupil_page(row, ExportForm(formdata=None), submissions.new_client_id())


@bp.route("/elev/<int:pupil_id>", methods=["POST"], endpoint="export")
def export_new(pupil_id):
    """Release a copy: build the document, keep it and who had it, audit it, then show it."""
    get_or_404("pupil", pupil_id)
    db = get_db()
    row = pupil_with_class(db, pupil_id)
    form = ExportForm()
    client_id = submissions.client_id_of(request.form)
    if not form.validate_on_submit() or client_id is None:
        if client_id is None and not form.errors:
            flash(submissions.INCOMPLETE)
        return _pupil_page(row, form, client_id or submissions.new_client_id(), 422)
    earlier = innsyn.earlier_export(db, current_user.id, client_id)
    if earlier:  # a double tap or a resend: the copy made the first time
        return redirect(url_for("innsyn.show", export_id=earlier["id"]), 303)
    now = clock.now()
    # the document is built before the write starts, so the database is not held while Word's file is made
    bundle = innsyn.everything_about(db, row)
    redactor = rules.Redactor(row, pupil_list(db, row["school_id"]), names_of_people(db, row["school_id"]),
                              hidden=rules.own_details_hidden(row, bundle["school"]["name"]))
    document, redactions = documents.export_docx(
        bundle, redactor=redactor, recipient=form.recipient.data, recipient_name=form.recipient_name.data,
        released_by=current_user.full_name, now=now)
    counts = innsyn.counts(bundle)
    with transaction(db):
        earlier = innsyn.earlier_export(db, current_user.id, client_id)
        if earlier:  # the same form sent twice at once: the first one's copy
            return redirect(url_for("innsyn.show", export_id=earlier["id"]), 303)
        export_id = innsyn.record_export(
            db, school_id=row["school_id"], pupil_id=pupil_id, user_id=current_user.id,
            recipient=form.recipient.data, recipient_name=form.recipient_name.data, section_counts=counts,
            redacted=len(redactor.aliases), document=document, client_id=client_id, now=now)
        # ids and counts only: the recipient's name is in innsyn_export, not in the audit trail
        audit("export", "innsyn", export_id, pupil_id=pupil_id, school_id=row["school_id"],
              detail=f"til {form.recipient.data}; {sum(counts.values())} registreringer; "
                     f"{len(redactions)} sladdet")
    flash("Kopien er laget. Last den ned og gi den til mottakeren.")
    return redirect(url_for("innsyn.show", export_id=export_id), 303)


def _export_or_404(export_id):
    """A copy released at the active school, or 404."""
    row = innsyn.export(get_db(), export_id)
    if row is None or row["school_id"] != school_id():
        abort(404)
    return row


@bp.route("/<int:export_id>")
def show(export_id):
    """One copy released: to whom, when, what it holds, and the file."""
    row = _export_or_404(export_id)
    audit("view", "innsyn", export_id, pupil_id=row["pupil_id"], school_id=row["school_id"])
    return render("innsyn/show.html", export=row)


@bp.route("/<int:export_id>.docx")
def download(export_id):
    """The copy as it was released (Word); audited as an export."""
    row = _export_or_404(export_id)
    audit("export", "innsyn", export_id, pupil_id=row["pupil_id"], school_id=row["school_id"],
          detail="lastet ned")
    return docx_template.download(innsyn.document_of(get_db(), export_id), f"innsyn-{export_id}.docx")


@bp.route("/elev/<int:pupil_id>/fortrolig", methods=["POST"])
def confidential(pupil_id):
    """Mark a pupil as having a fortrolig adresse, or take the mark off."""
    get_or_404("pupil", pupil_id)
    marked = request.form.get("fortrolig") == "1"
    db = get_db()
    with transaction(db):
        innsyn.set_confidential_address(db, pupil_id, marked)
        audit("update", "pupil", pupil_id, pupil_id=pupil_id, detail=f"fortrolig adresse: {'ja' if marked else 'nei'}")
    flash("Eleven er merket med fortrolig adresse." if marked else "Merket fortrolig adresse er tatt bort.")
    return redirect(url_for("innsyn.pupil", pupil_id=pupil_id), 303)
