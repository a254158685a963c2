"""Retention and archive: how long each kind of record is kept, the daily deletion, the archive export of a sak."""
