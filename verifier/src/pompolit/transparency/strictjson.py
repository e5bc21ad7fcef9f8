"""Strict JSON: the one reader of every JSON document the verifier is given.

Two readers of the same bytes must see the same value, or a statement can say one thing to
this verifier and another to the next. So, beyond RFC 8259 syntax, refused are: a member name
twice in one object, NaN / Infinity / -Infinity, a lone surrogate (an unpaired \\ud800-\\udfff
escape), an integer outside ±(2^53 − 1) and a number a double cannot hold (RFC 7493,
I-JSON), text that is not UTF-8, a byte-order mark, data after the document, and nesting
deeper than the standard library's reader can follow (reported as deeper than MAX_DEPTH).
docs/transparency.md ("Strict JSON") states the same rules.

Reading is fast on good input (the standard library's decoder, with hooks); when it refuses,
a slower reader walks the text once more to say exactly where: the member path
(`$.figures.income[0].amount`) and the line and column.
"""

import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import BinaryIO, cast

from .errors import DocumentError

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 64
BOM = "\ufeff"
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
# Only an escape can put a surrogate into decoded text (UTF-8 cannot encode one).
_SURROGATE_ESCAPE = re.compile("\\\\u[dD][89a-fA-F]|[\ud800-\udfff]")
_SURROGATE_CHAR = re.compile("[\ud800-\udfff]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class StrictJsonError(DocumentError):
    """Not strict JSON; `where` is the member path, `line`/`column` count from 1."""

    def __init__(self, reason: str, where: str = "", line: int = 0, column: int = 0) -> None:
        super().__init__(reason)
        self.where, self.line, self.column = where, line, column


class _Refused(ValueError):
    """Raised by the decoder's hooks; the slow reader then says where."""


# -- the rules, shared by both readers ------------------------------------------------------


def number_problem(text: str) -> str | None:
    """Why a JSON number literal is refused, or None."""
    _whole, fraction, exponent = _split_number(text)
    if not fraction and not exponent:
        digits = text.lstrip("-")
        if len(digits) > 16 or int(digits) > MAX_SAFE_INTEGER:
            return (f"the integer {shorten(text)} is outside the safe range "
                    f"±{MAX_SAFE_INTEGER} (2^53 − 1)")
        return None
    if len(text) > 400:
        return f"the number {shorten(text)} is too long to be exact"
    value = float(text)
    exact = Decimal(text)
    if not math.isfinite(value) or exact not in (Decimal(repr(value)), Decimal(value)):
        return f"the number {shorten(text)} cannot be held exactly by a double (I-JSON)"
    return None


def _split_number(text: str) -> tuple[str, str, str]:
    match = _NUMBER.fullmatch(text)
    if match is None:  # the decoder only calls the hooks with valid literals
        return text, "", ""
    return text, match.group(1) or "", match.group(2) or ""


def shorten(text: str, keep: int = 24) -> str:
    return text if len(text) <= keep else f"{text[:keep]}… ({len(text)} characters)"


def _parse_int(text: str) -> int:
    if len(text) > 17 or number_problem(text):
        raise _Refused(text)
    return int(text)


def _parse_float(text: str) -> float:
    if number_problem(text):
        raise _Refused(text)
    return float(text)


def _parse_constant(text: str) -> object:
    raise _Refused(text)


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Refused("duplicate")
    return result


# The standard library's string scanner: strict about escapes and control characters.
_ScanString = Callable[[str, int, bool], tuple[str, int]]
scanstring = cast(_ScanString, json.decoder.scanstring)  # type: ignore[attr-defined]
DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_int=_parse_int,
                           parse_float=_parse_float, parse_constant=_parse_constant)


# -- positions and paths ----------------------------------------------------------------------


def position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (from 1) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def path_text(labels: list[str | int]) -> str:
    if len(labels) > 12:
        return path_text(labels[:4]) + f"…(nested {len(labels)} deep)" + path_text(
            labels[-4:])[1:]
    parts = ["$"]
    for label in labels:
        if isinstance(label, int):
            parts.append(f"[{label}]")
        elif _NAME.fullmatch(label):
            parts.append(f".{label}")
        else:
            parts.append(f"[{json.dumps(label)}]")
    return "".join(parts)


def shown(text: str) -> str:
    """A string as JSON with every non-ASCII character escaped: a Cyrillic е shows as \\u0435."""
    return json.dumps(text, ensure_ascii=True)


# -- the slow reader: finds the first problem, with its place ---------------------------------


Found = tuple[str, int, str]  # (reason, offset, path)


def locate(text: str, start: int = 0, single: bool = False, max_depth: int = 1 << 30
           ) -> Found | None:
    """The first reason `text` (from `start`) is not strict JSON, as (reason, offset, path);
    None if it is. With `single`, stop after one value (what follows is the caller's)."""
    return _Locator(text, max_depth).run(start, single)


class _Locator:
    """locate's state machine. Each state reads what it expects at `pos` and returns the
    next state ("value", "first", "name" or "after"), or the problem found."""

    def __init__(self, text: str, max_depth: int) -> None:
        self.text, self.max_depth = text, max_depth
        self.pos = 0
        # Open containers: [is an object, names seen, current label].
        self.stack: list[tuple[bool, set[str], list[str | int]]] = []

    def run(self, start: int, single: bool) -> Found | None:
        text, size = self.text, len(self.text)
        steps = {"value": self.value, "first": self.first, "name": self.name,
                 "after": self.after}
        self.pos = start
        state = "value"
        while True:
            self.pos = _WHITESPACE.match(text, self.pos).end()  # type: ignore[union-attr]
            if state == "after" and not self.stack:
                if single or self.pos == size:
                    return None
                return "there is data after the JSON document", self.pos, "$"
            found = steps[state](text[self.pos : self.pos + 1])
            if not isinstance(found, str):
                return found
            state = found

    def path(self) -> str:
        return path_text([frame[2][0] for frame in self.stack if frame[2]])

    def value(self, char: str) -> str | Found:
        """A value: a container opens, or a string, a number or a literal is passed over."""
        text, pos = self.text, self.pos
        if char in ("{", "["):
            if len(self.stack) >= self.max_depth:
                return (f"the JSON is nested more than {self.max_depth} levels deep", pos,
                        self.path())
            self.stack.append((char == "{", set(), [] if char == "{" else [0]))
            self.pos += 1
            return "first"
        if char == '"':
            try:
                value, end = scanstring(text, pos + 1, True)
            except json.JSONDecodeError as error:
                return f"a malformed string: {error.msg}", error.pos, self.path()
            if _has_surrogate(value):
                return ("a lone surrogate (an unpaired \\ud800-\\udfff escape) in a string",
                        pos, self.path())
            self.pos = end
        elif text.startswith(("NaN", "Infinity", "-Infinity"), pos):
            word = "NaN" if char == "N" else "-Infinity" if char == "-" else "Infinity"
            return f"{word} is not a JSON number", pos, self.path()
        elif char and char in "-0123456789":
            match = _NUMBER.match(text, pos)
            if match is None:
                return "a malformed number", pos, self.path()
            reason = number_problem(match.group())
            if reason:
                return reason, pos, self.path()
            self.pos = match.end()
        elif text.startswith(("true", "null"), pos):
            self.pos += 4
        elif text.startswith("false", pos):
            self.pos += 5
        elif not char:
            return "the text ends where a value should be", pos, self.path()
        else:
            return f"expected a value, found {char!r}", pos, self.path()
        return "after"

    def first(self, char: str) -> str:
        """Just inside a container: it closes at once, or its first member or item."""
        is_object = self.stack[-1][0]
        if char == ("}" if is_object else "]"):
            self.stack.pop()
            self.pos += 1
            return "after"
        return "name" if is_object else "value"

    def name(self, char: str) -> str | Found:
        """A member name, never seen before in its object, and its colon."""
        text, pos = self.text, self.pos
        if char != '"':
            found = repr(char) if char else "the end of the text"
            return f"expected a member name, found {found}", pos, self.path()
        try:
            name, end = scanstring(text, pos + 1, True)
        except json.JSONDecodeError as error:
            return f"a malformed member name: {error.msg}", error.pos, self.path()
        _is_object, names, label = self.stack[-1]
        if _has_surrogate(name):
            return ("a lone surrogate (an unpaired \\ud800-\\udfff escape) in a member name",
                    pos, self.path())
        if name in names:
            return (f"the member {shown(name)} appears twice", pos, self.path())
        names.add(name)
        label[:] = [name]
        self.pos = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
        if text[self.pos : self.pos + 1] != ":":
            return f"expected ':' after the member {shown(name)}", self.pos, self.path()
        self.pos += 1
        return "value"

    def after(self, char: str) -> str | Found:
        """After a value inside a container: a comma, or the container closes."""
        is_object, _names, label = self.stack[-1]
        if char == ",":
            self.pos += 1
            if is_object:
                return "name"
            label[0] = int(label[0]) + 1
            return "value"
        if char == ("}" if is_object else "]"):
            self.stack.pop()
            self.pos += 1
            return "after"
        closing = "'}'" if is_object else "']'"
        found = repr(char) if char else "the end of the text"
        return f"expected ',' or {closing}, found {found}", self.pos, self.path()


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def has_surrogate_escape(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether text[start:end] may hold a lone surrogate (then locate() decides)."""
    return _SURROGATE_ESCAPE.search(text, start, len(text) if end is None else end) is not None


def _has_surrogate(text: str) -> bool:
    return _SURROGATE_CHAR.search(text) is not None


def _error(name: str, text: str, found: tuple[str, int, str] | None,
           fallback: str) -> StrictJsonError:
    if found is None:
        return StrictJsonError(f"{name} is not valid JSON: {fallback}")
    reason, offset, where = found
    line, column = position(text, offset)
    return StrictJsonError(f"{name} is not strict JSON: {reason}, at {where} "
                           f"(line {line}, column {column})", where, line, column)


# -- reading ----------------------------------------------------------------------------------


def decode_utf8(data: bytes, name: str) -> str:
    """UTF-8 text without a byte-order mark; DocumentError says where it is not."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise StrictJsonError(f"{name} starts with a byte-order mark (BOM): JSON must not")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise not_utf8(name, data, error.start) from None


def not_utf8(name: str, data: bytes, offset: int, base: int = 0, base_line: int = 1
             ) -> StrictJsonError:
    line = base_line + data.count(b"\n", 0, offset)
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    byte = data[offset : offset + 1].hex() or "end"
    return StrictJsonError(f"{name} is not UTF-8 text: byte 0x{byte} at byte {base + offset} "
                           f"(line {line}, column {column})", "", line, column)


def loads(text: str, name: str = "the document", decoded: bool = False) -> object:
    """The value of a strict JSON text; StrictJsonError (exit 2) names the place if not.
    `decoded`: the text was decoded from UTF-8 here, so it holds no raw surrogate."""
    if text.startswith(BOM):
        raise StrictJsonError(f"{name} starts with a byte-order mark (BOM): JSON must not")
    try:
        value = DECODER.decode(text)
    except RecursionError:
        raise _error(name, text, locate(text, max_depth=MAX_DEPTH), "nested too deeply") from None
    except (json.JSONDecodeError, ValueError) as error:
        fallback = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        raise _error(name, text, locate(text), fallback) from None
    if "\\u" in text or (not decoded and not text.isascii() and not _encodes(text)):
        found = locate(text)
        if found is not None:
            raise _error(name, text, found, "")
    return value


def load_bytes(data: bytes, name: str = "the document") -> object:
    return loads(decode_utf8(data, name), name, decoded=True)


class Utf8Reader:
    """A text view of a binary stream that refuses what is not UTF-8 (or starts with a BOM),
    naming the byte and line; `read(n)` as a text file's."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self._stream = stream
        self._name = name
        self._offset = 0  # bytes decoded so far
        self._line = 1
        self._pending = b""
        self._first = True

    def read(self, size: int = -1) -> str:
        if size is None or size < 0:  # all of it, a megabyte at a time (less memory)
            pieces = []
            while piece := self._read(1 << 20):
                pieces.append(piece)
            return "".join(pieces)
        return self._read(size)

    def _read(self, size: int) -> str:
        chunk = self._stream.read(size)
        if self._first:
            self._first = False
            if chunk.startswith(b"\xef\xbb\xbf"):
                raise StrictJsonError(
                    f"{self._name} starts with a byte-order mark (BOM): JSON must not")
        data = self._pending + chunk if self._pending else chunk
        if not chunk:
            if data:
                raise not_utf8(self._name, data, 0, self._offset, self._line)
            return ""
        # Keep an incomplete character at the end for the next read.
        cut = len(data)
        for back in range(1, min(4, len(data)) + 1):
            byte = data[-back]
            if byte < 0x80:
                break
            if byte >= 0xC0:
                need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
                if need > back:
                    cut = len(data) - back
                break
        head, self._pending = data[:cut], data[cut:]
        if not head:  # only the start of a letter so far: read on ("" would mean the end)
            return self._read(size)
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as error:
            raise not_utf8(self._name, head, error.start, self._offset, self._line) from None
        self._offset += len(head)
        self._line += head.count(b"\n")
        return text

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> "Utf8Reader":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

