"""One page of a timeline, found without counting the timeline and decorated only for its tweets.

A home timeline holds thousands of tweets (about 15,000 for a user following a hundred people in
`make bench`'s data set) and grows with every post. Django's Paginator counts them all for
"Page X of Y" (a COUNT over the whole timeline on every page built, about 7-10 ms there), and an
OFFSET page of the decorated timeline computes the like and reply counts of every tweet it skips
before it keeps fifty. Here the work of a page does not grow with the timeline:
1. the ids of the page's tweets plus one, newest first, from the plain timeline (the filter and
   the order only, served by the indexes `tweet_newest` and `tweet_author_newest`): the extra id
   says whether an older page exists;
2. what the cards show for those ids only: authors, counts, the viewer's likes.
The pager shows "Newer", "Page X" and "Older": no total, so nothing to count.

A cached timeline page is rebuilt whenever its version moves, which on a busy site is nearly
every request of explore (tweets.timeline_cache). `page_rows` does both steps in ONE query
written in SQL, the first as a WITH clause over the timeline's condition (tweets.timelines,
`home_sql` and `explore_sql`): building and compiling the ORM's querysets cost more Python time
than Postgres spends on the query. It returns tweets.cards.CardRow rows;
service/tests/test_pages.py holds every page of it to the ORM's plain timelines and `tweets_for`
(tweets.timelines), which the pages not cached still use.
https://docs.djangoproject.com/en/5.2/topics/pagination/ (what Paginator counts),
https://www.postgresql.org/docs/15/queries-limit.html ("the rows skipped by an OFFSET clause
still have to be computed inside the server"),
https://docs.djangoproject.com/en/5.2/topics/db/sql/#executing-custom-sql-directly
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from accounts.models import Profile
from core.sql import column, table
from tweets.cards import CardRow
from tweets.models import Like, Tweet
from tweets.timelines import NEWEST_FIRST, TimelineSql, tweets_for

# The deepest page served: 100 pages of 50 tweets, further back than anyone pages by hand. A
# deeper one answers 404 before any query, since Postgres computes every row an OFFSET skips (the
# docs above): `?page=1000000` would otherwise make any visitor's request walk the whole table.
MAX_PAGE_NUMBER = 100


@dataclass(frozen=True)
class TimelinePage:
    """What the pager and the cards of one page need (the attributes of Django's Page the
    templates use, without `paginator`)."""

    number: int
    object_list: Sequence  # tweets (annotated) or tweets.cards.CardRow rows, newest first
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    def __len__(self) -> int:
        return len(self.object_list)

    def __iter__(self) -> Iterator:
        return iter(self.object_list)


def page_number(request: HttpRequest) -> int:
    """The `page` query parameter as a page number: 1 when missing, not a number or below 1;
    Http404 past MAX_PAGE_NUMBER."""
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        return 1
    if number > MAX_PAGE_NUMBER:
        raise Http404(f"timelines are served to page {MAX_PAGE_NUMBER}")
    return max(number, 1)


def checked_page(number: int, rows: Sequence, size: int) -> tuple[Sequence, bool]:
    """A page's `size` rows and whether an older page is offered, from the `size + 1` rows read
    for page `number`; Http404 for an empty page past the first (past the timeline's end)."""
    if number > 1 and not rows:
        raise Http404("no tweets on this page: the timeline ends before it")
    return rows[:size], len(rows) > size and number < MAX_PAGE_NUMBER


def page_ids(request: HttpRequest, timeline: QuerySet[Tweet]) -> tuple[int, list[int], bool]:
    """The requested page's number, its tweet ids newest first, and whether an older page
    exists. `timeline` is a plain timeline of tweets.timelines (a filter, no annotations): one
    query over the index, however long the timeline."""
    number = page_number(request)
    size = settings.TWEETS_PER_PAGE
    start = (number - 1) * size
    ids = list(
        timeline.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[start : start + size + 1]
    )
    shown, has_next = checked_page(number, ids, size)
    return number, list(shown), has_next


def page_rows(request: HttpRequest, timeline: TimelineSql) -> TimelinePage:
    """The requested page of `timeline` as tweets.cards.CardRow rows for request.user, newest
    first: one query."""
    number = page_number(request)
    with connection.cursor() as cursor:
        cursor.execute(*page_rows_query(timeline, number, request.user.pk))
        rows = [CardRow(*row) for row in cursor.fetchall()]
    return TimelinePage(number, *checked_page(number, rows, settings.TWEETS_PER_PAGE))


def page_rows_query(timeline: TimelineSql, number: int, viewer_id: int) -> tuple[str, tuple]:
    """The SQL and parameters of page `number` of `timeline` for `viewer_id` (page_rows; `make
    bench` explains it)."""
    size = settings.TWEETS_PER_PAGE
    before, after = _rows_sql_around()
    params = (*timeline.params, size + 1, (number - 1) * size, viewer_id)
    return before + timeline.condition + after, params


def with_likes_of(viewer_id: int, page: TimelinePage) -> TimelinePage:
    """`page` (tweets.cards.CardRow rows built for any viewer) as `viewer_id` sees it: whether
    they like each tweet, read in one query over the page's ids."""
    ids = [row.pk for row in page.object_list]
    liked: set[int] = set()
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(_liked_sql(), (viewer_id, ids))
            liked = {tweet_id for (tweet_id,) in cursor.fetchall()}
    rows = [row._replace(liked_by_viewer=row.pk in liked) for row in page.object_list]
    return TimelinePage(page.number, rows, page.has_next)


@cache
def _liked_sql() -> str:
    tweet, user = (column(Like, field) for field in ("tweet", "user"))
    return f"SELECT {tweet} FROM {table(Like)} WHERE {user} = %s AND {tweet} = ANY(%s)"  # noqa: S608


@cache
def _rows_sql_around() -> tuple[str, str]:
    """What tweets.timelines.tweets_for selects as tweets.cards.ROW_FIELDS, for one page (LIMIT
    and OFFSET parameters) of the tweets meeting a condition put between the two parts. Counted
    with subqueries, as there: likes and replies never multiply each other's rows."""
    user_model = get_user_model()
    tweet, like, user, profile = (table(model) for model in (Tweet, Like, user_model, Profile))
    t_id, t_created, t_author, t_reply_to = (
        f"t.{column(Tweet, field)}" for field in ("id", "created_at", "author", "reply_to")
    )
    like_tweet, like_user = (column(Like, field) for field in ("tweet", "user"))
    user_id = column(user_model, "id")
    # The replied-to author as a scalar subquery rather than two more joins: Postgres plans it
    # in half the time, and planning was most of what the query cost.
    after = f""")
        SELECT {t_id}, {t_created}, {t_author}, u.{column(user_model, "username")},
               p.{column(Profile, "display_name")}, p.{column(Profile, "avatar")}, {t_reply_to},
               (SELECT ru.{column(user_model, "username")} FROM {tweet} rt
                JOIN {user} ru ON ru.{user_id} = rt.{column(Tweet, "author")}
                WHERE rt.{column(Tweet, "id")} = {t_reply_to}),
               t.{column(Tweet, "text")}, t.{column(Tweet, "image")},
               ARRAY(SELECT mu.{column(user_model, "username")} FROM {user} mu
                     WHERE lower(mu.{column(user_model, "username")})
                           = ANY(t.{column(Tweet, "mentions")})
                     ORDER BY 1),
               (SELECT count(*) FROM {like} l WHERE l.{like_tweet} = {t_id}),
               (SELECT count(*) FROM {tweet} r WHERE r.{column(Tweet, "reply_to")} = {t_id}),
               EXISTS (SELECT 1 FROM {like} l WHERE l.{like_tweet} = {t_id} AND l.{like_user} = %s)
        FROM page
        JOIN {tweet} t ON {t_id} = page.id
        JOIN {user} u ON u.{user_id} = {t_author}
        LEFT JOIN {profile} p ON p.{column(Profile, "user")} = {t_author}
        ORDER BY {t_created} DESC, {t_id} DESC"""  # noqa: S608
    before = f"""WITH page(id) AS (
        SELECT {t_id} FROM {tweet} t WHERE ("""  # noqa: S608
    ids_end = f""")
        ORDER BY {t_created} DESC, {t_id} DESC LIMIT %s OFFSET %s"""
    return before, ids_end + after


def decorated(viewer: AbstractBaseUser, ids: Sequence[int]) -> list[Tweet]:
    """The tweets `ids` as their cards show them to `viewer` (annotated), newest first. No
    query when `ids` is empty."""
    if not ids:
        return []
    return list(tweets_for(viewer).filter(pk__in=ids))


def paginate(request: HttpRequest, timeline: QuerySet[Tweet]) -> TimelinePage:
    """The requested page of `timeline` (plain), its tweets annotated for request.user."""
    number, ids, has_next = page_ids(request, timeline)
    return TimelinePage(number, decorated(request.user, ids), has_next)
