"""A count is never written next to a word that does not agree with it ("61 записей").

Russian has three forms for a counted word (1 запись, 2 записи, 5 записей, 21 запись), so a
count goes through ngettext / `{% blocktranslate count %}`. Two checks: the counted sentences
of the pages render the right form for 1, 2, 5 and 21; and no sentence anywhere (templates and
code) puts a count before an English plural noun without plural forms, unless its Russian
keeps the number away from the noun ("записей: 61").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from django.template import Context, Template
from django.utils import translation

SOURCE = Path(__file__).resolve().parents[2]
COUNTED = {1: "запись", 2: "записи", 5: "записей", 21: "запись", 12: "записей", 104: "записи"}
NOUNS = (
    "entries|records|rows|lines|days|years|months|cases|items|parcels|files|characters|"
    "errors|members|vouches|shares|keyholders|donations|expenses|letters|reads|people|"
    "coordinators|receipts|facilities|pages"
)
# Units, abbreviations and prepositions may follow a number in any form ("5 из 21").
UNITS = {"кг", "г", "мес", "МБ", "КБ", "из", "и", "или", "в", "на", "по", "до", "с", "от", "за"}


def _block(template: str, needle: str) -> str:
    text = (SOURCE / template).read_text(encoding="utf-8")
    blocks = re.findall(r"\{% blocktranslate count .*?\{% endblocktranslate %\}", text, re.S)
    found = [block for block in blocks if needle in block]
    assert len(found) == 1, (template, needle)
    return found[0]


@pytest.mark.parametrize(
    ("template", "needle", "variable"),
    [
        ("ledger/templates/ledger/statement_detail.html", "The signed log holds", "size"),
        ("ledger/templates/ledger/public_check.html", "inclusion proof", "found.proof.size"),
        ("cases/templates/cases/vocabulary_terms.html", "record", "t.uses"),
    ],
)
@pytest.mark.parametrize("count", sorted(COUNTED))
def test_counted_entries_take_the_russian_form_of_their_number(template, needle, variable, count):
    block = _block(template, needle)
    context: dict[str, object] = {}
    target = context
    *path, last = variable.split(".")
    for part in path:
        target = target.setdefault(part, {})  # type: ignore[assignment]
    target[last] = count

    with translation.override("ru"):
        text = Template("{% load i18n %}" + block).render(Context(context))

    expected = COUNTED[count]
    if "журнале из" in text:  # "из" takes the genitive: из 1 записи, из 5 записей, из 21 записи
        expected = "записи" if count % 10 == 1 and count % 100 != 11 else "записей"
    assert re.search(rf"\b{count} {expected}\b", text), text


def _template_sentences() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SOURCE.rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for block in re.findall(
            r"\{% blocktranslate (?!count)[^%]*%\}(.*?)\{% endblocktranslate", text, re.S
        ):
            found.append(
                (str(path.relative_to(SOURCE)), re.sub(r"\{\{ ?(\w+) ?\}\}", r"%(\1)s", block))
            )
    return found


def _code_sentences() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"_": None, "gettext": None, "gettext_lazy": None}
        ):
            if isinstance(message, str):
                found.append((str(path.relative_to(SOURCE)), message))
    return found


def test_no_count_stands_before_a_word_that_cannot_agree_with_it():
    wrong = []
    with translation.override("ru"):
        for where, message in _template_sentences() + _code_sentences():
            for name in re.findall(rf"%\((\w+)\)[sd] (?:more |new )?(?:{NOUNS})\b", message):
                russian = translation.gettext(message)
                for word in re.findall(rf"%\({name}\)[sd] ([^\W\d_]+)", russian):
                    if word not in UNITS and re.match(r"[а-яё]", word, re.I):
                        wrong.append(f"{where}: {message!r} -> {russian!r}")
    assert not wrong, "use ngettext / blocktranslate count, or «слово: N»:\n" + "\n".join(wrong)
