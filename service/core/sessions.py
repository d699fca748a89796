"""Django's database sessions, read with SQL written once per process.

Every signed-in request reads its session before anything else. A timeline page served whole
from the cache costs little more than that read and the user's (tweets.backends), and building
`Session.objects.get(session_key=..., expire_date__gt=now)` anew on every request cost more
Python time than Postgres spends answering it. The query and its meaning are Django's own
(django.contrib.sessions.backends.db.SessionStore._get_session_from_db): a key that is unknown
or past its expiry loads nothing and gets a new key when the session is saved. Everything else
(saving, rotating the key on sign-in, deleting on sign-out) is Django's, unchanged.
https://docs.djangoproject.com/en/5.2/topics/http/sessions/#extending-database-backed-session-engines
"""

from functools import cache

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.sql import column, table


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        rows = self.model.objects.raw(_session_sql(), [self.session_key, timezone.now()])
        session = next(iter(rows), None)
        if session is None:
            self._session_key = None
        return session


@cache
def _session_sql() -> str:
    key, expiry = (column(Session, name) for name in ("session_key", "expire_date"))
    return f"SELECT * FROM {table(Session)} WHERE {key} = %s AND {expiry} > %s"  # noqa: S608
