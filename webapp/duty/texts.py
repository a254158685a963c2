"""The plan's fixed texts for duty staff, word for word (Vedlegg 2:1 and 2:2); tilsyn's words for a swap's state."""

# Vedlegg 2:1 "Rutiner for systematisk tilsyn i bærumskolen": "Slik skal du opptre ved tilsyn"
INTRO = ("Ha tilsyn og gi veiledning på en slik måte at du hele tiden har oversikt over alle "
         "deler av uteområdet som du har ansvar for.")

# (part, the plan's bullets, the plan's caption beside the part or '')
ROUTINE = [
    ("Bevegelse", [
        "Beveg deg hele tiden slik at du kommer i kontakt med så mange elever som mulig.",
        "Beveg deg i uregelmessige ruter slik at elevene ikke kan forutse når du kommer. "
        "Ha som mål å bevege deg til alle steder.",
        "Vær spesielt oppmerksom på områder der det kan oppstå konflikter",
    ], ""),
    ("Skanning", [
        "Se og lytt hele tiden til de ulike aktivitetene slik at du vet hva som foregår på området.",
        "Se etter ønsket og uønsket atferd. Vær spesielt oppmerksom på områder der det kan oppstå konflikter",
        "Øk muligheten for positiv samhandling og oppmuntring av ønsket atferd",
    ], ""),
    ("Positiv involvering", [
        "Involver deg ofte",
        "Vær åpen, vennlig og hjelpsom",
        "Gi spesifikk positiv oppmerksomhet til positiv atferd",
    ], "Vær positiv og oppmuntrende for å støtte opp om positiv atferd."),
    ("Oppmuntring", [
        "Bruk anerkjennelser eller belønning for spesifikk atferd",
        "Gi anerkjennelsen så fort som mulig",
        "Bruk 5:1-regelen",
    ], ""),
    ("Håndtering av problematferd", [
        "Korriger atferden umiddelbart",
        "Fokuser på den spesifikke atferden som skal stoppe",
        "Håndter problemet så privat som mulig (på tomannshånd)",
        "Vær rolig, bruk enkelt språk",
        "Vær vennlig og bestemt",
        "Stopp argumentasjoner",
        "Opptre rettferdig",
    ], "Håndter problematferd på en konsekvent måte. Bruk milde, rimelige og forutsigbare konsekvenser."),
]
SOURCE = "Rutinene er omarbeidet etter PALS-systemet."

# Vedlegg 2:2, under the tilsynsplan
VEST = "Utevakter skal bruke vest."
HANDOVER = "Vaktskifte i storefri skal skje ute."
PLAN_FOOTER = ("Utevakter skal bruke vest. Vaktskifte i storefri skal skje ute. Områdene er veiledende. "
               "Ved planlagt fravær byttes tilsyn på forhånd.")
SWAP_RULE = "Ved planlagt fravær byttes tilsyn på forhånd."

# a swap's or reassignment's state, as "Mine vakter" and leadership's list of swaps name it
CHANGE_STATUS = {"requested": "Venter på svar", "accepted": "Avtalt", "declined": "Avslått",
                 "withdrawn": "Trukket tilbake"}
