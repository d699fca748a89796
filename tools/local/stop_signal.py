"""Blocking until honcho (or the test harness) asks a stand-in server to stop."""

from __future__ import annotations

import signal
import threading


def wait_for_stop_signal() -> None:
    """Returns on the first SIGINT (Ctrl-C under `make local`) or SIGTERM (honcho, the tests).

    The stand-ins serve from background threads, so the main thread only has to wait; the
    handlers replace Python's default KeyboardInterrupt so the caller can shut its server down.
    """
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
