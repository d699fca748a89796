"""Timeline pages, cached per viewer and thrown away as soon as what they show changes.

Rendering fifty tweet cards is most of what a timeline request costs (template rendering, URL
reversing, signed image URLs); the page changes far less often than it is read. So the rendered
page is kept in the "timelines" cache under a key that holds:
- the viewer (the page greets them, shows whether they liked each tweet and offers them Delete
  on their own);
- the timeline's version, a counter in the database (TimelineVersion) that every change to what
  the timeline shows increments in the same transaction as the change (tweets.signals): a new or
  deleted tweet, a like or unlike, a reply, a profile change of an author the viewer follows, the
  viewer following or unfollowing someone. A new version means a new key: stale pages are never
  read again and simply age out;
- the requested path (the page number, and the "next" fields the forms carry).
The counter lives in Postgres, not in the cache, so every gunicorn worker (and every task) sees a
change at once although each worker keeps its own in-memory cache. Reading it is one primary-key
lookup, made in the same query that loads the signed-in user (tweets.backends).

Not in the key, on purpose:
- The CSRF token: the page is rendered with a placeholder that each response replaces with a
  freshly masked token, so a cached page survives a login (which rotates the secret) and no two
  responses carry the same token (the BREACH mitigation Django's masking exists for).
- Time: "5 minutes ago" ages while cached; TIMELINE_CACHE_SECONDS bounds by how much.
A page with a one-off message ("Welcome!") or a form with errors is rendered, never cached.

TIMELINE_CACHE_SECONDS = 0 turns caching off (every request renders, no version lookup).
https://docs.djangoproject.com/en/5.2/topics/cache/#the-low-level-cache-api
"""

from collections.abc import Callable, Iterable
from hashlib import blake2b

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string

from accounts.models import Follow
from tweets.models import TimelineVersion

CACHE_ALIAS = "timelines"
EXPLORE = 0  # owner_id of the explore timeline's version row
# Letters and digits only, so template escaping leaves it as it is.
CSRF_PLACEHOLDER = "csrfPlaceholderReplacedOnEveryResponse"


def timeline_page(
    request: HttpRequest,
    *,
    owner_id: int,
    template: str,
    context: Callable[[], dict],
) -> HttpResponse:
    """The page of the timeline whose version row is `owner_id`, as seen by request.user; from
    the cache when nothing on it changed since it was rendered. `context` builds the template's
    context (it paginates the timeline's queryset) and is only called to render."""
    seconds = settings.TIMELINE_CACHE_SECONDS
    if seconds <= 0 or len(messages.get_messages(request)):
        # A one-off message ("Welcome!") belongs to this response only. len() leaves it unread.
        return render(request, template, context())
    cache = caches[CACHE_ALIAS]
    key = _key(request, owner_id)
    html = cache.get(key)
    if html is None:
        # An explicit csrf_token wins over the one RequestContext would provide.
        page_context = {**context(), "csrf_token": CSRF_PLACEHOLDER}
        html = render_to_string(template, page_context, request=request)
        cache.set(key, html, seconds)
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def _key(request: HttpRequest, owner_id: int) -> str:
    path = blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
    return f"timeline:{owner_id}:{_version_for(request, owner_id)}:{request.user.pk}:{path}"


def _version_for(request: HttpRequest, owner_id: int) -> int:
    """The version tweets.backends loaded with the user, or one more query when it did not
    (a session signed in through another backend, or a timeline not yet cached)."""
    user = request.user
    if owner_id == EXPLORE:
        loaded = getattr(user, "explore_timeline_version", None)
    elif owner_id == user.pk:
        loaded = getattr(user, "home_timeline_version", None)
    else:
        loaded = None
    return loaded if loaded is not None else current_version(owner_id)


def current_version(owner_id: int) -> int:
    # Read on every cached request: plain SQL, without the ORM's few hundred microseconds.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version FROM {TimelineVersion._meta.db_table} WHERE owner_id = %s",  # noqa: S608 (a table name from the model)
            [owner_id],
        )
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    # From now on changes are counted for this timeline. Should another request create the
    # row first and a change bump it, this page is cached under 0 and never read again.
    TimelineVersion.objects.bulk_create([TimelineVersion(owner_id=owner_id)], ignore_conflicts=True)
    return 0


# --- what makes a timeline out of date (called from tweets.signals) ---------------------------


def authors_changed(author_ids: Iterable[int] | QuerySet) -> None:
    """Something these authors' tweets show changed: the explore timeline, the authors' own
    home timelines and those of everyone who follows them are out of date."""
    if isinstance(author_ids, QuerySet):
        authors = author_ids
    else:
        authors = [pk for pk in author_ids if pk is not None]
        if not authors:
            return
    followers = Follow.objects.filter(followee__in=authors).values("follower")
    TimelineVersion.objects.filter(
        Q(owner_id__in=followers) | Q(owner_id__in=authors) | Q(owner_id=EXPLORE)
    ).update(version=F("version") + 1)


def home_timeline_changed(owner_id: int) -> None:
    """The set of authors on this user's home timeline changed (a follow or an unfollow)."""
    TimelineVersion.objects.filter(owner_id=owner_id).update(version=F("version") + 1)


def everything_changed() -> None:
    """Rows were written without signals (a bulk load): no cached timeline can be trusted."""
    TimelineVersion.objects.update(version=F("version") + 1)
