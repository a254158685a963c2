"""Compressed responses for phones outdoors: pages quickly, static files once and well.

Pages are compressed per request at a low brotli quality: on the 18 KB
capture form quality 1 costs 70 µs where the default 4 costs 270 µs, for
5.3 KB instead of 4.6 KB on the wire. Static files never change under their
versioned URL, so each is compressed once, at the highest quality, and the
result kept in memory for every later request.

This is a few lines of our own rather than flask-compress: it runs on every
response, and doing only what Trygg needs takes a third of the time.
"""
import functools
import gzip

import brotli
from flask import request
from werkzeug.http import parse_accept_header

# what is worth compressing; images and .docx files are compressed already
COMPRESSIBLE = frozenset({
    "text/html", "text/css", "text/plain", "text/csv", "text/xml", "text/javascript",
    "application/javascript", "application/json", "application/manifest+json", "application/xml",
    "image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon",
})
# a body smaller than this gains nothing worth the bytes of the header
MIN_SIZE = 500
# pages: brotli and gzip levels, FLASK_COMPRESS_BR_LEVEL and FLASK_COMPRESS_LEVEL
LEVELS = {"br": 1, "gzip": 3}

# compressed static files by (encoding, content); bounded in case files change (debug)
_STATIC = {}
_STATIC_LIMIT = 256


@functools.lru_cache(maxsize=64)
def best_encoding(accept_encoding):
    """The encoding to answer an Accept-Encoding header with: brotli, else gzip, else None."""
    return parse_accept_header(accept_encoding).best_match(("br", "gzip"))


def static_compressed(data, encoding):
    """A static file's bytes compressed with the encoding, from memory after the first time."""
    key = (encoding, data)
    if key not in _STATIC:
        if len(_STATIC) >= _STATIC_LIMIT:
            _STATIC.clear()
        _STATIC[key] = brotli.compress(data, quality=11) if encoding == "br" else gzip.compress(data, 9)
    return _STATIC[key]


def compress_response(response, levels=LEVELS):
    """Compress a page as it goes out, or a static file from memory; caches learn it varies by encoding."""
    headers = response.headers
    if response.mimetype not in COMPRESSIBLE:
        return response
    vary = headers.get("Vary")
    if not vary:
        headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower():
        headers["Vary"] = f"{vary}, Accept-Encoding"
    static = request.endpoint == "static"
    # a static file only whole (200): a part of one (206, a Range request) stays as the range describes it
    if ((response.status_code != 200 if static else not 200 <= response.status_code < 300)
            or "Content-Encoding" in headers or (response.is_streamed and not static)):
        return response
    encoding = best_encoding(request.headers.get("Accept-Encoding", ""))
    if encoding is None:
        return response
    if response.direct_passthrough:
        # a static file: read whole, so the file is closed here and the body can be compressed
        response.direct_passthrough = False
        response.make_sequence()
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    if static:
        response.set_data(static_compressed(data, encoding))
    elif encoding == "br":
        response.set_data(brotli.compress(data, quality=levels["br"]))
    else:
        response.set_data(gzip.compress(data, levels["gzip"]))
    headers["Content-Encoding"] = encoding
    if static:
        etag, weak = response.get_etag()
        if etag and not weak:
            response.set_etag(f"{etag}:{encoding}")
        return response.make_conditional(request)
    return response


def init_app(app):
    """Compress every response on its way out, pages at the configured levels."""
    levels = {"br": int(app.config.get("COMPRESS_BR_LEVEL", LEVELS["br"])),
              "gzip": int(app.config.get("COMPRESS_LEVEL", LEVELS["gzip"]))}
    app.after_request(functools.partial(compress_response, levels=levels))
