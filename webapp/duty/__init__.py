"""Tilsyn: the duty roster (Vedlegg 2:2), swaps, my duty now, the duty screen and coverage.

Other capabilities use `store.current_duty_session(db, user_id, now)` and
`store.close_expired_sessions(db, now)`.
"""
