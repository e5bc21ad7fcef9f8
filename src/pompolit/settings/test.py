"""Tests: like development, with fast password hashing and no rate-limit surprises."""

from pompolit.settings.dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
# The sweep after a response would add queries to whichever test comes ten minutes in.
POMPOLIT_HOUSEKEEPING_MINUTES = 0
# Tasks run as they are enqueued, in the test's transaction; tasks/tests run the database
# backend and its worker too (intake/tests/test_tasks_db_worker.py).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
POMPOLIT_TELEGRAM_TOKEN = ""
# Each test makes its own hotlines and stations: nothing kept from the previous test.
POMPOLIT_INTAKE_CHOICES_SECONDS = 0
POMPOLIT_TELEGRAM_API_URL = "http://127.0.0.1:9/bot"
