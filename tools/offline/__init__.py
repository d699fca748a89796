"""Run a Pulumi program offline and record everything it declares.

Why this package exists: tests and ``make plan`` run where there is no Pulumi CLI, no engine
and no AWS account. ``run_program`` runs a program (``__main__.py``, a component, an example
program) under Pulumi's mocks with recording ``RecordingMocks`` that answer like AWS,
with ``preview=False``: every Output resolves, so what a test inspects
(``RecordedResource.inputs``, ``StackRecording.outputs``) is plain Python data. An assertion
written against plain data either runs or the test errors; it cannot be skipped silently inside
an ``apply`` that never fires.

It is not part of the published component package (``pyproject.toml`` ships ``components``
only): it depends on pulumi internals, and a project using the components needs none of it.
The mock monitor in ``_monitor.py`` is a copy of a private piece of the pulumi SDK pinned in
requirements.txt (pulumi 3.272.0), because the SDK's own mock monitor drops each resource's
parent and options, which the tests and the plan read; review it when upgrading pulumi.

Only pulumi and the standard library are imported here.
"""

from tools.offline._mocks import RecordingMocks
from tools.offline._recording import RecordedResource, StackRecording
from tools.offline._run import run_program

__all__ = ["RecordedResource", "RecordingMocks", "StackRecording", "run_program"]
