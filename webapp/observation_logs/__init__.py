"""Systematic observation (Vedlegg 8:1–8:3): plan, share out, log on the phone, put together.

The blueprint lives in views.py; importing the package registers its home
panel and its demo step too.
"""
