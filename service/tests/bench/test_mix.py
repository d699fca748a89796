"""service/bench/mix.py's order of steps, with the load generator and the writers replaced by
recorders: what is measured "while writing" sees the writers' phase and nothing else."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from types import SimpleNamespace

from service.bench import mix


def test_while_writing_is_entered_for_the_writers_phase_alone(monkeypatch, tmp_path: Path):
    events: list[str] = []

    def django(module: str, *arguments: str) -> dict:
        events.append(module)
        if module == "service.bench.sessions":
            output = Path(arguments[0].removeprefix("--output="))
            output.write_text(json.dumps({"username": "u", "cookie": "c", "csrf": "t"}) + "\n")
            return {"newest_tweet": 1}
        return {}

    def run(*_args, **_kwargs):
        events.append("warm")
        return SimpleNamespace(seconds=2, built_share=0.0)

    def run_interleaved(*_args, **_kwargs):
        events.append("measure")
        return {}

    class Writers:
        def __init__(self, *_args, **_kwargs) -> None:
            pass

        def start(self) -> None:
            events.append("writers start")

        def stop(self) -> list:
            events.append("writers stop")
            return []

    class Memory:
        def __init__(self, _topology) -> None:
            pass

        def start(self) -> None:
            pass

        def stop(self) -> list:
            return []

    @contextlib.contextmanager
    def while_writing():
        events.append("enter")
        yield
        events.append("exit")

    monkeypatch.setattr(mix.load, "run", run)
    monkeypatch.setattr(mix.load, "run_interleaved", run_interleaved)
    monkeypatch.setattr(mix, "Writers", Writers)
    monkeypatch.setattr(mix, "_MemorySampler", Memory)
    args = SimpleNamespace(
        mix_connections=2, artifacts=tmp_path, viewers=1, mix_seconds=1, rounds=1,
        post_rate=1.0, like_rate=1.0, render_requests=1,
    )  # fmt: skip
    mix.measure(SimpleNamespace(base_url="http://x"), args, django, lambda _: None, while_writing())
    assert events == [
        "service.bench.sessions",
        "warm",
        "warm",
        "measure",  # read-only
        "enter",
        "writers start",
        "measure",  # busy
        "writers stop",
        "exit",
        "service.bench.render_cost",
    ]
