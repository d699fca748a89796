"""Signed-in sessions for many bench users at once, written straight into the session table.

Run inside the web container's environment with service.bench.settings (service/bench/mix.py does
that):

    python -m service.bench.sessions --output FILE

Signing 1,000 users in through the login form would hash 1,000 passwords (PBKDF2, about a
second each here); a session is only a row, so this writes the rows Django's login() would
write: the user's id, the backend that loads them (tweets.backends, the one that signs a
password in: the first in AUTHENTICATION_BACKENDS only checks lockouts and loads no one) and the
hash that ties the session to the password. Each user also gets a CSRF secret, sent as the
`csrftoken` cookie and, unmasked, as the form's token (Django accepts either form of the token).
https://docs.djangoproject.com/en/5.2/topics/http/sessions/#using-sessions-out-of-views

FILE gets one JSON object per line: username, the Cookie header value, the CSRF token. Prints
one JSON line: how many sessions, and the newest tweet id (writers like recent tweets).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from service.bench.dataset import USERNAME_PREFIX


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    from tweets.backends import TimelineVersionBackend
    from tweets.models import Tweet

    backend = f"{TimelineVersionBackend.__module__}.{TimelineVersionBackend.__qualname__}"
    if backend not in settings.AUTHENTICATION_BACKENDS:
        raise SystemExit(f"{backend} is not in AUTHENTICATION_BACKENDS: sessions need it")

    users = get_user_model().objects.filter(username__startswith=USERNAME_PREFIX)
    lines = []
    for user in users.order_by("username"):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = _get_new_csrf_string()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
        cookie += f"{settings.CSRF_COOKIE_NAME}={csrf}"
        lines.append(json.dumps({"username": user.username, "cookie": cookie, "csrf": csrf}))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n")
    newest = Tweet.objects.order_by("-id").values_list("id", flat=True).first() or 0
    print(json.dumps({"sessions": len(lines), "newest_tweet": newest}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
