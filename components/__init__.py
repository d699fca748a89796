"""Pulumi components for a private, cheap, safe Django deployment on AWS ECS Fargate.

Import what you need: ``from components import PrivateNetwork, EndpointSet, ...``. Names are
loaded on first use, so ``components.testing`` stays importable without the AWS provider.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'components' has no attribute {name!r}")
    return getattr(importlib.import_module(f"components.{module}"), name)
