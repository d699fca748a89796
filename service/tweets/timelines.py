"""The timelines, in two forms:
- plain (`home_tweets`, `explore_tweets`, `profile_tweets`): which tweets, a filter with nothing
  computed per tweet, for finding a page's ids (tweets.pages);
- decorated (`tweets_for` and the `*_timeline` functions): ONE query however long the page:
  authors, their profiles (avatars), the tweet a reply answers, like and reply counts and
  whether the viewer liked each tweet all come back in the same row. Counting with subqueries
  rather than JOIN + COUNT keeps likes and replies from multiplying each other's rows. Pages
  apply it to their own ids only: the subqueries run for fifty tweets, not for the timeline.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import Follow
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


def tweets_for(viewer: AbstractBaseUser) -> QuerySet[Tweet]:
    """Every tweet, decorated with what a tweet card shows to `viewer`, newest first."""
    return (
        Tweet.objects.select_related("author__profile", "reply_to__author")
        .annotate(
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


def profile_timeline(viewer: AbstractBaseUser, author: AbstractBaseUser) -> QuerySet[Tweet]:
    return tweets_for(viewer).filter(author=author.pk)


def explore_timeline(viewer: AbstractBaseUser) -> QuerySet[Tweet]:
    return tweets_for(viewer)
