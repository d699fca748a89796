"""Timeline pages, cached per viewer and thrown away as soon as what they show changes.

The mechanism (the TimelineVersion key, the one query a page is built with, the cached card
parts, the page around the cards, the placeholders each response fills) is explained once, in
docs/DESIGN.md, "Timelines on a busy site". TIMELINE_CACHE_SECONDS = 0 turns the caching off
(every request renders every card, no version lookup); CARD_CACHE_SECONDS = 0 only the cards'
cache.
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
from django.shortcuts import render
from django.template.loader import render_to_string

from accounts.models import Follow
from tweets import cards, page_slots
from tweets.models import TimelineVersion, Tweet
from tweets.pages import TimelinePage, page_number, page_rows, paginate, with_likes_of
from tweets.timelines import TimelineSql

CACHE_ALIAS = "timelines"
SHARED_ALIAS = "shared_pages"
EXPLORE = 0  # owner_id of the explore timeline's version row
# Timelines whose tweets, counts and cards are the same for every viewer: only the viewer's likes
# and Delete buttons differ.
SHARED = frozenset({EXPLORE})


def timeline_page(
    request: HttpRequest,
    *,
    owner_id: int,
    template: str,
    tweets: Callable[[], QuerySet[Tweet]],
    sql: TimelineSql,
    context: Callable[[], dict] = dict,
) -> HttpResponse:
    """The page of a timeline whose version row is `owner_id`, as seen by request.user: from the
    cache when nothing on it changed since it was built, else built with one query over `sql`
    (tweets.pages.page_rows) and the cached cards. `tweets()` (the same timeline, plain,
    from tweets.timelines) renders it with the caches off. `context` (the template's other
    variables) is only called to build the page.
    Records what it did in `request.timeline_served` ("page" from the cache, "assembled",
    "shared" from another viewer's build of the same version, or "rendered" with the cache off)
    and `request.cards_rendered`."""
    request.cards_rendered = 0
    if settings.TIMELINE_CACHE_SECONDS <= 0:
        page = paginate(request, tweets())
        request.timeline_served = "rendered"
        request.cards_rendered = len(page)
        return render(request, template, {**context(), "page": page})
    # A one-off message ("Welcome!") belongs to this response only. len() leaves it unread.
    keep = not len(messages.get_messages(request))
    cache = caches[CACHE_ALIAS]
    version = _version_for(request, owner_id)
    key = _key(request, owner_id, version) if keep else None
    html = cache.get(key) if keep else None
    if html is None:
        shareable = keep and settings.CARD_CACHE_SECONDS > 0
        page = _page(request, owner_id, version, sql, shareable=shareable)
        path = blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
        shown, request.cards_rendered = cards.page_cards(page.object_list, request, path)
        frame = _frame(request, template, page, context, path, cached=shareable)
        html = frame.replace(page_slots.CARDS, shown, 1)
        if keep:
            cache.set(key, html, settings.TIMELINE_CACHE_SECONDS)
    else:
        request.timeline_served = "page"
    return HttpResponse(page_slots.filled(html, request))


def _page(
    request: HttpRequest, owner_id: int, version: int, sql: TimelineSql, *, shareable: bool
) -> TimelinePage:
    """The rows of the requested page for request.user. A timeline every viewer sees alike
    (SHARED) is read once per version and page number in each process, and every other viewer
    only reads which of its tweets they like."""
    shared = shareable and owner_id in SHARED
    key = f"shared:{owner_id}:{version}:{page_number(request)}" if shared else None
    page = caches[SHARED_ALIAS].get(key) if shared else None
    if page is not None:
        request.timeline_served = "shared"
        return with_likes_of(request.user.pk, page)
    page = page_rows(request, sql)
    if shared:
        caches[SHARED_ALIAS].set(key, page, settings.TIMELINE_CACHE_SECONDS)
    request.timeline_served = "assembled"
    return page


def _frame(
    request: HttpRequest,
    template: str,
    page: TimelinePage,
    context: Callable[[], dict],
    path: str,
    *,
    cached: bool,
) -> str:
    """The page around its cards, with tweets.page_slots.CARDS where they go. It shows the
    viewer's name, an empty compose form and the pager, none of which a new version changes:
    kept in the cards' cache per viewer, path and pager position (unless not `cached`)."""
    empty = not page.object_list
    where = f"{page.number}:{int(page.has_next)}:{int(empty)}"
    key = f"frame:{template}:{request.user.pk}:{path}:{where}"
    frame = caches[cards.CACHE_ALIAS].get(key) if cached else None
    if frame is None:
        # An empty page has no cards: the template says so itself.
        page_context = {**context(), "page": page, **page_slots.context(cards=not empty)}
        frame = render_to_string(template, page_context, request=request)
        if cached:
            caches[cards.CACHE_ALIAS].set(key, frame, settings.TIMELINE_CACHE_SECONDS)
    return frame


def _key(request: HttpRequest, owner_id: int, version: int) -> str:
    path = blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
    return f"timeline:{owner_id}:{version}:{request.user.pk}:{path}"


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
