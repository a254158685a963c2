"""Systematic observation (Vedlegg 8:1–8:3): plan, share out, log on the phone, put together."""
