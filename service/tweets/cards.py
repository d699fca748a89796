"""Tweet cards rendered once per tweet and shared by every viewer, their counts filled in per page.

A card shows the tweet (text, image, time, the tweet it answers), its author (username, display
name, avatar), its like and reply counts, and three things that belong to the viewer: whether
they like it (the like or the unlike form), a Delete form on their own tweets, and their CSRF
token and page path in those forms. The shared part is rendered with the template once and kept
in the "cards" cache as the strings between the places that change (Card): the reply count, the
viewer's forms and the like count in them. A page picks the pieces for its viewer, puts in the
counts of its own query and joins them: string work, no template.

The counts change all the time on a busy site (every like), so they are not part of what is
rendered: a like or a reply renders no card, only the page's query reads the new count. The key
of a card is made of the tweet's id and time (an id alone could come back after a restore) and
what the rendered part shows that can change: the tweet it answers (cleared when that one is
deleted) and its author, the author's username, display name and avatar, and which of the
users the text mentions exist (a mention links to its profile only then, tweets.templatetags.
tweet_text; the signup of a mentioned user gives the card a new key and its timelines a new
version, tweets.signals). The timeline query
returns all a card shows in the same row as the tweet id (ROW_FIELDS), so a page knows the key
of every card before reading the cache and renders a missing one from its row: a profile change
makes new keys for that author's cards, a new tweet a card never seen, and only those are
rendered. Old keys are never read again and age out
(CARD_CACHE_SECONDS, MAX_ENTRIES).

Each card carries its own signed image URLs: CARD_CACHE_SECONDS plus twice
TIMELINE_CACHE_SECONDS (a shared explore page is kept that long with its cards, and a viewer's
page built from it that long again) must stay below the signature's lifetime
(`querystring_expire`, config.settings.base), which tests/service/test_cards.py checks.

The per-viewer values go in as placeholders made of a random value drawn when the process
starts, and the counts are rendered as random numbers drawn then too: no tweet text can guess
them, so none can smuggle a token, a path or a count into a page.
"""

import copy
from collections.abc import Iterable, Mapping, Sequence
from hashlib import blake2b
from secrets import randbelow, token_hex
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.html import escape

from accounts.models import Profile
from tweets.models import Tweet
from tweets.templatetags.tweet_counts import replies_label

User = get_user_model()
CACHE_ALIAS = "cards"
_NONCE = token_hex(16)
# Letters and digits only, so template escaping leaves them as they are.
CSRF_SLOT = f"csrf{_NONCE}"
NEXT_SLOT = f"next{_NONCE}"
VIEWER_SLOT = f"viewer{_NONCE}"
# The counts a card is rendered with, found again in the HTML and cut out: 18 random digits.
_RENDERED_LIKES = 10**17 + randbelow(9 * 10**17)
_RENDERED_REPLIES = 10**17 + randbelow(9 * 10**17)

# What the timeline query returns per tweet: all a card shows, so that a page knows the key of
# every card before reading the cache and renders a missing one without another query
# (tweets.pages.page_rows returns the same columns in this order).
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
AUTHOR, KNOWN_MENTIONS, LIKES, REPLIES, LIKED = (
    ROW_FIELDS.index(name)
    for name in ("author_id", "known_mentions", "like_count", "reply_count", "liked_by_viewer")
)


class Card(NamedTuple):
    """A rendered card cut where the counts and the viewer's forms go."""

    before_replies: str  # the card up to its reply count
    before_forms: str  # after the reply count, up to the viewer's forms
    like: str  # the like form up to its count
    like_end: str
    unlike: str  # the unlike form up to its count
    unlike_end: str
    delete: str  # the Delete form, for the author
    after: str  # the rest of the card


def key_of_row(row: Sequence) -> str:
    """The cache key of a row's card: the tweet (its id and time: an id alone could come back
    after a restore) and what its card shows that can change."""
    pk, created_at, _author, username, display_name, avatar, reply_to_id, replied_to = row[:8]
    mentioned = "\0".join(sorted(row[KNOWN_MENTIONS] or ()))
    shown = f"{username}\0{display_name}\0{avatar}\0{replied_to}\0\0{mentioned}"
    digest = blake2b(shown.encode(), digest_size=9).hexdigest()
    return f"card:{pk}:{created_at.timestamp()}:{reply_to_id}:{digest}"


def tweet_of_row(row: Sequence) -> Tweet:
    """The tweet of a row with what its card shows (author, profile, the tweet it answers), as
    unsaved instances: enough for the template, no query."""
    pk, created_at, author_id, username, display_name, avatar, reply_to_id, replied_to = row[:8]
    text, image = row[8:10]
    author = User(id=author_id, username=username)
    author.profile = Profile(user=author, display_name=display_name or "", avatar=avatar or "")
    replied = None
    if reply_to_id is not None:
        replied = Tweet(id=reply_to_id, author=User(username=replied_to or ""))
    tweet = Tweet(
        id=pk, author=author, text=text, image=image, reply_to=replied, created_at=created_at
    )
    tweet.known_mentions = row[KNOWN_MENTIONS]
    return tweet


def _cut(html: str, marker: str, what: str) -> tuple[str, str]:
    # The last occurrence: counts come after the tweet's text in a card.
    head, found, tail = html.rpartition(marker)
    if not found:
        raise RuntimeError(f"the card template no longer shows {what}: tweets.cards cannot cut it")
    return head, tail


def render_card(tweet: Tweet) -> Card:
    """The shared part of one card (tweet_of_row, or a tweet with its author, profile and the
    tweet it answers loaded)."""
    shown = copy.copy(tweet)
    shown.like_count, shown.reply_count = _RENDERED_LIKES, _RENDERED_REPLIES
    html = render_to_string("tweets/_tweet.html", {"tweet": shown, "card_slot": VIEWER_SLOT})
    before, after = _cut(html, VIEWER_SLOT, "the viewer's forms")
    before_replies, before_forms = _cut(before, replies_label(_RENDERED_REPLIES), "a reply count")
    forms = {"tweet": shown, "csrf_token": CSRF_SLOT, "next_path": NEXT_SLOT}
    like, unlike = (
        _cut(
            render_to_string("tweets/_tweet_like.html", {**forms, "liked": liked}),
            str(_RENDERED_LIKES),
            "a like count",
        )
        for liked in (False, True)
    )
    delete = render_to_string("tweets/_tweet_delete.html", forms)
    return Card(before_replies, before_forms, *like, *unlike, delete, after)


def cards_for(rows: Sequence[Sequence]) -> tuple[list[Card], int]:
    """The card of each of `rows` (ROW_FIELDS) and how many had to be rendered: the cached ones
    in one read of the cache, the others rendered from their rows."""
    seconds = settings.CARD_CACHE_SECONDS
    cache = caches[CACHE_ALIAS]
    keys = [key_of_row(row) for row in rows]
    found: dict[str, Card] = cache.get_many(keys) if seconds > 0 else {}
    fresh = {
        key: render_card(tweet_of_row(row))
        for row, key in zip(rows, keys, strict=True)
        if key not in found
    }
    if fresh and seconds > 0:
        cache.set_many(fresh, seconds)
    return [found.get(key) or fresh[key] for key in keys], len(fresh)


def join(rows: Iterable[Sequence], shown: Iterable[Card], viewer_id: int) -> str:
    """The cards of `rows` (ROW_FIELDS, in page order; `shown` from cards_for) as `viewer_id`
    sees them, with the placeholders still in: string work only."""
    parts: list[str] = []
    for row, card in zip(rows, shown, strict=True):
        likes = str(row[LIKES])
        parts += (card.before_replies, replies_label(row[REPLIES]), card.before_forms)
        if row[LIKED]:
            parts += (card.unlike, likes, card.unlike_end)
        else:
            parts += (card.like, likes, card.like_end)
        if row[AUTHOR] == viewer_id:
            parts.append(card.delete)
        parts.append(card.after)
    return "".join(parts)


def per_response(csrf_token: str, full_path: str) -> dict[str, str]:
    """This response's values for the cards' placeholders: its CSRF token and page path."""
    return {NEXT_SLOT: escape(full_path), CSRF_SLOT: csrf_token}


def personalise(html: str, values: Mapping[str, str]) -> str:
    """Put each of this response's values where a cached page keeps its placeholder (nonces
    that no tweet text can name)."""
    for slot, value in values.items():
        html = html.replace(slot, value)
    return html
