"""Compressed responses for phones outdoors: pages quickly, static files once and well.

Pages are compressed per request by flask-compress at a low brotli quality:
on the 18 KB capture form quality 1 costs 70 µs where the default 4 costs
270 µs, for 5.3 KB instead of 4.6 KB on the wire. Static files never change under
their versioned URL, so each is compressed once, at the highest quality, and
the result kept in memory for every later request.
"""
import gzip

import brotli
from flask import request
from flask_compress import Compress

compress = Compress()

# compressed static files by (encoding, content); bounded in case files change (debug)
_STATIC = {}
_STATIC_LIMIT = 256
# a file smaller than this gains nothing worth the bytes of the header
MIN_SIZE = 500


def static_compressed(data, encoding):
    """A static file's bytes compressed with the encoding, from memory after the first time."""
    key = (encoding, data)
    if key not in _STATIC:
        if len(_STATIC) >= _STATIC_LIMIT:
            _STATIC.clear()
        _STATIC[key] = brotli.compress(data, quality=11) if encoding == "br" else gzip.compress(data, 9)
    return _STATIC[key]


def init_app(app):
    """Compress pages as they go out, and static files from memory."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 1)
    app.config.setdefault("COMPRESS_LEVEL", 3)
    app.config.setdefault("COMPRESS_MIN_SIZE", MIN_SIZE)
    app.config.setdefault("COMPRESS_STREAMS", False)
    # pages are never cached (no-store, no ETag): nothing to evaluate a conditional request against
    app.config.setdefault("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", False)
    compress.init_app(app)

    # registered after the compressor, so it runs before it: it sees Content-Encoding and leaves these alone
    @app.after_request
    def compress_static(response):
        if request.endpoint != "static" or response.status_code != 200:
            return response
        if response.direct_passthrough:
            # read whole, so the file is closed here and the body can be compressed
            response.direct_passthrough = False
            response.make_sequence()
        encoding = request.accept_encodings.best_match(["br", "gzip"])
        if (encoding is None or response.mimetype not in compress.compress_mimetypes_set
                or "Content-Encoding" in response.headers):
            return response
        data = response.get_data()
        if len(data) < MIN_SIZE:
            return response
        response.set_data(static_compressed(data, encoding))
        response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        etag, weak = response.get_etag()
        if etag and not weak:
            response.set_etag(f"{etag}:{encoding}")
        return response.make_conditional(request)
