"""The words of the access log: what each kind of audit line says, in bokmål."""

ACTION_LABELS = {"view": "Så", "create": "Opprettet", "update": "Endret", "export": "Eksporterte",
                 "delete": "Slettet"}

# what kind of record a line is about; "{id}" where the record has a number of its own
ENTITY_LABELS = {
    "pupil": "elevens opplysninger",
    "chronology": "elevens kronologi",
    "feed": "meldinger og hendelser om eleven",
    "observation": "registrering nr. {id}",
    "pupil_note": "notat i elevmappen nr. {id}",
    "melding": "melding nr. {id}",
    "sak": "sak nr. {id}",
    "observation_plan": "systematisk observasjon nr. {id}",
    "observation_log": "observasjonslogg nr. {id}",
    "watch_flag": "«følg med på»",
    "mobbing_checklist": "sjekkliste ved mistanke om mobbing nr. {id}",
    "access_log": "innsynsloggen",
}

ROLE_LABELS = {"staff": "ansatt", "leader": "skoleledelsen", "owner": "skoleeier", "admin": "drift"}

NO_USER = "Trygg (uten innlogget bruker)"
