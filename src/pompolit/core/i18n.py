"""Strings of Django's own that its Russian catalogue lacks (as of Django 6.1).

Marked here so `make messages` keeps them in our catalogue, whose translations take
precedence over Django's (LOCALE_PATHS come first).
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),  # the empty choice of every optional select
]
