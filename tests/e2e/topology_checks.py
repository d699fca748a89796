"""What any app's running topology must show from the outside (/proc): every socket on
127.0.0.1 and no process running as root. The demo's end-to-end tests and the example app's
both hold their topology to these."""

from __future__ import annotations

import os
from pathlib import Path

from tests.e2e.processes import (
    Socket,
    bound_sockets,
    command_line,
    process_group,
    socket_inodes,
    uids,
)
from tools.local.harness import RunningTopology

# Procfile entry -> the port (tools.local.ports name) it must be seen listening on.
EXPECTED_PORTS = {"nginx": "http", "web": "web", "db": "db", "s3": "s3", "mail": "smtp"}


def topology_processes(topology: RunningTopology) -> dict[int, str]:
    """pid -> Procfile entry, for every live process of the topology (each entry is started in a
    process group of its own, whose id is the entry's pid)."""
    groups = {process.pid: name for name, process in topology.processes.items()}
    found = {}
    for entry in Path("/proc").glob("[0-9]*"):
        group = process_group(int(entry.name))
        if group in groups:
            found[int(entry.name)] = groups[group]
    return found


def listening(topology: RunningTopology) -> dict[str, list[Socket]]:
    """Procfile entry -> the sockets its processes listen on."""
    sockets = bound_sockets()
    found: dict[str, list[Socket]] = {}
    for pid, name in topology_processes(topology).items():
        for inode in socket_inodes(pid):
            if inode in sockets:
                found.setdefault(name, []).append(sockets[inode])
    return found


def assert_every_socket_is_on_the_loopback_address(topology: RunningTopology) -> None:
    found = listening(topology)
    exposed = {
        name: [f"{s.table} {s.address}:{s.port}" for s in sockets if s.address != "127.0.0.1"]
        for name, sockets in found.items()
    }
    assert not any(exposed.values()), f"listening beyond 127.0.0.1: {exposed}"
    # Each process was seen on its own port: the check above looked at the real sockets.
    ports = {name: {s.port for s in sockets} for name, sockets in found.items()}
    for name, port_name in EXPECTED_PORTS.items():
        assert topology.ports.as_dict()[port_name] in ports.get(name, set()), (name, ports)


def assert_no_process_runs_as_root(topology: RunningTopology) -> None:
    processes = topology_processes(topology)
    gunicorn = [pid for pid, name in processes.items() if "gunicorn" in command_line(pid)]
    assert gunicorn, f"no gunicorn among {sorted(set(processes.values()))}"
    assert {processes[pid] for pid in gunicorn} == {"web"}
    assert set(processes.values()) == set(topology.commands), processes
    # The suites run as root in CI and here, where the drop is what is being tested; run as
    # anyone else, every process stays that account.
    allowed = (lambda uid: uid != 0) if os.geteuid() == 0 else (lambda uid: uid == os.geteuid())
    wrong = {
        f"{processes[pid]} {pid} {command_line(pid)[:60]}": uids(pid)
        for pid in processes
        if not all(allowed(uid) for uid in uids(pid))
    }
    assert not wrong, f"processes running as root (uids real, effective, saved, fs): {wrong}"
