"""Files other parts of the public side add to the static copy, in one place.

A provider is a callable returning {relative path: bytes}; its files are written as they are
(no link rewriting) and checked against the manifest like every other file.
"""

from __future__ import annotations

from collections.abc import Callable

from pompolit.public import opendata

Provider = Callable[[], dict[str, bytes]]


def under(prefix: str, provider: Provider) -> Provider:
    """The provider's files under `prefix/` (the open data under `data/v1/`)."""

    def files() -> dict[str, bytes]:
        return {f"{prefix.strip('/')}/{name}": data for name, data in provider().items()}

    return files


# The open data (docs/open-data.md): its paths are already from the site's root
# (prisoners/data/v1/…), so a mirror serves the signed files where the live site does.
EXTRA_PROVIDERS: list[Provider] = [opendata.files]
