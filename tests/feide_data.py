"""Feide in the tests: the loopback provider, an app that uses it, the log-in dance through the test client."""
from urllib.parse import urlsplit

import pytest
import requests

from webapp.db import connect, get_db
from webapp.feide import store

from . import data
from .conftest import make_app
from .oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, basis_group, feide_user

KARI = feide_user("sub-kari-0001", "kari.laerer@testbakken.no", email="kari@testbakken.no", name="Kari Lærer",
                  groups=[basis_group("5a", "5A basisgruppe"), basis_group("6a", "6A basisgruppe")])
RITA = feide_user("sub-rita-0002", "rita.rektor@testbakken.no", email="rita@testbakken.no", name="Rita Rektor")
STRANGER = feide_user("sub-ukjent-0003", "ukjent@annenkommune.no", email="ukjent@annenkommune.no")


@pytest.fixture(scope="session")
def provider():
    """The provider, started once: each test resets what it is told and what it has seen."""
    with Provider() as running:
        yield running


@pytest.fixture
def idp(provider):
    """The provider as a new test finds it: nobody logging in, behaving well, nothing seen."""
    provider.user, provider.misbehave = None, None
    provider.authorizations.clear()
    provider.end_sessions.clear()
    return provider


def feide_settings(app, *, enabled=True, mfa_required=False, passwords_off=False):
    """The test owner's Feide choices (the owner covers both test schools)."""
    with app.app_context():
        store.save_owner_settings(get_db(), data.OWNER, enabled=enabled, mfa_required=mfa_required,
                                  passwords_off=passwords_off)


def link(app, user_id, feide_id):
    """A leader's Feide username on an account."""
    with app.app_context():
        store.set_feide_id(get_db(), user_id, feide_id)


@pytest.fixture
def feide_app(tmp_path, idp):
    """An app registered with the loopback provider, its owner having switched Feide on, Kari linked."""
    app = make_app(tmp_path, FEIDE_CLIENT_ID=CLIENT_ID, FEIDE_CLIENT_SECRET=CLIENT_SECRET, FEIDE_ISSUER=idp.url,
                   FEIDE_GROUPS_URL=idp.url + "/groups/me/groups")
    feide_settings(app)
    link(app, data.STAFF, KARI["feide_id"])
    return app


@pytest.fixture
def feide_db(feide_app):
    database = connect(feide_app.config["DATABASE"])
    yield database
    database.conn.close()


def feide_dance(client):
    """Click "Logg inn med Feide", let the provider answer over HTTP, and bring its answer back: the response."""
    start = client.get("/feide/logg-inn")
    assert start.status_code == 302, start.status_code
    at_provider = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")
