"""`pompolit keyagent`: hold the master key in memory and serve the web workers."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pompolit.vault import conf
from pompolit.vault.agent.server import AgentServer
from pompolit.vault.keys import keyring


class Command(BaseCommand):
    help = (
        "Run the key agent on a Unix socket (POMPOLIT_VAULT_SOCKET or --socket). It starts "
        "sealed; keyholders unseal it with `pompolit unseal` or on the web page. Stopping or "
        "restarting it seals the vault."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--socket", type=Path, help="socket path (default: from env)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["socket"] or conf.socket_path()
        if path is None:
            path = conf.var_dir() / "vault" / "agent.sock"
        agent = keyring.make_local_agent()
        keyring.use_agent(agent)
        _lock_memory()
        server = AgentServer(path, agent)

        def stop(signum: int, frame: Any) -> None:
            agent.seal()
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Key agent listening on {path} (sealed until unsealed).")
        self.stdout.flush()
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
