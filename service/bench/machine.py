"""The machine a benchmark ran on: what the report says about cores, memory and tool versions."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
from pathlib import Path

from service.bench import load
from tools.local.postgres_server import postgres_bin_dir


def machine_info() -> dict:
    memory_kb = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text())
        memory_kb = int(match.group(1)) if match else 0
    cpu_model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu_model = match.group(1).strip() if match else ""
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "cpu": cpu_model or platform.processor() or "unknown",
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average": " ".join(f"{n:.2f}" for n in os.getloadavg()),
        "versions": {
            "wrk": _version([load.wrk_binary(), "-v"], r"wrk (\S+)"),
            "nginx": _version(
                [shutil.which("nginx") or "/usr/sbin/nginx", "-v"], r"nginx/([\w.\-]+)"
            ),
            "postgres": _version([_postgres_binary(), "--version"], r"(\d+\.\d+)"),
        },
    }


def _postgres_binary() -> str:
    return str(postgres_bin_dir() / "postgres")


def _version(command: list[str], pattern: str) -> str:
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return "unknown"
    match = re.search(pattern, finished.stdout + finished.stderr)
    return match.group(1) if match else "unknown"
