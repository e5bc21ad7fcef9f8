"""Panels other apps add to the dashboard, so members' dashboard imports none of them.

An app registers a function in its AppConfig.ready(); the function gets the request and
the member and returns (template name, context) — or None when it has nothing to show to
this member (wrong role, nothing due).
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from pompolit.members.models import Member

Panel = Callable[[HttpRequest, Member], tuple[str, dict[str, Any]] | None]

PANELS: list[Panel] = []


def register(panel: Panel) -> Panel:
    if panel not in PANELS:
        PANELS.append(panel)
    return panel


def render_panels(request: HttpRequest, member: Member) -> list[SafeString]:
    rendered = []
    for panel in PANELS:
        found = panel(request, member)
        if found is not None:
            template, context = found
            rendered.append(render_to_string(template, context, request=request))
    return rendered
