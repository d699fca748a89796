"""Offline plan of a stack: what it creates, what it costs each month, what the rules say.

Run ``python -m tools.plan --stack prod`` (``make plan``). No credentials, no Pulumi CLI: the
program runs under the recording mocks of ``offline``.
"""
