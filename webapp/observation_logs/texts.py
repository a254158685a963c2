"""The fixed texts of Vedlegg 8 (systematic observation), quoted from the plan.

8:1 the planning questions and "Hva trenger vi å vite?", 8:2 example
situations, 8:3 the log's sections, items and prompts. Line-break hyphens of
the printed plan are joined; otherwise the words are the plan's.
"""

PLANNING_INTRO = ("Før observasjonen begynner, må de som skal observere "
                  "være omforent om en rekke forhold:")

# (key, question) in the plan's order; the answers are stored under the key
PLANNING_QUESTIONS = [
    ("finne_ut", "Hva ønsker dere å finne ut?"),
    ("hvem", "Hvem skal dere observere?"),
    ("fokus", "Hva er det dere skal fokusere på i samhandlingen mellom dem?"),
    ("type", "Hva slags type observasjon egner seg best til formålet?"),
    ("situasjoner", "Skal dere konstruere noen situasjoner eller studere naturlige situasjoner?"),
    ("observatorer", "Hvem skal foreta observasjonen?"),
    ("naar", "Når skal det gjøres?"),
    ("tidsrom", "Hvilket tidsrom og hvilke tidspunkt?"),
    ("varighet", "Hvor lang tid skal brukes hver gang?"),
    ("nedtegnes_hvordan", "Hvordan skal observasjonen nedtegnes?"),
    ("nedtegnes_naar", "Når skal den nedtegnes?"),
    ("nytte", "Hvordan skal dere nyttiggjøre dere det som nedtegnes?"),
    ("tidsplan", "Hva er tidsplan for analyse og planlegging av tiltak i etterkant av observasjonen?"),
]

NEEDS_HEADING = "Hva trenger vi å vite?"

# (heading, [(key, point)]); the plan's "føleleser" is printed as "følelser"
NEEDS = [
    ("1. Temperament", [
        ("lett_temperament", "lett temperament"),
        ("langsom_varme_opp", "langsom å varme opp"),
        ("vanskelig_temperament", "vanskelig temperament"),
    ]),
    ("2. Sosial kompetanse", [
        ("empati", "empati"),
        ("perspektivtaking", "perspektivtaking"),
        ("selvkontroll", "selvkontroll"),
        ("selvhevdelse", "selvhevdelse"),
        ("folelsesregulering", "følelsesregulering"),
        ("samarbeidsevne", "samarbeidsevne, ansvarlighet og inkludering"),
        ("lekeferdigheter", "lekeferdigheter"),
    ]),
    ("3. Språk", [
        ("forsta_sprak", "forstå innhold i språk"),
        ("uttrykke_folelser", "kunne uttrykke følelser og meninger"),
    ]),
    ("4. Samspill og kommunikasjon mellom elever", [
        ("samspill", "Samspill og kommunikasjon mellom elever"),
    ]),
]
NEED_LABELS = {key: label for _, points in NEEDS for key, label in points}

# Vedlegg 8:2's example situations, offered as suggestions when sharing out
SITUATIONS = [
    "Utelek/første friminutt",
    "Utelek/andre friminutt",
    "Utelek/storefri",
    "Innelek SFO 14:30–15:30",
    "Innelek SFO 15:00–16:00",
    "Utelek SFO 14:00–15:00",
    "Overganger (musikk til gym inkl. garderobe)",
    "Overgang spising–garderobe–storefri",
    "Overgangen fra individuelt arbeid til oppstart gruppearbeid",
    "Overgang fra norsktime til mat og helse",
    "Klasserommet",
]

LOG_TITLE = "Observasjonslogg i klasserommet"
RULE = ("Under observasjonen er det viktig at du skriver det du ser, ikke det du tror du ser. "
        "Vær kort og konkret i beskrivelsene.")
SEEN_LABEL = "Hva ser du?"
SEEN_LABEL_SUMMARY = "Hva har du sett?"
COMMENT_LABEL = "Kommentar"

# (number, title, [(item key, item, prompt)])
SECTIONS = [
    (1, "Organisering", [
        ("undervisningsform", "Undervisningsform",
         "Variasjon av ulike organiseringer? Er det lagt opp til en elevaktivundervisning?"),
        ("antall_voksne", "Antall voksne", "Hvor mange voksne er i rommet? Hvordan fordeler de seg?"),
        ("antall_elever", "Antall elever", "Er alle elevene til stedet? Fordeling gutter/jenter?"),
        ("organisering_elevene", "Organisering av elevene",
         "Hvordan er pultene organisert? Gruppeinndelinger?"),
        ("fysisk_miljo", "Fysisk miljø", "Hvordan ser klasserommet ut? Orden? Læringsfremmende?"),
    ]),
    (2, "Klassemiljø", [
        ("elevaktivitet", "Elevaktivitet",
         "Hvor aktive er elevgruppen? Svarer de på spørsmål fra lærer, engasjerer elevene seg, "
         "kommer de med egne innspill? Samhandler med hverandre, jobber individuelt, "
         "samarbeidsformer e.l.?"),
        ("klasseleder", "Lærer som klasseleder",
         "Hvordan fremstår den voksne? Se etter smil, blikk, kroppsspråk, ros, positiv anerkjennelse, "
         "tydelige forventninger og beskjeder, klare oppgaver, gode forklaringer, "
         "oppfølgingsspørsmål, sensitiv for begynnende uro osv."),
        ("elevrelasjoner", "Elevrelasjoner",
         "Hvordan foregår det sosiale samspillet mellom elevene? Hvem tar kontakt med hvem? "
         "Hvem snakker uten å få ordet? Hierarkier/uheldige gruppedynamikker? Blikk, andre "
         "nonverbale signaler, kommentarer?"),
    ]),
    (3, "Eleven i klasserommet", [
        ("kontakt", "Kontakt med andre elever",
         "Hvem tar eleven kontakt med? Hva slags respons får eleven? Hvem tar kontakt med eleven? "
         "Se etter både verbal og nonverbal kontakt. Se etter blikk, smil, kroppsspråk osv."),
        ("plassering", "Plassering i rommet", "Hvor sitter eleven? Hvem sitter ved siden av, foran og bak?"),
        ("aktivitet", "Aktivitet i undervisningen",
         "Hvor aktiv er eleven i undervisningen? Se etter om eleven svarer på spørsmål fra lærer, "
         "følger med, er opptatt av andre ting osv."),
    ]),
    (4, "Overgangssituasjoner", [
        ("larerens_rolle", "Lærerens rolle", "Tydelig instruksjon, lærers tilstedeværelse osv."),
        ("klassen", "Klassen i overgangssituasjoner",
         "Hvem snakker med hvem, blikk, annen nonverbal kontakt e.l. Går overgangen raskt og rolig? "
         "I hvilken grad får elevene med seg beskjeder, og har oversikt over hva som skal skje?"),
        ("eleven", "Eleven i overgangssituasjonen",
         "Hvem er eleven i kontakt med, plassering, nonverbale signaler osv. I hvilken grad får "
         "eleven med seg beskjeder, og har oversikt over hva som skal skje?"),
    ]),
    (5, "Friminutt", [
        ("organisering", "Organisering",
         "Lærers rolle ved overgang til friminutt? Gir lærer tips til aktiviteter, styrer i "
         "lekegrupper, tips til samhandling? Er det organiserte voksenstyrte aktiviteter ute i "
         "friminuttet? Inndelt skolegård ut fra trinn? Tilgjengelig utstyr for lek og aktivitet?"),
        ("kontakt", "Kontakt mellom elevene",
         "Er elevene sammen? Hele klassen, på tvers, små grupper, to og to eller alene. Hva gjør de? "
         "Se etter både verbal og nonverbal kontakt eks. blikk, smil, kroppsspråk osv."),
        ("eleven", "Eleven i friminutt",
         "Deltar eleven i aktivitet med andre? Går eleven alene? Grad av konflikt?"),
        ("tilsyn", "Tilsyn",
         "Er det synlig tilsyn i alle sonene i skolegården? Beveger de voksne seg rundt med blikk på "
         "elevene? Virker de voksne åpne og tilgjengelige for elevene? Lærers rolle i friminutt."),
    ]),
    (6, "Oppsummering", [
        ("klassemiljo", "Klassemiljø",
         "Hva tenker du knyttet til det du har sett? Lærers rolle i klasserommet, kontrollen, "
         "varmen, hvem styrer hva blant elevene, hvordan har de det i klasserommet, hvordan er de "
         "mot hverandre osv."),
        ("eleven", "Eleven i klassen",
         "Hva tenker du knyttet til det du har sett? Elevens rolle i miljøet i klassen, hvem styres, "
         "hvem påvirkes, er eleven en positiv eller negativ bidragsyter osv."),
    ]),
]
SECTION_NUMBERS = [number for number, _, _ in SECTIONS]
SECTION_TITLES = {number: title for number, title, _ in SECTIONS}


def item_key(section, key):
    """The stored key of one item: section number and item, e.g. '5-eleven'."""
    return f"{section}-{key}"


def section_items(section):
    """The stored keys of a section's items."""
    for number, _, items in SECTIONS:
        if number == section:
            return [item_key(number, key) for key, _, _ in items]
    return []


def seen_label(section):
    """The plan's column heading: section 6 looks back ("Hva har du sett?")."""
    return SEEN_LABEL_SUMMARY if section == 6 else SEEN_LABEL
