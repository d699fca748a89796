"""The timelines, each ONE query however long the page: authors, their profiles (avatars), the
tweet a reply answers, like and reply counts and whether the viewer liked each tweet all come
back in the same row. Counting with subqueries rather than JOIN + COUNT keeps likes and replies
from multiplying each other's rows."""

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


def tweets_for(viewer: AbstractBaseUser) -> QuerySet[Tweet]:
    """Every tweet, decorated with what a tweet card shows to `viewer`, newest first."""
    return (
        Tweet.objects.select_related("author__profile", "reply_to__author")
        .annotate(
            like_count=_count_of(Like.objects.all(), "tweet"),
            reply_count=_count_of(Tweet.objects.all(), "reply_to"),
            liked_by_viewer=Exists(Like.objects.filter(tweet=OuterRef("pk"), user=viewer.pk)),
        )
        .order_by("-created_at", "-id")
    )


def home_timeline(viewer: AbstractBaseUser) -> QuerySet[Tweet]:
    """The viewer's own tweets and those of everyone they follow."""
    followed = Follow.objects.filter(follower=viewer.pk).values("followee")
    return tweets_for(viewer).filter(Q(author=viewer.pk) | Q(author__in=followed))


def profile_timeline(viewer: AbstractBaseUser, author: AbstractBaseUser) -> QuerySet[Tweet]:
    return tweets_for(viewer).filter(author=author.pk)


def explore_timeline(viewer: AbstractBaseUser) -> QuerySet[Tweet]:
    return tweets_for(viewer)
