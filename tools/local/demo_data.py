"""A small, lived-in site for the browser checks and the screenshots: people with display names,
bios and avatars, tweets with images, replies and follows, made through the site's own forms
(tools.local.client), as a person would make them.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass, field

from PIL import Image

from tools.local.client import SiteClient

TWEET_LINK = re.compile(r'href="/tweets/(\d+)/"')


def newest_tweet_id(page: str, whose: str) -> int:
    """The first tweet a profile page links to: the newest, as the profile lists them."""
    found = TWEET_LINK.search(page)
    if found is None:
        raise AssertionError(f"{whose}'s profile links to no tweet")
    return int(found.group(1))


@dataclass
class Person:
    username: str
    password: str
    client: SiteClient
    tweet_ids: list[int] = field(default_factory=list)


@dataclass
class DemoSite:
    """Who is on the seeded site: `reader` follows `writer`, both tweet and reply."""

    reader: Person
    writer: Person
    reply_id: int  # a reply by `reader` to one of `writer`'s tweets


def png(width: int, height: int, colour: tuple[int, int, int]) -> tuple[str, bytes, str]:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return ("picture.png", buffer.getvalue(), "image/png")


def _person(base_url: str, prefix: str, name: str, bio: str, colour) -> Person:
    suffix = uuid.uuid4().hex[:6]
    username, password = f"{prefix}{suffix}", f"Pw-{uuid.uuid4().hex}"
    client = SiteClient(base_url)
    client.sign_up(username, f"{username}@example.test", password)
    client.log_in(username, password)
    saved = client.post(
        "/accounts/profile/",
        {"display_name": name, "bio": bio},
        files={"avatar": png(96, 96, colour)},
    )
    assert saved.status_code in (302, 303), f"profile of {username}: {saved.status_code}"
    return Person(username, password, client)


def _tweet(person: Person, text: str, **kwargs) -> int:
    posted = person.client.post_tweet(text, **kwargs)
    assert posted.status_code in (302, 303), f"tweet by {person.username}: {posted.status_code}"
    newest = person.client.get(f"/u/{person.username}/")
    tweet_id = newest_tweet_id(newest.text, person.username)
    person.tweet_ids.append(tweet_id)
    return tweet_id


def seed(base_url: str) -> DemoSite:
    writer = _person(base_url, "alice", "Alice Liddell", "Curiouser and curiouser.", (30, 90, 200))
    reader = _person(base_url, "bob", "Bob", "Reads more than he writes.", (200, 90, 30))
    _tweet(writer, "Good morning! The tea is on.")
    photo = _tweet(writer, "A picture of the garden today.", image=png(320, 200, (40, 160, 90)))
    _tweet(writer, "A long word that must wrap: " + "supercalifragilistic" * 4)
    followed = reader.client.post(
        f"/u/{writer.username}/follow/", {"next": "/"}, form_path=f"/u/{writer.username}/"
    )
    assert followed.status_code in (302, 303), f"follow: {followed.status_code}"
    _tweet(reader, "Hello, I am new here.")
    reply = reader.client.post(
        "/tweets/",
        {"text": "What a lovely garden.", "reply_to": str(photo)},
        form_path=f"/tweets/{photo}/",
    )
    assert reply.status_code in (302, 303), f"reply: {reply.status_code}"
    reply_id = newest_tweet_id(reader.client.get(f"/u/{reader.username}/").text, reader.username)
    liked = reader.client.post(
        f"/tweets/{photo}/like/", {"next": "/"}, form_path=f"/tweets/{photo}/"
    )
    assert liked.status_code in (302, 303), f"like: {liked.status_code}"
    # A mention (the reader's first notification), a hashtag page and a link to follow.
    _tweet(
        writer,
        f"Welcome, @{reader.username}! Tea in the #garden at four: https://www.djangoproject.com/",
    )
    return DemoSite(reader=reader, writer=writer, reply_id=reply_id)
