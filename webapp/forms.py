"""The base form: CSRF from flask-wtf, WTForms' own messages in Norwegian bokmål."""
from flask_wtf import FlaskForm
from wtforms import SelectChoice


class Form(FlaskForm):
    """Every Trygg form: built-in validation messages in bokmål."""

    class Meta:
        locales = ["nb_NO", "nb"]


def choices(pairs):
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
