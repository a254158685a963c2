"""What only school owners may see: a §12-5 melding about a leader, its observation and its case.

Opplæringsloven §12-5: when the staff member who offended a pupil is a leader,
the melding goes straight to the school owner. The school's leaders must not
see it anywhere — not the melding, not the observation it was made from, not
a case opened from it, not even as a count. Every query that reads these
records for a leader adds `NOT owners_only(...)`, so the rule is written once.
"""

_CONDITIONS = {
    "melding": "{alias}.concerns_leader",
    "sak": "{alias}.concerns_leader",
    # an observation is hidden when the melding made from it concerns a leader
    "observation": ("EXISTS (SELECT 1 FROM melding AS owners_only_melding "
                    "WHERE owners_only_melding.observation_id = {alias}.id "
                    "AND owners_only_melding.concerns_leader)"),
}


def owners_only(table, alias=None):
    """SQL condition, true for a row of `table` (melding, observation, sak) only school owners may see.

    :param alias: the name the query gives the table, when not the table's own
    """
    return "(" + _CONDITIONS[table].format(alias=alias or table) + ")"


def visible_to(table, alias=None, *, owner=False):
    """SQL condition that keeps the rows the viewer may see: owners everything, others no owners-only row."""
    return "1" if owner else f"NOT {owners_only(table, alias)}"
