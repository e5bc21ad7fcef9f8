"""The web workers' side of the Unix socket: the key agent `pompolit vault keyagent` serves
(`agent.server`); the wire format is in `agent.protocol`."""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path
from typing import Any

from pompolit.vault.agent.agent import Status
from pompolit.vault.agent.protocol import MAX_LINE, b64, unb64
from pompolit.vault.errors import VaultError, VaultSealed


class SocketAgent:
    """A client with the same interface as `Agent`.

    `status` and `unwrap`, asked at every request and every task, go over a connection each
    thread keeps open: a new connection cost the agent a thread and more CPU than the
    worker's whole vault check. They only read, so one that meets a kept connection closed
    (the agent restarted) is asked again over a new one. A kept connection is used only while
    the socket's file is the one it was made through: an agent started anew on the same path
    (the old one's file removed) is the one asked, and its seal is seen at once. Everything
    else (shares, sealing, rotation) is one short connection per call, never repeated.
    """

    def __init__(self, path: Path, timeout: float = 10.0) -> None:
        self.path = path
        self.timeout = timeout
        self._kept = threading.local()

    def _connect(self) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect(str(self.path))
        except OSError:
            sock.close()
            raise
        return sock

    @staticmethod
    def _exchange(sock: socket.socket, reader: Any, request: bytes) -> bytes:
        sock.sendall(request)
        line: bytes = reader.readline(MAX_LINE)
        return line

    def _once(self, request: bytes) -> bytes:
        with self._connect() as sock, sock.makefile("rb") as reader:
            return self._exchange(sock, reader, request)

    def _socket_file(self) -> tuple[int, int]:
        found = os.stat(self.path)
        return found.st_dev, found.st_ino

    def _drop_kept(self) -> None:
        kept = getattr(self._kept, "connection", None)
        self._kept.connection = None
        if kept is not None and kept[0] == os.getpid():  # a forked child leaves its parent's
            kept[2].close()
            kept[1].close()

    def _over_kept(self, request: bytes) -> bytes:
        kept = getattr(self._kept, "connection", None)
        if kept is not None and kept[0] == os.getpid() and kept[3] == self._socket_file():
            try:
                line = self._exchange(kept[1], kept[2], request)
            except TimeoutError:
                self._drop_kept()  # a late answer would be read as the next call's
                raise
            except OSError:
                line = b""
            if line.endswith(b"\n"):
                return line
        self._drop_kept()  # closed, made by a forked child's parent, or to another agent's file
        socket_file = self._socket_file()
        sock = self._connect()
        reader = sock.makefile("rb")
        self._kept.connection = (os.getpid(), sock, reader, socket_file)
        try:
            line = self._exchange(sock, reader, request)
        except OSError:
            self._drop_kept()
            raise
        if not line.endswith(b"\n"):
            self._drop_kept()
        return line

    def _call(self, op: str, *, keep: bool = False, **args: Any) -> dict[str, Any]:
        request = json.dumps({"op": op, **args}).encode() + b"\n"
        try:
            line = self._over_kept(request) if keep else self._once(request)
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
        return Status(**self._call("status", keep=True)["status"])

    def submit_share(self, text: str, passphrase: str | None = None) -> Status:
        return self._status("submit_share", share=text, passphrase=passphrase)

    def reset_shares(self) -> Status:
        return self._status("reset_shares")

    def seal(self) -> Status:
        return self._status("seal")

    def unwrap(self, wrapped: bytes, associated: bytes) -> bytes:
        reply = self._call("unwrap", keep=True, wrapped=b64(wrapped), ad=b64(associated))
        return unb64(reply["key"])

    def new_key(self, associated: bytes) -> tuple[bytes, bytes]:
        reply = self._call("new_key", ad=b64(associated))
        return unb64(reply["key"]), unb64(reply["wrapped"])

    def rotate_prepare(
        self, *, threshold: int, count: int, rewrap: list[tuple[bytes, bytes, bytes]]
    ) -> dict[str, Any]:
        reply = self._call(
            "rotate_prepare",
            threshold=threshold,
            count=count,
            rewrap=[[b64(w), b64(o), b64(n)] for w, o, n in rewrap],
        )
        reply["rewrapped"] = [unb64(w) for w in reply["rewrapped"]]
        reply["verifier"] = unb64(reply["verifier"])
        return reply

    def rotate_commit(self) -> Status:
        return self._status("rotate_commit")

    def rotate_abort(self) -> Status:
        return self._status("rotate_abort")
