import os
import socket
import stat
import threading

import pytest

from pompolit.vault.agent.agent import Agent
from pompolit.vault.agent.client import SocketAgent
from pompolit.vault.agent.server import AgentServer
from pompolit.vault.emergency.models import EmergencyContact
from pompolit.vault.errors import VaultError, VaultSealed
from pompolit.vault.keys import keyring, services
from pompolit.vault.testing import KEYHOLDERS


@pytest.fixture
def socket_agent(db, tmp_path):
    """A real agent on a real socket, in a thread; the test process is its client."""
    path = tmp_path / "run" / "agent.sock"
    # The test's rows are uncommitted, so the agent's thread could not read them: the test
    # hands it what the database says (a real `pompolit vault keyagent` reads it itself).
    seen = {}
    server = AgentServer(path, Agent(lambda: seen.get("info")))
    server.seen = seen
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    client = SocketAgent(path)
    client.seen = seen
    keyring.use_agent(client)
    yield client
    server.shutdown()
    server.server_close()
    thread.join()
    keyring.use_agent(None)


def test_socket_and_its_folder_are_private(socket_agent):
    path = socket_agent.path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_workers_unseal_encrypt_and_seal_through_the_agent(socket_agent):
    issued = services.initialise(threshold=2, keyholders=KEYHOLDERS)
    socket_agent.seen["info"] = keyring.load_info()
    assert socket_agent.status().sealed
    services.submit_share(issued[1].text)
    with pytest.raises(VaultError) as error:
        services.submit_share(issued[1].text)
    assert error.value.code == "share_duplicate"
    assert not services.submit_share(issued[2].text).sealed

    from pompolit.members.models import Member

    member = Member.objects.create_user("Кропоткин", "correct horse battery staple")
    contact = EmergencyContact.objects.create(member=member, contact="Брат Александр, Томск")
    keyring.ring.forget()  # another worker: it has no keys cached yet
    assert EmergencyContact.objects.get(pk=contact.pk).contact == "Брат Александр, Томск"

    socket_agent.seal()  # e.g. `pompolit seal` in another process
    keyring.ring.begin()  # the worker's next request
    with pytest.raises(VaultSealed):
        _ = EmergencyContact.objects.get(pk=contact.pk).contact


def test_a_dead_agent_is_a_clear_error(tmp_path):
    client = SocketAgent(tmp_path / "nobody.sock")
    with pytest.raises(VaultError) as error:
        client.status()
    assert error.value.code == "agent_unreachable"


def test_a_second_agent_on_the_same_socket_is_refused(socket_agent):
    with pytest.raises(OSError, match="already listening"):
        AgentServer(socket_agent.path, keyring.make_local_agent())


def test_the_agent_of_many_workers_reads_the_vault_once_a_second_and_seals_at_once(
        db, monkeypatch):
    issued = services.initialise(threshold=2, keyholders=KEYHOLDERS)
    reads = []

    def load_info():
        reads.append(1)
        return keyring.load_info()

    clock = [1000.0]
    monkeypatch.setattr("pompolit.vault.agent.agent.time.monotonic", lambda: clock[0])
    agent = Agent(load_info, info_seconds=1.0)
    agent.submit_share(issued[0].text)
    agent.submit_share(issued[1].text)
    before = len(reads)
    assert not any(agent.status().sealed for _ in range(50))  # fifty workers' requests
    assert len(reads) == before
    clock[0] += 1.5
    assert not agent.status().sealed
    assert len(reads) == before + 1
    agent.seal()
    assert agent.status().sealed
    with pytest.raises(VaultSealed):
        agent.unwrap(b"x" * 40, b"ad")


def test_a_thread_asks_the_agent_over_one_kept_connection(socket_agent):
    socket_agent.status()
    kept = socket_agent._kept.connection
    socket_agent.status()
    assert socket_agent._kept.connection is kept
    kept[1].shutdown(socket.SHUT_RDWR)  # the agent went away: asked again over a new one
    socket_agent.status()
    assert socket_agent._kept.connection is not kept


def test_a_kept_connection_follows_a_new_agent_at_the_socket(socket_agent):
    services.initialise(threshold=2, keyholders=KEYHOLDERS)
    socket_agent.seen["info"] = keyring.load_info()
    assert socket_agent.status().initialised
    kept = socket_agent._kept.connection
    # The first agent still runs, but its file was removed and another agent serves the path:
    # that one is asked (a seal said to it is seen by every worker at once).
    socket_agent.path.unlink()
    server = AgentServer(socket_agent.path, Agent(lambda: None))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        assert not socket_agent.status().initialised  # the new agent knows no vault yet
        assert socket_agent._kept.connection is not kept
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
