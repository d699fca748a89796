"""``run_program``: one offline run of a program, every output awaited."""

import logging
from collections.abc import Callable, Mapping
from typing import Any

import pulumi
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from tools.offline._mocks import DEFAULT_REGION, RecordingMocks
from tools.offline._monitor import RecordingMonitor
from tools.offline._recording import StackRecording


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def _resolve(value: Any) -> Any:
    output = pulumi.Output.from_input(value)
    resolved = await output.future(with_unknowns=True)
    if isinstance(resolved, pulumi.output.Unknown) or not await output.is_known():
        raise RuntimeError("a stack output stayed unknown although the run was not a preview")
    return resolved


def _full_config_key(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def run_program(
    program: Callable[[], None],
    *,
    config: Mapping[str, str],
    project: str = "django-tw",
    stack: str = "prod",
    mocks: RecordingMocks | None = None,
) -> StackRecording:
    """Run ``program`` under recording mocks (preview=False) and wait for every output.

    ``config`` keys without a namespace belong to ``project`` (``domain`` becomes
    ``django-tw:domain``); ``aws:region`` also picks the region the mocks answer for.
    Pass ``mocks`` to inspect what was registered even when the program raises.
    Safe to call repeatedly in one process: each call starts from fresh settings.
    """
    if mocks is None:
        mocks = RecordingMocks(region=str(config.get("aws:region") or DEFAULT_REGION))
    set_all_config(
        {_full_config_key(key, project): str(value) for key, value in config.items()},
        secret_keys=[],
    )
    pulumi_settings.ROOT.set(None)
    logger = logging.getLogger(f"offline.{project}.{stack}")
    logger.propagate = False
    collector = _WarningCollector()
    logger.handlers = [collector]
    pulumi.runtime.set_mocks(
        mocks,
        project=project,
        stack=stack,
        preview=False,
        logger=logger,
        monitor=RecordingMonitor(mocks),
    )
    pulumi_settings.SETTINGS.outputs.clear()
    root = pulumi_settings.get_root_resource()
    try:
        _sync_await(run_pulumi_func(program))
        outputs = {
            name: _sync_await(_resolve(value))
            for name, value in getattr(root, "outputs", {}).items()
        }
    finally:
        pulumi_settings.ROOT.set(None)
    return StackRecording(
        resources=list(mocks.resources), outputs=outputs, warnings=list(collector.messages)
    )
