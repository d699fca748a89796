"""The component package's provider, run by Pulumi for `pulumi package add <path to components/>`.

Pulumi's Python language host runs a plugin directory that has a ``__main__.py`` as
``python <directory>`` (``PulumiPlugin.yaml`` beside this file says the plugin is Python).
That puts this directory on ``sys.path``, not its parent, so ``import components`` would fail
and every module here would be importable under a second, top-level name: the parent takes
its place. ``python -m components`` runs the same provider.
"""

import sys
from pathlib import Path

if not __package__:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from components.package.provider import serve

if __name__ == "__main__":  # imported (e.g. by a test listing the modules), it serves nothing
    serve()
