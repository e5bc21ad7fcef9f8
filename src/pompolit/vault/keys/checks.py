"""System check: the demo key file never outside demo mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from pompolit.vault import conf


@checks.register(checks.Tags.security, deploy=True)
def check_demo_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not settings.DEMO_MODE and conf.demo_key_file().exists():
        return [checks.Error(
            f"A demo master key file exists at {conf.demo_key_file()}: a vault made in demo mode "
            "is readable by anyone with the disk. Never use it for real data.",
            id="vault.E010",
        )]
    return []
