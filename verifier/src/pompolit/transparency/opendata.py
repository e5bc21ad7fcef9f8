"""Open data exports (pompolit-open-data/1): files listed in a manifest with their sizes and
SHA-256, the manifest signed with the transparency log's key.

The signature is a C2SP signed note (note.py) in `manifest.json.sig`, beside the manifest. Its
text is three lines, the second never a number, so it can never be read as a checkpoint:

    pompolit-open-data/1
    origin <the group's log origin>
    manifest.json <size in bytes> <SHA-256, lowercase hex>

The manifest (RFC 8785 canonical JSON) lists every other file:
{"exported_on": "YYYY-MM-DD", "files": [{"name", "sha256", "size"}, ...], "format", "origin",
...}. docs/open-data.md describes every file.
"""

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from . import strictjson
from .errors import DocumentError, VerificationError
from .note import parse_note, parse_vkey, signature_line
from .report import Report

FORMAT = "pompolit-open-data/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
# A plain file name: no directories, no hidden files, nothing a shell or a path would read
# as more than a name (a hostile manifest must not send the verifier to read ../../etc).
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*(\.[a-z0-9]+)+")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class FileEntry:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Export:
    origin: str
    exported_on: str
    files: tuple[FileEntry, ...]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_entry(name: str, data: bytes) -> dict[str, object]:
    """The manifest's line for one file."""
    if not _NAME.fullmatch(name) or name in (MANIFEST, SIGNATURE):
        raise ValueError(f"{name!r} cannot be a file of an open data export")
    return {"name": name, "sha256": sha256_hex(data), "size": len(data)}


def note_text(origin: str, manifest: bytes) -> str:
    if not origin or any(c.isspace() for c in origin):
        raise ValueError("the origin must be one word")
    return (f"{FORMAT}\norigin {origin}\n"
            f"{MANIFEST} {len(manifest)} {sha256_hex(manifest)}\n")


def sign(origin: str, manifest: bytes, key_name: str, private_key: bytes) -> str:
    """The signed note for `manifest.json.sig`."""
    text = note_text(origin, manifest)
    return text + "\n" + signature_line(text, key_name, private_key)


# -- verification ---------------------------------------------------------------------------


def check_signature(signed: str, vkey: str, report: Report,
                    witnesses: Sequence[str] = ()) -> tuple[str, int, str]:
    """Check the log key's signature on the note (and each witness's, if asked); returns
    (origin, manifest size, its SHA-256). Signatures by other keys are ignored (C2SP)."""
    keys = [parse_vkey(vkey), *(parse_vkey(w) for w in witnesses)]
    note = parse_note(signed)
    for key in keys:
        found = False
        for signature in note.signatures:
            if (signature.name, signature.key_id) != (key.name, key.key_id):
                continue
            if not key.check(note.text, signature.signature):
                raise VerificationError(
                    f"{SIGNATURE}: the signature by {key.key} is invalid: the note was altered "
                    "after signing, or signed by another key with the same name and ID")
            found = True
        if not found:
            present = ", ".join(s.key for s in note.signatures)
            raise VerificationError(
                f"{SIGNATURE} has no signature by {key.key} (signatures present: {present})")
    lines = note.text.split("\n")[:-1]
    if len(lines) != 3 or lines[0] != FORMAT:
        raise DocumentError(f"{SIGNATURE} is not a {FORMAT} signature (its first line is "
                            f"{strictjson.shorten(lines[0])!r})")
    word, _, origin = lines[1].partition(" ")
    parts = lines[2].split(" ")
    if (word != "origin" or not origin or len(parts) != 3 or parts[0] != MANIFEST
            or not parts[1].isdigit() or not _HEX64.fullmatch(parts[2])):
        raise DocumentError(f"{SIGNATURE}: the signed text is not origin and manifest lines")
    for key in keys:
        report.passed(f"{SIGNATURE}: valid signature by {key.key}, origin {origin}")
    return origin, int(parts[1]), parts[2]


def _check_bytes(name: str, data: bytes, size: int, digest: str, against: str) -> None:
    if len(data) != size:
        raise VerificationError(
            f"{name} does not match {against}: it is {len(data)} bytes, {against} says {size} "
            "(the file was changed, cut short or damaged after signing)")
    found = sha256_hex(data)
    if found != digest:
        raise VerificationError(
            f"{name} does not match {against}: its SHA-256 is {found}, {against} says {digest} "
            "(the file was changed after signing)")


def _field[T](document: Mapping[str, object], name: str, kind: type[T], where: str) -> T:
    value = document.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise DocumentError(f"{where}: the field {name!r} is missing or not a {kind.__name__}")
    return value


def read_manifest(data: bytes) -> Export:
    """The manifest's fields, strictly: a wrong kind of document is an error, never a guess."""
    document = strictjson.load_bytes(data, MANIFEST)
    if not isinstance(document, dict):
        raise DocumentError(f"{MANIFEST} is not a JSON object")
    if document.get("format") != FORMAT:
        raise DocumentError(f"{MANIFEST} is not a {FORMAT} manifest "
                            f"(format {strictjson.shorten(str(document.get('format')))!r})")
    origin = _field(document, "origin", str, MANIFEST)
    exported_on = _field(document, "exported_on", str, MANIFEST)
    if not _DATE.fullmatch(exported_on):
        raise DocumentError(f"{MANIFEST}: exported_on is not a date (YYYY-MM-DD)")
    entries: list[FileEntry] = []
    for number, item in enumerate(_field(document, "files", list, MANIFEST), start=1):
        where = f"{MANIFEST}, file {number}"
        if not isinstance(item, dict):
            raise DocumentError(f"{where} is not a JSON object")
        name = _field(item, "name", str, where)
        size = _field(item, "size", int, where)
        digest = _field(item, "sha256", str, where)
        if not _NAME.fullmatch(name) or name in (MANIFEST, SIGNATURE):
            raise DocumentError(f"{where}: {strictjson.shorten(name)!r} is not a plain file name")
        if size < 0 or not _HEX64.fullmatch(digest):
            raise DocumentError(f"{where} ({name}): the size or the SHA-256 is malformed")
        if any(e.name == name for e in entries):
            raise DocumentError(f"{where}: {name} is listed twice")
        entries.append(FileEntry(name, size, digest))
    return Export(origin, exported_on, tuple(entries))


def verify_export(read: Callable[[str], bytes], vkey: str, report: Report, *,
                  origin: str | None = None, witnesses: Sequence[str] = ()) -> Export:
    """Check an export: `read(name)` gives a file's bytes (raising DocumentError if it cannot).

    The signature first, then the manifest against the signed hash, then every file against
    the manifest; the first thing that does not match is raised, naming the file.
    """
    signed_origin, size, digest = check_signature(
        strictjson.decode_utf8(read(SIGNATURE), SIGNATURE), vkey, report, witnesses)
    if origin is not None and signed_origin != origin:
        raise VerificationError(f"the export is from {signed_origin!r}, expected {origin!r}")
    manifest = read(MANIFEST)
    _check_bytes(MANIFEST, manifest, size, digest, "the signature")
    report.passed(f"{MANIFEST}: {size} bytes, SHA-256 as signed")
    export = read_manifest(manifest)
    if export.origin != signed_origin:
        raise VerificationError(f"{MANIFEST} names origin {export.origin!r}, the signature "
                                f"{signed_origin!r}")
    for entry in export.files:
        _check_bytes(entry.name, read(entry.name), entry.size, entry.sha256, "the manifest")
        report.passed(f"{entry.name}: {entry.size} bytes, SHA-256 as in the manifest")
    report.facts.update(
        format=FORMAT, origin=export.origin, exported_on=export.exported_on,
        files=[{"name": e.name, "size": e.size, "sha256": e.sha256} for e in export.files],
    )
    return export
