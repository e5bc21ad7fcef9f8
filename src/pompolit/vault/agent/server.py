"""The key agent's side of the Unix socket: `pompolit vault keyagent` serves, the web workers are
clients (`agent.client`); the wire format is in `agent.protocol`.

The socket lives in a directory only the service user can enter (0700) and is itself 0600; the
agent also checks that every caller runs as the same user (SO_PEERCRED), so another local
account cannot ask for keys.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import socketserver
import struct
from pathlib import Path
from typing import Any

from pompolit.vault.agent.agent import Agent
from pompolit.vault.agent.protocol import b64, unb64
from pompolit.vault.errors import VaultError, VaultSealed


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
        return {"key": b64(agent.unwrap(unb64(request["wrapped"]), unb64(request["ad"])))}
    if op == "new_key":
        key, wrapped = agent.new_key(unb64(request["ad"]))
        return {"key": b64(key), "wrapped": b64(wrapped)}
    if op == "rotate_prepare":
        result = agent.rotate_prepare(
            threshold=int(request["threshold"]),
            count=int(request["count"]),
            rewrap=[(unb64(w), unb64(o), unb64(n)) for w, o, n in request["rewrap"]],
        )
        result["rewrapped"] = [b64(w) for w in result["rewrapped"]]
        result["verifier"] = b64(result["verifier"])
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
