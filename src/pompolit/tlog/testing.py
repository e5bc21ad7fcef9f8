"""Fixtures for the tests of apps that write to the transparency log; a conftest takes them by
importing them."""

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def log_signing_key(tmp_path: Path, settings: Any) -> str:
    """A transparency-log signing key of the test's own (a file: no vault needed)."""
    from pompolit.tlog import services as tlog

    settings.POMPOLIT_LOG_KEY_FILE = tmp_path / "log.key"
    settings.POMPOLIT_LOG_KEY_NAME = "pompolit.test"
    return tlog.generate_signing_key().vkey
