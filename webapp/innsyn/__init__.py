"""Innsyn: a copy of everything recorded about one pupil for the pupil or their parents; fortrolig adresse."""
