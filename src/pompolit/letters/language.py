"""Which language a letter seems to be in, from its script: enough to tell a writer that a
facility's censor will not pass it. Cyrillic is Russian unless letters only Ukrainian (і ї є ґ)
or Belarusian (ў) use are there; Latin is counted as English (the censor reads neither);
Georgian, Armenian and Hebrew have scripts of their own. "" when there are no letters."""

from __future__ import annotations

import unicodedata

SCRIPTS = {"CYRILLIC": "ru", "LATIN": "en", "GEORGIAN": "ka", "ARMENIAN": "hy", "HEBREW": "he"}
UKRAINIAN = set("іїєґІЇЄҐ")
BELARUSIAN = set("ўЎ")


def detect(text: str) -> str:
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        script = unicodedata.name(char, "").split(" ", 1)[0]
        code = SCRIPTS.get(script, "other")
        counts[code] = counts.get(code, 0) + 1
    if not counts:
        return ""
    found = max(counts, key=lambda code: counts[code])
    if found == "ru":
        if any(char in UKRAINIAN for char in text):
            return "uk"
        if any(char in BELARUSIAN for char in text):
            return "be"
    return found
