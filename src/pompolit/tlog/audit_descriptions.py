"""How the trail says what happened to the transparency log (audit/descriptions.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from pompolit.audit.descriptions import describe_as

describe_as("tlog.key_created", gettext_lazy("Created the public log's signing key"))
describe_as("tlog.checkpoint", gettext_lazy("Signed the public log at its size %(size)s"))
