"""The public site: the prisoner list, reports of inaccuracies, and what is built on them.

It stands on top of every app and only reads them: what a case may show is decided by the
consent in force (`cases/public/profiles.py`), and this app renders nothing else.
"""
