"""`pompolit public export DIR`: the public side as a static site any host or mirror can serve
unchanged (docs/mirrors.md).

site.py renders the pages through the real views and templates, once per language (the
profiles in their layout rendered once: layout.py), and no profile page made from the same as
the last export's; links.py makes every link relative; receipts.py builds the index the
offline receipt check reads; output.py writes only what changed and removes what is no longer
published; providers.py is where other parts of the public side add their files (the open
data).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pompolit.public.static_export import output, providers
from pompolit.public.static_export.output import Written


def build(live_url: str = "") -> dict[str, bytes]:
    """Every file of the copy, by its path in the folder."""
    return _build(live_url, {}).files


def export(folder: Path, live_url: str = "") -> Written:
    """Write the copy into `folder`; the profile pages made from the same as the last export's
    are not even rendered (output.previous_inputs)."""
    built = _build(live_url, output.previous_inputs(folder))
    return output.write(folder, built.files, kept=built.kept, inputs=built.inputs)


@dataclass
class _Built:
    files: dict[str, bytes]
    kept: set[str]
    inputs: dict[str, str]


def _build(live_url: str, previous: dict[str, str]) -> _Built:
    from pompolit.public.static_export.site import Site

    site = Site(live_url, previous)
    site.render()
    extra: dict[str, bytes] = {}
    for provider in providers.EXTRA_PROVIDERS:
        extra.update(provider())
    return _Built(site.finish(extra), site.out.kept, site.out.inputs)


__all__ = ["Written", "build", "export"]
