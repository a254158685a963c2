"""Command-line tasks for operators: demo data and accounts."""
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from .db import get_db, has_schema, migrate, one


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


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["staff", "leader", "owner", "admin"]),
              help="What the account may do.")
@click.option("--school", "schools", multiple=True, help="School name (repeat for several).")
@click.option("--name", "full_name", help="Full name (defaults to the username).")
@click.option("--title", default="", help="Position, e.g. rektor.")
def create_user_command(username, role, schools, full_name, title):
    """Create an account; the password is read from standard input."""
    from .school.accounts import AccountProblem, create_user
    from .security import password_problem

    db = get_db()
    if not has_schema(db):
        raise click.ClickException("Databasen finnes ikke. Kjør `flask migrate` først.")
    school_ids = []
    for name in schools:
        school = one(db, "SELECT id FROM school WHERE name = ?", [name])
        if school is None:
            raise click.ClickException(f"Fant ingen skole som heter «{name}».")
        school_ids.append(school["id"])
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


def init_app(app):
    """Register the commands."""
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_user_command)
