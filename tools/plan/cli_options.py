"""Options the plan's command lines share."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_stack_file_options(parser: argparse.ArgumentParser, default_stack: str) -> None:
    """``--stack`` and ``--config-file``, as the Pulumi CLI names them: ``--config-file`` reads
    that file in place of ``Pulumi.<stack>.yaml`` ("Use the configuration values in the
    specified file rather than detecting the file name", pulumi/docs
    content/docs/iac/cli/commands/pulumi_preview.md); the stack name still names what the
    program declares."""
    parser.add_argument(
        "--stack", default=default_stack, help="stack name: reads Pulumi.<stack>.yaml"
    )
    parser.add_argument(
        "--config-file",
        type=Path,
        default=None,
        help="read this stack file in place of Pulumi.<stack>.yaml",
    )
