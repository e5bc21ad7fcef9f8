"""Fixtures several apps' tests share; a conftest takes them by importing them."""

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, whatever the compiled translations say."""
    with translation.override("en"):
        yield
