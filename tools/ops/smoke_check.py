"""After a deploy: does the site answer? ``python -m tools.ops.smoke_check URL``.

Asks ``/healthz`` (200 only when Django reaches the database) and one real page that renders a
template from the database-backed session machinery (``/accounts/login/``), retrying each until
it answers 200 or the time runs out. Exits 0 when both answered, 1 otherwise, printing every
attempt. The deploy workflow runs it with the stack's ``url`` output: `pulumi up` finishing only
says the task is healthy to the load balancer; this says a visitor gets a page.
Standard library only, so it runs before any dependency is installed.
"""

import argparse
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass

PATHS = ("/healthz", "/accounts/login/")
DEFAULT_DEADLINE_SECONDS = 300.0
DEFAULT_INTERVAL_SECONDS = 10.0
REQUEST_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Attempt:
    url: str
    status: int | None
    """The HTTP status, or None when no answer came (refused, timed out, DNS)."""
    detail: str


def fetch(url: str, timeout: float = REQUEST_TIMEOUT_SECONDS) -> Attempt:
    """One GET, no retries; redirects are followed (http -> https)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"{url!r}: give an http:// or https:// URL (the stack's url output)")
    headers = {"User-Agent": "django-tw-smoke-check"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Attempt(url, response.status, "ok")
    except urllib.error.HTTPError as error:
        return Attempt(url, error.code, error.reason)
    except (urllib.error.URLError, OSError) as error:
        return Attempt(url, None, str(getattr(error, "reason", error)))


def wait_for(
    url: str,
    deadline: float,
    interval: float,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    get: Callable[[str], Attempt] = fetch,
    log: Callable[[str], None] = print,
) -> bool:
    """Ask ``url`` until it answers 200 or ``deadline`` (a ``clock`` reading) passes."""
    while True:
        attempt = get(url)
        log(f"smoke check: {url} -> {attempt.status or 'no answer'} ({attempt.detail})")
        if attempt.status == 200:
            return True
        if clock() + interval > deadline:
            return False
        sleep(interval)


def smoke_check(
    base_url: str,
    paths: Sequence[str] = PATHS,
    deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
    interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
    **kwargs,
) -> bool:
    """Every path of the site answers 200 within one shared time budget."""
    clock = kwargs.get("clock", time.monotonic)
    deadline = clock() + deadline_seconds
    base = base_url.rstrip("/")
    return all(wait_for(base + path, deadline, interval_seconds, **kwargs) for path in paths)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.ops.smoke_check", description=__doc__)
    parser.add_argument("url", help="the site's base URL (the stack's `url` output)")
    parser.add_argument("--deadline", type=float, default=DEFAULT_DEADLINE_SECONDS)
    parser.add_argument("--interval", type=float, default=DEFAULT_INTERVAL_SECONDS)
    args = parser.parse_args(argv)
    if smoke_check(args.url, deadline_seconds=args.deadline, interval_seconds=args.interval):
        print("smoke check: the site answers")
        return 0
    print(
        "smoke check: FAILED. Look at the service's events (the stack output "
        "deploy_events_command) and the containers' log groups (log_group_names).",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
