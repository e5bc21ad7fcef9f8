"""The lock on what is encrypted, for pages that show stored fields (forms get theirs from
core/form_field.html and `vault.fields.labels.EncryptedLabels`).

    {% load vault_labels %}
    <dt>{% field_label case "notes" %}</dt>       → "Notes 🔒" when Case.notes is encrypted
    <th>{% translate "Place" %}{% lock "cases.Event.place" %}</th>
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from pompolit.vault.fields.labels import is_encrypted

register = template.Library()


def _label(target: Any, name: str = "") -> str:
    if isinstance(target, models.Model):
        return f"{target._meta.label}.{name}"
    return f"{target}.{name}" if name else str(target)


@register.simple_tag
def lock(target: Any, name: str = "") -> SafeString:
    """The lock mark if the field ("app.Model.field", or an instance and a field name) is
    encrypted; nothing otherwise."""
    if not is_encrypted(_label(target, name)):
        return SafeString("")
    return SafeString(render_to_string("vault/lock.html"))


@register.simple_tag
def field_label(obj: models.Model, name: str) -> SafeString:
    """The field's own label (its verbose name), with the lock when it is encrypted."""
    verbose = obj._meta.get_field(name).verbose_name  # type: ignore[union-attr]
    return format_html("{}{}", capfirst(verbose), lock(obj, name))
