"""Meldinger for leadership: the live feed, a pupil's chronology, patterns and the Vedlegg 6 checklist."""
