"""The security headers every response carries."""

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

    Added to the plain list of headers as the response starts, so it also
    covers error pages, and costs a few microseconds instead of a pass
    through werkzeug's Headers per header.
    """

    def __init__(self, wsgi_app, config):
        self.wsgi_app = wsgi_app
        self.config = config

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = set()
            for index, (name, value) in enumerate(headers):
                name = name.lower()
                present.add(name)
                if name == "vary" and VARY.lower() not in value.lower():
                    headers[index] = ("Vary", f"{value}, {VARY}")
            headers.extend(header for header in SECURITY_HEADERS if header[0].lower() not in present)
            if self.config["HSTS"] and "strict-transport-security" not in present:
                headers.append(HSTS)
            if "vary" not in present:
                headers.append(("Vary", VARY))
            # static files and the map image say how long they keep; everything else is never stored
            if "cache-control" not in present:
                headers.append(("Cache-Control", "no-store"))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def init_app(app):
    """Install the response headers."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app, app.config)
