"""The templates' layout: one element per line where it matters, indented by their nesting.

Whitespace a template adds between block-level tags does not show, so the templates are laid
out for the reader: one `<dt>`, `<dd>`, `<li>` or `<tr>` per line, two spaces per level of
nesting (HTML elements and `{% if %}`/`{% for %}`/`{% block %}`… both count), a closing tag or
`{% endif %}`/`{% else %}` at the indentation of the line that opened it. Lines that continue
something begun on an earlier line (`<pre>`, `<textarea>`, `{% comment %}`, a multi-line
template tag) keep their own whitespace, which may be significant.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))

# Spans whose inner lines are left alone: their whitespace can be part of what they render.
VERBATIM = re.compile(
    r"<(pre|textarea|script|style)\b.*?</\1>"
    r"|\{% *(comment|blocktranslate|verbatim)\b.*?\{% *end\2 *%\}"
    r"|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}",
    re.S,
)
TOKEN = re.compile(
    r"\{%\s*(\w+).*?%\}"  # template tag: group 1 is its name
    r"|<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\"[^\"]*\"|'[^']*'|\{%.*?%\}|\{\{.*?\}\}|[^>])*>",  # HTML tag
    re.S,
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
OPENERS = {"if", "for", "with", "block", "slot", "autoescape", "spaceless", "filter",
           "ifchanged", "localize", "language", "partialdef", "element", "comment",
           "blocktranslate", "verbatim"}
RAW = {"pre", "textarea", "script", "style"}  # kept as they are, their lines unchecked
MIDDLES = {"elif", "else", "empty", "plural"}
ONE_PER_LINE = re.compile(r"<(dt|dd|li|tr)[\s>]")


def _name(path: Path) -> str:
    return str(path.relative_to(SRC))


def _continuation_lines(text: str) -> set[int]:
    """Numbers (1-based) of the lines that begin inside a multi-line verbatim span."""
    inside: set[int] = set()
    for match in VERBATIM.finditer(text):
        first = text.count("\n", 0, match.start()) + 1
        last = text.count("\n", 0, match.end()) + 1
        inside.update(range(first + 1, last + 1))
    return inside


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_whitespace_is_clean(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "\t" not in text, "tabs: indent with two spaces"
    assert text.endswith("\n") and not text.endswith("\n\n"), "end the file with one newline"
    trailing = [n for n, line in enumerate(text.split("\n"), 1) if line != line.rstrip()]
    assert not trailing, f"trailing whitespace on lines {trailing}"


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_one_list_item_or_row_per_line(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    skip = _continuation_lines(text)
    crammed = [n for n, line in enumerate(text.split("\n"), 1)
               if n not in skip and len(ONE_PER_LINE.findall(line)) > 1]
    assert not crammed, f"two <dt>/<dd>/<li>/<tr> on one line: lines {crammed}"


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_indentation_follows_nesting(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    skip = _continuation_lines(text)
    odd = [n for n, line in enumerate(lines, 1)
           if n not in skip and (len(line) - len(line.lstrip(" "))) % 2]
    assert not odd, f"indentation not a multiple of two spaces on lines {odd}"

    # A closing tag, {% end… %} or {% else %} that starts a line sits at the indentation of the
    # line its opener starts, and the lines in between are indented deeper.
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def line_of(offset: int) -> int:
        lo, hi = 0, len(lines)
        while lo < hi - 1:
            mid = (lo + hi) // 2
            if starts[mid] <= offset:
                lo = mid
            else:
                hi = mid
        return lo + 1

    def indent(n: int) -> int:
        return len(lines[n - 1]) - len(lines[n - 1].lstrip(" "))

    def begins_line(offset: int) -> bool:
        n = line_of(offset)
        return not text[starts[n - 1]:offset].strip()

    # comments may hold anything: blank them out, keeping the line numbers
    scan = re.sub(r"\{% *comment\b.*?\{% *endcomment *%\}|\{#.*?#\}",
                  lambda m: re.sub(r"[^\n]", " ", m.group()), text, flags=re.S)
    stack: list[tuple[str, int, int, list[int]]] = []  # name, opener line, offset, middle lines
    problems: list[str] = []
    for match in TOKEN.finditer(scan):
        tag, closing, element = match.group(1), match.group(2), match.group(3)
        n = line_of(match.start())
        if n in skip:
            continue
        if element:
            name = element.lower()
            if name in VOID or name in RAW or match.group().endswith("/>"):
                continue
            kind = "close" if closing else "open"
        elif tag in OPENERS:
            name, kind = tag, "open"
        elif tag in MIDDLES:
            name, kind = "", "middle"
        elif tag and tag.startswith("end") and tag[3:] in OPENERS:
            name, kind = tag[3:], "close"
        else:
            continue
        if kind == "open":
            stack.append((name, n, match.start(), []))
            continue
        if not stack or (kind == "close" and stack[-1][0] != name):
            problems.append(f"line {n}: {match.group()[:40]!r} closes nothing open")
            break
        _, opener_line, opener_at, middles = stack[-1]
        if kind == "close":
            stack.pop()
        if opener_line == n or not begins_line(match.start()):
            continue
        if indent(n) != indent(opener_line):
            problems.append(f"line {n}: {match.group()[:40]!r} is not aligned with line "
                            f"{opener_line}")
        if kind == "middle":
            middles.append(n)
        if not begins_line(opener_at):
            continue  # opened mid-line, e.g. after {% load %}: what follows is not nested
        shallow = [m for m in range(opener_line + 1, n)
                   if m not in skip and m not in middles and lines[m - 1].strip()
                   and indent(m) <= indent(opener_line)]
        if shallow:
            problems.append(f"lines {shallow} are not indented under line {opener_line}")
    assert not problems, "\n".join(problems)
