"""Container health check for the web container: exit 0 when Django answers /healthz with 200.

Standard library only, so it runs without Django loaded and costs little every 30 s.
Run as `python /app/healthcheck.py` (the Dockerfile HEALTHCHECK and the ECS task use it).
"""

import os
import sys
import urllib.error
import urllib.request

URL = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")


def main() -> int:
    try:
        with urllib.request.urlopen(URL, timeout=5) as response:  # noqa: S310 (fixed local URL)
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"healthcheck: {URL} failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
