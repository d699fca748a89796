"""tools/local/topology.py: the environment every Procfile process runs with."""

import os
import subprocess
import sys
from pathlib import Path

from stack.paths import DJANGO_FARGATE_SRC
from tools.local.ports import Ports
from tools.local.topology import LocalTopology


def test_the_processes_import_the_platforms_django_library_from_the_checkout(tmp_path):
    # A virtualenv made before the library existed (or not made by `make venv`) lacks it: the
    # web process, like the image, must find django_fargate all the same.
    topology = LocalTopology(data_dir=tmp_path / "local", ports=Ports.free())
    environment = topology.environment({"PATH": os.environ["PATH"], "PYTHONPATH": "/elsewhere"})
    assert environment["PYTHONPATH"].split(os.pathsep) == [str(DJANGO_FARGATE_SRC), "/elsewhere"]
    found = subprocess.run(
        [sys.executable, "-c", "import django_fargate.start as s; print(s.__file__)"],
        cwd=tmp_path,  # any directory: the library comes from PYTHONPATH
        env={"PATH": environment["PATH"], "PYTHONPATH": environment["PYTHONPATH"]},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).is_relative_to(DJANGO_FARGATE_SRC)
