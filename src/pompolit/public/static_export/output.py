"""Writing an export into its folder: only what changed, each file atomically, and the files no
longer exported removed (a withdrawn consent takes its profile and photo out of every mirror
that syncs with deletion).

The folder keeps `MANIFEST` — the path and SHA-256 of every file written — so that a re-export
compares hashes instead of reading the old files, and a mirror can be checked against it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST = "MANIFEST.sha256"
# What each profile page was made from and the SHA-256 it was written with (site.py): a page
# made from the same is left as it is, without rendering it. In the manifest like any file.
INPUTS = "MANIFEST.inputs.json"


@dataclass
class Written:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def touched(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_path(name: str) -> PurePosixPath:
    """A relative path inside the folder, or ValueError (a provider's mistake stays inside)."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise ValueError(f"not a relative path inside the export: {name!r}")
    return path


def read_manifest(folder: Path) -> dict[str, str]:
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    found = {}
    for line in text.splitlines():
        hashed, _, name = line.partition("  ")
        if len(hashed) == 64 and name:
            found[name] = hashed
    return found


def previous_inputs(folder: Path) -> dict[str, str]:
    """Page -> what it was made from, for the pages the folder still holds as written then."""
    manifest = read_manifest(folder)
    try:
        data = (folder / INPUTS).read_bytes()
        recorded = json.loads(data) if digest(data) == manifest.get(INPUTS) else {}
    except (FileNotFoundError, ValueError):
        return {}
    return {name: made_of for name, (made_of, hashed) in recorded.items()
            if manifest.get(name) == hashed and (folder / name).is_file()}


def manifest_text(hashes: Mapping[str, str]) -> bytes:
    """`sha256sum` format: `sha256sum -c MANIFEST.sha256` checks a copy."""
    return "".join(f"{hashes[name]}  {name}\n" for name in sorted(hashes)).encode()


# A calendar's DTSTAMP is the time it was made: a file that differs only there is unchanged
# (mirrors would otherwise copy every calendar and feed on every export).
_DTSTAMP = re.compile(rb"^DTSTAMP:[0-9TZ]+\r?$", re.MULTILINE)


# An Atom feed with no entries is "updated" at the time it is made.
_UPDATED = re.compile(rb"<updated>[^<]*</updated>")


def same_but_stamps(name: str, old: bytes, new: bytes) -> bool:
    if name.endswith(".ics"):
        return _DTSTAMP.sub(b"", old) == _DTSTAMP.sub(b"", new)
    if name.endswith("atom.xml"):
        return _UPDATED.sub(b"", old) == _UPDATED.sub(b"", new)
    return False


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".export-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write(folder: Path, files: Mapping[str, bytes], kept: Collection[str] = (),
          inputs: Mapping[str, str] | None = None) -> Written:
    """Make `folder` hold exactly `files` (plus the manifest), writing only what changed.
    `kept`: files left as they are (previous_inputs found them unchanged); `inputs`: what the
    pages were made from, written last (INPUTS) with the hash each page has now."""
    folder.mkdir(parents=True, exist_ok=True)
    before = read_manifest(folder)
    after = {name: before[name] for name in kept}
    result = Written(unchanged=len(after))
    for name, data in [*sorted(files.items()), *([(INPUTS, b"")] if inputs is not None else [])]:
        if name == INPUTS and inputs is not None:
            # Last but the manifest, with the hashes the pages have now: a run that dies
            # before the manifest is written leaves hashes that do not match it.
            data = json.dumps({page: [made_of, after[page]] for page, made_of in inputs.items()},
                              sort_keys=True, separators=(",", ":")).encode()
        safe_path(name)
        hashed = after[name] = digest(data)
        target = folder / name
        if before.get(name) == hashed and target.is_file():
            result.unchanged += 1
            continue
        if name in before and target.is_file():
            old = target.read_bytes()
            if digest(old) == before[name] and same_but_stamps(name, old, data):
                after[name] = before[name]
                result.unchanged += 1
                continue
        (result.changed if name in before else result.added).append(name)
        _atomic_write(target, data)
    for name in sorted(set(before) - set(after)):
        target = folder / safe_path(name)
        target.unlink(missing_ok=True)
        result.removed.append(name)
        _prune(folder, target.parent)
    if result.touched or not (folder / MANIFEST).is_file():
        _atomic_write(folder / MANIFEST, manifest_text(after))
    return result


def _prune(folder: Path, directory: Path) -> None:
    """Remove folders left empty, up to the export's own."""
    while directory != folder and directory.is_relative_to(folder):
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent
