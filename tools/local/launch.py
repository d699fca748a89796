"""What every runner of tools/local/Procfile shares before the first process starts.

Two runners start the same processes with the same environment: `make local` (tools/local/run.py)
hands the Procfile to honcho; the harness (tools/local/harness.py) starts its entries one by one, so
tests and benchmarks can stop, kill and restart each of them. `make restore` (tools/local/backup.py)
prepares the same way before it runs the backup tool.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from honcho.environ import parse_procfile

from stack.paths import REPO_ROOT
from tools.local.ports import check_ports_free
from tools.local.prepare import prepare
from tools.local.topology import LocalTopology

PROCFILE = REPO_ROOT / "tools" / "local" / "Procfile"


@dataclass(frozen=True)
class Launch:
    """A topology whose data directory is prepared and whose processes may now start."""

    topology: LocalTopology
    # What every Procfile process runs with (LocalTopology.environment over the given base).
    environment: dict[str, str]
    # True when a new database cluster was initialised (a cold start), False when data was there.
    created: bool


def procfile_commands() -> dict[str, str]:
    """The Procfile's entries: name -> shell command line, in the order of the file."""
    return dict(parse_procfile(PROCFILE.read_text()).processes)


def ready_to_start(topology: LocalTopology, base: Mapping[str, str] = os.environ) -> Launch:
    """Fail early if a port is taken, prepare the data directory, build the environment."""
    check_ports_free(topology.ports)
    created = prepare(topology)
    return Launch(topology=topology, environment=topology.environment(base), created=created)
