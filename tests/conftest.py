"""Fixtures every test folder may use: the stacks run once per session under recording mocks."""

from tests.stack_runs import aliases_sent, prod, scale

__all__ = ["aliases_sent", "prod", "scale"]
