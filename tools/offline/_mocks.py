"""The mocks: answer the engine the way AWS would, and remember every resource."""

from collections.abc import Sequence
from typing import Any

import pulumi

from tools.offline._answers import DATA_SOURCES, REMOTE_COMPONENTS, RESOURCES, short_hash
from tools.offline._recording import RecordedResource

ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "ap-northeast-1"


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers the engine's questions the way AWS would, and remembers every resource.

    ``call`` answers each data source the program may use with realistic values for
    ``region``; a data source it does not know fails loudly (add it to the module of its
    service in ``tools/offline/_answers/``) instead of returning an empty answer that would make a
    test pass for the wrong reason.
    """

    def __init__(
        self,
        region: str = DEFAULT_REGION,
        account_id: str = ACCOUNT_ID,
        availability_zones: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.region = region
        self.account_id = account_id
        # (name, zone id) of each zone the account sees; empty: a new account's for the region.
        self.availability_zones = list(availability_zones)
        self.resources: list[RecordedResource] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        data_source, inputs = args.token, dict(args.args)
        self.calls.append((data_source, inputs))
        answer = DATA_SOURCES.get(data_source)
        if answer is None:
            raise NotImplementedError(
                f"RecordingMocks has no stand-in for data source {data_source!r}; add one to "
                "the module of its service in tools/offline/_answers/ so tests see a realistic "
                "answer"
            )
        # (outputs, check failures): MockMonitor.Invoke in pulumi/runtime/mocks.py turns each
        # failure into a CheckFailure, so "none" is an empty list.
        return answer(self, inputs), []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        outputs = self.outputs_for(args.typ, args.name, dict(args.inputs))
        resource_id = outputs.pop("id", None) or f"{args.name}-id"
        if not args.custom and args.typ not in REMOTE_COMPONENTS:
            # A component's state is what it registers itself; the engine echoes nothing.
            return resource_id, {}
        return resource_id, outputs

    def outputs_for(self, type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        """Inputs echoed back plus what AWS computes for that type (ids, ARNs, DNS names)."""
        if type_ in REMOTE_COMPONENTS:
            return REMOTE_COMPONENTS[type_](self, name, inputs)
        short = short_hash(type_, name)
        outputs = dict(inputs)
        service = type_.split(":")[1].split("/")[0] if type_.startswith("aws:") else "mock"
        outputs.setdefault("arn", f"arn:aws:{service}:{self.region}:{self.account_id}:{name}")
        outputs["id"] = f"{name}-{short[:8]}"
        outputs.setdefault("tagsAll", inputs.get("tags") or {})
        computed = RESOURCES.get(type_)
        if computed is not None:
            outputs.update(computed(self, name, inputs, short))
        return outputs
