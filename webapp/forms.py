"""The base form: CSRF from flask-wtf, every built-in WTForms message in Norwegian bokmål."""
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.i18n import get_translations

from .docx_text import xml_safe
from .scope import parse_id

# our words for the messages forms show most, also for validators given a message of their own
REQUIRED = "Dette feltet må fylles ut."
CHOOSE = "Velg fra listen."
DATE_MESSAGE = "Skriv en gyldig dato."
EXPIRED = "Skjemaet er utløpt. Last inn siden på nytt og prøv igjen."

# Every message WTForms (wtforms/locale/wtforms.pot) and flask-wtf's file validators can show,
# in our words: WTForms' own bokmål catalogue leaves some in English ("Not a valid time value.")
# and words others oddly ("Ugyldig valg: Kunne ikke oversette").
MESSAGES = {
    "Invalid field name '%s'.": "Ukjent felt «%s».",
    "Field must be equal to %(other_name)s.": "Feltet må være likt %(other_name)s.",
    "Field must be at least %(min)d character long.": "Skriv minst %(min)d tegn.",
    "Field must be at least %(min)d characters long.": "Skriv minst %(min)d tegn.",
    "Field cannot be longer than %(max)d character.": "Hold det kort: høyst %(max)d tegn.",
    "Field cannot be longer than %(max)d characters.": "Hold det kort: høyst %(max)d tegn.",
    "Field must be exactly %(max)d character long.": "Skriv nøyaktig %(max)d tegn.",
    "Field must be exactly %(max)d characters long.": "Skriv nøyaktig %(max)d tegn.",
    "Field must be between %(min)d and %(max)d characters long.": "Skriv fra %(min)d til %(max)d tegn.",
    "Number must be at least %(min)s.": "Tallet må være minst %(min)s.",
    "Number must be at most %(max)s.": "Tallet kan være høyst %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Velg et tall fra %(min)s til %(max)s.",
    "Date must be at least %(min)s.": "Datoen kan ikke være før %(min)s.",
    "Date must be at most %(max)s.": "Datoen kan ikke være etter %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Velg en dato fra %(min)s til %(max)s.",
    "This field is required.": REQUIRED,
    "Invalid input.": "Ugyldig verdi.",
    "Invalid email address.": "Ugyldig e-postadresse.",
    "Invalid IP address.": "Ugyldig IP-adresse.",
    "Invalid Mac address.": "Ugyldig MAC-adresse.",
    "Invalid URL.": "Ugyldig nettadresse.",
    "Invalid UUID.": "Ugyldig UUID.",
    "Invalid value, must be one of: %(values)s.": "Velg en av disse: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Dette kan ikke være en av disse: %(values)s.",
    "This field cannot be edited.": "Dette feltet kan ikke endres.",
    "This field is disabled and cannot have a value.": "Dette feltet er slått av og kan ikke fylles ut.",
    "Invalid CSRF Token.": EXPIRED,
    "CSRF token missing.": EXPIRED,
    "CSRF failed.": EXPIRED,
    "CSRF token expired.": EXPIRED,
    "Invalid Choice: could not coerce.": CHOOSE,
    "Choices cannot be None.": CHOOSE,
    "Not a valid choice.": CHOOSE,
    "Invalid choice(s): one or more data inputs could not be coerced.": CHOOSE,
    "'%(value)s' is not a valid choice for this field.": "«%(value)s» er ikke et av valgene. " + CHOOSE,
    "'%(value)s' are not valid choices for this field.": "«%(value)s» er ikke blant valgene. " + CHOOSE,
    "Not a valid datetime value.": "Skriv en gyldig dato og et klokkeslett.",
    "Not a valid date value.": DATE_MESSAGE,
    "Not a valid time value.": "Skriv et gyldig klokkeslett.",
    "Not a valid week value.": "Skriv en gyldig uke.",
    "Not a valid integer value.": "Skriv et helt tall.",
    "Not a valid decimal value.": "Skriv et tall.",
    "Not a valid float value.": "Skriv et tall.",
    # flask_wtf.file (FileSize's message is formatted before it is translated: not used here)
    "File does not have an approved extension: {extensions}": "Filen har ikke en av disse typene: {extensions}",
    "File does not have an approved extension.": "Filen har ikke en type som kan lastes opp.",
}


class Bokmal:
    """WTForms' translations object: our messages, WTForms' bokmål catalogue for any new one."""

    fallback = get_translations(["nb_NO", "nb"])

    def gettext(self, string):
        return MESSAGES.get(string) or self.fallback.gettext(string)

    def ngettext(self, singular, plural, n):
        return MESSAGES.get(singular if n == 1 else plural) or self.fallback.ngettext(singular, plural, n)


BOKMAL = Bokmal()


class Form(FlaskForm):
    """Every Trygg form: built-in validation messages in bokmål."""

    class Meta:
        def get_translations(self, form):
            return BOKMAL


def choices(pairs):
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def clean_text(value):
    """Typed or pasted text without the control characters Word puts in (they break .docx exports)."""
    return value if value is None else xml_safe(value)


class CleanStringField(StringField):
    """A one-line text field whose text is cleaned of control characters on input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("filters", [clean_text])
        super().__init__(*args, **kwargs)


def strip_text(value):
    """Text without the spaces around it, so that only spaces count as nothing written."""
    return value.strip() if isinstance(value, str) else value


class IdsField(SelectMultipleField):
    """Several ids chosen from a list; nothing chosen (or an empty option) is none, not an error.

    SelectMultipleField(coerce=int) fails on an empty value and leaves its data None.
    """

    def process_formdata(self, valuelist):
        ids = [parse_id(value) for value in valuelist if value.strip()]
        self.data = [i for i in ids if i is not None]
        if None in ids:
            raise ValueError(CHOOSE)


class CleanTextAreaField(TextAreaField):
    """A text area whose text is cleaned of control characters on input (Word's breaks become newlines)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("filters", [clean_text])
        super().__init__(*args, **kwargs)
