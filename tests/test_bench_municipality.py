"""The municipality bench's builder: 40 schools of people, and observations as capture's store leaves them."""
from .test_bench import NOW, load_bench, rows


def test_the_municipality_has_its_people_and_records_as_the_app_writes_them(tmp_path):
    build = load_bench("municipality_build")
    built = build.build_municipality(tmp_path / "kommune.sqlite", observations=3000, now=NOW)
    path = tmp_path / "kommune.sqlite"
    assert {table: built["counts"][table] for table in ("school", "pupil", "user", "observation", "melding", "sak")} \
        == {"school": 40, "pupil": 17_000, "user": 2_501, "observation": 3000, "melding": 30, "sak": 3}
    # staff per school, a leader at each, the owner at all forty
    assert rows(path, "SELECT count(*) FROM user WHERE role = 'leader'") == [(40,)]
    assert rows(path, "SELECT count(*) FROM membership JOIN user ON user.id = membership.user_id "
                      "WHERE user.username = 'bench.eier'") == [(40,)]
    # the copies capture's store writes into observation_pupil, and every pupil at the observation's school
    assert rows(path, "SELECT count(*) FROM observation_pupil JOIN observation ON observation.id = "
                      "observation_pupil.observation_id JOIN pupil ON pupil.id = observation_pupil.pupil_id "
                      "WHERE observation_pupil.observed_at IS NOT observation.observed_at "
                      "OR observation_pupil.kind IS NOT observation.kind OR observation_pupil.class_id IS NOT "
                      "pupil.class_id OR pupil.school_id != observation.school_id") == [(0,)]
    # a melding from each concern that needs follow-up, with the observation's pupils; saker through the store
    assert rows(path, "SELECT count(*) FROM observation WHERE outcome = 'follow_up'") == [(30,)]
    assert rows(path, "SELECT count(*) FROM melding JOIN observation ON observation.id = melding.observation_id "
                      "WHERE observation.outcome = 'follow_up' AND melding.school_id = observation.school_id") \
        == [(30,)]
    assert rows(path, "SELECT count(*) FROM melding WHERE status = 'sak'") == [(3,)]
    assert rows(path, "SELECT count(*) FROM sak_task") != [(0,)]
    # observations lie in time order, on weekdays of the year before NOW
    assert rows(path, "SELECT count(*) FROM observation AS a JOIN observation AS b ON b.id = a.id + 1 "
                      "WHERE b.observed_at < a.observed_at") == [(0,)]
    assert rows(path, "SELECT count(*) FROM observation WHERE strftime('%w', observed_at) IN ('0', '6')") == [(0,)]
    assert built["pattern_records"] >= build.PATTERN_RECORDS // 2
