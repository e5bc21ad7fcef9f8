"""The key agent: the one place the master key lives, in memory, while the vault is unsealed.

`Agent` holds the master key and the shares entered so far. It never hands the master key
out: callers send it wrapped data keys and get the data keys back (`unwrap`), or ask it for
fresh ones (`new_key`). In development and tests the web process holds an `Agent` itself; in
production `pompolit vault keyagent` holds it and the web workers talk to it over a Unix socket
(`agent.server`, `agent.client`), so one unseal serves every worker and restarting the agent
seals the vault. Which agent a process asks is `keys.keyring.agent()`.
"""

from __future__ import annotations

import hmac
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pompolit.vault import crypto, shares
from pompolit.vault.errors import VaultError, VaultSealed

PENDING_SHARES_TTL = 30 * 60  # seconds; half-entered unseals do not linger


@dataclass(frozen=True)
class VaultInfo:
    """What the agent must know of the vault to accept shares (read from the database)."""

    vault_id: uuid.UUID
    generation: int
    threshold: int
    verifier: bytes
    share_digests: frozenset[str]


@dataclass
class Status:
    initialised: bool
    sealed: bool
    vault_id: str | None = None
    generation: int | None = None
    threshold: int | None = None
    entered: list[int] = field(default_factory=list)
    # Changes at every unseal and seal: workers drop their cached data keys when it moves.
    epoch: int = 0
    demo: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def verifier_ad(vault_id: uuid.UUID, generation: int) -> bytes:
    return b"pompolit-verifier|" + vault_id.bytes + generation.to_bytes(4, "big")


VERIFIER_PLAINTEXT = b"pompolit vault master key"


def make_verifier(master: bytes, vault_id: uuid.UUID, generation: int) -> bytes:
    return crypto.seal(master, VERIFIER_PLAINTEXT, verifier_ad(vault_id, generation))


def is_master(master: bytes, info: VaultInfo) -> bool:
    try:
        ad = verifier_ad(info.vault_id, info.generation)
        plain = crypto.open_sealed(master, info.verifier, ad)
    except crypto.VaultIntegrityError:
        return False
    return hmac.compare_digest(plain, VERIFIER_PLAINTEXT)


def check_share(share: shares.Share, info: VaultInfo) -> None:
    """Everything about one share that can be checked before the others arrive."""
    if share.vault_id != info.vault_id:
        raise VaultError("share_other_vault", vault=str(share.vault_id)[:8])
    if share.generation != info.generation:
        raise VaultError("share_old_generation", generation=share.generation)
    if share.part is None:
        raise VaultError("share_needs_passphrase")
    if shares.digest(share) not in info.share_digests:
        raise VaultError("share_unknown")


def parse_share(text: str, passphrase: str | None) -> shares.Share:
    try:
        share = shares.decode(text)
        if share.needs_passphrase:
            if not passphrase:
                raise shares.ShareError("share_needs_passphrase")
            share = share.unlock(passphrase)
    except shares.ShareError as error:
        raise VaultError(error.code, **error.params) from None
    return share


def recover_master(entered: list[shares.Share], info: VaultInfo) -> bytes:
    """Combine k checked shares; the result must open the vault's verifier."""
    try:
        master = shares.combine(entered)
    except (ValueError, shares.ShareError):
        raise VaultError("combine_failed") from None
    if not is_master(master, info):
        raise VaultError("combine_failed")
    return master


@dataclass
class _Rotation:
    master: bytes
    generation: int


class KeyAgent(Protocol):
    """What the web workers and the commands may ask; in-process and socket agents alike."""

    def status(self) -> Status: ...
    def submit_share(self, text: str, passphrase: str | None = None) -> Status: ...
    def reset_shares(self) -> Status: ...
    def seal(self) -> Status: ...
    def unwrap(self, wrapped: bytes, associated: bytes) -> bytes: ...
    def new_key(self, associated: bytes) -> tuple[bytes, bytes]: ...
    def rotate_prepare(
        self, *, threshold: int, count: int, rewrap: list[tuple[bytes, bytes, bytes]]
    ) -> dict[str, Any]: ...
    def rotate_commit(self) -> Status: ...
    def rotate_abort(self) -> Status: ...


class Agent:
    """The master key's keeper. Every method is safe to call from several threads."""

    def __init__(
        self,
        load_info: Callable[[], VaultInfo | None],
        *,
        demo_key: Callable[[], bytes | None] = lambda: None,
        info_seconds: float = 0.0,
    ) -> None:
        self._load_info = load_info
        # While unsealed, the agent of many workers (`pompolit vault keyagent`) reads the vault's
        # description (two queries) at most this often instead of at every worker's request:
        # another vault restored under it is noticed within that time. Sealing is immediate.
        self._info_seconds = info_seconds
        self._info_read_at = 0.0
        self._demo_key = demo_key
        self._lock = threading.Lock()
        self._master: bytes | None = None
        self._info: VaultInfo | None = None
        self._entered: dict[int, shares.Share] = {}
        self._entered_at = 0.0
        self._epoch = 0
        self._rotation: _Rotation | None = None
        self._demo = False

    # -- state -----------------------------------------------------------------------------

    def _status(self, info: VaultInfo | None) -> Status:
        if info is None:
            return Status(initialised=False, sealed=True, epoch=self._epoch)
        return Status(
            initialised=True,
            sealed=self._master is None,
            vault_id=str(info.vault_id),
            generation=info.generation,
            threshold=info.threshold,
            entered=sorted(self._entered),
            epoch=self._epoch,
            demo=self._demo,
        )

    def _current_info(self) -> VaultInfo | None:
        now = time.monotonic()
        if (self._master is not None and self._info is not None
                and now - self._info_read_at < self._info_seconds):
            return self._info
        info = self._load_info()
        self._info_read_at = now
        if self._master is not None and (
            info is None
            or self._info is None
            or info.vault_id != self._info.vault_id
            or info.generation != self._info.generation
        ):
            # The database now describes another vault (restored, re-initialised, rotated
            # elsewhere): the key in memory no longer belongs to it.
            self._forget()
        if self._entered and time.monotonic() - self._entered_at > PENDING_SHARES_TTL:
            self._entered.clear()
        if self._master is None and info is not None and not self._demo_tried:
            self._try_demo(info)
        return info

    _demo_tried = False

    def _try_demo(self, info: VaultInfo) -> None:
        self._demo_tried = True
        key = self._demo_key()
        if key is not None and is_master(key, info):
            self._master, self._info, self._demo = key, info, True
            self._epoch += 1

    def _forget(self) -> None:
        self._master = None
        self._info = None
        self._entered.clear()
        self._rotation = None
        self._demo = False
        self._epoch += 1

    def _require_master(self) -> bytes:
        # The one way to the master key. A demo vault unseals itself here as in status(): a
        # command whose first call needs a key (a backup, a rotation) must not find it sealed.
        if self._master is None:
            self._current_info()
        if self._master is None:
            raise VaultSealed()
        return self._master

    # -- the interface ---------------------------------------------------------------------

    def status(self) -> Status:
        with self._lock:
            return self._status(self._current_info())

    def submit_share(self, text: str, passphrase: str | None = None) -> Status:
        share = parse_share(text, passphrase)
        with self._lock:
            info = self._current_info()
            if info is None:
                raise VaultError("not_initialised")
            if self._master is not None:
                raise VaultError("already_unsealed")
            check_share(share, info)
            if share.index in self._entered:
                raise VaultError("share_duplicate", index=share.index)
            if not self._entered:
                self._entered_at = time.monotonic()
            self._entered[share.index] = share
            if len(self._entered) >= info.threshold:
                entered = list(self._entered.values())
                # Whatever happens next, no share stays behind: unsealed, or back to none.
                self._entered.clear()
                self._master = recover_master(entered, info)
                self._info = info
                self._epoch += 1
            return self._status(info)

    def reset_shares(self) -> Status:
        with self._lock:
            self._entered.clear()
            return self._status(self._current_info())

    def seal(self) -> Status:
        with self._lock:
            self._forget()
            # A sealed demo vault stays sealed until the process restarts.
            self._demo_tried = True
            return self._status(self._load_info())

    def unwrap(self, wrapped: bytes, associated: bytes) -> bytes:
        with self._lock:
            master = self._require_master()
        return crypto.open_sealed(master, wrapped, associated)

    def new_key(self, associated: bytes) -> tuple[bytes, bytes]:
        with self._lock:
            master = self._require_master()
        key = crypto.new_key()
        return key, crypto.seal(master, key, associated)

    def unseal_with_master(self, master: bytes) -> Status:
        """Used only by `vault-init`, which has just made the key, and by tests."""
        with self._lock:
            info = self._load_info()
            if info is None or not is_master(master, info):
                raise VaultError("combine_failed")
            self._master, self._info = master, info
            self._entered.clear()
            self._epoch += 1
            return self._status(info)

    # -- rotation: prepare (new key and shares), the caller commits the database, then here --

    def rotate_prepare(
        self, *, threshold: int, count: int, rewrap: list[tuple[bytes, bytes, bytes]]
    ) -> dict[str, Any]:
        """New master key; returns new shares, the data keys re-wrapped, the new verifier.

        `rewrap` is (wrapped, old associated data, new associated data) for each data key.
        """
        with self._lock:
            master = self._require_master()
            info = self._info
            assert info is not None
            # A rotation prepared earlier and never committed (its shares were never
            # confirmed) is simply replaced.
            new_master = crypto.new_key()
            generation = info.generation + 1
            rewrapped = [
                crypto.seal(new_master, crypto.open_sealed(master, wrapped, old_ad), new_ad)
                for wrapped, old_ad, new_ad in rewrap
            ]
            issued = shares.split(
                new_master, vault_id=info.vault_id, generation=generation,
                threshold=threshold, count=count,
            )
            self._rotation = _Rotation(new_master, generation)
        return {
            "generation": generation,
            "shares": [shares.encode(s) for s in issued],
            "digests": [shares.digest(s) for s in issued],
            "rewrapped": rewrapped,
            "verifier": make_verifier(new_master, info.vault_id, generation),
        }

    def rotate_commit(self) -> Status:
        with self._lock:
            if self._rotation is None:
                raise VaultError("no_rotation")
            info = self._load_info()
            if info is None or info.generation != self._rotation.generation or not is_master(
                self._rotation.master, info
            ):
                raise VaultError("no_rotation")
            self._master, self._info = self._rotation.master, info
            self._rotation = None
            self._epoch += 1
            return self._status(info)

    def rotate_abort(self) -> Status:
        with self._lock:
            self._rotation = None
            return self._status(self._current_info())
