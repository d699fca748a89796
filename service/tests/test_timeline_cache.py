"""Cached timelines (tweets.timeline_cache) are served again only while nothing they show has
changed: a post, a like, an unlike, a reply, a delete, a follow or a profile change by anyone on
the page shows on the very next request."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Follow, Profile
from tweets import page_slots
from tweets.models import Like, Tweet

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def timeline_cache_on(settings):
    settings.TIMELINE_CACHE_SECONDS = 60


@pytest.fixture
def carol(make_user):
    return make_user("carol")


def client_for(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def page_of(client: Client, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def alice_follows_bob(alice, bob):
    Follow.objects.create(follower=alice, followee=bob)


def test_a_timeline_seen_again_is_served_from_the_cache(
    alice_client, alice, bob, alice_follows_bob
):
    Tweet.objects.create(author=bob, text="from bob")
    first = page_of(alice_client)
    with CaptureQueriesContext(connection) as again:
        second = page_of(alice_client)

    assert "from bob" in first
    assert "from bob" in second
    statements = " ".join(query["sql"] for query in again.captured_queries)
    assert "tweets_tweet" not in statements, "the second view ran the timeline query again"
    # The session, then the user with the timeline's version (tweets.backends): nothing else.
    assert len(again.captured_queries) == 2, statements
    for slot in (page_slots.CSRF, page_slots.NOTIFICATIONS):
        assert slot not in second


def test_a_new_account_is_signed_in_through_the_versioned_backend(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "dora",
            "email": "dora@example.com",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
        follow=True,  # the welcome message is shown (and used up) on the page signup leads to
    )
    assert response.status_code == 200
    page_of(client)
    with CaptureQueriesContext(connection) as again:
        page_of(client)
    statements = " ".join(query["sql"] for query in again.captured_queries)
    # The same two statements as any returning user: the session, the user with the versions.
    assert len(again.captured_queries) == 2, statements


def test_a_session_of_the_plain_model_backend_reads_the_version_itself(alice, bob):
    """Sessions made elsewhere may name Django's ModelBackend, whose users carry no versions."""
    Follow.objects.create(follower=alice, followee=bob)
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert "from the plain backend" not in page_of(client)

    client_for(bob).post("/tweets/", {"text": "from the plain backend"})

    assert "from the plain backend" in page_of(client)


def test_a_tweet_by_someone_you_follow_shows_at_once(alice_client, bob, alice_follows_bob):
    assert "fresh news" not in page_of(alice_client)

    response = client_for(bob).post("/tweets/", {"text": "fresh news"})

    assert response.status_code == 302
    assert "fresh news" in page_of(alice_client)


def test_a_tweet_by_someone_you_do_not_follow_stays_off_your_home_timeline(alice_client, carol):
    page_of(alice_client)
    client_for(carol).post("/tweets/", {"text": "not for alice's home"})
    assert "not for alice&#x27;s home" not in page_of(alice_client)
    assert "not for alice&#x27;s home" in page_of(alice_client, "/explore/")


def test_your_like_and_unlike_show_at_once(alice_client, bob, alice_follows_bob):
    tweet = Tweet.objects.create(author=bob, text="like me")
    assert 'class="liked"' not in page_of(alice_client)

    alice_client.post(f"/tweets/{tweet.pk}/like/")
    assert 'class="liked">&#9829; 1<' in page_of(alice_client)

    alice_client.post(f"/tweets/{tweet.pk}/unlike/")
    page = page_of(alice_client)
    assert 'class="liked"' not in page
    assert "&#9825; 0<" in page


def test_someone_elses_like_updates_the_count_you_see(alice_client, bob, carol, alice_follows_bob):
    tweet = Tweet.objects.create(author=bob, text="popular")
    assert "&#9825; 0<" in page_of(alice_client)

    client_for(carol).post(f"/tweets/{tweet.pk}/like/")

    assert "&#9825; 1<" in page_of(alice_client)
    assert Like.objects.filter(tweet=tweet).count() == 1


def test_a_reply_updates_the_reply_count_you_see(alice_client, bob, carol, alice_follows_bob):
    tweet = Tweet.objects.create(author=bob, text="question?")
    assert "0 replies" in page_of(alice_client)

    client_for(carol).post("/tweets/", {"text": "answer", "reply_to": tweet.pk})

    assert "1 reply" in page_of(alice_client)


def test_a_deleted_tweet_disappears_at_once(alice_client, bob, alice_follows_bob):
    tweet = Tweet.objects.create(author=bob, text="regrettable")
    assert "regrettable" in page_of(alice_client)
    assert "regrettable" in page_of(alice_client, "/explore/")

    client_for(bob).post(f"/tweets/{tweet.pk}/delete/")

    assert "regrettable" not in page_of(alice_client)
    assert "regrettable" not in page_of(alice_client, "/explore/")


def test_following_and_unfollowing_changes_your_timeline_at_once(alice_client, carol):
    Tweet.objects.create(author=carol, text="carol speaks")
    assert "carol speaks" not in page_of(alice_client)

    alice_client.post("/u/carol/follow/")
    assert "carol speaks" in page_of(alice_client)

    alice_client.post("/u/carol/unfollow/")
    assert "carol speaks" not in page_of(alice_client)


def test_a_new_display_name_shows_on_the_cards_at_once(alice_client, bob, alice_follows_bob):
    Tweet.objects.create(author=bob, text="hi")
    assert "Robert Tables" not in page_of(alice_client)

    profile = Profile.objects.get(user=bob)
    profile.display_name = "Robert Tables"
    profile.save()

    assert "Robert Tables" in page_of(alice_client)


def test_a_new_avatar_shows_on_home_and_explore_at_once(alice_client, bob, alice_follows_bob):
    Tweet.objects.create(author=bob, text="with a face")
    for path in ("/", "/explore/"):
        assert "avatars/bob-new.png" not in page_of(alice_client, path)

    profile = Profile.objects.get(user=bob)
    profile.avatar = "avatars/bob-new.png"
    profile.save()

    for path in ("/", "/explore/"):
        assert "avatars/bob-new.png" in page_of(alice_client, path)


def test_each_viewer_gets_their_own_page(alice, bob):
    Tweet.objects.create(author=alice, text="alice's own")
    alice_explore = page_of(client_for(alice), "/explore/")
    bob_explore = page_of(client_for(bob), "/explore/")

    # Only the author is offered Delete: a page cached for one must not reach the other.
    assert "Delete" in alice_explore
    assert "Delete" not in bob_explore


def test_a_cached_page_carries_a_fresh_valid_csrf_token(alice, bob, alice_follows_bob):
    tweet = Tweet.objects.create(author=bob, text="like me safely")
    client = client_for(alice, enforce_csrf_checks=True)
    first = CSRF_INPUT.findall(page_of(client))
    second = CSRF_INPUT.findall(page_of(client))
    assert first
    assert second
    # Every response masks the token anew, as Django does without a cache.
    assert set(first).isdisjoint(second)

    response = client.post(f"/tweets/{tweet.pk}/like/", {"csrfmiddlewaretoken": second[-1]})

    assert response.status_code == 302
    assert Like.objects.filter(user=alice, tweet=tweet).exists()


def test_a_cached_page_follows_a_new_csrf_secret(alice, bob, alice_follows_bob):
    """Signing in rotates the CSRF secret (and a browser may lose its cookie): the forms of a page
    rendered under the old secret must carry the new one."""
    tweet = Tweet.objects.create(author=bob, text="after login")
    client = client_for(alice, enforce_csrf_checks=True)
    page_of(client)  # cached while the old secret was in use
    old_secret = client.cookies["csrftoken"].value
    del client.cookies["csrftoken"]

    token = CSRF_INPUT.findall(page_of(client))[-1]
    assert client.cookies["csrftoken"].value != old_secret
    response = client.post(f"/tweets/{tweet.pk}/like/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302


def test_a_one_off_message_is_shown_once_and_never_cached(client, bob):
    Tweet.objects.create(author=bob, text="welcome aboard")
    response = client.post(
        "/accounts/signup/",
        {
            "username": "dora",
            "email": "dora@example.com",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/explore/"

    first = page_of(client, "/explore/")
    again = page_of(client, "/explore/")

    assert "Welcome!" in first
    assert "Welcome!" not in again
    assert "welcome aboard" in again


def test_the_benchmark_report_states_the_cache_bounds_the_settings_set(settings):
    from service.bench import report_mix

    bounds = {
        alias: cache["OPTIONS"]["MAX_ENTRIES"]
        for alias, cache in settings.CACHES.items()
        if "OPTIONS" in cache
    }
    assert bounds == {
        "timelines": report_mix.PAGE_CACHE_MAX_ENTRIES,
        "cards": report_mix.CARD_CACHE_MAX_ENTRIES,
        "shared_pages": report_mix.SHARED_PAGE_MAX_ENTRIES,
    }


def test_a_mention_links_once_the_mentioned_user_signs_up(alice_client, bob, alice_follows_bob):
    Tweet.objects.create(author=bob, text="where is @dave?")
    for path in ("/", "/explore/"):
        page_of(alice_client, path)  # cached from now on
        assert 'href="/u/dave/"' not in page_of(alice_client, path)

    dave = get_user_model().objects.create_user("dave", "dave@example.com", "x")

    for path in ("/", "/explore/"):
        assert '<a class="mention" href="/u/dave/">@dave</a>' in page_of(alice_client, path)

    dave.username = "david"
    dave.save()

    for path in ("/", "/explore/"):
        page = page_of(alice_client, path)
        assert 'href="/u/dave/"' not in page
        assert "where is @dave?" in page

    dave.delete()
    get_user_model().objects.create_user("dave", "dave2@example.com", "x")
    assert 'href="/u/dave/"' in page_of(alice_client, "/explore/")
