"""Just enough incremental JSON reading to check a bundle of millions of leaves
without holding the file, or a Python object per leaf, in memory.

As strict as strictjson.loads: every value goes through the same decoder and, when it is
refused, the same slow reader names the place (member path, line and column)."""

import json
import re
from collections.abc import Iterator
from typing import Protocol

from . import strictjson
from .errors import DocumentError
from .strictjson import StrictJsonError

_WHITESPACE = " \t\n\r"
# A leaf as our writer spells it; anything else (escapes, odd spacing) falls
# back to the full JSON decoder, so every valid JSON spelling is accepted.
_PLAIN_STRING = re.compile(r'[ \t\n\r]*"([A-Za-z0-9+/=]*)"[ \t\n\r]*([,\]])')
_READ = 1 << 20


class Readable(Protocol):
    def read(self, size: int = -1, /) -> str: ...


class JsonStream:
    def __init__(self, stream: Readable, name: str = "the document") -> None:
        self._stream = stream
        self._name = name
        self._buffer = ""
        self._pos = 0
        self._eof = False
        self._started = False
        # Where the buffer starts in the whole text: its line, and the column of its first
        # character (for messages only).
        self._line = 1
        self._column = 1
        self._decoder = strictjson.DECODER

    def _fill(self, need: int) -> None:
        while not self._eof and len(self._buffer) - self._pos < need:
            chunk = self._stream.read(max(_READ, need))
            if not chunk:
                self._eof = True
            if not self._started:
                self._started = True
                if chunk.startswith(strictjson.BOM):
                    raise StrictJsonError(
                        f"{self._name} starts with a byte-order mark (BOM): JSON must not")
            dropped = self._buffer[: self._pos]
            newlines = dropped.count("\n")
            if newlines:
                self._line += newlines
                self._column = len(dropped) - dropped.rfind("\n")
            else:
                self._column += len(dropped)
            self._buffer = self._buffer[self._pos :] + chunk
            self._pos = 0

    def where(self, offset: int) -> str:
        """"line L, column C" of a buffer offset."""
        newlines = self._buffer.count("\n", 0, offset)
        column = offset - self._buffer.rfind("\n", 0, offset) if newlines else self._column + offset
        return f"line {self._line + newlines}, column {column}"

    def _skip_whitespace(self) -> None:
        while True:
            self._fill(1)
            buffer, pos = self._buffer, self._pos
            while pos < len(buffer) and buffer[pos] in _WHITESPACE:
                pos += 1
            self._pos = pos
            if pos < len(buffer) or self._eof:
                return

    def peek(self) -> str:
        self._skip_whitespace()
        return self._buffer[self._pos : self._pos + 1]

    def expect(self, char: str, where: str) -> None:
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "the end of the file"
            raise StrictJsonError(f"{self._name} is not valid JSON: expected {char!r} {where}, "
                                  f"found {shown} ({self.where(self._pos)})")
        self._pos += 1

    def _refuse(self, path: str, fallback: str) -> StrictJsonError:
        found = strictjson.locate(self._buffer, self._pos, single=True)
        if found is None:
            found = strictjson.locate(self._buffer, self._pos, single=True,
                                      max_depth=strictjson.MAX_DEPTH)
        if found is None:
            return StrictJsonError(f"{self._name} is not valid JSON: {fallback}, at {path} "
                                   f"({self.where(self._pos)})", path)
        reason, offset, inner = found
        full = path + inner[1:]
        return StrictJsonError(f"{self._name} is not strict JSON: {reason}, at {full} "
                               f"({self.where(offset)})", full)

    def value(self, path: str = "$") -> object:
        """The next value, strictly; `path` names it in messages."""
        self._skip_whitespace()
        need = _READ
        while True:
            self._fill(need)
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
                if not self._eof:  # perhaps only cut short: read more first
                    need = len(self._buffer) - self._pos + _READ
                    continue
                message = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
                raise self._refuse(path, message or "nested too deeply") from None
            # A number may continue past the end of what has been read so far.
            if end == len(self._buffer) and not self._eof:
                need = len(self._buffer) - self._pos + _READ
                continue
            if strictjson.has_surrogate_escape(self._buffer, self._pos, end):
                problem = strictjson.locate(self._buffer, self._pos, single=True)
                if problem is not None:
                    raise self._refuse(path, "")
            self._pos = end
            return value

    def object_keys(self) -> Iterator[str]:
        """Yield each key of an object; the caller must consume its value."""
        self.expect("{", "at the start of the document")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            if self.peek() != '"':
                self.expect('"', "where a member name should be")
            key = self.value()
            if not isinstance(key, str):
                raise DocumentError("not valid JSON: an object key is not a string")
            self.expect(":", f"after the member {strictjson.shown(key)}")
            yield key
            if self.peek() == ",":
                self._pos += 1
                continue
            self.expect("}", "after a value")
            return

    def strings(self, what: str, path: str = "$") -> Iterator[str]:
        """Yield the strings of an array, one at a time."""
        self.expect("[", f"at the start of {what}")
        if self.peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            if len(self._buffer) - self._pos < 4096:
                self._fill(4096)
            match = _PLAIN_STRING.match(self._buffer, self._pos)
            if match:
                self._pos = match.end()
                yield match.group(1)
                index += 1
                if match.group(2) == "]":
                    return
                continue
            item = self.value(f"{path}[{index}]")
            if not isinstance(item, str):
                raise DocumentError(f"{what} must hold only strings: {path}[{index}] is not one")
            yield item
            index += 1
            if self.peek() == ",":
                self._pos += 1
                continue
            self.expect("]", f"after an element of {what}")
            return

    def end(self) -> None:
        if self.peek():
            raise StrictJsonError(f"{self._name} is not valid JSON: there is data after the "
                                  f"document ({self.where(self._pos)})")
