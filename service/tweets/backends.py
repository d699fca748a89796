"""Sign-in that also brings the versions of the viewer's cached timelines (tweets.timeline_cache).

Every signed-in request loads its user by primary key. Reading the two timeline versions in that
same query, as scalar subqueries, saves a round trip to Postgres on every cached timeline page:
the versions are read at the start of the request, exactly when a separate lookup would have read
them. The query is SQL written once per process (Manager.raw): a page served whole from the cache
is little more than this lookup and the session's, and building the annotated queryset anew on
every request cost more than Postgres spends answering it.
https://docs.djangoproject.com/en/5.2/topics/auth/customizing/#writing-an-authentication-backend
https://docs.djangoproject.com/en/5.2/topics/db/sql/#performing-raw-queries

A sign-in hashes the password once. `django.contrib.auth.authenticate()` asks every backend in
AUTHENTICATION_BACKENDS in turn and moves on when one returns None; ModelBackend, listed after
this one for the sessions that name it, would check the same password against the same user
again: a second PBKDF2 run (1,000,000 iterations) for every failed login. Refusing with
PermissionDenied instead ends the search ("If a backend raises a PermissionDenied exception,
authentication will immediately fail. Django won't check the backends that follow."), and
Django still reports the failure (user_login_failed):
https://docs.djangoproject.com/en/5.2/topics/auth/customizing/#specifying-authentication-backends
(django/contrib/auth/__init__.py, authenticate()).
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from core.sql import column, table
from notifications.header import unread_count_sql
from tweets.models import TimelineVersion

EXPLORE = 0  # owner_id of the explore timeline's version row (tweets.timeline_cache.EXPLORE)


class TimelineVersionBackend(ModelBackend):
    """ModelBackend whose users carry `home_timeline_version` and `explore_timeline_version`
    (None until that timeline has been cached once), and `unread_notifications` for the header
    (notifications.header)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        """ModelBackend's check, final: a username and password it refuses are refused by every
        backend, so none hashes them again. ModelBackend's own check hashes once whether or not
        the user exists (the dummy hash for an unknown user keeps the two answers equally slow).
        Credentials without a password are not this backend's to refuse."""
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        users = get_user_model()._default_manager.raw(_user_with_versions_sql(), [user_id])
        user = next(iter(users), None)
        return user if user is not None and self.user_can_authenticate(user) else None


@cache
def _user_with_versions_sql() -> str:
    user_model = get_user_model()
    versions = table(TimelineVersion)
    owner, version = (column(TimelineVersion, name) for name in ("owner_id", "version"))
    user_id = column(user_model, user_model._meta.pk.name)
    return (
        f"SELECT u.*,"  # noqa: S608
        f" (SELECT {version} FROM {versions} WHERE {owner} = u.{user_id}) AS home_timeline_version,"
        f" (SELECT {version} FROM {versions} WHERE {owner} = {EXPLORE})"
        f" AS explore_timeline_version,"
        f" {unread_count_sql(f'u.{user_id}')} AS unread_notifications"
        f" FROM {table(user_model)} u WHERE u.{user_id} = %s"
    )
