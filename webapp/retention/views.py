"""Retention and archive (/oppbevaring): the rules page, the owner's setting, a closed sak's archive export,
and `flask retention run`, the daily deletion of what is due."""
from pathlib import Path

import click
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, url_for
from flask.cli import with_appcontext
from flask_login import current_user
from markupsafe import Markup

from .. import clock
from ..access import is_owner
from ..audit import audit, audit_pupils
from ..db import database_option, each_cli_database, get_db, host_option, transaction
from ..feed import store as records
from ..observation_logs import documents as observation_documents
from ..observation_logs import rules as observation_rules
from ..observation_logs import store as observation_store
from ..rendering import render
from ..saker import documents as sak_documents
from ..saker import rules as routine
from ..saker import store as saker
from ..saker import texts as sak_texts
from ..scope import get_or_404, school_id
from . import documents, rules, store
from .forms import SettingForm

bp = Blueprint("retention", __name__, url_prefix="/oppbevaring")
bp.cli.help = "Retention: `flask retention run` (daily) deletes what the rules say is due."


# ------------------------------------------------------------------ the rules, and the owner's setting


@bp.route("/", methods=["GET"])
@bp.route("/", methods=["POST"], endpoint="setting")
def index():
    """The retention rules in plain Norwegian; owners set the months for notes "løst der og da"."""
    db = get_db()
    form = SettingForm() if is_owner() else None
    if is_owner():
        if form.validate_on_submit():
            with transaction(db):
                store.save_owner_months(db, current_user.id, form.solved_note_months.data, clock.utc_iso_now())
            flash("Oppbevaringstiden er lagret.")
            return redirect(url_for("retention.index"), 303)
        if not form.is_submitted():
            form.solved_note_months.data = (store.owner_months(db, current_user.id)
                                            or rules.SOLVED_NOTE_MONTHS_DEFAULT)
        months = form.solved_note_months.data if not form.errors else store.owner_months(db, current_user.id)
    else:
        months = store.school_months(db, school_id())
    months = months or rules.SOLVED_NOTE_MONTHS_DEFAULT
    today = clock.today()
    return render("retention/index.html", rules_shown=rules.rule_texts(months), months=months, form=form,
                  due_before=rules.solved_notes_due_before(today, months),
                  clean_slate_start=rules.clean_slate_start(today)), (422 if form and form.errors else 200)


# ------------------------------------------------------------------ the archive export of a closed sak


def _leaders_sak(sak_id):
    """A sak of the active school its leaders may see (not one about a leader, which only the owner runs)."""
    sak = get_or_404("sak", sak_id)
    if sak["concerns_leader"]:
        abort(404)
    return sak


@bp.route("/sak/<int:sak_id>")
def archive_page(sak_id):
    """A sak's archive: the export to download and "Marker som arkivert", once it is closed."""
    sak = _leaders_sak(sak_id)
    db = get_db()
    return render("retention/archive.html", sak=sak, can_archive=rules.can_archive(sak),
                  archived_by_name=store.archived_by_name(db, sak))


@bp.route("/sak/<int:sak_id>/arkivuttrekk.zip")
def archive_export(sak_id):
    """A closed sak's archive export: every document as .docx and PDF/A, and arkivuttrekk.xml (audited)."""
    sak = _leaders_sak(sak_id)
    if sak["phase"] != "avsluttet":
        abort(409)
    data = archive_zip(get_db(), sak)
    audit("export", "sak", sak["id"], pupil_id=sak["pupil_id"], school_id=sak["school_id"], detail="arkivuttrekk")
    response = make_response(data)
    response.headers["Content-Type"] = "application/zip"
    response.headers.set("Content-Disposition", "attachment", filename=f"arkivuttrekk-sak-{sak_id}.zip")
    return response


@bp.route("/sak/<int:sak_id>/arkiver", methods=["POST"])
def archive(sak_id):
    """Mark a closed sak as handed to the archive (audited); an open sak cannot be."""
    sak = _leaders_sak(sak_id)
    db = get_db()
    if not rules.can_archive(sak):
        message = ("Saken er allerede merket som arkivert." if sak["archived_at"]
                   else "Saken er ikke avsluttet. Bare en avsluttet sak kan leveres til arkivet.")
        return render("retention/archive.html", sak=sak, can_archive=False, error=message,
                      archived_by_name=store.archived_by_name(db, sak)), 409
    with transaction(db):
        saker.archive_sak(db, sak, current_user.id, clock.now())
        audit("update", "sak", sak["id"], pupil_id=sak["pupil_id"], school_id=sak["school_id"], detail="arkivert")
    flash("Saken er merket som arkivert.")
    return redirect(url_for("retention.archive_page", sak_id=sak_id), 303)


def _pdf(template, title, **context):
    """A printable template's content as PDF/A, with the archive's own style sheet (trygg.css is for screens)."""
    body = Markup(render_template(template, fragment=True, **context))
    html = render_template("retention/archive_document.html", title=title, body=body)
    static = Path(current_app.static_folder)
    return documents.pdf_a(html, [static / "archive.css"], base_url=str(static))


def archive_documents(db, sak):
    """The sak's documents, each as .docx and PDF/A: the whole case, the letter, the aktivitetsplan,
    and each systematic observation attached to it."""
    now = clock.now()
    bundle = saker.case_bundle(db, sak)
    for plan in bundle["observation_plans"]:
        plan["print_url"] = f"observasjon-{plan['id']}"
    found = [{
        "name": f"sak-{sak['id']}", "title": f"Sak nr. {sak['id']} – hele saken", "kind": "Saksdokument",
        "dated": (sak["closed_at"] or "")[:10],
        "docx": sak_documents.export_docx(bundle),
        "pdf": _pdf("saker/export.html", f"Sak nr. {sak['id']}", **bundle,
                    plan_doc=sak_documents.plan_values(bundle), phase_labels=routine.PHASE_LABELS,
                    talk_labels=routine.TALK_LABELS, role_labels=records.ROLE_LABELS,
                    label_names=records.LABEL_NAMES, channel_text=sak_documents.channel_text,
                    meeting_text=sak_documents.meeting_text, texts=sak_texts)}]
    letter_bundle = saker.letter_bundle(db, sak)
    letter = sak_documents.letter_values(letter_bundle, now.date())
    found.append({
        "name": "melding-om-mottatt-bekymring", "title": "Melding om mottatt bekymring (Vedlegg 10)",
        "kind": "Brev", "journalposttype": "Utgående dokument",
        "dated": ((letter_bundle["letter"] or {}).get("letter_on") or "")[:10],
        "docx": sak_documents.letter_docx(letter_bundle, now.date()),
        "pdf": _pdf("saker/_letter_document.html", "Melding om mottatt bekymring", letter=letter,
                    school=letter_bundle["school"])})
    if bundle["plan"]:
        plan_bundle = saker.plan_bundle(db, sak)
        found.append({
            "name": "aktivitetsplan", "title": "Aktivitetsplan med barnets beste (Vedlegg 12 og 13)",
            "kind": "Aktivitetsplan", "dated": (bundle["plan"]["updated_at"] or "")[:10],
            "docx": sak_documents.plan_docx(plan_bundle),
            "pdf": _pdf("saker/plan_print.html", "Aktivitetsplan", sak=sak,
                        plan=sak_documents.plan_values(plan_bundle), texts=sak_texts)})
    for attached in bundle["observation_plans"]:
        plan = get_or_404("observation_plan", attached["id"])
        data = _observation_data(db, plan, now)
        found.append({
            "name": f"observasjon-{plan['id']}", "title": f"Systematisk observasjon (Vedlegg 8), {plan['starts_on']}",
            "kind": "Observasjonslogg", "dated": plan["ends_on"],
            "docx": observation_documents.docx(data, now),
            "pdf": _pdf("observation_logs/print.html", "Systematisk observasjon",
                        printed_at=clock.to_utc_iso(now), **data)})
    return bundle, found


def _observation_data(db, plan, now):
    """What an attached observation's documents show (as observation_logs' export reads it), audited."""
    contents, kept = observation_store.export_contents(db, plan, now, current_user)
    audit_pupils("export", "observation_plan", plan["id"], observation_rules.pupils_shown(plan, kept),
                 detail="arkivuttrekk")
    return contents


def archive_zip(db, sak):
    """The archive export's bytes."""
    bundle, found = archive_documents(db, sak)
    meta = {"sak_id": sak["id"], "school_id": sak["school_id"], "school": bundle["school"]["name"],
            "title": f"Sak nr. {sak['id']} om skolemiljøet til {bundle['pupil']['full_name']}",
            "opened_at": sak["opened_at"], "closed_at": sak["closed_at"], "owner_name": bundle["owner_name"],
            "exported_at": clock.utc_iso_now(), "exported_by": current_user.full_name}
    return documents.archive_zip(meta, found)


# ------------------------------------------------------------------ the daily run


@bp.cli.command("run")
@click.option("--dry-run", is_flag=True, help="List what would be deleted (counts and ids), delete nothing.")
@host_option
@database_option
@with_appcontext
def run_command(dry_run, host, database):
    """Delete the notes "løst der og da" that are due (run daily), in each owner's database; every deletion audited."""
    today = clock.today()
    total = deleted = 0
    for path, db in each_cli_database(host, database):
        if host or database or current_app.config.get("TENANTS"):
            click.echo(f"Databasen {path}:")
        for school in store.due_everywhere(db, today):
            due = school["due"]
            total += len(due)
            notes = [note_id for record in due for note_id, _ in record["notes"]]
            click.echo(f"Skole {school['school_id']}: {len(due)} observasjoner «løst der og da» fra før "
                       f"{school['before'].isoformat()} ({school['months']} måneder), {len(notes)} notater"
                       + (f"; observasjoner {', '.join(str(r['observation_id']) for r in due)}"
                          f"; notater {', '.join(str(n) for n in notes) or '–'}" if due else ""))
            if due and not dry_run:
                deleted += store.delete_notes(db, school["school_id"], due)
    click.echo(f"Ville slettet {total} observasjoner i alt." if dry_run else f"Slettet {deleted} observasjoner i alt.")
