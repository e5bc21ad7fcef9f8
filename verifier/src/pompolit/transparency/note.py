"""C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys.

A note is UTF-8 text ending in a newline, a blank line, then one or more lines
"— <key name> <base64(4-byte key ID || signature)>". Parsing here is as strict
as golang.org/x/mod/sumdb/note, and stricter in two places: base64 must be in
its canonical form, and one key may not sign a note twice.
"""

import base64
import binascii
import re
from dataclasses import dataclass
from hashlib import sha256

import nacl.exceptions
import nacl.signing

from .errors import DocumentError, VerificationError

SIGNATURE_PREFIX = "\u2014 "  # em dash, space
ED25519 = 0x01
MAX_SIGNATURES = 100  # the spec asks for at least 16; Go's reader stops at 100
_HEX8 = re.compile(r"[0-9a-f]{8}")


@dataclass(frozen=True)
class NoteSignature:
    name: str
    key_id: int
    signature: bytes  # without the 4-byte key ID
    verified: bool = False

    @property
    def key(self) -> str:
        return f"{self.name}+{self.key_id:08x}"

    @property
    def line(self) -> str:
        raw = self.key_id.to_bytes(4, "big") + self.signature
        return f"{SIGNATURE_PREFIX}{self.name} {b64(raw)}\n"


@dataclass(frozen=True)
class Note:
    text: str  # the signed text, including its final newline
    signatures: tuple[NoteSignature, ...]


@dataclass(frozen=True)
class VerifierKey:
    name: str
    key_id: int
    public_key: bytes

    @property
    def key(self) -> str:
        return f"{self.name}+{self.key_id:08x}"

    def check(self, text: str, signature: bytes) -> bool:
        try:
            nacl.signing.VerifyKey(self.public_key).verify(text.encode(), signature)
        except (nacl.exceptions.BadSignatureError, ValueError):
            return False
        return True


def valid_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


def key_id(name: str, public_key: bytes) -> int:
    digest = sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def b64decode_strict(text: str) -> bytes:
    """Standard base64 with padding, and only its one canonical spelling."""
    try:
        data = binascii.a2b_base64(text, strict_mode=True)
    except ValueError:  # binascii.Error, or non-ASCII text
        raise ValueError("not valid base64") from None
    # Strict mode still accepts non-zero padding bits: "AB==" and "AA==" both
    # decode to one zero byte. Only the encoder's own spelling is allowed.
    if binascii.b2a_base64(data, newline=False) != text.encode():
        raise ValueError("not canonical base64")
    return data


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def vkey(key_name: str, public_key: bytes) -> str:
    if not valid_name(key_name):
        raise ValueError(f"key name {key_name!r} is empty or contains a space or '+'")
    if len(public_key) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return f"{key_name}+{key_id(key_name, public_key):08x}+{b64(bytes([ED25519]) + public_key)}"


def parse_vkey(text: str) -> VerifierKey:
    """Read "name+hexkeyid+base64(0x01 || public key)"; raise DocumentError if malformed."""
    name, _, rest = text.partition("+")
    hex_id, _, encoded = rest.partition("+")
    if not valid_name(name):
        raise DocumentError(f"verifier key {text!r}: the key name is empty or invalid")
    if not _HEX8.fullmatch(hex_id):
        raise DocumentError(f"verifier key {text!r}: the key ID is not 8 lowercase hex digits")
    try:
        key = b64decode_strict(encoded)
    except ValueError as error:
        raise DocumentError(f"verifier key {text!r}: the key is {error}") from None
    if len(key) != 33 or key[0] != ED25519:
        raise DocumentError(f"verifier key {text!r}: not an Ed25519 key (type 0x01, 32 bytes)")
    public_key = key[1:]
    if key_id(name, public_key) != int(hex_id, 16):
        raise DocumentError(f"verifier key {text!r}: the key ID does not match the key")
    return VerifierKey(name, int(hex_id, 16), public_key)


def public_key(private_key: bytes) -> bytes:
    return bytes(nacl.signing.SigningKey(_seed(private_key)).verify_key)


def _seed(private_key: bytes) -> bytes:
    if len(private_key) != 32:
        raise ValueError("the private key must be the 32-byte Ed25519 seed")
    return bytes(private_key)


def signature_line(text: str, key_name: str, private_key: bytes) -> str:
    if not valid_name(key_name):
        raise ValueError(f"key name {key_name!r} is empty or contains a space or '+'")
    signing_key = nacl.signing.SigningKey(_seed(private_key))
    signature = signing_key.sign(text.encode()).signature
    prefix = key_id(key_name, bytes(signing_key.verify_key)).to_bytes(4, "big")
    return f"{SIGNATURE_PREFIX}{key_name} {b64(prefix + signature)}\n"


def malformed(reason: str) -> VerificationError:
    return VerificationError(f"malformed signed note: {reason}")


def parse_note(text: str) -> Note:
    """Split a signed note into text and (unverified) signatures."""
    try:
        text.encode()
    except UnicodeEncodeError:
        raise malformed("it is not valid UTF-8") from None
    for line_number, line in enumerate(text.split("\n"), start=1):
        if any(c < " " for c in line):
            raise malformed(f"line {line_number} contains a control character")
    if not text.endswith("\n"):
        raise malformed("it does not end with a newline")
    split = text.rfind("\n\n")
    if split < 0:
        raise malformed("there is no blank line between the text and the signatures")
    body, block = text[: split + 1], text[split + 2 :]
    lines = block.split("\n")[:-1]
    if not lines:
        raise malformed("it has no signature lines")
    if len(lines) > MAX_SIGNATURES:
        raise malformed(f"it has more than {MAX_SIGNATURES} signatures")
    first_line = body.count("\n") + 2
    signatures: list[NoteSignature] = []
    seen: set[tuple[str, int]] = set()
    for line_number, line in enumerate(lines, start=first_line):
        signature = _parse_signature_line(line, line_number)
        if (signature.name, signature.key_id) in seen:
            raise malformed(f"line {line_number}: key {signature.key} signed a second time")
        seen.add((signature.name, signature.key_id))
        signatures.append(signature)
    return Note(body, tuple(signatures))


def _parse_signature_line(line: str, line_number: int) -> NoteSignature:
    if not line.startswith(SIGNATURE_PREFIX):
        raise malformed(f"line {line_number} is not a signature line (\u2014 name signature)")
    name, space, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    if not space or not valid_name(name):
        raise malformed(f"line {line_number}: missing or invalid key name")
    try:
        raw = b64decode_strict(encoded)
    except ValueError as error:
        raise malformed(f"line {line_number}: the signature is {error}") from None
    if len(raw) < 5:
        raise malformed(f"line {line_number}: the signature is too short")
    return NoteSignature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def signer_key(name: str, private_key: bytes) -> str:
    """Go's private key text (PRIVATE+KEY+name+hexid+base64(0x01 || seed)), for key files."""
    key_hash = key_id(name, public_key(private_key))
    return f"PRIVATE+KEY+{name}+{key_hash:08x}+{b64(bytes([ED25519]) + private_key)}"


def parse_signer_key(text: str) -> tuple[str, bytes]:
    """(key name, 32-byte seed) from Go's private key text."""
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not valid_name(parts[2]):
        raise ValueError("not a PRIVATE+KEY+name+keyid+key signer key")
    name, hex_id, encoded = parts[2], parts[3], parts[4]
    try:
        key = b64decode_strict(encoded)
    except ValueError as error:
        raise ValueError(f"signer key: the key is {error}") from None
    if len(key) != 33 or key[0] != ED25519 or not _HEX8.fullmatch(hex_id):
        raise ValueError("signer key: not an Ed25519 key")
    if key_id(name, public_key(key[1:])) != int(hex_id, 16):
        raise ValueError("signer key: the key ID does not match the key")
    return name, key[1:]
