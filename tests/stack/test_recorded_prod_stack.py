"""The prod stack, resource by resource, equals its checked-in recording (prod_stack.json).

The prod stack of the platform: Pulumi.prod.yaml with the stand-in app in its slot
(tests/stack/stand_in_app); the demo's own test holds the real file, the demo in the slot, to the
same recording apart from the web image (service/tests/stack/test_demo_stack.py).

A refactoring of the components must leave what `pulumi up` would do unchanged: the same
resources with the same types, names, parents, options and inputs. A change to the stack that is
meant to happen updates the recording in the same commit:

    UPDATE_PROD_RECORDING=1 .venv/bin/python -m pytest tests/stack/test_recorded_prod_stack.py

and the diff of prod_stack.json shows a reviewer exactly what the change does to AWS.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

from tests.stack_runs import as_text, describe, prod_config, run_main

RECORDING = Path(__file__).with_name("prod_stack.json")


def test_the_prod_stack_equals_its_recording():
    current = as_text(describe(run_main(prod_config())))
    if os.environ.get("UPDATE_PROD_RECORDING"):
        RECORDING.write_text(current)
    recorded = RECORDING.read_text()
    if current != recorded:
        diff = difflib.unified_diff(
            recorded.splitlines(), current.splitlines(), "recorded", "now", lineterm="", n=2
        )
        shown = "\n".join(list(diff)[:120])
        raise AssertionError(
            "the prod stack differs from tests/stack/prod_stack.json; if the change is meant, "
            f"rerun with UPDATE_PROD_RECORDING=1 and commit the recording:\n{shown}"
        )


def test_the_recording_is_of_the_whole_stack():
    entries = json.loads(RECORDING.read_text())
    types = {entry["urn"].split("::")[2].split("$")[-1] for entry in entries}
    assert len(entries) > 100
    assert "aws:ecs/taskDefinition:TaskDefinition" in types
    assert "django-tw:postgres:EfsPostgres" in types
