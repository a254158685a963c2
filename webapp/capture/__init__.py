"""Capture: record a positive observation or a concern/incident on the phone in seconds.

Kind → pupils → save; then what was done: a note in each pupil's file when
solved on the spot, or a melding to leadership when it needs further work.
"""
