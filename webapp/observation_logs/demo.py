"""Demo: one running observation of 3A with a plan, this week's tasks, a partly filled log
and a few records from duty and SFO that have flowed into it."""
import json
from datetime import time, timedelta

from .. import clock
from ..capture import rules as capture_rules
from ..capture import store as capture
from ..db import one
from ..demo import (
    DAY_STARTS,
    TRANSITIONS,
    YARD,
    at,
    demo_step,
    latest_in,
    school_day,
    school_time_after,
    school_time_before,
)
from ..saker import store as saker
from . import store
from .rules import week_of

PLAN_ANSWERS = {
    "finne_ut": "Hvordan eleven har det sammen med de andre i friminutt og i overganger, "
                "og hva som skjer når det oppstår konflikter.",
    "hvem": "Eleven og klassen 3A.",
    "fokus": "Hvem eleven tar kontakt med, hvilken respons eleven får, og om eleven går alene.",
    "type": "Åpen, løpende observasjon med logg.",
    "situasjoner": "Naturlige situasjoner: utelek, innelek i SFO og overganger.",
    "observatorer": "Kontaktlærer, SFO-leder og en lærer på teamet.",
    "naar": "Hele uka, én økt hver dag.",
    "tidsrom": "Storefri, SFO 14:30–15:30 og overganger før og etter storefri.",
    "varighet": "20–30 minutter.",
    "nedtegnes_hvordan": "I observasjonsloggen i Trygg, på telefonen.",
    "nedtegnes_naar": "Under observasjonen, eller rett etter.",
    "nytte": "Loggene settes sammen og drøftes i teamet.",
    "tidsplan": "Analyse i teammøtet mandag neste uke, tiltak innen fredag.",
}


# capture's label codes (webapp/capture/rules.py) for the demo's duty and SFO records below
DEMO_LABELS = {"friminutt": "utenforskap", "overgang": "mulig_mobbing", "sfo_innelek": "leker_sammen"}


@demo_step
def running_observation(db, context):
    """A running observation of 3A and one of its pupils, this week."""
    now, users, school = context["now"], context["users"], context["school"]
    today = school_day(now)  # the last school day (Friday at a weekend)
    monday, last_day = week_of(today)
    class_id = db.execute("SELECT id FROM school_class WHERE school_id = ? AND name = '3A'",
                          [school]).fetchone()[0]
    pupils = context["pupils"]["3A"]
    pupil = pupils[0]
    # planned the Friday before: what is recorded on duty this week flows in
    stamp = clock.to_utc_iso(at(monday - timedelta(days=3), time(14)))
    # plans, tasks, logs and decisions written by store.py, as the pages write them
    plan_id = store.create_plan(db, {
        "class_id": class_id, "pupil_id": pupil, "starts_on": monday.isoformat(), "ends_on": last_day.isoformat(),
        "answers": json.dumps(PLAN_ANSWERS, ensure_ascii=False),
        "needs": json.dumps(["langsom_varme_opp", "selvhevdelse", "lekeferdigheter", "samspill"]),
        "updated_at": stamp}, school, users["leder"])

    days = [monday + timedelta(days=n) for n in range((last_day - monday).days + 1)]
    tasks = {
        "ansatt": ["Utelek/andre friminutt", "Utelek/første friminutt", "Utelek/storefri",
                   "Utelek/storefri", "Utelek"],
        "eva.lie": ["Innelek SFO 14:30–15:30", "Innelek SFO 15:00–16:00", "Innelek SFO 14:30–15:00",
                    "Utelek SFO 14:00–15:00", "Utelek SFO 14:00–15:00"],
        "marte.dahl": ["Overganger (musikk til gym inkl. garderobe)", "Overgang spising–garderobe–storefri",
                       "Overgangen fra individuelt arbeid til oppstart gruppearbeid",
                       "Overgang fra matematikk til pararbeid", "Overgang fra norsktime til mat og helse"],
    }
    for username, situations in tasks.items():
        for index, day in enumerate(days):
            store.add_assignments(db, plan_id, school, users[username], [day.isoformat()], situations[min(index, 4)])
    assignment = {(a["observer_id"], a["day"]): a for a in store.assignments_of(db, plan_id)}

    def log(username, day, written, duration, items):
        """One observer's log for one of their tasks, written at `written`, with some items filled in."""
        task, stamp = assignment[(users[username], day.isoformat())], clock.to_utc_iso(written)
        log_id, _ = store.start_log(db, plan_id=plan_id, school_id=school, observer_id=users[username],
                                    client_id=f"demo-{username}-{day}", assignment=task, today=day, stamp=stamp)
        store.save_log_header(db, log_id, day, duration, task["situation"], stamp)
        store.save_section(db, log_id, items, stamp)

    # Eva's log from Monday's SFO, once it is over
    if at(monday, time(15, 35)) <= now:
        log("eva.lie", monday, at(monday, time(15, 35)), "60 min", {
            "5-kontakt": ("Fire jenter leker butikk ved vinduet, tre gutter bygger med lego. "
                          "To elever sitter hver for seg med tegning.", ""),
            "5-eleven": ("Eleven spør to ganger om å få være med i butikkleken. Får svaret «det er fullt». "
                         "Går til tegnebordet og sitter alene resten av økta.", "Første gang jeg ser dette."),
            "5-tilsyn": ("To voksne i rommet, én ved lego, én ved kjøkkenet.", ""),
        })
    # the demo user's log for today, started and partly filled: sections 1 and 5
    written = max(at(today, DAY_STARTS), school_time_before(now, timedelta(minutes=10)))
    log("ansatt", today, written, "25 min", {
        "1-antall_voksne": ("To voksne ute, én ved sandkassa og én på tunet.", ""),
        "5-organisering": ("Ingen voksenstyrt aktivitet. Fotballbanen er delt mellom 3. og 4. trinn.", ""),
        "5-eleven": ("Eleven står ved gjerdet de første ti minuttene. Blir så med i sisten "
                     "etter at en medelev roper navnet.", ""),
    })

    start = at(monday, time.min)
    author = {"friminutt": users["jonas.berg"], "overgang": users["marte.dahl"],
              "sfo_innelek": users["emil.strand"]}
    names = {row["id"]: row["full_name"] for row in db.query("SELECT id, full_name FROM user")}
    # the last break before now, the last change of rooms before storefri, yesterday's SFO
    for moment, context_name, kind, facts, role in [
        (latest_in(YARD, school_time_before(now, timedelta(minutes=40))), "friminutt", "concern",
         "To elever sa «du får ikke være med» og snudde ryggen til da eleven kom bort til sisten.", "utsatt"),
        (latest_in(TRANSITIONS[1:2], school_time_before(now, timedelta(hours=2))), "overgang", "concern",
         "I garderoben ble elevens sko kastet bort i hjørnet. Eleven kom sist ut til storefri.", "utsatt"),
        (at(school_day(now, 1), time(15, 10)), "sfo_innelek", "positive",
         "Eleven og en medelev spilte kort sammen i en halv time.", "med"),
    ]:
        if moment < start:
            continue
        others = [(pupils[1], "utøver" if kind == "concern" else "med")]
        # recorded on duty and at SFO as anyone records: capture's rules and store
        record = capture_rules.new_record(kind=kind, observed_at=moment, context=context_name, facts=facts,
                                          pupils=[(pupil, role), *others], labels=[DEMO_LABELS[context_name]])
        observer = author[context_name]
        record_id, _ = capture.save_observation(
            db, school=school, author={"id": observer, "full_name": names[observer]}, record=record,
            client_id=f"demo-observation-{context_name}", now=moment + timedelta(minutes=2))
        if context_name == "overgang":  # kept by Marte after she read it
            store.decide(db, plan_id, record_id, "kept", users["marte.dahl"],
                         clock.to_utc_iso(school_time_after(moment, timedelta(minutes=30))))


@demo_step
def observation_attached_to_case(db, context):
    """An earlier observation of the pupil in the demo's open case, put together and attached to it."""
    now, users, school = context["now"], context["users"], context["school"]
    sak = one(db, "SELECT sak.*, pupil.class_id FROM sak JOIN pupil ON pupil.id = sak.pupil_id "
                  "WHERE sak.school_id = ? AND sak.phase = 'iverksette_tiltak' AND NOT sak.concerns_leader "
                  "ORDER BY sak.id LIMIT 1", [school])
    if sak is None or sak["class_id"] is None:
        return
    monday, friday = week_of(now.date() - timedelta(days=21))
    # planned the Friday before its week: only what is recorded after planning flows in
    stamp = clock.to_utc_iso(at(monday - timedelta(days=3), time(14)))
    store.create_plan(db, {
        "class_id": sak["class_id"], "pupil_id": sak["pupil_id"],
        "starts_on": monday.isoformat(), "ends_on": friday.isoformat(),
        "answers": json.dumps({"finne_ut": "Hva som skjer i friminuttene rundt klatrestativet.",
                               "hvem": "Eleven og de to medelevene som er nevnt i meldingen."}, ensure_ascii=False),
        "analysis": "Eleven blir dyttet og kalt navn nesten hver dag ved klatrestativet, mest i storefri "
                    "når det er én voksen ute. Forslag: to voksne i storefri og en fast lek med voksen.",
        "updated_at": stamp}, school, users["leder"])
    plan = next(p for p in saker.observation_plans_for(db, sak) if p["starts_on"] == monday.isoformat())
    saker.attach_observation_plan(db, sak, plan, users["leder"], at(school_day(now, 9), time(14, 45)))
