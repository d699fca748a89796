"""Pulumi's mock resource monitor, changed to record what the plain one drops.

``RegisterResource`` below is a copy of ``pulumi.runtime.mocks.MockMonitor.RegisterResource``
from the pulumi SDK pinned in requirements.txt (3.272.0), changed in two ways: it keeps the
parent URN and the resource options (protect, retainOnDelete, dependencies, remote) in a
``RecordedResource``, and it unwraps secret inputs. The SDK offers no hook for either, so the
copy uses SDK internals (``rpc``'s secret signature, ``_sync_await``, ``_ensure_event_loop``):
compare it with the SDK's method when upgrading pulumi.
"""

from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from tools.offline._mocks import RecordingMocks
from tools.offline._recording import RecordedResource

STACK_TYPE = "pulumi:pulumi:Stack"

_SIG_KEY = rpc._special_sig_key
_SECRET_SIG = rpc._special_secret_sig


def reveal_secrets(value: Any) -> Any:
    """Secret inputs arrive wrapped ({sig: secret, value: ...}); tests want the value."""
    if isinstance(value, dict):
        if value.get(_SIG_KEY) == _SECRET_SIG:
            return reveal_secrets(value.get("value"))
        return {key: reveal_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [reveal_secrets(item) for item in value]
    return value


def parent_urn(parent: str) -> str | None:
    """The parent's URN, or None when the parent is the stack itself."""
    if not parent or parent.split("::")[2] == STACK_TYPE:
        return None
    return parent


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The mock monitor, keeping parent URN and resource options the plain one drops."""

    mocks: RecordingMocks

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK_TYPE:
            return resource_pb2.RegisterResourceResponse(urn=urn)
        _ensure_event_loop()
        inputs = reveal_secrets(rpc.deserialize_properties(request.object))
        args = pulumi.runtime.MockResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=inputs,
            provider=request.provider,
            resource_id=request.importId,
            custom=request.custom or False,
        )
        resource_id, state = self.mocks.new_resource(args)
        self.mocks.resources.append(
            RecordedResource(
                type=request.type,
                name=request.name,
                inputs=dict(inputs),
                outputs={**state, "id": resource_id},
                parent=parent_urn(request.parent),
                urn=urn,
                custom=bool(request.custom),
                remote=bool(request.remote),
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                dependencies=tuple(request.dependencies),
                delete_before_replace=bool(request.deleteBeforeReplace),
            )
        )
        serialized = _sync_await(rpc.serialize_properties(state, {}))
        self.resources[urn] = pulumi_mocks.MockMonitor.ResourceRegistration(urn, resource_id, state)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id, object=serialized)
