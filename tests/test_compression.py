"""Responses travel compressed: pages per request, static files compressed once and kept."""
import gzip

import brotli
import pytest

from webapp import compression

from .conftest import make_app


def _body(response):
    """The body as the browser sees it after decoding."""
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.data)
    if encoding == "gzip":
        return gzip.decompress(response.data)
    return response.data


@pytest.mark.parametrize("accept, expected", [
    ("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("", None), ("identity", None)])
def test_static_file_in_the_best_encoding_the_phone_accepts(app, client, accept, expected):
    original = (app.root_path + "/../static/trygg.css")
    with open(original, "rb") as file:
        original = file.read()
    response = client.get("/static/trygg.css?v=1", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == expected
    assert _body(response) == original
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    if expected:
        assert len(response.data) < len(original) / 3
        assert response.headers["ETag"].endswith(f':{expected}"')


def test_static_file_is_compressed_once_and_answered_from_memory(client, monkeypatch):
    compression._STATIC.clear()
    client.get("/static/trygg.css", headers={"Accept-Encoding": "br"})
    calls = []
    monkeypatch.setattr(compression.brotli, "compress", lambda *args, **kwargs: calls.append(1))
    again = client.get("/static/trygg.css", headers={"Accept-Encoding": "br"})
    assert calls == [] and again.headers["Content-Encoding"] == "br"


def test_revalidating_a_compressed_static_file_gives_304(client):
    first = client.get("/static/trygg.css", headers={"Accept-Encoding": "br"})
    again = client.get("/static/trygg.css", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_pages_are_compressed_for_the_phone(client, auth):
    auth.login("ansatt")
    response = client.get("/registrer/ny/bekymring", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "Ny registrering" in _body(response).decode()
    assert len(response.data) < len(_body(response)) / 2


def test_page_compression_levels_are_configurable(tmp_path):
    sizes = {}
    for level in (0, 11):
        app = make_app(tmp_path / str(level), COMPRESS_BR_LEVEL=level)
        client = app.test_client()
        page = client.get("/logg-inn", headers={"Accept-Encoding": "br"})
        assert page.headers["Content-Encoding"] == "br"
        sizes[level] = len(page.data)
    assert sizes[11] < sizes[0]


def test_small_and_already_compressed_responses_are_left_alone(client, auth):
    auth.login("leder")
    small = client.get("/meldinger/teller", headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in small.headers and "Accept-Encoding" in small.headers["Vary"]


def test_a_range_of_a_static_file_is_sent_as_it_is(app, client):
    with open(app.root_path + "/../static/trygg.css", "rb") as file:
        original = file.read()
    part = client.get("/static/trygg.css?v=1", headers={"Accept-Encoding": "br", "Range": "bytes=0-999"})
    assert part.status_code == 206
    assert "Content-Encoding" not in part.headers
    assert part.data == original[:1000]
