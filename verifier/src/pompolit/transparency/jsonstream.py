"""Just enough incremental JSON reading to check a bundle of millions of leaves
without holding the file, or a Python object per leaf, in memory."""

import json
import re
from collections.abc import Iterator
from typing import TextIO

from .errors import DocumentError

_WHITESPACE = " \t\n\r"
# A leaf as our writer spells it; anything else (escapes, odd spacing) falls
# back to the full JSON decoder, so every valid JSON spelling is accepted.
_PLAIN_STRING = re.compile(r'[ \t\n\r]*"([A-Za-z0-9+/=]*)"[ \t\n\r]*([,\]])')
_READ = 1 << 20


class JsonStream:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._buffer = ""
        self._pos = 0
        self._eof = False
        self._decoder = json.JSONDecoder()

    def _fill(self, need: int) -> None:
        while not self._eof and len(self._buffer) - self._pos < need:
            chunk = self._stream.read(max(_READ, need))
            if not chunk:
                self._eof = True
            self._buffer = self._buffer[self._pos :] + chunk
            self._pos = 0

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
            raise DocumentError(f"not valid JSON: expected {char!r} {where}, found {shown}")
        self._pos += 1

    def value(self) -> object:
        self._skip_whitespace()
        need = _READ
        while True:
            self._fill(need)
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                if self._eof:
                    raise DocumentError(f"not valid JSON: {error.msg}") from None
                need = len(self._buffer) - self._pos + _READ
                continue
            # A number may continue past the end of what has been read so far.
            if end == len(self._buffer) and not self._eof:
                need = len(self._buffer) - self._pos + _READ
                continue
            self._pos = end
            return value

    def object_keys(self) -> Iterator[str]:
        """Yield each key of an object; the caller must consume its value."""
        self.expect("{", "at the start of the document")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise DocumentError("not valid JSON: an object key is not a string")
            self.expect(":", f"after the key {key!r}")
            yield key
            if self.peek() == ",":
                self._pos += 1
                continue
            self.expect("}", "after a value")
            return

    def strings(self, what: str) -> Iterator[str]:
        """Yield the strings of an array, one at a time."""
        self.expect("[", f"at the start of {what}")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            if len(self._buffer) - self._pos < 4096:
                self._fill(4096)
            match = _PLAIN_STRING.match(self._buffer, self._pos)
            if match:
                self._pos = match.end()
                yield match.group(1)
                if match.group(2) == "]":
                    return
                continue
            item = self.value()
            if not isinstance(item, str):
                raise DocumentError(f"{what} must hold only strings")
            yield item
            if self.peek() == ",":
                self._pos += 1
                continue
            self.expect("]", f"after an element of {what}")
            return

    def end(self) -> None:
        if self.peek():
            raise DocumentError("not valid JSON: there is data after the document")
