"""Notifications written as their causes are, in the same transaction (notifications.signals).

Each write path gains at most one statement: a tweet's reply and mention notifications are ONE
INSERT ... SELECT (none at all for a tweet that neither replies nor mentions), a like or a follow
one INSERT, an unlike or an unfollow one DELETE. ON CONFLICT DO NOTHING against the model's
unique constraints keeps a notification from being written twice.

Mentions are what tweets.tokens finds (the same tokens the rendered text links), in any case
(tweets.tokens.mention_key, through the index on lower(username)), of users who exist and are
active, never the author. A reply that also mentions the author it answers is one
notification, the reply.

An unlike or an unfollow deletes the notification while it is unread: the recipient never saw
it, so the count drops back as if nothing happened. Once seen it stays, and liking (following)
again finds it and adds nothing: toggling cannot notify anyone twice.
https://www.postgresql.org/docs/15/sql-insert.html#SQL-ON-CONFLICT
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection

from accounts.models import Follow
from core.sql import column, table
from notifications.models import Notification
from tweets.models import Like, Tweet
from tweets.tokens import mentioned_usernames

Kind = Notification.Kind


def tweet_posted(tweet: Tweet) -> None:
    """A reply notifies the author it answers; a mention notifies who it names."""
    names = mentioned_usernames(tweet.text)
    replied = tweet.reply_to.author_id if tweet.reply_to_id else None
    if not names and replied is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _tweet_sql(),
            [tweet.author_id, replied, tweet.pk, tweet.created_at, replied, names, tweet.author_id],
        )


def _notify_once(**fields: object) -> None:
    """One INSERT; a notification of the same cause that already exists is left as it is (the
    model's unique constraints), so liking or following again notifies no one twice."""
    Notification.objects.bulk_create([Notification(**fields)], ignore_conflicts=True)


def liked(like: Like) -> None:
    author_id = like.tweet.author_id
    if author_id == like.user_id:
        return
    _notify_once(
        recipient_id=author_id,
        actor_id=like.user_id,
        kind=Kind.LIKE,
        tweet_id=like.tweet_id,
        created_at=like.created_at,
    )


def unliked(like: Like) -> None:
    Notification.objects.filter(
        kind=Kind.LIKE, actor=like.user_id, tweet=like.tweet_id, read=False
    ).delete()


def followed(follow: Follow) -> None:
    _notify_once(
        recipient_id=follow.followee_id,
        actor_id=follow.follower_id,
        kind=Kind.FOLLOW,
        created_at=follow.created_at,
    )


def unfollowed(follow: Follow) -> None:
    Notification.objects.filter(
        kind=Kind.FOLLOW, actor=follow.follower_id, recipient=follow.followee_id, read=False
    ).delete()


@cache
def _tweet_sql() -> str:
    user = get_user_model()
    user_id = column(user, "id")
    fields = ("recipient", "actor", "kind", "tweet", "created_at", "read")
    columns = ", ".join(column(Notification, field) for field in fields)
    return (
        f"INSERT INTO {table(Notification)} ({columns})"  # noqa: S608 (names from the models)
        f" SELECT u.{user_id}, %s,"
        f" CASE WHEN u.{user_id} = %s THEN '{Kind.REPLY.value}' ELSE '{Kind.MENTION.value}' END,"
        f" %s, %s, FALSE"
        f" FROM {table(user)} u"
        f" WHERE (u.{user_id} = %s OR lower(u.{column(user, 'username')}) = ANY(%s))"
        f" AND u.{user_id} <> %s AND u.{column(user, 'is_active')}"
        f" ON CONFLICT DO NOTHING"
    )
