"""Hvor og når: the heatmap, the zone × time-slot table and its records, duty against incidents, the Big 5."""
from pathlib import Path

from flask import Blueprint, abort, current_app, make_response, request, url_for

from .. import clock
from ..audit import audit_pupils
from ..capture.rules import ALL_LABELS, CONTEXTS
from ..db import database_path, get_db
from ..duty.store import slots_on
from ..navigation import home_panel
from ..rendering import render
from ..school.rules import svg_points
from ..school.store import classes_of, map_image_of, map_of, zones_of
from ..scope import parse_id, school_id
from . import images, rules, store, texts

bp = Blueprint("hotspots", __name__, url_prefix="/hvor-og-naar")

KIND_OF = {"bekymring": "concern", "positiv": "positive", "alle": None}


def parse_filters(args, class_ids, slot_keys):
    """The filter from request args, keeping only values that make sense (a class: the school's own)."""
    period = args.get("periode", texts.DEFAULT_PERIOD)
    kind = args.get("type", texts.DEFAULT_KIND)
    weekday = args.get("ukedag", "")
    class_id = parse_id(args.get("klasse"))
    return {
        "periode": period if period in texts.PERIODS or period == "" else texts.DEFAULT_PERIOD,
        "type": kind if kind in texts.KINDS else texts.DEFAULT_KIND,
        "label": args.get("label", "") if args.get("label") in ALL_LABELS else "",
        "kontekst": args.get("kontekst", "") if args.get("kontekst") in CONTEXTS else "",
        "klasse": class_id if class_id in class_ids else 0,
        "ukedag": weekday if weekday in {str(day) for day in range(7)} else "",
        "tid": args.get("tid", "") if args.get("tid") in slot_keys or args.get("tid") == "utenfor" else "",
    }


def _slot_filter(value):
    """The slot key a 'tid' filter means (None: any slot)."""
    if not value:
        return None
    return rules.OUTSIDE if value == "utenfor" else value


def _query(filters, **more):
    """The filter as URL parameters: only what differs from the defaults."""
    args = {key: value for key, value in filters.items()
            if value and not (key == "periode" and value == texts.DEFAULT_PERIOD)
            and not (key == "type" and value == texts.DEFAULT_KIND)}
    if filters["periode"] == "":
        args["periode"] = ""
    args.update(more)
    return args


def _filters(db, school, now):
    """The request's filter, with the school's slots and classes it was checked against."""
    slots = slots_on(db, school, now.date())
    classes = classes_of(db, school)
    filters = parse_filters(request.args, {c["id"] for c in classes}, {rules.slot_key(s) for s in slots})
    return filters, slots, classes


def _gathered(db, school, now, one_kind=False):
    """Everything the page and the heatmap read for the request's filter (one_kind: the kind shown only)."""
    filters, slots, classes = _filters(db, school, now)
    kind = KIND_OF[filters["type"]] if one_kind else None
    found = store.records(db, school, filters, now, kind)
    # the heatmap alone needs no slot or weekday unless the filter asks for one
    if not one_kind or filters["ukedag"] or filters["tid"]:
        weekday = int(filters["ukedag"]) if filters["ukedag"] else None
        found = rules.keep(rules.placed(found, slots), weekday=weekday, slot=_slot_filter(filters["tid"]))
    return {"slots": slots, "classes": classes, "filters": filters, "both_kinds": found,
            "shown": rules.keep(found, kind=KIND_OF[filters["type"]]), "zones": zones_of(db, school)}


@bp.route("/")
def index():
    """The school's hotspots: the heatmap with its table, duty against incidents, 5:1 per zone, the Big 5."""
    db = get_db()
    school, now = school_id(), clock.now()
    found = _gathered(db, school, now)
    filters, shown, zones = found["filters"], found["shown"], found["zones"]
    active = [zone for zone in zones if zone["active"]]
    table = rules.zone_slot_table(shown, active, found["slots"],
                                  store.duty_sessions(db, school, filters, now))
    links = store.pupil_links(db, school, filters, now, KIND_OF[filters["type"]])
    counts = rules.big_five(shown, zones, found["slots"], links, {})
    pupil_ids = [pupil_id for pupil_id, _, _ in counts["pupil"]]
    if pupil_ids:
        audit_pupils("view", "hotspots", None, pupil_ids)
    schoolyard = map_of(db, school)
    return render(
        "hotspots/index.html", texts=texts, filters=filters, query=_query(filters), table=table,
        gaps=rules.duty_gaps(table), balance=rules.balance_per_zone(found["both_kinds"], active),
        big_five=_big_five_rows(counts, store.pupil_names(db, pupil_ids)), choices=_choices(found),
        schoolyard=schoolyard, zones=active, svg_points=svg_points,
        heatmap_url=url_for("hotspots.heatmap_image", **_query(filters)) if schoolyard else None)


def _slot_label(key):
    """A slot key as the tables show it: '11:15–11:30', or "Utenfor tilsynstid"."""
    return key.replace("-", "–") if key else texts.OUTSIDE_SLOTS


def _choices(found):
    """The filter's choices as (value, text) pairs."""
    return {
        "periode": list(texts.PERIODS.items()), "type": list(texts.KINDS.items()),
        "label": list(ALL_LABELS.items()), "kontekst": list(CONTEXTS.items()),
        "klasse": [(c["id"], c["name"]) for c in found["classes"]],
        "ukedag": list(enumerate(clock.WEEKDAYS[:5])),
        "tid": [(rules.slot_key(s), _slot_label(rules.slot_key(s))) for s in found["slots"]]
        + [("utenfor", texts.OUTSIDE_SLOTS)],
    }


def _big_five_rows(counts, names):
    """The Big 5's counts with the words the page shows."""
    return {
        "weekday_rows": [(clock.WEEKDAYS[day], n) for day, n in counts["weekday"]],
        "label_rows": [(ALL_LABELS.get(label, label), n) for label, n in counts["label"]],
        "zone_rows": [(name or texts.NO_ZONE, n) for name, n in counts["zone"]],
        "slot_rows": [(_slot_label(key), n) for key, n in counts["slot"]],
        "pupil_rows": [(names.get(pupil_id, ""), n) for pupil_id, _, n in counts["pupil"]],
    }


def cache_folder():
    """Where heatmaps are kept: a folder per database (the host's owner's), beside it or in HEATMAP_CACHE."""
    # school ids repeat across owners' databases: one owner's heatmap must never be another's file
    database = Path(database_path(current_app))
    base = current_app.config["HEATMAP_CACHE"]
    return str(Path(base) / database.stem) if base else str(database.with_name(f"{database.stem}-heatmaps"))


@bp.route("/varmekart.webp")
def heatmap_image():
    """The heatmap for the filter: made once per filter until the school records something new.

    Cache-Control private, no-cache with an ETag: only this browser keeps it, and asks each time
    (a 304 when nothing new was recorded), so a new record shows at once.
    """
    db = get_db()
    school, now = school_id(), clock.now()
    picture = map_image_of(db, school)
    if picture is None:
        abort(404)
    filters, _, _ = _filters(db, school, now)  # read again on a miss: a hit must cost little
    name = images.cache_name(school, {**filters, "kart": picture["version"]}, store.records_marker(db, school))
    folder = cache_folder()
    data = images.cached(folder, school, name)
    if data is None:
        found = _gathered(db, school, now, one_kind=True)
        data = images.render(picture["image"], rules.heat_points(found["shown"], found["zones"]))
        images.store(folder, school, name, data)
    response = make_response(data)
    response.headers["Content-Type"] = "image/webp"
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(name)
    return response.make_conditional(request)


@bp.route("/registreringer")
def cell_records():
    """The records behind a cell of the zone × time-slot table (or a row or column of it)."""
    db = get_db()
    school, now = school_id(), clock.now()
    found = _gathered(db, school, now)
    shown = found["shown"]
    zone = request.args.get("sone", "")
    zone_names = {z["id"]: z["name"] for z in found["zones"] if z["active"]}
    if zone == "ingen":
        shown = [r for r in shown if r["zone_id"] not in zone_names]
    elif zone:
        zone_id = parse_id(zone)
        if zone_id not in zone_names:
            abort(404)
        shown = [r for r in shown if r["zone_id"] == zone_id]
    zone_label = texts.NO_ZONE if zone == "ingen" else zone_names.get(parse_id(zone), "")
    slot = _slot_filter(found["filters"]["tid"])
    slot_label = "" if slot is None else _slot_label(slot)
    observations = store.observations_by_id(db, [r["id"] for r in shown])
    return render("hotspots/records.html", texts=texts, observations=observations,
                  filters=found["filters"], query=_query(found["filters"]), zone_label=zone_label,
                  slot_label=slot_label, labels=ALL_LABELS, contexts=CONTEXTS, kinds=texts.KINDS)


@home_panel
def hotspots_panel(user):
    """A leader's way to "Hvor og når" from the home screen."""
    if user.role != "leader" or not user.school_ids:
        return None
    return {"template": "hotspots/_home_panel.html", "order": 70}
