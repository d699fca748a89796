"""Generate the benchmark's data set and write it straight into Postgres (COPY, not HTTP).

Run inside the web container's environment with service.bench.settings (service/bench/run.py does
that):

    python -m service.bench.dataset --users 1000 --tweets 50000 --follows 100 --password-env NAME

The shape of the data:
- `users` accounts named bench-user-0001...; all share one password (hashed once), so the load
  generator can sign in as any of them. About one in ten has an avatar.
- A follow graph where a typical user follows `follows` accounts (normally distributed around it,
  popular accounts chosen more often). bench-user-0001 follows exactly `follows`: it is the
  "typical user" whose home timeline is measured.
- `tweets` tweets spread over the last 30 days, authors skewed towards popular accounts; about
  one in ten carries an image (a small pool of real PNGs in the media bucket), one in twenty is a
  reply; about two likes per tweet.

It can grow a data set: run it again with a larger --tweets and it adds only the missing tweets
(and their likes), so queries can be compared at two sizes of the same data. Prints one JSON
line describing what is in the database.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

USERNAME_PREFIX = "bench-user-"
TYPICAL_USER = f"{USERNAME_PREFIX}0001"
IMAGE_POOL = 20
IMAGE_SHARE = 0.10
REPLY_SHARE = 0.05
AVATAR_SHARE = 0.10
MEAN_LIKES_PER_TWEET = 2
# Tweet n (counted from the first ever loaded) is this long after the first one, so a grown data
# set keeps the earlier tweets as the oldest ones.
TWEET_INTERVAL = timedelta(seconds=50)
HISTORY = TWEET_INTERVAL * 52_000  # about a month back from now
WORDS = [
    *("the", "a", "deploy", "fargate", "django", "postgres", "nginx", "tweet", "timeline"),
    *("cache", "query", "index", "latency", "throughput", "worker", "thread", "request"),
    *("cloud", "coffee", "morning", "build", "release", "test", "green", "red", "bug", "fix"),
    *("ship", "today", "tomorrow", "great", "small", "fast", "slow", "happy"),
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--tweets", type=int, default=50_000)
    parser.add_argument("--follows", type=int, default=100, help="follows of a typical user")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--password-env",
        default="BENCH_PASSWORD",
        help="environment variable holding the password every bench user gets",
    )
    args = parser.parse_args(argv)
    if args.follows >= args.users:
        parser.error("--follows must be smaller than --users")
    password = os.environ.get(args.password_env)
    if not password:
        parser.error(f"set {args.password_env} to the password the bench users should have")

    import django

    django.setup()
    summary = load(
        users=args.users,
        tweets=args.tweets,
        follows=args.follows,
        seed=args.seed,
        password=password,
    )
    print(json.dumps(summary), flush=True)
    return 0


def load(*, users: int, tweets: int, follows: int, seed: int, password: str) -> dict:
    from django.db import connection, transaction

    rng = random.Random(seed)
    with transaction.atomic():
        user_ids = _ensure_users(users, follows, rng, password)
        tweet_count = _ensure_tweets(user_ids, tweets, rng)
    with connection.cursor() as cursor:
        # Fresh statistics, or the planner guesses from empty tables right after the load.
        cursor.execute("ANALYZE auth_user, accounts_profile, accounts_follow")
        cursor.execute("ANALYZE tweets_tweet, tweets_like")
    _forget_cached_timelines()
    return _describe(tweet_count)


# --- users, profiles, follows ----------------------------------------------------------------


def _ensure_users(count: int, follows: int, rng: random.Random, password: str) -> list[int]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from accounts.models import Follow, Profile

    user_model = get_user_model()
    existing = list(
        user_model.objects.filter(username__startswith=USERNAME_PREFIX)
        .order_by("username")
        .values_list("pk", flat=True)
    )
    if existing:
        if len(existing) != count:
            raise SystemExit(
                f"the database already holds {len(existing)} bench users, not {count}: "
                "start from an empty data directory to change the number of users"
            )
        return existing

    # One hash for everyone: hashing 1,000 passwords one by one would take minutes.
    hashed = make_password(password)
    joined = datetime.now(UTC) - HISTORY - timedelta(days=1)
    created = user_model.objects.bulk_create(
        user_model(
            username=f"{USERNAME_PREFIX}{n:04d}",
            email=f"{USERNAME_PREFIX}{n:04d}@example.com",
            password=hashed,
            date_joined=joined,
        )
        for n in range(1, count + 1)
    )
    user_ids = [user.pk for user in created]
    avatars = _upload_images("avatars", IMAGE_POOL // 2, rng)
    # bulk_create sends no post_save, so the profiles the signup signal would create come here.
    Profile.objects.bulk_create(
        Profile(
            user_id=pk,
            display_name=f"Bench User {n}",
            avatar=rng.choice(avatars) if rng.random() < AVATAR_SHARE else "",
        )
        for n, pk in enumerate(user_ids, start=1)
    )
    weights = _popularity(len(user_ids))
    rows = []
    for index, follower in enumerate(user_ids):
        # The first user is the typical user: exactly `follows`.
        wanted = follows if index == 0 else round(rng.gauss(follows, follows / 4))
        wanted = max(1, min(len(user_ids) - 1, wanted))
        for followee in _weighted_sample(user_ids, weights, wanted, rng, exclude=follower):
            rows.append((follower, followee, joined))
    _copy(Follow._meta.db_table, ("follower_id", "followee_id", "created_at"), rows)
    return user_ids


def _popularity(count: int) -> list[float]:
    """A long tail: a few accounts are followed (and tweet) much more than most."""
    return [1.0 / (rank + 1) ** 0.7 for rank in range(count)]


def _weighted_sample(
    population: Sequence[int],
    weights: Sequence[float],
    count: int,
    rng: random.Random,
    *,
    exclude: int,
) -> set[int]:
    chosen: set[int] = set()
    while len(chosen) < count:
        for pick in rng.choices(population, weights, k=count - len(chosen)):
            if pick != exclude:
                chosen.add(pick)
                if len(chosen) == count:
                    break
    return chosen


# --- tweets and likes ------------------------------------------------------------------------


def _ensure_tweets(user_ids: list[int], target: int, rng: random.Random) -> int:
    from django.db import connection

    from tweets.models import Like, Tweet

    have = Tweet.objects.count()
    if have >= target:
        return have
    # Continue the same sequence of ids and times, so a grown data set equals a fresh one.
    first_id = (Tweet.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    start = datetime.now(UTC) - HISTORY
    images = _upload_images("tweets", IMAGE_POOL, rng)
    weights = _popularity(len(user_ids))
    authors = rng.choices(user_ids, weights, k=target - have)
    tweets = []
    for offset, author in enumerate(authors):
        number = have + offset
        tweet_id = first_id + offset
        reply_to = None
        if tweet_id > 1 and rng.random() < REPLY_SHARE:
            reply_to = rng.randrange(max(1, tweet_id - 500), tweet_id)
        text = " ".join(rng.choices(WORDS, k=rng.randint(4, 30)))
        image = rng.choice(images) if rng.random() < IMAGE_SHARE else ""
        tweets.append((tweet_id, author, text, image, reply_to, start + TWEET_INTERVAL * number))
    _copy(
        Tweet._meta.db_table,
        ("id", "author_id", "text", "image", "reply_to_id", "created_at"),
        tweets,
    )
    with connection.cursor() as cursor:
        # Rows came with explicit ids: move the sequence past them.
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM tweets_tweet))",
            [Tweet._meta.db_table],
        )
    likes: list[tuple[int, int, object]] = []
    for tweet_id, _author, _text, _image, _reply, created in tweets:
        likers = {rng.choice(user_ids) for _ in range(rng.randint(0, 2 * MEAN_LIKES_PER_TWEET))}
        likes.extend((liker, tweet_id, created) for liker in likers)
    _copy(Like._meta.db_table, ("user_id", "tweet_id", "created_at"), likes)
    return target


def _copy(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """COPY rows into a table: tens of thousands of rows in well under a second."""
    from django.db import connection

    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _upload_images(folder: str, count: int, rng: random.Random) -> list[str]:
    """A few small real PNGs in the media bucket; many rows point at the same objects."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    names = []
    for n in range(count):
        name = f"{folder}/bench/picture-{n:02d}.png"
        if not default_storage.exists(name):
            colour = tuple(rng.randrange(256) for _ in range(3))
            buffer = io.BytesIO()
            Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
            name = default_storage.save(name, ContentFile(buffer.getvalue()))
        names.append(name)
    return names


# --- after the load ----------------------------------------------------------------------------


def _forget_cached_timelines() -> None:
    """Rows written with COPY send no signals: tell the timeline cache everything changed."""
    from tweets import timeline_cache

    timeline_cache.everything_changed()


def _describe(tweet_count: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from accounts.models import Follow
    from tweets.models import Like, Tweet

    user_model = get_user_model()
    typical = user_model.objects.get(username=TYPICAL_USER)
    follow_counts = sorted(
        Follow.objects.values("follower").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    return {
        "users": user_model.objects.filter(username__startswith=USERNAME_PREFIX).count(),
        "tweets": tweet_count,
        "tweets_with_images": Tweet.objects.exclude(image="").count(),
        "replies": Tweet.objects.filter(reply_to__isnull=False).count(),
        "likes": Like.objects.count(),
        "follows": len(follow_counts) and sum(follow_counts),
        "median_follows": follow_counts[len(follow_counts) // 2] if follow_counts else 0,
        "typical_user": TYPICAL_USER,
        "typical_user_follows": Follow.objects.filter(follower=typical).count(),
        "typical_user_timeline_tweets": Tweet.objects.filter(
            author__in=Follow.objects.filter(follower=typical).values("followee")
        ).count()
        + Tweet.objects.filter(author=typical).count(),
    }


if __name__ == "__main__":
    sys.exit(main())
