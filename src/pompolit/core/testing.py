"""Fixtures several apps' tests share; a conftest takes them by importing them."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, whatever the compiled translations say."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def log_signing_key(tmp_path: Path, settings: Any) -> str:
    """A transparency-log signing key of the test's own (a file: no vault needed)."""
    from pompolit.tlog import services as tlog

    settings.POMPOLIT_LOG_KEY_FILE = tmp_path / "log.key"
    settings.POMPOLIT_LOG_KEY_NAME = "pompolit.test"
    return tlog.generate_signing_key().vkey
