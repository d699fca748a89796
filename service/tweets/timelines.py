"""The timelines, in three forms:
- plain (`home_tweets`, `explore_tweets`, `profile_tweets`): which tweets, a filter with nothing
  computed per tweet, for finding a page's ids (tweets.pages);
- the same filter as SQL (`home_sql`, `explore_sql`) for the two cached timelines, whose page is
  built on nearly every request of a busy site: building and compiling the queryset cost more
  Python time than Postgres spends on the ids. service/tests/test_pages.py holds each page of
  them to the plain form's;
- decorated (`tweets_for`; `home_timeline` for the tests and the benchmark): ONE query however
  long the page: authors, their profiles (avatars), the tweet a reply answers, like and reply
  counts and whether the viewer liked each tweet all come back in the same row. Counting with
  subqueries rather than JOIN + COUNT keeps likes and replies from multiplying each other's
  rows. Pages apply it to their own ids only: the subqueries run for fifty tweets, not for the
  timeline.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower

from accounts.models import Follow
from core.sql import column, table
from tweets.models import Like, Tweet


def _count_of(model_queryset: QuerySet, field: str) -> Coalesce:
    counted = (
        model_queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# Newest first; ties (a bulk load) broken by id so pages never overlap. Index tweet_newest.
NEWEST_FIRST = ("-created_at", "-id")


class _EqualsAny(Func):
    """`a = ANY(b)`: the exact lookup would put the ANY in parentheses, which Postgres refuses."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


def known_mentions() -> ArraySubquery:
    """The usernames of the users a tweet mentions, sorted: the mentions its card links (a
    subquery over the unique index on lower(username), the case `mentions` holds, in the
    tweet's row; tweets.tokens.mention_key)."""
    users = get_user_model().objects.filter(_EqualsAny(Lower("username"), OuterRef("mentions")))
    return ArraySubquery(users.order_by("username").values("username"))


def tweets_for(viewer: AbstractBaseUser) -> QuerySet[Tweet]:
    """Every tweet, decorated with what a tweet card shows to `viewer`, newest first."""
    return (
        Tweet.objects.select_related("author__profile", "reply_to__author")
        .annotate(
            known_mentions=known_mentions(),
            like_count=_count_of(Like.objects.all(), "tweet"),
            reply_count=_count_of(Tweet.objects.all(), "reply_to"),
            liked_by_viewer=Exists(Like.objects.filter(tweet=OuterRef("pk"), user=viewer.pk)),
        )
        .order_by(*NEWEST_FIRST)
    )


def _on_home_timeline(viewer: AbstractBaseUser) -> Q:
    """The viewer's own tweets and those of everyone they follow."""
    followed = Follow.objects.filter(follower=viewer.pk).values("followee")
    return Q(author=viewer.pk) | Q(author__in=followed)


def home_tweets(viewer: AbstractBaseUser) -> QuerySet[Tweet]:
    return Tweet.objects.filter(_on_home_timeline(viewer)).order_by(*NEWEST_FIRST)


def profile_tweets(author: AbstractBaseUser) -> QuerySet[Tweet]:
    return Tweet.objects.filter(author=author.pk).order_by(*NEWEST_FIRST)


def explore_tweets() -> QuerySet[Tweet]:
    return Tweet.objects.order_by(*NEWEST_FIRST)


def home_timeline(viewer: AbstractBaseUser) -> QuerySet[Tweet]:
    return tweets_for(viewer).filter(_on_home_timeline(viewer))


@dataclass(frozen=True)
class TimelineSql:
    """Which tweets a timeline holds, as a condition on the tweet table aliased `t`."""

    condition: str
    params: tuple = ()


def home_sql(viewer_id: int) -> TimelineSql:
    """home_tweets: the viewer's own tweets and those of everyone they follow."""
    return TimelineSql(_home_condition(), (viewer_id, viewer_id))


@cache
def _home_condition() -> str:
    # Written once per process: the views ask for it on every request, cached page or not.
    author = column(Tweet, "author")
    followee, follower = (column(Follow, field) for field in ("followee", "follower"))
    followed = f"SELECT {followee} FROM {table(Follow)} WHERE {follower} = %s"  # noqa: S608
    return f"t.{author} = %s OR t.{author} IN ({followed})"


def explore_sql() -> TimelineSql:
    """explore_tweets: every tweet."""
    return TimelineSql("TRUE")
