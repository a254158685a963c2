"""The words of "Hvor og når": filters, headings and findings, in bokmål."""

TITLE = "Hvor og når"
INTRO = ("Hvor og når skjer det som bekymrer oss? Kartet og tabellene bygger på registreringene "
         "fra tilsyn, SFO og undervisning.")

# the period filter: days back from today ("" = all the school's records)
PERIODS = {"7": "Siste 7 dager", "30": "Siste 30 dager", "90": "Siste 90 dager", "365": "Siste 12 måneder"}
DEFAULT_PERIOD = "365"

# the kind filter, as it appears in URLs
KINDS = {"bekymring": "Bekymringer og hendelser", "positiv": "Positive observasjoner", "alle": "Alle"}
DEFAULT_KIND = "bekymring"


OUTSIDE_SLOTS = "Utenfor tilsynstid"
NO_ZONE = "Uten sone"

HEATMAP_ALT = ("Varmekart over skolegården: jo rødere, jo flere registreringer. "
               "Tabellen «Sone og tid» under viser det samme som tekst.")
NO_DUTY = "ingen vakt"
POOR_BALANCE = "under 5:1"
# the plan's rule for adults on duty (Vedlegg 2, after PALS): five positive for every corrective interaction
BALANCE_RULE = "Fem positive for hver korrigering (5:1)."
