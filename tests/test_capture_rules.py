"""The rules of capture, without a server: time, validation, summaries, correction window."""
from datetime import date, datetime, time

import pytest
from werkzeug.datastructures import MultiDict

from webapp import clock
from webapp.capture import rules
from webapp.school.demo import DEMO_ZONES

NOW = datetime(2026, 11, 26, 10, 0, 30, tzinfo=clock.OSLO)
ZONES = [{"id": index + 1, "name": name, "polygon": polygon}
         for index, (name, polygon) in enumerate(DEMO_ZONES.items())]


def parse(**fields):
    values = MultiDict({"kind": "concern", "opened_at": "2026-11-26T08:59:10+00:00", "observed_date": "2026-11-26",
                        "observed_time": "09:59", "context": "friminutt"})
    for key, value in fields.items():
        if isinstance(value, list):
            values.setlist(key, value)
        elif value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return rules.parse_capture(values, NOW, pupil_ids={1, 2, 3}, zones=ZONES, has_map=lambda: True)


def test_time_of_the_first_tap_is_kept_to_the_second_unless_changed():
    record, errors = parse()
    assert not errors
    assert record["observed_at"] == datetime(2026, 11, 26, 9, 59, 10, tzinfo=clock.OSLO)
    record, _ = parse(observed_time="09:40")
    assert record["observed_at"] == datetime(2026, 11, 26, 9, 40, tzinfo=clock.OSLO)
    record, _ = parse(observed_date="25.11.2026", observed_time="14:05")
    assert record["observed_at"] == datetime(2026, 11, 25, 14, 5, tzinfo=clock.OSLO)


def test_dates_and_times_are_read_as_typed_or_sent_by_the_fields_odd_input_refused():
    times = {"10:15": time(10, 15), "9:05": time(9, 5), "9:5": time(9, 5), "09.30": time(9, 30),
             " 7:45 ": time(7, 45), "0:0": time(0, 0), "23:59": time(23, 59), "24:00": None, "23:60": None,
             "1015": None, "10:15:00": None, "": None, None: None, "ab": None, "-1:30": None, "+1:30": None,
             "١٠:١٥": None}
    assert {text: rules._time(text) for text in times} == times
    dates = {"2026-11-26": date(2026, 11, 26), " 2026-11-26 ": date(2026, 11, 26), "2026-1-5": date(2026, 1, 5),
             "26.11.2026": date(2026, 11, 26), "2024-02-29": date(2024, 2, 29), "2026-02-30": None,
             "2023-02-29": None, "2026-13-01": None, "0000-01-01": None, "20261126": None, "٢٠٢٦-١١-٢٦": None,
             "": None, None: None, "x": None}
    assert {text: rules._date(text) for text in dates} == dates


def test_a_time_in_the_future_is_refused_but_a_phone_clock_slightly_ahead_is_not():
    assert "observed_time" in parse(observed_time="10:10")[1]
    assert "observed_time" not in parse(observed_time="10:01")[1]


def test_first_pupil_roles_and_positive_pupils_take_part():
    record, errors = parse(pupil=["2", "1"], role_1="utsatt", role_2="utøver")
    assert not errors and record["pupils"] == [(1, "utsatt"), (2, "utøver")]
    record, errors = parse(kind="positive", pupil=["2"], role_2="utøver")
    assert not errors and record["pupils"] == [(2, "med")]


def test_map_point_decides_the_zone_and_a_point_off_the_image_is_refused():
    record, _ = parse(map_x="0.2", map_y="0.6", zone_id="3")
    assert record["zone_id"] == 1  # Tunet, where the point is
    record, _ = parse(map_x="0.2", map_y="0.1", zone_id="3")
    assert record["zone_id"] == 3  # on the building: no zone there, the list's choice stands
    assert "map" in parse(map_x="-0.1", map_y="0.5")[1]
    assert "map" in parse(map_x="nan", map_y="0.5")[1]
    assert "map" in rules.parse_capture(MultiDict({"kind": "positive", "map_x": "0.5", "map_y": "0.5"}), NOW,
                                        pupil_ids=set(), zones=ZONES, has_map=lambda: False)[1]

    def never_asked():
        raise AssertionError("the map is looked up only for a point on it")

    record, errors = rules.parse_capture(MultiDict({"kind": "positive", "observed_time": "09:59", "zone_id": "3",
                                                    "context": "friminutt"}),
                                         NOW, pupil_ids=set(), zones=ZONES, has_map=never_asked)
    assert not errors and record["zone_id"] == 3 and record["map_x"] is None


def test_employee_offending_a_pupil_always_needs_further_work():
    record, _ = parse(label=["ansatt_krenker_elev"], outcome="solved")
    assert record["outcome"] == "follow_up" and record["section_12_5"] == 1
    record, _ = parse(kind="positive", label=["ansatt_krenker_elev"], concerns_leader="1")
    assert record["section_12_5"] == 0 and record["labels"] == [] and record["concerns_leader"] == 0


def test_unknown_codes_are_refused():
    assert "labels" in parse(label=["noe"])[1]
    assert "labels" in parse(offence_type=["psykisk"])[1]
    assert "outcome" in parse(outcome="glemt")[1]
    assert "intervened" in parse(intervened="kanskje")[1]


def test_a_record_made_from_values_is_the_record_the_form_makes():
    """The demo and tests record through new_record: what it makes must be what the screen would have saved."""
    opened = clock.parse("2026-11-26T08:59:10+00:00")
    cases = [
        (dict(pupil=["2", "1"], role_1="utsatt", role_2="utøver", label=["konflikt", "vold"], offence_type=["fysisk"],
              intervened="1", outcome="solved", facts="Dytt.", zone_id="2"),
         dict(pupils={2: "utøver", 1: "utsatt"}, labels=["vold", "konflikt"], offence_types=["fysisk"], intervened=1,
              outcome="solved", facts="Dytt.", zone_id=2)),
        # § 12-5: always a melding, about a leader when ticked, who the adult was kept
        (dict(pupil=["1"], role_1="utsatt", label=["ansatt_krenker_elev"], outcome="solved", concerns_leader="1",
              adult_involved="Rektor", facts="Ropte."),
         dict(pupils={1: "utsatt"}, labels=["ansatt_krenker_elev"], outcome="solved", concerns_leader=True,
              adult_involved="Rektor", facts="Ropte.")),
        # positive: the pupils take part ("med"); what only a concern has is dropped
        (dict(kind="positive", pupil=["2"], role_2="utøver", label=["hjelper"], offence_type=["fysisk"],
              intervened="1", outcome="solved", adult_involved="Noen"),
         dict(kind="positive", pupils={2: "utøver"}, labels=["hjelper"], offence_types=["fysisk"], intervened=1,
              outcome="solved", adult_involved="Noen")),
        # nobody named: "uklart hvem"
        (dict(facts="Mye bråk."), dict(facts="Mye bråk.")),
    ]
    for form, values in cases:
        expected, errors = parse(**form)
        assert not errors
        made = rules.new_record(**{"kind": "concern", "observed_at": opened, "context": "friminutt", **values})
        assert made == expected and rules.content_hash(made) == rules.content_hash(expected)


def test_a_record_made_from_values_refuses_codes_capture_does_not_have():
    for values in [dict(labels=["noe"]), dict(kind="positive", labels=["vold"]), dict(pupils={1: "med"}),
                   dict(context="kantine"), dict(outcome="glemt"), dict(offence_types=["psykisk"])]:
        with pytest.raises(ValueError):
            rules.new_record(**{"kind": "concern", "observed_at": NOW, "context": "friminutt", **values})


def test_the_same_content_has_the_same_fingerprint():
    first, _ = parse(pupil=["1"], role_1="utsatt", facts="Dytt.")
    again, _ = parse(pupil=["1"], role_1="utsatt", facts="Dytt.\r\n")
    other, _ = parse(pupil=["1"], role_1="tilskuer", facts="Dytt.")
    assert rules.content_hash(first) == rules.content_hash(again) != rules.content_hash(other)


def test_off_duty_the_context_is_chosen_unless_duty_or_sfo_hours_say_it():
    afternoon = datetime(2026, 5, 4, 14, 40, tzinfo=clock.OSLO)
    assert rules.default_context(NOW, duty_session={"id": 1}) == "friminutt"  # tilsyn
    assert rules.default_context(afternoon, duty_session={"id": 1}) == "friminutt"
    # off duty nothing is guessed: a teacher at 10:00, or still at school in the afternoon, chooses
    assert rules.default_context(NOW) == ""
    assert rules.default_context(afternoon) == ""
    assert rules.default_context(afternoon, title="Lærer") == ""
    # SFO staff after the school day are at SFO (indoors in the dark months); before it they choose
    assert rules.default_context(afternoon, title="SFO-assistent") == "sfo_utelek"
    assert rules.default_context(datetime(2026, 11, 26, 13, 30, tzinfo=clock.OSLO), title="SFO-leder") == "sfo_innelek"
    assert rules.default_context(datetime(2026, 11, 26, 13, 29, tzinfo=clock.OSLO), title="SFO-leder") == ""
    assert rules.default_context(NOW, title="SFO-leder") == ""


def test_a_record_without_a_context_is_refused():
    record, errors = parse(context=None)
    assert errors["context"].startswith("Velg sammenheng")
    assert "context" in parse(context="")[1]
    assert not parse(context="klasserom")[1]


def test_a_melding_needs_the_facts_and_a_section_12_5_one_who_the_adult_was():
    assert "facts" in parse(outcome="follow_up")[1]
    assert "facts" in parse(outcome="follow_up", facts="  \r\n ")[1]
    assert "facts" not in parse(outcome="follow_up", facts="Slo eleven.")[1]
    assert "facts" not in parse(outcome="solved")[1]  # a note in the pupil's file, no melding
    assert "facts" not in parse(kind="positive")[1]
    errors = parse(label=["ansatt_krenker_elev"], outcome="solved")[1]  # § 12-5 is always a melding
    assert errors["facts"].startswith("Skriv hva du så") and errors["adult_involved"].startswith("Skriv hvem")
    record, errors = parse(label=["ansatt_krenker_elev"], facts="Ropte til eleven.",
                           adult_involved="  Vikar \x0b i 5A  ")
    assert not errors and record["adult_involved"] == "Vikar i 5A"
    assert "adult_involved" in parse(label=["ansatt_krenker_elev"], facts="x", adult_involved="x" * 201)[1]
    # only a § 12-5 record keeps it: a name typed and then unchecked is not stored
    assert parse(label=["konflikt"], adult_involved="Vikar i 5A")[0]["adult_involved"] == ""


def test_facts_written_when_a_record_becomes_a_melding_are_kept_as_the_form_keeps_them():
    assert rules.melding_facts(" Dyttet\r\nved\x0bmålet.\x07 ") == ("Dyttet\nved\nmålet.", None)  # Word's breaks
    assert rules.melding_facts("  \r\n ")[1] == "Skriv hva du så. Meldingen til skoleledelsen må si hva som skjedde."
    assert rules.melding_facts(None)[1].startswith("Skriv hva du så")
    assert rules.melding_facts("x" * rules.MAX_TEXT)[1] is None
    assert rules.melding_facts("x" * (rules.MAX_TEXT + 1))[1] == f"Teksten er for lang (høyst {rules.MAX_TEXT} tegn)."


def test_correction_is_allowed_within_the_window_only():
    observation = {"recorded_at": "2026-11-26T09:00:00+00:00"}
    assert rules.can_correct(observation, NOW)
    assert not rules.can_correct(observation, datetime(2026, 11, 26, 11, 1, tzinfo=clock.OSLO))


def test_pupil_note_names_only_the_pupil_and_keeps_facts_apart_from_comment():
    record, _ = parse(pupil=["1", "2"], role_1="utsatt", role_2="utøver", offence_type=["fysisk"],
                      intervened="1", outcome="solved", facts="Dyttet i køen.", comment="Virket redd.")
    note = rules.pupil_note_text(record, "utsatt", zone_name="Tunet", author_name="Kari Lærer")
    assert note.startswith("Hendelse 26.11.2026 kl. 09:59, Tunet (friminutt), løst der og da. Rolle: utsatt.")
    assert "Hva så du? Dyttet i køen." in note and "Virket redd." not in note
    summary = rules.melding_summary(record, zone_name="Tunet", author_name="Kari Lærer")
    assert "Hva så du? Dyttet i køen." in summary and "Kommentar: Virket redd." in summary
    assert "Grep inn: ja." in summary and "Type: fysisk." in summary
