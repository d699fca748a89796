"""What /proc says about processes: their sockets, accounts and families. The end-to-end tests
read the topology's processes from the outside, as another user of the machine would see them."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

LISTEN = "0A"  # TCP_LISTEN in /proc/net/tcp's `st` column (include/net/tcp_states.h)


@dataclass(frozen=True)
class Socket:
    table: str  # tcp, tcp6, udp, udp6
    address: str
    port: int
    inode: int


def decode_address(hex_address: str) -> str:
    """/proc/net/tcp{,6} print addresses as the kernel stores them: 32-bit words in host order."""
    raw = bytes.fromhex(hex_address)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(words))


def bound_sockets() -> dict[int, Socket]:
    """inode -> socket, for every listening TCP socket and every bound UDP socket."""
    found = {}
    for table in ("tcp", "tcp6", "udp", "udp6"):
        lines = Path(f"/proc/net/{table}").read_text().splitlines()[1:]
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], int(fields[9])
            hex_address, hex_port = local.split(":")
            port = int(hex_port, 16)
            if (table.startswith("tcp") and state != LISTEN) or port == 0:
                continue
            found[inode] = Socket(table, decode_address(hex_address), port, inode)
    return found


def process_group(pid: int) -> int | None:
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: the fields start after the last ")".
    return int(stat_line.rsplit(")", 1)[1].split()[2])


def socket_inodes(pid: int) -> set[int]:
    inodes = set()
    try:
        links = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return inodes
    for link in links:
        try:
            target = os.readlink(link)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[len("socket:[") : -1]))
    return inodes


def uids(pid: int) -> tuple[int, ...]:
    """Real, effective, saved and filesystem uid of `pid`."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return tuple(int(value) for value in line.split()[1:])
    raise AssertionError(f"no Uid line for {pid}")


def command_line(pid: int) -> str:
    """The process's command line; empty once it has exited (short-lived helpers come and go
    while the tests read /proc)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def parent(pid: int) -> int | None:
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat_line.rsplit(")", 1)[1].split()[1])


def descendants(root: int) -> set[int]:
    """Every live process below `root` (children, their children...)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        ppid = parent(int(entry.name))
        if ppid is not None:
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def exposed_sockets(pids: set[int]) -> list[str]:
    """The listening or bound sockets of `pids` on any address but 127.0.0.1."""
    sockets = bound_sockets()
    return [
        f"{pid} {command_line(pid)[:50]}: {found.table} {found.address}:{found.port}"
        for pid in pids
        for inode in socket_inodes(pid)
        if (found := sockets.get(inode)) is not None and found.address != "127.0.0.1"
    ]
