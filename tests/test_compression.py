"""Responses travel compressed: pages per request, static files compressed ahead (whitenoise) and kept by phones."""
import gzip
import re

import brotli
import pytest

from .conftest import make_app


def _body(response):
    """The body as the browser sees it after decoding."""
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.data)
    if encoding == "gzip":
        return gzip.decompress(response.data)
    return response.data


def _static(app, name="trygg.css"):
    """A static file's bytes as they are in the repository."""
    with open(f"{app.static_folder}/{name}", "rb") as file:
        return file.read()


@pytest.mark.parametrize("accept, expected", [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("", None),
                                              ("identity", None)])
def test_static_file_in_the_best_encoding_the_phone_accepts(app, client, accept, expected):
    response = client.get("/static/trygg.css?v=1", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == expected
    assert _body(response) == _static(app)
    assert "Accept-Encoding" in response.headers["Vary"]
    if expected:
        assert len(response.data) < len(_static(app)) / 3  # compressed ahead, at the highest level
    response.close()


def test_a_static_file_linked_by_a_page_is_kept_by_the_phone_until_it_changes(client):
    html = client.get("/logg-inn").get_data(as_text=True)
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        assert re.search(r"\?v=[0-9a-f]{10}$", url), url
        response = client.get(url, headers={"Accept-Encoding": "br"})
        assert response.status_code == 200, url
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and "public" in cache
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600
        response.close()


def test_a_changed_static_file_gets_a_new_url(app, client, tmp_path):
    app.static_folder = str(tmp_path)
    (tmp_path / "trygg.css").write_text("body { color: black; }")
    with app.test_request_context("/"):
        first = app.jinja_env.globals["static_url"]("trygg.css")
    assert first.startswith("/static/trygg.css?v=")
    app.debug = True  # in debug the version is read again; a worker reads it once at its first page
    (tmp_path / "trygg.css").write_text("body { color: navy; }")
    with app.test_request_context("/"):
        assert app.jinja_env.globals["static_url"]("trygg.css") not in (first, "")


def test_revalidating_a_compressed_static_file_gives_304(client):
    first = client.get("/static/trygg.css", headers={"Accept-Encoding": "br"})
    first.close()
    again = client.get("/static/trygg.css", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize("accept, expected", [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("identity", None)])
def test_pages_are_compressed_for_the_phone(client, auth, accept, expected):
    auth.login("ansatt")
    response = client.get("/registrer/ny/bekymring", headers={"Accept-Encoding": accept})
    assert response.headers.get("Content-Encoding") == expected
    assert "Ny registrering" in _body(response).decode()
    assert "Accept-Encoding" in response.headers["Vary"] and "HX-Request" in response.headers["Vary"]
    if expected:
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


@pytest.mark.parametrize("accept", ["br", ""])
def test_a_range_of_a_static_file_is_that_part_of_what_a_whole_request_gets(app, client, accept):
    whole = client.get("/static/trygg.css?v=1", headers={"Accept-Encoding": accept})
    part = client.get("/static/trygg.css?v=1", headers={"Accept-Encoding": accept, "Range": "bytes=0-999"})
    assert part.status_code == 206
    assert part.headers.get("Content-Encoding") == whole.headers.get("Content-Encoding")
    assert part.headers["Content-Range"] == f"bytes 0-999/{len(whole.data)}"
    assert part.data == whole.data[:1000]
    whole.close()
    part.close()
