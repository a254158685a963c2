"""Command-line tasks: every command has help; accounts and demo data without a browser."""
import pytest

from webapp import create_app
from webapp.db import connect, migrate
from webapp.demo import DEMO_PASSWORD

from . import data
from .conftest import Auth

COMMANDS = ["init-db", "migrate", "seed-demo", "create-user", "retention", "reset-second-factor"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_text(app, command):
    result = app.test_cli_runner().invoke(args=[command, "--help"])
    assert result.exit_code == 0
    assert app.cli.get_command(None, command).help


def test_create_user_reads_password_from_stdin(app, db):
    result = app.test_cli_runner().invoke(
        args=["create-user", "nils.nilsen", "--role", "leader", "--school", "Testbakken skole",
              "--name", "Nils Nilsen"], input="et godt passord her\n")
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert Auth(client).login("nils.nilsen", "et godt passord her").status_code == 302


def test_create_user_with_unknown_school_fails(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "x.y", "--role", "staff", "--school", "Finnes Ikke"], input="et godt passord her\n")
    assert result.exit_code != 0 and "Fant ingen skole" in result.output


def test_seed_demo_refuses_database_with_real_schools(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "ekte skoler" in result.output


@pytest.fixture
def empty_app(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE": str(tmp_path / "demo.sqlite"),
                      "SESSION_COOKIE_SECURE": False})
    migrate(connect(app.config["DATABASE"]))
    return app


def test_seed_demo_loads_the_demo_school_once(empty_app):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--if-missing"])
    assert first.exit_code == 0, first.output
    for username in ["ansatt", "leder", "skoleeier", "admin", "ansatt2"]:
        assert username in first.output
    assert DEMO_PASSWORD in first.output
    again = runner.invoke(args=["seed-demo", "--if-missing"])
    assert again.exit_code == 0 and "ansatt" in again.output
    db = connect(empty_app.config["DATABASE"])
    assert db["school"].count == 2
    assert sorted(r[0] for r in db.execute(
        "SELECT name FROM zone WHERE school_id = 1")) == ["Idrettsplass", "Tunet", "Øvre/nedre"]
    classes = db.execute("SELECT school_class.name, count(*) FROM pupil JOIN school_class "
                         "ON school_class.id = pupil.class_id WHERE pupil.school_id = 1 GROUP BY 1").fetchall()
    assert len(classes) == 4 and all(18 <= count <= 22 for _, count in classes)
    assert runner.invoke(args=["seed-demo"]).exit_code != 0  # plain seed-demo twice is refused


def test_demo_logins_work(empty_app):
    empty_app.test_cli_runner().invoke(args=["seed-demo"])
    for username in ["ansatt", "leder", "skoleeier", "admin", "ansatt2"]:
        client = empty_app.test_client()
        assert Auth(client).login(username, DEMO_PASSWORD).status_code == 302, username
        assert client.get("/", follow_redirects=True).status_code == 200


def test_reset_second_factor_removes_it_and_ends_the_sessions(app, db):
    from .conftest import login

    client, _ = login(app, "leder")
    assert client.get("/meldinger/").status_code == 200
    result = app.test_cli_runner().invoke(args=["reset-second-factor", "LEDER"])
    assert result.exit_code == 0, result.output
    assert db["second_factor"].count_where("user_id = ?", [data.LEADER]) == 0
    assert client.get("/meldinger/").status_code == 302
    assert app.test_cli_runner().invoke(args=["reset-second-factor", "finnes.ikke"]).exit_code != 0
