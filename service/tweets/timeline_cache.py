"""Timeline pages, cached per viewer and thrown away as soon as what they show changes.

Two layers. The whole page is kept per viewer in the "timelines" cache, under a key that holds:
- the viewer (the page greets them, shows whether they liked each tweet and offers them Delete
  on their own);
- the timeline's version, a counter in the database (TimelineVersion) that every change to what
  the timeline shows increments in the same transaction as the change (tweets.signals): a new or
  deleted tweet, a like or unlike, a reply, a profile change of an author the viewer follows, the
  viewer following or unfollowing someone. A new version means a new key: stale pages are never
  read again and simply age out;
- the requested path (the page number, and the "next" fields the forms carry).
The header's unread notification count is not in the key either: the page keeps a placeholder
there and every response puts in the count loaded with the user (notifications.header).
The counter lives in Postgres, not in the cache, so every gunicorn worker (and every task) sees a
change at once although each worker keeps its own in-memory cache. Reading it is one primary-key
lookup, made in the same query that loads the signed-in user (tweets.backends).

On a busy site the versions move all the time (any tweet or like anywhere changes explore), so
a page is rebuilt often, and rebuilding it must cost little: one query (tweets.pages.page_rows)
finds the page's ids in the plain timeline (no count, nothing computed for tweets off the page)
and returns each with what its card shows that can change (tweets.cards.ROW_FIELDS), the cards
come from the shared card cache (one card per tweet for every viewer, its counts filled in from
the row), and only the cards of new or changed tweets are rendered. A page after a like or a
reply renders no card; after a new tweet, one.

Not in the key, on purpose:
- The CSRF token and the path in the cards' forms: the page is rendered with placeholders
  (random per process, tweets.cards) that each response replaces, so a cached page survives a
  login (which rotates the secret) and no two responses carry the same token (the BREACH
  mitigation Django's masking exists for).
- Time: "5 minutes ago" ages while cached; CARD_CACHE_SECONDS + TIMELINE_CACHE_SECONDS bound by
  how much.
A page with a one-off message ("Welcome!") is built from the cards but never cached.

TIMELINE_CACHE_SECONDS = 0 turns both layers off (every request renders every card, no version
lookup); CARD_CACHE_SECONDS = 0 only the card cache (a page rebuilt renders all its cards).
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
from django.utils.safestring import mark_safe

from accounts.models import Follow
from notifications import header
from tweets import cards
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
    cache when nothing on it changed since it was built, else built from the cached cards with
    one query over `sql` (tweets.pages.page_rows). `tweets()` (the same timeline, plain, from
    tweets.timelines) renders it with the caches off. `context` (the template's other
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
        cards_on = keep and settings.CARD_CACHE_SECONDS > 0
        page, shown = _page_and_cards(request, owner_id, version, sql, shareable=cards_on)
        fragments = caches[cards.CACHE_ALIAS] if cards_on else None
        before, after = _frame(request, template, page, context, fragments)
        html = before + cards.join(page.object_list, shown, request.user.pk) + after
        if keep:
            cache.set(key, html, settings.TIMELINE_CACHE_SECONDS)
    else:
        request.timeline_served = "page"
    values = cards.per_response(get_token(request), request.get_full_path())
    values[header.SLOT] = header.link_for(request)
    return HttpResponse(cards.personalise(html, values))


def _page_and_cards(
    request: HttpRequest,
    owner_id: int,
    version: int,
    sql: TimelineSql,
    *,
    shareable: bool,
) -> tuple[TimelinePage, list]:
    """The rows of the requested page for request.user and their cards. A timeline every viewer
    sees alike (SHARED) is built once per version and page number in each process, and every
    other viewer only reads which of its tweets they like."""
    shared = shareable and owner_id in SHARED
    key = f"shared:{owner_id}:{version}:{page_number(request)}" if shared else None
    entry = caches[SHARED_ALIAS].get(key) if shared else None
    if entry is not None:
        page, shown = entry
        request.timeline_served = "shared"
        return with_likes_of(request.user.pk, page), shown
    page = page_rows(request, sql)
    shown, request.cards_rendered = cards.cards_for(page.object_list)
    if shared:
        caches[SHARED_ALIAS].set(key, (page, shown), settings.TIMELINE_CACHE_SECONDS)
    request.timeline_served = "assembled"
    return page, shown


def _frame(
    request: HttpRequest, template: str, page: TimelinePage, context: Callable[[], dict], cache
) -> tuple[str, str]:
    """The page around its cards, rendered with a placeholder where they go, split there. It
    shows the viewer's name, an empty compose form and the pager, none of which a new version
    changes: it is kept in `cache` (the cards' cache, unless None) per viewer, path and pager
    position, for TIMELINE_CACHE_SECONDS."""
    empty = not page.object_list
    path = blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
    where = f"{page.number}:{int(page.has_next)}:{int(empty)}"
    key = f"frame:{template}:{request.user.pk}:{path}:{where}"
    frame = cache.get(key) if cache is not None else None
    if frame is None:
        # An explicit csrf_token wins over the one RequestContext would provide. An empty page
        # has no cards: the template says so itself.
        page_context = {
            **context(),
            "page": page,
            "cards": "" if empty else mark_safe(cards.VIEWER_SLOT),  # noqa: S308 (a nonce)
            "csrf_token": cards.CSRF_SLOT,
            # The unread count changes without a new version: each response puts in its own.
            "notifications_link": mark_safe(header.SLOT),  # noqa: S308 (a nonce)
        }
        html = render_to_string(template, page_context, request=request)
        frame = (html, "") if empty else tuple(html.split(cards.VIEWER_SLOT))
        if cache is not None:
            cache.set(key, frame, settings.TIMELINE_CACHE_SECONDS)
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
