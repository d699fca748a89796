"""A second gunicorn worker, as far as the caches are concerned: another process, with its own
in-memory caches, on the same database as the test that starts it.

    DATABASE_URL=... python -m service.tests.other_worker

It reads `username path` lines on stdin, requests the path as that user (Django's test client,
caches on) and writes the response as one JSON line: {"status": ..., "page": ...}.
"""

import json
import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.TIMELINE_CACHE_SECONDS = 60
    settings.CARD_CACHE_SECONDS = 60
    clients: dict[str, Client] = {}
    for line in sys.stdin:
        username, path = line.split()
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(get_user_model().objects.get(username=username))
        response = clients[username].get(path)
        answer = {"status": response.status_code, "page": response.content.decode()}
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
