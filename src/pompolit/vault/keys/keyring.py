"""A process's view of the vault: which agent to ask, and the data keys it has been given.

Data keys are cached in this process's memory for as long as the agent's epoch stays the
same; sealing (here or in any other process) moves the epoch, and every request starts by
checking it, so a sealed vault is sealed for every worker from their next request on.
"""

from __future__ import annotations

import base64
import threading
import time
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from pompolit.vault import conf, crypto
from pompolit.vault.agent.agent import Agent, KeyAgent, Status, VaultInfo
from pompolit.vault.errors import VaultError, VaultSealed
from pompolit.vault.keys.models import DataKey, Keyholder, VaultState

_agent: KeyAgent | None = None
_agent_lock = threading.Lock()

# How long a process keeps using the current data key's id it looked up, instead of one query
# per request. Retiring keys (`rotate --data`) forgets them in its own process and waits this
# long (`wait_for_current_keys`) before its last pass, so a row another process writes with a
# retired key is still re-encrypted before the retired key's material is erased.
CURRENT_KEY_SECONDS = 1.0


def load_info() -> VaultInfo | None:
    state = VaultState.objects.first()
    if state is None:
        return None
    digests = Keyholder.objects.filter(generation=state.generation).values_list(
        "share_digest", flat=True
    )
    return VaultInfo(
        vault_id=state.vault_id,
        generation=state.generation,
        threshold=state.threshold,
        verifier=base64.b64decode(state.verifier),
        share_digests=frozenset(digests),
    )


def read_demo_key() -> bytes | None:
    from django.conf import settings

    # Only ever in demo mode; production settings refuse demo mode outright.
    if not settings.DEMO_MODE:
        return None
    path = conf.demo_key_file()
    try:
        return base64.b64decode(path.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None


def make_local_agent(*, info_seconds: float = 0.0) -> Agent:
    return Agent(load_info, demo_key=read_demo_key, info_seconds=info_seconds)


def agent() -> KeyAgent:
    global _agent
    with _agent_lock:
        if _agent is None:
            path = conf.socket_path()
            if path is not None:
                from pompolit.vault.agent.client import SocketAgent

                _agent = SocketAgent(path)
            else:
                _agent = make_local_agent()
        return _agent


def ensure_unsealed() -> VaultInfo:
    """For commands that need the vault (backup, rotation, exports): the vault as the agent
    sees it after a demo vault had its chance to unseal itself; VaultSealed otherwise."""
    info = load_info()
    if info is None:
        raise VaultError("not_initialised")
    status = agent().status()
    if status.sealed or status.vault_id != str(info.vault_id):
        raise VaultSealed()
    return info


def use_agent(new: KeyAgent | None) -> None:
    """Tests and the key agent command choose the agent explicitly."""
    global _agent
    with _agent_lock:
        _agent = new
    ring.forget()


def datakey_ad(
    vault_id: uuid.UUID, key_id: uuid.UUID, purpose: str, compartment: int | None
) -> bytes:
    return b"|".join(
        [b"pompolit-datakey", vault_id.bytes, key_id.bytes, purpose.encode(),
         str(compartment or 0).encode()]
    )


@dataclass(frozen=True)
class LoadedKey:
    key_id: uuid.UUID
    key: bytes
    purpose: str
    compartment_id: int | None


class KeyRing:
    def __init__(self) -> None:
        self._keys: dict[uuid.UUID, LoadedKey] = {}
        self._epoch: int | None = None
        self._vault_id: uuid.UUID | None = None
        self._local = threading.local()
        # (vault, purpose, compartment) -> (current key id, monotonic time it expires)
        self._current: dict[tuple[uuid.UUID, str, int | None], tuple[uuid.UUID, float]] = {}

    def forget(self) -> None:
        self._keys = {}
        self._epoch = None
        self._vault_id = None
        self._current = {}
        self._local.__dict__.clear()

    def forget_current(self) -> None:
        """Look the current keys up again (they were just retired in this process)."""
        self._current = {}
        self._local.__dict__.pop("current", None)

    def begin(self) -> None:
        """At the start of each request (or batch): look at the agent again before using keys."""
        self._local.__dict__.clear()

    def _check(self) -> uuid.UUID:
        if getattr(self._local, "checked", False) and self._vault_id is not None:
            return self._vault_id
        status = agent().status()
        if status.sealed or status.vault_id is None:
            self.forget()
            raise VaultSealed()
        if status.epoch != self._epoch or str(self._vault_id) != status.vault_id:
            self.forget()
            self._epoch = status.epoch
            self._vault_id = uuid.UUID(status.vault_id)
        self._local.checked = True
        self._local.status = status
        assert self._vault_id is not None
        return self._vault_id

    def known_status(self) -> Status | None:
        """The agent's status as this request's first key use found it (unsealed), or None:
        the page's banner need not ask the agent a second time. A seal in the request
        (`forget`) clears it."""
        return getattr(self._local, "status", None)

    def is_unsealed(self) -> bool:
        try:
            self._check()
        except VaultSealed:
            return False
        return True

    def key(self, key_id: uuid.UUID) -> LoadedKey:
        vault_id = self._check()
        loaded = self._keys.get(key_id)
        if loaded is None:
            row = DataKey.objects.filter(key_id=key_id).first()
            if row is None:
                raise crypto.VaultIntegrityError("the key of this ciphertext is unknown")
            raw = agent().unwrap(
                base64.b64decode(row.wrapped),
                datakey_ad(vault_id, key_id, row.purpose, row.compartment_id),
            )
            loaded = LoadedKey(key_id, raw, row.purpose, row.compartment_id)
            self._keys[key_id] = loaded
        return loaded

    def current(self, purpose: str, compartment_id: int | None) -> LoadedKey:
        """The key new data is encrypted with; made on first use."""
        vault_id = self._check()
        cache: dict[tuple[str, int | None], uuid.UUID] = self._local.__dict__.setdefault(
            "current", {}
        )
        key_id = cache.get((purpose, compartment_id))
        if key_id is None:
            key_id = self._current_id(vault_id, purpose, compartment_id)
            cache[(purpose, compartment_id)] = key_id
        return self.key(key_id)

    def _current_id(
        self, vault_id: uuid.UUID, purpose: str, compartment_id: int | None
    ) -> uuid.UUID:
        now = time.monotonic()
        kept = self._current.get((vault_id, purpose, compartment_id))
        if kept is not None and kept[1] > now:
            return kept[0]
        key_id = _live_key_id(purpose, compartment_id)
        if key_id is None:
            # Made now, perhaps in a transaction that is yet to commit: not kept.
            return current_key_id(vault_id, purpose, compartment_id)
        self._current[(vault_id, purpose, compartment_id)] = (key_id, now + CURRENT_KEY_SECONDS)
        return key_id


def wait_for_current_keys(since: float) -> None:
    """Called by the data rotation after retiring keys (at `since`, a `time.time()`): every
    process has given up the retired keys' ids by the time this returns."""
    left = since + CURRENT_KEY_SECONDS - time.time()
    if left > 0:
        time.sleep(left)


def _live_key_id(purpose: str, compartment_id: int | None) -> uuid.UUID | None:
    key_id: uuid.UUID | None = (
        DataKey.objects.filter(purpose=purpose, retired_at__isnull=True)
        .filter(
            Q(compartment_id=compartment_id) if compartment_id is not None
            else Q(compartment__isnull=True)
        )
        .order_by("-created_at", "-id")
        .values_list("key_id", flat=True)
        .first()
    )
    return key_id


def current_key_id(vault_id: uuid.UUID, purpose: str, compartment_id: int | None) -> uuid.UUID:
    from pompolit.audit.services import record

    found = _live_key_id(purpose, compartment_id)
    if found is not None:
        return found
    key_id = uuid.uuid4()
    _raw, wrapped = agent().new_key(datakey_ad(vault_id, key_id, purpose, compartment_id))
    with transaction.atomic():
        state = VaultState.objects.get()
        row = DataKey.objects.create(
            key_id=key_id, purpose=purpose, compartment_id=compartment_id,
            wrapped=base64.b64encode(wrapped).decode(), master_generation=state.generation,
        )
        record(
            "vault.key_created", obj=row,
            details={"purpose": purpose, "compartment": compartment_id},
        )
    return key_id


ring = KeyRing()
