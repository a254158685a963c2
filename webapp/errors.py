"""Error pages in Norwegian: never a stack trace."""
from flask import render_template
from flask_wtf.csrf import CSRFError

from .rendering import wants_fragment

MESSAGES = {
    400: ("Noe var galt med forespørselen", "Prøv igjen. Hvis det skjer igjen, last inn siden på nytt."),
    403: ("Ingen tilgang", "Du har ikke tilgang til denne siden."),
    404: ("Fant ikke siden", "Siden finnes ikke, eller du har ikke tilgang til den."),
    405: ("Ikke tillatt", "Denne handlingen er ikke tillatt her."),
    413: ("For stor fil", "Filen er for stor. Velg en mindre fil."),
    500: ("Noe gikk galt", "Det oppstod en feil hos oss. Ingenting halvferdig er lagret. Prøv igjen."),
}


def error_page(code, title=None, text=None):
    """Render the error page (or just its message for htmx)."""
    default_title, default_text = MESSAGES.get(code, MESSAGES[500])
    return render_template(
        "errors/error.html", code=code, title=title or default_title,
        text=text or default_text, fragment=wants_fragment(),
    ), code


def init_app(app):
    """Register handlers for the common HTTP errors."""
    for code in MESSAGES:
        app.register_error_handler(code, lambda error, code=code: error_page(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_page(
            400, "Skjemaet er utløpt",
            "Siden var åpen for lenge eller ble sendt fra et annet sted. "
            "Last inn siden på nytt og prøv igjen.",
        )
