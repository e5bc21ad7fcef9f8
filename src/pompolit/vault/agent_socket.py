"""The key agent over a Unix socket: `pompolit vault keyagent` serves, the web workers are clients.

One JSON object per line each way; bytes travel as base64. The socket lives in a directory
only the service user can enter (0700) and is itself 0600; the agent also checks that every
caller runs as the same user (SO_PEERCRED), so another local account cannot ask for keys.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import socketserver
import struct
from pathlib import Path
from typing import Any

from pompolit.vault.agent import Agent, Status
from pompolit.vault.errors import VaultError, VaultSealed

MAX_LINE = 64 * 1024 * 1024


def _b(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb(text: str) -> bytes:
    return base64.b64decode(text)


def _peer_uid(sock: socket.socket) -> int | None:
    try:
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except (AttributeError, OSError):
        return None
    _pid, uid, _gid = struct.unpack("3i", creds)
    return int(uid)


def dispatch(agent: Agent, request: dict[str, Any]) -> dict[str, Any]:
    op = request.get("op")
    if op == "status":
        return {"status": agent.status().as_dict()}
    if op == "submit_share":
        return {"status": agent.submit_share(request["share"], request.get("passphrase")).as_dict()}
    if op == "reset_shares":
        return {"status": agent.reset_shares().as_dict()}
    if op == "seal":
        return {"status": agent.seal().as_dict()}
    if op == "unwrap":
        return {"key": _b(agent.unwrap(_unb(request["wrapped"]), _unb(request["ad"])))}
    if op == "new_key":
        key, wrapped = agent.new_key(_unb(request["ad"]))
        return {"key": _b(key), "wrapped": _b(wrapped)}
    if op == "rotate_prepare":
        result = agent.rotate_prepare(
            threshold=int(request["threshold"]),
            count=int(request["count"]),
            rewrap=[(_unb(w), _unb(o), _unb(n)) for w, o, n in request["rewrap"]],
        )
        result["rewrapped"] = [_b(w) for w in result["rewrapped"]]
        result["verifier"] = _b(result["verifier"])
        return result
    if op == "rotate_commit":
        return {"status": agent.rotate_commit().as_dict()}
    if op == "rotate_abort":
        return {"status": agent.rotate_abort().as_dict()}
    raise VaultError("bad_request")


class _Handler(socketserver.StreamRequestHandler):
    server: AgentServer

    def handle(self) -> None:
        if _peer_uid(self.connection) not in (None, os.getuid()):
            return
        for line in self.rfile:
            try:
                request = json.loads(line)
                reply = dispatch(self.server.agent, request)
            except VaultSealed:
                reply = {"error": "sealed", "params": {}}
            except VaultError as error:
                reply = {"error": error.code, "params": error.params}
            except Exception as error:
                # Only the exception's type: its message might quote key material.
                reply = {"error": "bad_request", "params": {}, "type": type(error).__name__}
            self.wfile.write(json.dumps(reply).encode() + b"\n")
            self.wfile.flush()


class AgentServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def __init__(self, path: Path, agent: Agent) -> None:
        self.agent = agent
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        if path.exists() or path.is_socket():
            # A socket left behind by a dead agent; a live one would still answer.
            if _answers(path):
                raise OSError(f"another key agent is already listening on {path}")
            path.unlink()
        old_umask = os.umask(0o177)
        try:
            super().__init__(str(path), _Handler)
        finally:
            os.umask(old_umask)
        path.chmod(0o600)

    def server_close(self) -> None:
        super().server_close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def _answers(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect(str(path))
        return True
    except OSError:
        return False


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
        return _unb(self._call("unwrap", wrapped=_b(wrapped), ad=_b(associated))["key"])

    def new_key(self, associated: bytes) -> tuple[bytes, bytes]:
        reply = self._call("new_key", ad=_b(associated))
        return _unb(reply["key"]), _unb(reply["wrapped"])

    def rotate_prepare(
        self, *, threshold: int, count: int, rewrap: list[tuple[bytes, bytes, bytes]]
    ) -> dict[str, Any]:
        reply = self._call(
            "rotate_prepare", threshold=threshold, count=count,
            rewrap=[[_b(w), _b(o), _b(n)] for w, o, n in rewrap],
        )
        reply["rewrapped"] = [_unb(w) for w in reply["rewrapped"]]
        reply["verifier"] = _unb(reply["verifier"])
        return reply

    def rotate_commit(self) -> Status:
        return self._status("rotate_commit")

    def rotate_abort(self) -> Status:
        return self._status("rotate_abort")
