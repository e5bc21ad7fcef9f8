"""Files other parts of the public side add to the static copy, in one place.

A provider is a callable returning {relative path: bytes}; its files are written as they are
(no link rewriting) and checked against the manifest like every other file.
"""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[[], dict[str, bytes]]


def under(prefix: str, provider: Provider) -> Provider:
    """The provider's files under `prefix/` (the open data under `data/v1/`)."""

    def files() -> dict[str, bytes]:
        return {f"{prefix.strip('/')}/{name}": data for name, data in provider().items()}

    return files


# The open data (public/opendata.py:files) joins here: under("data/v1", opendata.files).
EXTRA_PROVIDERS: list[Provider] = []
