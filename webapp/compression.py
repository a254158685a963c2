"""Compressed pages for phones outdoors (static files come pre-compressed from whitenoise).

Pages are compressed per request at a low brotli quality: on the 18 KB
capture form quality 1 costs 70 µs where the default 4 costs 270 µs, for
5.3 KB instead of 4.6 KB on the wire.

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

@functools.lru_cache(maxsize=64)
def best_encoding(accept_encoding):
    """The encoding to answer an Accept-Encoding header with: brotli, else gzip, else None."""
    return parse_accept_header(accept_encoding).best_match(("br", "gzip"))


def compress_response(response, levels=LEVELS):
    """Compress a page as it goes out; caches learn it varies by encoding."""
    headers = response.headers
    if response.mimetype not in COMPRESSIBLE:
        return response
    vary = headers.get("Vary")
    if not vary:
        headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower():
        headers["Vary"] = f"{vary}, Accept-Encoding"
    if not 200 <= response.status_code < 300 or "Content-Encoding" in headers or response.is_streamed:
        return response
    encoding = best_encoding(request.headers.get("Accept-Encoding", ""))
    if encoding is None:
        return response
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    if encoding == "br":
        response.set_data(brotli.compress(data, quality=levels["br"]))
    else:
        response.set_data(gzip.compress(data, levels["gzip"]))
    headers["Content-Encoding"] = encoding
    return response


def init_app(app):
    """Compress every response on its way out, pages at the configured levels."""
    levels = {"br": int(app.config.get("COMPRESS_BR_LEVEL", LEVELS["br"])),
              "gzip": int(app.config.get("COMPRESS_LEVEL", LEVELS["gzip"]))}
    app.after_request(functools.partial(compress_response, levels=levels))
