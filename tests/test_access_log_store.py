"""The access log's pages: every line once, in order, also when many share one moment (one save's lines do)."""
from webapp.access_log import store
from webapp.audit import append
from webapp.db import transaction

from . import data


def test_pages_go_on_from_the_last_line_shown_and_miss_none_written_at_the_same_moment(db):
    with transaction(db):
        append(db, [("2026-11-20T08:00:00+00:00", data.STAFF, data.SCHOOL_A, "create", "observation", number,
                     data.PUPIL_A, "") for number in range(1, 121)])
        append(db, [("2026-11-20T08:00:00+00:00", data.STAFF, data.SCHOOL_A, "create", "observation", 999,
                     data.PUPIL_A2, "")])
    seen, older_than, pages = [], None, 0
    while True:
        rows, more = store.lines(db, data.PUPIL_A, older_than)
        seen += [row["entity_id"] for row in rows]
        pages += 1
        if not more:
            break
        older_than = rows[-1]["id"]
    assert seen == list(range(120, 0, -1)) and pages == 3
