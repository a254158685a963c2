"""The access log (innsynslogg): who viewed or changed one pupil's records, when and what."""
