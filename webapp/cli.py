"""Command-line tasks for operators: the demo data (accounts: `flask create-user`, in school/views.py),
the audit log's chain (`flask audit verify`, `flask audit seal`, in audit.py).
"""
import click
from flask.cli import with_appcontext

from .audit import audit_cli
from .db import get_db, has_schema, migrate


@click.command("seed-demo")
@with_appcontext
@click.option("--if-missing", is_flag=True, help="Do nothing (but print the log-ins) if the demo is already loaded.")
def seed_demo_command(if_missing):
    """Load the fictional demo schools and log-ins (refuses if real schools exist)."""
    from .demo import has_demo, has_real_schools, login_summary, seed_demo

    db = get_db()
    if not has_schema(db):
        migrate(db)
    if has_real_schools(db):
        raise click.ClickException(
            "Databasen inneholder ekte skoler. Demodata legges bare inn i en egen database.")
    if has_demo(db):
        if not if_missing:
            raise click.ClickException("Demodata er allerede lagt inn.")
    else:
        seed_demo(db)
        click.echo("Demodata er lagt inn.")
    click.echo(login_summary())


def init_app(app):
    """Register the commands."""
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(audit_cli)
