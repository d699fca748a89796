"""The parent chain of a reply: the tweets it answers, oldest first, in one query.

A chain is walked with a recursive CTE (one statement whatever its length) and stops after
MAX_ANCESTORS tweets: a long argument does not make the page walk it all, and the oldest tweet
shown links further up. A tweet whose parent was deleted starts its own chain (reply_to is
cleared, tweets.models).
https://www.postgresql.org/docs/15/queries-with.html#QUERIES-WITH-RECURSIVE
"""

from functools import cache

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection

from core.sql import column, table
from tweets.models import Tweet
from tweets.timelines import tweets_for

MAX_ANCESTORS = 20


@cache
def _ancestors_sql() -> str:
    tweet, pk, parent = table(Tweet), column(Tweet, "id"), column(Tweet, "reply_to")
    return f"""WITH RECURSIVE chain(id, parent, depth) AS (
        SELECT {pk}, {parent}, 1 FROM {tweet} WHERE {pk} = %s
        UNION ALL
        SELECT t.{pk}, t.{parent}, chain.depth + 1 FROM {tweet} t
        JOIN chain ON t.{pk} = chain.parent
        WHERE chain.depth < %s)
    SELECT id FROM chain ORDER BY depth DESC"""  # noqa: S608 (names from the model)


def ancestor_ids(tweet: Tweet, limit: int = MAX_ANCESTORS) -> list[int]:
    """The ids of the tweets `tweet` answers, oldest first, at most `limit`: one query, none
    for a tweet that answers nothing."""
    if tweet.reply_to_id is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_ancestors_sql(), (tweet.reply_to_id, limit))
        return [pk for (pk,) in cursor.fetchall()]


def ancestors(viewer: AbstractBaseUser, tweet: Tweet) -> list[Tweet]:
    """The parent chain of `tweet` as its cards show it to `viewer`, oldest first: two
    queries (the chain's ids, then the cards), none for a tweet that answers nothing."""
    ids = ancestor_ids(tweet)
    if not ids:
        return []
    found = {t.pk: t for t in tweets_for(viewer).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]
