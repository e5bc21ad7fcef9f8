"""`pompolit vault keyagent`: hold the master key in memory and serve the web workers.

It runs on a Unix socket (POMPOLIT_VAULT_SOCKET or --socket) and starts sealed; keyholders
unseal it with `pompolit unseal` or on the web page. Stopping or restarting it seals the vault.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pompolit.core.commands import Options
from pompolit.vault import conf
from pompolit.vault.agent.server import AgentServer
from pompolit.vault.keys import keyring


def arguments(parser: CommandParser) -> None:
    parser.add_argument("--socket", type=Path, help="socket path (default: from env)")


def run(command: BaseCommand, options: Options) -> None:
    path: Path | None = options["socket"] or conf.socket_path()
    if path is None:
        path = conf.var_dir() / "vault" / "agent.sock"
    agent = keyring.make_local_agent(info_seconds=1.0)
    keyring.use_agent(agent)
    _lock_memory()
    server = AgentServer(path, agent)

    def stop(signum: int, frame: Any) -> None:
        agent.seal()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    command.stdout.write(f"Key agent listening on {path} (sealed until unsealed).")
    command.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        agent.seal()
        server.server_close()


def _lock_memory() -> None:
    # Keep the key out of swap where the system allows it; without the privilege, go on.
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.mlockall(3)  # MCL_CURRENT | MCL_FUTURE
    except OSError:
        pass
