"""Following and unfollowing, and which tweets each timeline shows."""

import pytest

from accounts.models import Follow
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def test_follow_and_unfollow(alice_client, alice, bob):
    response = alice_client.post("/u/bob/follow/")
    assert response.status_code == 302
    assert response["Location"] == "/u/bob/"
    assert Follow.objects.filter(follower=alice, followee=bob).exists()
    assert "Unfollow" in alice_client.get("/u/bob/").content.decode()
    assert alice_client.post("/u/bob/unfollow/").status_code == 302
    assert not Follow.objects.exists()


def test_following_yourself_is_refused(alice_client):
    response = alice_client.post("/u/alice/follow/")
    assert response.status_code == 400
    assert "You cannot follow yourself." in response.content.decode()
    assert not Follow.objects.exists()


def test_following_twice_is_refused(alice_client, alice, bob):
    alice_client.post("/u/bob/follow/")
    response = alice_client.post("/u/bob/follow/")
    assert response.status_code == 409
    assert "You already follow @bob." in response.content.decode()
    assert Follow.objects.filter(follower=alice, followee=bob).count() == 1


def test_unfollowing_someone_not_followed_is_refused(alice_client, bob):
    response = alice_client.post("/u/bob/unfollow/")
    assert response.status_code == 409
    assert "You do not follow @bob." in response.content.decode()


def test_following_an_unknown_user_is_404(alice_client):
    assert alice_client.post("/u/nobody/follow/").status_code == 404


def test_the_redirect_after_an_action_stays_on_this_site(alice_client, bob):
    response = alice_client.post("/u/bob/follow/", {"next": "https://evil.example/"})
    assert response["Location"] == "/u/bob/"
    tweet = Tweet.objects.create(author=bob, text="x")
    response = alice_client.post(f"/tweets/{tweet.pk}/like/", {"next": "/explore/?page=2"})
    assert response["Location"] == "/explore/?page=2"


def test_home_shows_own_and_followed_tweets_newest_first(alice_client, alice, bob, make_user):
    carol = make_user("carol")
    Tweet.objects.create(author=bob, text="bob-before-follow")
    Tweet.objects.create(author=carol, text="carol-not-followed")
    Tweet.objects.create(author=alice, text="alice-own")
    Follow.objects.create(follower=alice, followee=bob)
    Tweet.objects.create(author=bob, text="bob-latest")
    page = alice_client.get("/").content.decode()
    assert "carol-not-followed" not in page
    positions = [page.index(text) for text in ("bob-latest", "alice-own", "bob-before-follow")]
    assert positions == sorted(positions)


def test_explore_shows_everyone(alice_client, bob, make_user):
    carol = make_user("carol")
    Tweet.objects.create(author=bob, text="from-bob")
    Tweet.objects.create(author=carol, text="from-carol")
    page = alice_client.get("/explore/").content.decode()
    assert "from-bob" in page
    assert "from-carol" in page


def test_profile_timeline_shows_only_that_author(alice_client, alice, bob):
    Tweet.objects.create(author=bob, text="by-bob")
    Tweet.objects.create(author=alice, text="by-alice")
    page = alice_client.get("/u/bob/").content.decode()
    assert "by-bob" in page
    assert "by-alice" not in page


def test_timelines_are_paginated_by_50(alice_client, alice, settings):
    Tweet.objects.bulk_create(Tweet(author=alice, text=f"tweet-{n:03d}") for n in range(55))
    first = alice_client.get("/").content.decode()
    assert first.count('class="tweet"') == 50
    assert "Page 1" in first
    assert 'href="?page=2"' in first  # older tweets exist
    second = alice_client.get("/?page=2").content.decode()
    assert second.count('class="tweet"') == 5
