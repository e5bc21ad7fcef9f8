"""Open data: the public prisoner list and the public counts as files anyone may download,
mirror and check (docs/open-data.md describes every field).

An export is `prisoners.json`, `prisoners.csv`, `counts.json`, `counts.csv`, a `manifest.json`
listing each with its size and SHA-256, and `manifest.json.sig`: the manifest's hash signed
with the transparency log's key (transparency/opendata.py: the format, and how
`pompolit-verify open-data` checks it).

What a prisoner's row may hold comes only from `cases.public.profiles.profile()`, the same
projection the public pages render, so the files can never say more than the profile does.
Nothing counts what is not public: no pks, no totals of cases without a consent in force.

The bytes depend only on the data and the day (canonical JSON, rows sorted by public id, and
Ed25519 signatures are deterministic), so the same data gives the same files: mirrors and the
static export skip what did not change.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import rfc8785
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from pompolit.transparency import opendata as signed

from pompolit.cases.public.profiles import PublicProfile, profile, published_consents
from pompolit.core.exports import safe_cell
from pompolit.intake import services as intake
from pompolit.tlog import services as tlog

FORMAT = signed.FORMAT
# Where the files live on the site (/prisoners/data/v1/<name>) and in a static mirror; the
# paths `files()` returns start with it.
DIRECTORY = "prisoners/data/v1"
MANIFEST, SIGNATURE = signed.MANIFEST, signed.SIGNATURE
# Every file, in the order the page lists them.
FILES = ("prisoners.json", "prisoners.csv", "counts.json", "counts.csv", MANIFEST, SIGNATURE)
# Short: a withdrawn consent must leave the files soon; building them is cheap.
CACHE_SECONDS = 60
_CACHE_KEY = "public:opendata:v1"

# A prisoner's fields, in the CSV's column order. Lists are JSON arrays, and in the CSV their
# items one per line of the cell. None (JSON null, an empty cell): not published, or not known.
PRISONER_FIELDS = (
    "public_id", "name", "status", "status_en", "status_ru", "charges", "sentence_en",
    "sentence_ru", "sentence_months", "facility", "city", "region", "receives_letters",
    "letter_address", "birth_date", "interests", "story_en", "story_ru",
)
COUNT_FIELDS = ("count_of", "by", "value", "city", "date", "count")


def _or_none(value: Any) -> Any:
    return value if value not in ("", None) else None


def _projections(today: datetime.date) -> list[tuple[PublicProfile, PublicProfile]]:
    """Each published case projected in English and in Russian (labels and stories differ)."""
    pairs = []
    for consent in published_consents(today):
        with translation.override("en"):
            english = profile(consent.case, consent, today)
        with translation.override("ru"):
            russian = profile(consent.case, consent, today)
        if english is not None and russian is not None:
            pairs.append((english, russian))
    return sorted(pairs, key=lambda pair: pair[0].public_id)


def prisoner(english: PublicProfile, russian: PublicProfile) -> dict[str, Any]:
    """One row: what both projections show, nothing else."""
    stories = {p.story_language: p.story for p in (english, russian) if p.story}
    return {
        "public_id": english.public_id,
        "name": english.name,
        "status": _or_none(english.status_code),
        "status_en": _or_none(english.status),
        "status_ru": _or_none(russian.status),
        "charges": list(english.charges),
        "sentence_en": _or_none(english.sentence),
        "sentence_ru": _or_none(russian.sentence),
        "sentence_months": english.sentence_months,
        "facility": _or_none(english.facility),
        "city": _or_none(english.city),
        "region": _or_none(english.region),
        "receives_letters": english.receives_letters,
        "letter_address": list(english.letter_address),
        # The registry's partial date as it keeps it: "1961", "1961-09" or "1961-09-21".
        "birth_date": _or_none(english.birthday),
        "interests": list(english.interests),
        "story_en": stories.get("en"),
        "story_ru": stories.get("ru"),
    }


def prisoner_counts(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The listed prisoners by status and by region: only over the rows, only what they show."""
    statuses = Counter(r["status"] for r in rows if r["status"])
    labels = {r["status"]: (r["status_en"], r["status_ru"]) for r in rows if r["status"]}
    regions = Counter(r["region"] for r in rows if r["region"])
    return {
        "listed": len(rows),
        "by_status": [{"status": code, "status_en": labels[code][0],
                       "status_ru": labels[code][1], "prisoners": n}
                      for code, n in sorted(statuses.items())],
        "by_region": [{"region": region, "prisoners": n}
                      for region, n in sorted(regions.items())],
    }


# -- the files --------------------------------------------------------------------------------


def _json(document: Any) -> bytes:
    return bytes(rfc8785.dumps(document))


def _cell(value: Any) -> str:
    """A CSV cell: empty for None, true/false, a list's items one per line; a text that a
    spreadsheet would run as a formula gets an apostrophe (core.exports; the JSON keeps it)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return str(safe_cell("\n".join(" ".join(str(item).split()) for item in value)))
    return str(safe_cell(str(value)))


def _csv(header: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in header])
    return out.getvalue().encode()


def _count_rows(counts: dict[str, Any]) -> list[dict[str, Any]]:
    """counts.json as one long table: what is counted, by what, and the count."""
    listed, detained = counts["prisoners"], counts["detentions"]
    rows: list[dict[str, Any]] = [{"count_of": "prisoners", "by": "all",
                                   "count": listed["listed"]}]
    rows += [{"count_of": "prisoners", "by": "status", "value": r["status"],
              "count": r["prisoners"]} for r in listed["by_status"]]
    rows += [{"count_of": "prisoners", "by": "region", "value": r["region"],
              "count": r["prisoners"]} for r in listed["by_region"]]
    for what in ("detentions", "people"):
        rows.append({"count_of": what, "by": "all", "count": detained[what]})
        rows += [{"count_of": what, "by": "day", "date": r["day"], "count": r[what]}
                 for r in detained["by_day"]]
        rows += [{"count_of": what, "by": "city", "city": r["city"], "count": r[what]}
                 for r in detained["by_city"]]
        rows += [{"count_of": what, "by": "event", "value": r["event"], "city": r["city"],
                  "date": r["date"], "count": r[what]} for r in detained["by_event"]]
    return rows


def data_files(today: datetime.date) -> dict[str, bytes]:
    """The data files by name (without the manifest and its signature)."""
    rows = [prisoner(en, ru) for en, ru in _projections(today)]
    # The hotline's counts as its own public page gives them (intake/counts.json): already
    # public, never recomputed here.
    counts = {"format": FORMAT, "prisoners": prisoner_counts(rows),
              "detentions": intake.public_counts()}
    return {
        "prisoners.json": _json({"format": FORMAT, "prisoners": rows}),
        "prisoners.csv": _csv(PRISONER_FIELDS, rows),
        "counts.json": _json(counts),
        "counts.csv": _csv(COUNT_FIELDS, _count_rows(counts)),
    }


def manifest(data: dict[str, bytes], today: datetime.date) -> bytes:
    return _json({
        "format": FORMAT,
        "origin": settings.POMPOLIT_LOG_ORIGIN,
        # The day whose consents in force were read: a day, not a time, so that an export of
        # the same data on the same day is the same bytes, signature included.
        "exported_on": today.isoformat(),
        "licence": settings.POMPOLIT_OPEN_DATA_LICENCE,
        "documentation": "docs/open-data.md",
        "signature": SIGNATURE,
        "files": [signed.file_entry(name, data[name]) for name in sorted(data)],
    })


def build(today: datetime.date) -> dict[str, bytes]:
    """Every file of the export by name. Needs the log's signing key (tlog.signing_key: the
    vault unsealed, or a key file in development); raises its KeyProblem or VaultError if not."""
    data = data_files(today)
    listing = manifest(data, today)
    key = tlog.signing_key()
    note = signed.sign(settings.POMPOLIT_LOG_ORIGIN, listing, key.name, key.seed)
    return {**data, MANIFEST: listing, SIGNATURE: note.encode()}


def files() -> dict[str, bytes]:
    """The export for a static mirror: path from the site's root (DIRECTORY/name) → bytes."""
    built = build(timezone.localdate())
    return {f"{DIRECTORY}/{name}": data for name, data in sorted(built.items())}


def cached() -> dict[str, bytes]:
    """`build()` for the site's pages, kept a minute in the shared cache: every worker serves
    the same files, so a manifest and the files it lists always come from one build."""
    today = timezone.localdate()
    key = f"{_CACHE_KEY}:{today.isoformat()}"
    found = cache.get(key)
    if isinstance(found, dict):
        return found
    built = build(today)
    cache.set(key, built, CACHE_SECONDS)
    return built
