"""Skolegårdsundersøkelsen's rules: marks from the map and the list, counts per zone, the findings."""
from webapp.survey import rules, texts

ZONES = [{"id": 1, "name": "Tunet", "polygon": "[[0,0],[0.5,0],[0.5,1],[0,1]]"},
         {"id": 2, "name": "Idrettsplass", "polygon": "[[0.5,0],[1,0],[1,0.5],[0.5,0.5]]"}]


def test_marks_from_the_map_get_the_zone_they_fall_in_and_bad_ones_are_dropped():
    marks = rules.parse_marks(["leke:0.2:0.3", "utrygt:0.7:0.9", "voksne:0.7:0.2", "leke:2:0.1", "x:0.1:0.1",
                               "utrygt:abc"], ZONES)
    assert [(m["kind"], m["zone_id"]) for m in marks] == [("leke", 1), ("utrygt", None), ("voksne", 2)]


def test_zones_chosen_from_the_list_are_marks_without_a_point_and_only_the_schools():
    marks = rules.listed_marks({"utrygt": ["2", "2", "99"], "leke": ["x"]}, ZONES)
    assert marks == [{"kind": "utrygt", "zone_id": 2, "map_x": None, "map_y": None}]


def test_unsafe_with_no_records_and_no_duty_is_the_finding_that_matters():
    marks = rules.parse_marks(["utrygt:0.2:0.3", "utrygt:0.7:0.2", "utrygt:0.7:0.9", "voksne:0.7:0.9"], ZONES)
    rows = rules.counts_per_zone(marks, ZONES)
    assert [(r["name"], r["utrygt"], r["voksne"]) for r in rows] == [
        ("Tunet", 1, 0), ("Idrettsplass", 1, 0), (texts.OUTSIDE_ZONES, 1, 1)]
    tunet, field, outside = rules.comparison(rows, {2: 3}, duty_zones={1})
    assert tunet["findings"] == [texts.FINDINGS["unsafe_unseen"]] and not tunet["key_finding"]
    assert field["findings"] == [texts.FINDINGS["unsafe_unwatched"]] and not field["key_finding"]
    assert outside["key_finding"]
    assert outside["findings"] == ["Utrygt her, men ingen registreringer og ingen vakt",
                                   texts.FINDINGS["adults_unwatched"]]


def test_recorded_concerns_nobody_marked_unsafe_are_told_too():
    rows = rules.counts_per_zone([], ZONES)
    assert rules.comparison(rows, {1: 2}, set())[0]["findings"] == [texts.FINDINGS["seen_not_felt"]]
