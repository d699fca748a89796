"""What a cached page holds for one viewer never reaches another: two viewers ask for the same
pages through two processes (this one and service.tests.other_worker, each with its own caches),
in the opposite order in each, and every page shows its own viewer's header (their @username,
profile link and log-out form), likes, Delete buttons and unread count, whichever of the two
built what the process had cached."""

import re

import pytest
from django.test import Client

from accounts.models import Follow
from tweets.models import Tweet

PATHS = ("/", "/explore/")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.TIMELINE_CACHE_SECONDS = 60
    settings.CARD_CACHE_SECONDS = 60


@pytest.fixture
def viewers(alice, bob, make_user):
    """alice and bob both follow carol, so their home pages hold the same cards."""
    carol = make_user("carol")
    for viewer in (alice, bob):
        Follow.objects.create(follower=viewer, followee=carol)
    return carol


@pytest.fixture
def pages_of(other_worker, alice, bob):
    """Every page of PATHS for each viewer, as each process serves it: in this process alice
    asks first, in the other bob does, so in each one the second viewer is served after the
    first built the page (and anything around it that is cached)."""
    clients = {}
    for user in (alice, bob):
        clients[user.username] = Client()
        clients[user.username].force_login(user)

    def here(username: str, path: str) -> str:
        response = clients[username].get(path)
        assert response.status_code == 200
        return response.content.decode()

    def pages() -> list[tuple[str, str, str]]:
        served = []
        for serve, order in ((here, ("alice", "bob")), (other_worker, ("bob", "alice"))):
            for path in PATHS:
                for username in order:
                    # Twice: the second is served from what the first left in the cache.
                    for _ in range(2):
                        served.append((username, path, serve(username, path)))
        return served

    return pages


def header_of(page: str) -> str:
    match = re.search(r'<header class="topbar">.*?</header>', page, re.S)
    assert match, "the page has no header"
    return match.group(0)


def card_of(page: str, tweet: Tweet) -> str:
    match = re.search(rf'<article class="tweet" id="tweet-{tweet.pk}">.*?</article>', page, re.S)
    assert match, f"tweet {tweet.pk} is not on the page"
    return match.group(0)


OTHER = {"alice": "bob", "bob": "alice"}


def test_the_header_names_the_viewer_who_asked_in_every_process(viewers, pages_of):
    Tweet.objects.create(author=viewers, text="on both home pages")
    tokens: dict[str, set[str]] = {"alice": set(), "bob": set()}
    for username, path, page in pages_of():
        header = header_of(page)
        where = f"{username}'s {path}"
        assert f'<a class="me" href="/u/{username}/">@{username}</a>' in header, where
        assert OTHER[username] not in header, where
        logout = re.search(r'<form[^>]*action="/accounts/logout/".*?</form>', header, re.S)
        assert logout, f"{where} offers no log-out form"
        tokens[username].update(CSRF_INPUT.findall(logout.group(0)))
    # Every log-out form carries a token of its own response, never one served to the other.
    assert tokens["alice"]
    assert tokens["bob"]
    assert tokens["alice"].isdisjoint(tokens["bob"])


def test_likes_and_delete_buttons_are_the_viewers_own_in_every_process(
    alice, bob, viewers, pages_of
):
    carol = viewers
    liked_by_bob = Tweet.objects.create(author=carol, text="bob likes this")
    by_alice = Tweet.objects.create(author=alice, text="alice wrote this")
    Follow.objects.create(follower=bob, followee=alice)
    bob_client = Client()
    bob_client.force_login(bob)
    assert bob_client.post(f"/tweets/{liked_by_bob.pk}/like/").status_code == 302

    for username, path, page in pages_of():
        where = f"{username}'s {path}"
        liked, own = card_of(page, liked_by_bob), card_of(page, by_alice)
        verb = "unlike" if username == "bob" else "like"
        assert f'action="/tweets/{liked_by_bob.pk}/{verb}/"' in liked, where
        assert ("Delete" in own) == (username == "alice"), where
        assert "Delete" not in liked, where


def test_the_unread_count_is_the_viewers_own_in_every_process(alice, bob, viewers, pages_of):
    """A mention of alice is a notification for alice only: her header counts it, bob's does
    not, and the mention links to her profile on every card."""
    mention = Tweet.objects.create(author=viewers, text="hello @alice")

    for username, path, page in pages_of():
        where = f"{username}'s {path}"
        header = header_of(page)
        if username == "alice":
            assert 'aria-label="Notifications, 1 unread"' in header, where
        else:
            assert "unread" not in header, where
        assert '<a class="mention" href="/u/alice/">@alice</a>' in card_of(page, mention), where
