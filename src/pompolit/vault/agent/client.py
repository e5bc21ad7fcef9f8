"""The web workers' side of the Unix socket: the key agent `pompolit vault keyagent` serves
(`agent.server`); the wire format is in `agent.protocol`."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from pompolit.vault.agent.agent import Status
from pompolit.vault.agent.protocol import MAX_LINE, b64, unb64
from pompolit.vault.errors import VaultError, VaultSealed


class SocketAgent:
    """A client with the same interface as `Agent`; one short connection per call."""

    def __init__(self, path: Path, timeout: float = 10.0) -> None:
        self.path = path
        self.timeout = timeout

    def _call(self, op: str, **args: Any) -> dict[str, Any]:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(self.timeout)
                sock.connect(str(self.path))
                sock.sendall(json.dumps({"op": op, **args}).encode() + b"\n")
                with sock.makefile("rb") as reader:
                    line = reader.readline(MAX_LINE)
        except OSError:
            raise VaultError("agent_unreachable", path=str(self.path)) from None
        if not line:
            raise VaultError("agent_unreachable", path=str(self.path))
        reply: dict[str, Any] = json.loads(line)
        if "error" in reply:
            if reply["error"] == "sealed":
                raise VaultSealed()
            raise VaultError(reply["error"], **reply.get("params", {}))
        return reply

    def _status(self, op: str, **args: Any) -> Status:
        return Status(**self._call(op, **args)["status"])

    def status(self) -> Status:
        return self._status("status")

    def submit_share(self, text: str, passphrase: str | None = None) -> Status:
        return self._status("submit_share", share=text, passphrase=passphrase)

    def reset_shares(self) -> Status:
        return self._status("reset_shares")

    def seal(self) -> Status:
        return self._status("seal")

    def unwrap(self, wrapped: bytes, associated: bytes) -> bytes:
        return unb64(self._call("unwrap", wrapped=b64(wrapped), ad=b64(associated))["key"])

    def new_key(self, associated: bytes) -> tuple[bytes, bytes]:
        reply = self._call("new_key", ad=b64(associated))
        return unb64(reply["key"]), unb64(reply["wrapped"])

    def rotate_prepare(
        self, *, threshold: int, count: int, rewrap: list[tuple[bytes, bytes, bytes]]
    ) -> dict[str, Any]:
        reply = self._call(
            "rotate_prepare", threshold=threshold, count=count,
            rewrap=[[b64(w), b64(o), b64(n)] for w, o, n in rewrap],
        )
        reply["rewrapped"] = [unb64(w) for w in reply["rewrapped"]]
        reply["verifier"] = unb64(reply["verifier"])
        return reply

    def rotate_commit(self) -> Status:
        return self._status("rotate_commit")

    def rotate_abort(self) -> Status:
        return self._status("rotate_abort")
