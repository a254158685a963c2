"""Offline capture: the web app manifest, the service worker, the offline capture screen and the outbox's key.

A record made where the network is dead waits in an outbox on the phone
(static/outbox.js, IndexedDB) and is sent when the network returns, with the
form id it got when the form opened, so a resend never makes two records.
The service worker (static/sw.js) keeps only the app shell and static files:
never a page with personal data.
"""
