"""Container health check for the web container: exit 0 when gunicorn answers /livez with 200.

Liveness, not readiness: /livez never touches the database, so a database outage does not make
ECS kill and replace a web container that will serve again once Postgres is back. Whether the
task can take traffic is the load balancer's question, asked through nginx at /healthz.

Standard library only, so it runs without Django loaded and costs little every 30 s.
Run as `python -m django_fargate.healthcheck` (the HEALTHCHECK of the generic app image and of
the demo's).
"""

import os
import sys
import urllib.error
import urllib.request

# gunicorn's own address (gunicorn_conf binds the task's loopback), not nginx's: a broken
# nginx must not get the web container replaced.
URL = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/livez")


def main() -> int:
    try:
        with urllib.request.urlopen(URL, timeout=5) as response:  # noqa: S310 (fixed local URL)
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"healthcheck: {URL} failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
