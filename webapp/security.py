"""The security headers every response carries."""
from werkzeug.datastructures import Headers
from werkzeug.http import parse_set_header

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

# the same on every response; HSTS is added when configured
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# pages differ for htmx (a fragment) and a browser (the whole page)
VARY = "HX-Request"


class SecurityHeaders:
    """WSGI middleware: strict headers on every response, and no caching of pages with personal data.

    Middleware rather than an after_request hook because whitenoise serves the
    static files outside Flask, and error pages must carry the headers too.
    """

    def __init__(self, wsgi_app, config):
        self.wsgi_app = wsgi_app
        self.config = config

    def __call__(self, environ, start_response):
        def start(status, header_list, exc_info=None):
            headers = Headers(header_list)
            for name, value in SECURITY_HEADERS:
                headers.setdefault(name, value)
            if self.config["HSTS"]:
                headers.setdefault(*HSTS)
            vary = parse_set_header(headers.get("Vary"))
            vary.add(VARY)
            headers["Vary"] = vary.to_header()
            # static files and the map image say how long they keep; everything else is never stored
            headers.setdefault("Cache-Control", "no-store")
            return start_response(status, headers.to_wsgi_list(), exc_info)

        return self.wsgi_app(environ, start)


def init_app(app):
    """Install the response headers."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app, app.config)
