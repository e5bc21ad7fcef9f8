"""What `make screenshots` reads on every page it sees (scripts/screenshots.py):

- **English left on a Russian page**: any piece of text on the page that is one of the
  project's own English source strings (from the compiled Russian catalogue: a string whose
  translation differs from it), whole or, for strings of three words or more, inside a longer
  text. Not a list of words to look for: every string the project translates is checked.
- **Codes where names belong**: ledger account codes (`expenses:legal`), snake_case codes
  (`bank_transfer`, `foreign_chapter`) in either language, and on a Russian page any piece of
  text that is a bare lower-case Latin identifier (`general`, `lawyers`) other than a member's
  pseudonym.

Text inside `code`, `pre`, `kbd`, `samp` and anything marked `data-raw` (the folded "exactly
what will run" of an approval, fingerprints, file names) is machine data and not read; text
marked as in another language (`lang="en"` on a Russian page: a term's English label) is meant
so; members' pseudonyms are names, whatever words they happen to be.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from pathlib import Path

# Each element's own text (its text nodes, not its children's), for main and nav.
PAGE_TEXTS_JS = r"""() => {
    const raw = "code, pre, kbd, samp, script, style, [data-raw], .fingerprint";
    const texts = [];
    const language = l => (l || "").split("-")[0];
    const page = language(document.documentElement.lang);
    for (const root of document.querySelectorAll("main, nav")) {
        for (const e of [root, ...root.querySelectorAll("*")]) {
            if (e.closest(raw)) { continue; }
            // Text marked as in another language (lang="en" on a Russian page) is meant so.
            const marked = e.closest("[lang]");
            if (marked && language(marked.lang) !== page) { continue; }
            let own = "";
            for (const n of e.childNodes) { if (n.nodeType === 3) { own += n.textContent; } }
            own = own.replace(/\s+/g, " ").trim();
            if (own) { texts.push(own); }
            for (const a of ["placeholder", "title", "aria-label"]) {
                const v = e.getAttribute(a);
                if (v && v.trim()) { texts.push(v.replace(/\s+/g, " ").trim()); }
            }
        }
    }
    return texts;
}"""

ACCOUNT_CODE = re.compile(r"\b(?:assets|income|expenses|liabilities|equity)(?::[a-z0-9_-]+)+\b")
SNAKE_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
BARE_IDENTIFIER = re.compile(r"[a-z][a-z0-9-]*")
# Strings the catalogue translates that are also ordinary text in Russian pages: units,
# currencies, product names and the like are the same in both and need no flag.
_TOO_SHORT = 3


def english_catalogue(mo_path: Path) -> frozenset[str]:
    """The project's English strings that Russian pages must not show: each msgid whose
    Russian translation differs from it (contexts and plural indices dropped)."""
    with mo_path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    found: set[str] = set()
    for key, translated in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or msgid == translated:
            continue
        msgid = msgid.split("\x04", 1)[-1]  # the context, if any
        if "%(" in msgid or "{" in msgid:  # a template: its filled-in form is not knowable
            continue
        text = " ".join(msgid.split()).rstrip(":").strip()
        if len(text) >= _TOO_SHORT and re.search(r"[A-Za-z]{3}", text):
            found.add(text)
    return frozenset(found)


def untranslated(
    texts: Iterable[str], catalogue: frozenset[str], allowed: Iterable[str] = ()
) -> list[str]:
    """The pieces of text of a Russian page that are English strings of the project (but not
    one of `allowed`: pseudonyms such as "auditor")."""
    allowed = set(allowed)
    long_strings = [s for s in catalogue if s.count(" ") >= 2]
    found: set[str] = set()
    for text in texts:
        plain = text.rstrip(":").strip()
        if plain in allowed:
            continue
        if plain in catalogue:
            found.add(plain)
            continue
        if re.search(r"[A-Za-z]{3}", plain):
            found.update(s for s in long_strings if s in plain)
    return sorted(found)


def codes_shown(texts: Iterable[str], *, russian: bool, allowed: Iterable[str] = ()) -> list[str]:
    """Codes shown where a name belongs: account and snake_case codes on any page, and on a
    Russian page a bare lower-case Latin word that is not one of `allowed` (pseudonyms)."""
    allowed = set(allowed)
    found: set[str] = set()
    for text in texts:
        found.update(ACCOUNT_CODE.findall(text))
        found.update(c for c in SNAKE_CODE.findall(text) if c not in allowed)
        if russian and BARE_IDENTIFIER.fullmatch(text) and text not in allowed:
            found.add(text)
    return sorted(found)
