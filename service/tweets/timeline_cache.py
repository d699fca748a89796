"""Rendered timelines, cached per viewer and thrown away as soon as what they show changes.

Rendering fifty tweet cards is most of what a timeline request costs (template rendering, URL
reversing, signed image URLs); the page itself changes far less often than it is read. So the
rendered list of cards is kept in the "timelines" cache under a key that holds:
- the viewer (a card shows whether the viewer liked it and offers them Delete on their own);
- the timeline's version, a counter in the database (TimelineVersion) that every change to what
  the timeline shows increments in the same transaction as the change (tweets.signals): a new or
  deleted tweet, a like or unlike, a reply, a profile change of an author the viewer follows, the
  viewer following or unfollowing someone. A new version means a new key: stale pages are never
  read again and simply age out;
- the requested path (the page number, and the "next" fields the cards' forms carry).
The counter lives in Postgres, not in the cache, so every gunicorn worker (and every task) sees a
change at once although each worker keeps its own in-memory cache. Reading it is one primary-key
lookup per request.

Two things are not in the key, on purpose:
- The CSRF token: the cards are rendered with a placeholder that each response replaces with a
  freshly masked token, so a cached page survives a login (which rotates the token) and no two
  responses carry the same token (the BREACH mitigation Django's masking exists for).
- Time: "5 minutes ago" ages while cached; TIMELINE_CACHE_SECONDS bounds by how much.

TIMELINE_CACHE_SECONDS = 0 turns caching off (every request renders, no version lookup).
https://docs.djangoproject.com/en/5.2/topics/cache/#the-low-level-cache-api
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from hashlib import blake2b

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Page
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Follow
from tweets.models import TimelineVersion

CACHE_ALIAS = "timelines"
EXPLORE = 0  # owner_id of the explore timeline's version row
# Letters and digits only, so template escaping leaves it as it is.
CSRF_PLACEHOLDER = "csrfPlaceholderReplacedOnEveryResponse"


@dataclass(frozen=True)
class RenderedTimeline:
    """The list of tweet cards (with the pager) as HTML, and whether it was empty."""

    html: SafeString
    empty: bool


def render_timeline(
    request: HttpRequest, *, owner_id: int, page: Callable[[], Page]
) -> RenderedTimeline:
    """The timeline whose version row is `owner_id`, as seen by request.user, from the cache
    when nothing changed since it was rendered. `page` paginates the timeline's queryset; it is
    only called to render."""
    seconds = settings.TIMELINE_CACHE_SECONDS
    if seconds <= 0:
        return _render(request, page())
    cache = caches[CACHE_ALIAS]
    key = _key(request, owner_id)
    cached = cache.get(key)
    if cached is None:
        cached = _render(request, page(), csrf_token=CSRF_PLACEHOLDER)
        cache.set(key, cached, seconds)
    return RenderedTimeline(
        html=mark_safe(cached.html.replace(CSRF_PLACEHOLDER, get_token(request))),  # noqa: S308 (our own rendered template; the token is Django's)
        empty=cached.empty,
    )


def _render(request: HttpRequest, page: Page, *, csrf_token: str | None = None) -> RenderedTimeline:
    context = {"page": page}
    if csrf_token is not None:
        # An explicit csrf_token wins over the one RequestContext would provide.
        context["csrf_token"] = csrf_token
    html = render_to_string("tweets/_timeline.html", context, request=request)
    return RenderedTimeline(html=html, empty=not page.object_list)


def _key(request: HttpRequest, owner_id: int) -> str:
    path = blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
    return f"timeline:{owner_id}:{current_version(owner_id)}:{request.user.pk}:{path}"


def current_version(owner_id: int) -> int:
    version = (
        TimelineVersion.objects.filter(owner_id=owner_id).values_list("version", flat=True).first()
    )
    if version is None:
        # From now on changes are counted for this timeline. Should another request create the
        # row first and a change bump it, this page is cached under 0 and never read again.
        TimelineVersion.objects.bulk_create(
            [TimelineVersion(owner_id=owner_id)], ignore_conflicts=True
        )
        return 0
    return version


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
