"""The cards of a cached timeline page, each part rendered once per key of what it shows.

How the cached timeline pages fit together is explained once, in docs/DESIGN.md ("Timelines
on a busy site"): this module holds the row a page query returns per tweet (CardRow) and the
cache of the two parts of a card: its body, the same for every viewer
(templates/tweets/_tweet_body.html), and its actions (templates/tweets/_tweet_actions.html).
"""

from collections.abc import Sequence
from datetime import datetime
from hashlib import blake2b
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from accounts.models import Profile
from tweets import page_slots
from tweets.models import Tweet

User = get_user_model()
CACHE_ALIAS = "cards"

# The ORM names of CardRow's fields, in its order: tweets.timelines.tweets_for(...)
# .values_list(*ROW_FIELDS) returns what tweets.pages.page_rows does in SQL.
ROW_FIELDS = (
    "pk",
    "created_at",
    "author_id",
    "author__username",
    "author__profile__display_name",
    "author__profile__avatar",
    "reply_to_id",
    "reply_to__author__username",
    "text",
    "image",
    "known_mentions",
    "like_count",
    "reply_count",
    "liked_by_viewer",
)


class CardRow(NamedTuple):
    """One tweet of a timeline page as its query returns it (ROW_FIELDS): all its card shows,
    so that a page knows every card's key before it reads the cache and renders a missing body
    without another query."""

    pk: int
    created_at: datetime
    author_id: int
    author_username: str
    author_display_name: str | None
    author_avatar: str | None
    reply_to_id: int | None
    replied_to_username: str | None  # None once the tweet answered is deleted
    text: str
    image: str
    known_mentions: list[str] | None  # the mentioned usernames that belong to a user
    like_count: int
    reply_count: int
    liked_by_viewer: bool


def key_of_row(row: CardRow) -> str:
    """The cache key of a row's body: the tweet (its id and time: an id alone could come back
    after a restore) and what its body shows that can change."""
    mentioned = "\0".join(sorted(row.known_mentions or ()))
    shown = "\0".join(
        str(part)
        for part in (
            row.author_username,
            row.author_display_name,
            row.author_avatar,
            row.replied_to_username,
            mentioned,
        )
    )
    digest = blake2b(shown.encode(), digest_size=9).hexdigest()
    return f"card:{row.pk}:{row.created_at.timestamp()}:{row.reply_to_id}:{digest}"


def tweet_of_row(row: CardRow) -> Tweet:
    """The tweet of a row with what its body shows (author, profile, the tweet it answers), as
    unsaved instances: enough for the template, no query."""
    author = User(id=row.author_id, username=row.author_username)
    author.profile = Profile(
        user=author, display_name=row.author_display_name or "", avatar=row.author_avatar or ""
    )
    replied = None
    if row.reply_to_id is not None:
        replied = Tweet(id=row.reply_to_id, author=User(username=row.replied_to_username or ""))
    tweet = Tweet(
        id=row.pk,
        author=author,
        text=row.text,
        image=row.image,
        reply_to=replied,
        created_at=row.created_at,
    )
    tweet.known_mentions = row.known_mentions
    return tweet


def render_body(tweet: Tweet) -> SafeString:
    """The body of one card (tweet_of_row, or a tweet with its author, profile and the tweet it
    answers loaded)."""
    return render_to_string("tweets/_tweet_body.html", {"tweet": tweet})


def actions_key(row: CardRow, viewer_id: int, path_digest: str) -> str:
    """The cache key of a row's actions as `viewer_id` sees them on the page whose path has
    `path_digest`: the counts, whether the viewer likes the tweet and whether they wrote it."""
    own = int(row.author_id == viewer_id)
    liked = int(row.liked_by_viewer)
    return f"actions:{row.pk}:{row.like_count}:{row.reply_count}:{liked}:{own}:{path_digest}"


def render_actions(row: CardRow, request: HttpRequest) -> SafeString:
    """The actions of one card for request.user on request's page, with the CSRF token's
    placeholder (tweets.page_slots) in its forms."""
    context = {"tweet": row, "request": request, "csrf_token": page_slots.CSRF}
    return render_to_string("tweets/_tweet_actions.html", context)


def page_cards(rows: Sequence[CardRow], request: HttpRequest, path_digest: str) -> tuple[str, int]:
    """The cards of `rows` (in page order) as request.user sees them on the page whose path has
    `path_digest`, and how many bodies had to be rendered: every cached part in one read of the
    cache, the others rendered from their rows (a like renders one card's actions, no body)."""
    seconds = settings.CARD_CACHE_SECONDS
    cache = caches[CACHE_ALIAS]
    body_keys = [key_of_row(row) for row in rows]
    action_keys = [actions_key(row, request.user.pk, path_digest) for row in rows]
    found: dict[str, str] = cache.get_many(body_keys + action_keys) if seconds > 0 else {}
    fresh_bodies = {
        key: render_body(tweet_of_row(row))
        for row, key in zip(rows, body_keys, strict=True)
        if key not in found
    }
    fresh = {
        **fresh_bodies,
        **{
            key: render_actions(row, request)
            for row, key in zip(rows, action_keys, strict=True)
            if key not in found
        },
    }
    if fresh and seconds > 0:
        cache.set_many(fresh, seconds)
    found.update(fresh)
    # The same markup as templates/tweets/_tweet.html, which renders a card whole.
    html = "".join(
        f'<article class="tweet" id="tweet-{row.pk}">\n{found[body]}\n{found[actions]}\n</article>'
        for row, body, actions in zip(rows, body_keys, action_keys, strict=True)
    )
    return html, len(fresh_bodies)
