"""Fixtures every test folder may use: the stacks run once per session under recording mocks.

The platform's Django library is imported from the checkout (pyproject.toml's pytest
`pythonpath`), installed or not; the processes the tests start (manage.py, gunicorn, the local
topology) inherit the same through PYTHONPATH.
"""

import os

from stack.paths import DJANGO_FARGATE_SRC
from tests.stack_runs import aliases_sent, prod, scale

os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(DJANGO_FARGATE_SRC), *filter(None, [os.environ.get("PYTHONPATH")])]
)

__all__ = ["aliases_sent", "prod", "scale"]
