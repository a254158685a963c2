"""Two school owners on one machine: each host name has its own database (TENANTS)."""
import shutil

import pytest
from flask.testing import FlaskClient

from webapp.db import connect

from . import data
from .conftest import TEMPLATE, Auth, make_app
from .test_capture_views import NOW, save

HOST_A, HOST_B = "trygg.kommune-a.no", "trygg.kommune-b.no"


@pytest.fixture
def paths(tmp_path):
    """Each owner's database file, both starting as the test schools."""
    owners = {HOST_A: tmp_path / "kommune-a.sqlite", HOST_B: tmp_path / "kommune-b.sqlite"}
    for path in owners.values():
        shutil.copyfile(TEMPLATE["path"], path)
    return owners


@pytest.fixture
def app(tmp_path, paths):
    return make_app(tmp_path, NOW=NOW, TENANTS={host: str(path) for host, path in paths.items()})


class HostClient(FlaskClient):
    """A browser on one host name: every request goes to it (and its cookies are that host's)."""

    host = "localhost"

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", f"http://{self.host}")
        return super().open(*args, **kwargs)


def on_host(app, host):
    """A browser that opens every page on this host name."""
    app.test_client_class = HostClient
    client = app.test_client()
    client.host = host
    return client


def client_on(app, host):
    """A signed-in staff member's browser on the owner's host name."""
    auth = Auth(on_host(app, host))
    assert auth.login("ansatt").status_code == 302
    return auth


def observations(path):
    """The facts of every observation in the database file."""
    db = connect(str(path))
    try:
        return [row[0] for row in db.execute("SELECT facts FROM observation")]
    finally:
        db.conn.close()


def test_a_record_saved_on_one_owners_host_is_in_that_database_only(app, paths):
    on_a, on_b = client_on(app, HOST_A), client_on(app, HOST_B)
    response = save(on_a, kind="positive", pupil=[str(data.PUPIL_A)], label=["inkludering"],
                    facts="Hjalp en ny elev inn i leken.")
    assert response.status_code == 303
    assert observations(paths[HOST_A]) == ["Hjalp en ny elev inn i leken."]
    assert observations(paths[HOST_B]) == []
    # the receipt is there on A; the same id on B is another owner's database, where it does not exist
    location = response.headers["Location"]
    assert on_a.client.get(location).status_code == 200
    assert on_b.client.get(location).status_code == 404
    # the port in the Host header does not matter
    assert on_a.client.get(location, base_url=f"http://{HOST_A.upper()}:8000").status_code == 200


def test_a_host_name_not_configured_is_404(app):
    client = on_host(app, "trygg.ukjent.no")
    assert client.get("/logg-inn").status_code == 404
    assert client.get("/").status_code == 404


def test_signing_in_on_one_host_does_not_sign_in_on_the_other(app, paths):
    db = connect(str(paths[HOST_B]))
    db.execute("UPDATE user SET password_hash = 'annet' WHERE username = 'ansatt'")
    db.conn.close()
    assert Auth(on_host(app, HOST_A)).login("ansatt").status_code == 302
    # B's accounts are B's own: A's password does not open B's "ansatt"
    assert Auth(on_host(app, HOST_B)).login("ansatt").status_code != 302


def test_migrate_and_backup_take_a_host_or_every_owner(app, paths, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["migrate"])
    assert result.exit_code == 0, result.output
    assert str(paths[HOST_A]) in result.output and str(paths[HOST_B]) in result.output
    result = runner.invoke(args=["backup", str(tmp_path / "kopier")])
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "kopier").iterdir()} == {f"{HOST_A}.sqlite", f"{HOST_B}.sqlite"}
    result = runner.invoke(args=["backup", str(tmp_path / "a.sqlite"), "--host", HOST_A])
    assert result.exit_code == 0 and (tmp_path / "a.sqlite").exists()
    result = runner.invoke(args=["migrate", "--host", "trygg.ukjent.no"])
    assert result.exit_code != 0 and "Fant ikke vertsnavnet" in result.output


def test_audit_seal_and_verify_work_on_every_owners_chain_each_sealed_beside_its_database(app, paths):
    save(client_on(app, HOST_A), kind="positive", facts="Hjalp til.")  # audit lines in each owner's chain
    save(client_on(app, HOST_B), kind="positive", facts="Delte ballen.")
    save(client_on(app, HOST_B), kind="positive", facts="Ventet på tur.", client_id="form-0000000002")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "seal"])
    assert result.exit_code == 0, result.output
    heads = {host: path.with_name(f"{path.stem}-audit-head.txt") for host, path in paths.items()}
    assert all(head.exists() for head in heads.values())
    assert heads[HOST_A].read_text() != heads[HOST_B].read_text()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert str(paths[HOST_A]) in result.output and str(paths[HOST_B]) in result.output
    result = runner.invoke(args=["audit", "verify", "--host", HOST_B])
    assert result.exit_code == 0 and str(paths[HOST_A]) not in result.output
    # one head file given is one database's
    result = runner.invoke(args=["audit", "verify", "--head-file", str(heads[HOST_A])])
    assert result.exit_code != 0 and "velg den med --host" in result.output
    assert runner.invoke(args=["audit", "verify", "--head-file", str(heads[HOST_A]), "--host", HOST_A]).exit_code == 0


def test_the_retention_run_goes_through_every_owners_database(app, paths, tmp_path):
    result = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"Databasen {paths[HOST_A]}:" in result.output and f"Databasen {paths[HOST_B]}:" in result.output
    missing = app.test_cli_runner().invoke(args=["retention", "run", "--database", str(tmp_path / "nei.sqlite")])
    assert missing.exit_code != 0 and "Fant ikke databasen" in missing.output
    assert not (tmp_path / "nei.sqlite").exists()


def test_without_tenants_every_host_is_the_one_database(tmp_path):
    app = make_app(tmp_path, NOW=NOW)
    assert on_host(app, "hva-som-helst.example").get("/logg-inn").status_code == 200
