"""Tests: like development, with fast password hashing and no rate-limit surprises."""

from pompolit.settings.dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
# The sweep after a response would add queries to whichever test comes ten minutes in.
POMPOLIT_HOUSEKEEPING_MINUTES = 0
