"""Tweet cards rendered once per version of the tweet and shared by every viewer.

A card shows the tweet (text, image, time, the tweet it answers), its author (username, display
name, avatar), its like and reply counts, and three things that belong to the viewer: whether
they like it (the like or the unlike form), a Delete form on their own tweets, and their CSRF
token and page path in those forms. The shared part is rendered with the template once and kept
in the "cards" cache as five strings: the card before the viewer's forms, the like form, the
unlike form, the Delete form, the card after them. A page picks the pieces for its viewer and
joins them: string work, no template.

The key of a card is made of the tweet's id and time (an id alone could come back after a
restore) and everything the shared part shows that can change: the like and reply counts, the
tweet it answers (cleared when that one is deleted), the author's username, display name and
avatar. The timeline query returns these in the same row as the tweet id
(ROW_FIELDS), so a page knows the key of every card before reading the cache: a like makes a new
key for that one card, a profile change new keys for that author's cards, and only those are
rendered again. Old keys are never read again and age out (CARD_CACHE_SECONDS, MAX_ENTRIES).

Each card carries its own signed image URLs: CARD_CACHE_SECONDS plus TIMELINE_CACHE_SECONDS (a
page assembled from a card is cached that long) must stay below the signature's lifetime
(`querystring_expire`, config.settings.base), which tests/service/test_cards.py checks.

The per-viewer values go in as placeholders made of a random value drawn when the process
starts: no tweet text can guess it, so none can smuggle a token or path into a page.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from hashlib import blake2b
from secrets import token_hex

from django.conf import settings
from django.core.cache import caches
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.html import escape

from tweets.models import Tweet

CACHE_ALIAS = "cards"
_NONCE = token_hex(16)
# Letters and digits only, so template escaping leaves them as they are.
CSRF_SLOT = f"csrf{_NONCE}"
NEXT_SLOT = f"next{_NONCE}"
VIEWER_SLOT = f"viewer{_NONCE}"

# What the timeline query returns per tweet to pick (or render) its card for a viewer.
ROW_FIELDS = (
    "pk",
    "created_at",
    "author_id",
    "author__username",
    "author__profile__display_name",
    "author__profile__avatar",
    "reply_to_id",
    "like_count",
    "reply_count",
    "liked_by_viewer",
)
AUTHOR, LIKED = ROW_FIELDS.index("author_id"), ROW_FIELDS.index("liked_by_viewer")
Card = tuple[str, str, str, str, str]  # before, like form, unlike form, Delete form, after


def card_key(
    pk: int,
    created_at: datetime,
    username: str,
    display_name: str,
    avatar: str,
    reply_to_id: int | None,
    like_count: int,
    reply_count: int,
) -> str:
    author = blake2b(f"{username}\0{display_name}\0{avatar}".encode(), digest_size=9).hexdigest()
    return f"card:{pk}:{created_at.timestamp()}:{like_count}:{reply_count}:{reply_to_id}:{author}"


def key_of_row(row: Sequence) -> str:
    pk, created_at, _author, username, display_name, avatar, reply_to_id, likes, replies, _ = row
    return card_key(
        pk, created_at, username, display_name, avatar or "", reply_to_id, likes, replies
    )


def key_of_tweet(tweet: Tweet) -> str:
    profile = tweet.author.profile
    return card_key(
        tweet.pk,
        tweet.created_at,
        tweet.author.username,
        profile.display_name,
        profile.avatar.name or "",
        tweet.reply_to_id,
        tweet.like_count,
        tweet.reply_count,
    )


def render_card(tweet: Tweet) -> Card:
    """The shared part of one card, from a tweet of tweets.timelines (annotated)."""
    html = render_to_string("tweets/_tweet.html", {"tweet": tweet, "card_slot": VIEWER_SLOT})
    before, after = html.split(VIEWER_SLOT)
    forms = {"tweet": tweet, "csrf_token": CSRF_SLOT, "next_path": NEXT_SLOT}
    return (
        before,
        render_to_string("tweets/_tweet_like.html", {**forms, "liked": False}),
        render_to_string("tweets/_tweet_like.html", {**forms, "liked": True}),
        render_to_string("tweets/_tweet_delete.html", forms),
        after,
    )


def assemble(rows: Iterable[Sequence], viewer_id: int, tweets: QuerySet[Tweet]) -> tuple[str, int]:
    """The cards of `rows` (ROW_FIELDS, in page order) as `viewer_id` sees them, with the
    placeholders still in, and how many cards had to be rendered. `tweets` is the timeline's
    queryset (tweets.timelines), used to load the tweets whose card is not cached: one query."""
    rows = list(rows)
    seconds = settings.CARD_CACHE_SECONDS
    cache = caches[CACHE_ALIAS]
    keys = [key_of_row(row) for row in rows]
    found: dict[str, Card] = cache.get_many(keys) if seconds > 0 else {}
    missing = [row[0] for row, key in zip(rows, keys, strict=True) if key not in found]
    rendered: dict[int, Card] = {}
    if missing:
        fresh: dict[str, Card] = {}
        for tweet in tweets.filter(pk__in=missing):
            # Keyed by what was rendered: should the tweet have changed since the page's query,
            # the card is stored under its new key, never under the old one.
            card = render_card(tweet)
            rendered[tweet.pk] = card
            fresh[key_of_tweet(tweet)] = card
        if seconds > 0:
            cache.set_many(fresh, seconds)
    parts: list[str] = []
    for row, key in zip(rows, keys, strict=True):
        card = found.get(key) or rendered.get(row[0])
        if card is None:
            continue  # deleted between the two queries
        before, like, unlike, delete, after = card
        parts.append(before)
        parts.append(unlike if row[LIKED] else like)
        if row[AUTHOR] == viewer_id:
            parts.append(delete)
        parts.append(after)
    return "".join(parts), len(rendered)


def personalise(html: str, csrf_token: str, full_path: str) -> str:
    """Put this response's CSRF token and page path where the placeholders are."""
    return html.replace(NEXT_SLOT, escape(full_path)).replace(CSRF_SLOT, csrf_token)
