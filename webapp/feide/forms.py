"""The owner's Feide choices."""
from wtforms import BooleanField

from ..forms import Form


class OwnerSettingsForm(Form):
    enabled = BooleanField("Ansatte ved skolene mine logger inn med Feide",
                           description="«Logg inn med Feide» vises på innloggingssiden.")
    mfa_required = BooleanField("Krev innlogging med to faktorer i Feide",
                                description="Trygg ber Feide om to faktorer og avviser innlogging uten.")
    passwords_off = BooleanField("Slå av Trygg-passord for ansatte ved skolene mine",
                                 description="Ansatte og skoleledere kan da bare logge inn med Feide. "
                                             "Skoleeiere og driftsansvarlige beholder passordet sitt.")
