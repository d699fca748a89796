"""/notifications/, the header's unread count, and the follower and following lists."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Follow, Profile
from notifications.header import UNREAD_CAP
from notifications.models import Notification
from tweets.models import Tweet
from tweets.pages import MAX_PAGE_NUMBER

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def follows_of(recipient, count: int, prefix: str = "fan") -> list:
    """`count` users following `recipient` one minute apart (the last one newest), each
    with a follow notification; bulk-written."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{prefix}{n:05}", email=f"{prefix}{n}@example.com")
        for n in range(count)
    )
    Profile.objects.bulk_create(
        Profile(user=user, display_name=user.username.title()) for user in users
    )
    start = timezone.now() - timedelta(days=1)
    follows = Follow.objects.bulk_create(
        Follow(follower=user, followee=recipient) for user in users
    )
    for n, follow in enumerate(follows):
        follow.created_at = start + timedelta(minutes=n)
    Follow.objects.bulk_update(follows, ["created_at"])
    Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            actor=user,
            kind=Kind.FOLLOW,
            created_at=start + timedelta(minutes=n),
        )
        for n, user in enumerate(users)
    )
    return users


# --- the header -----------------------------------------------------------------------------


def test_the_header_shows_the_unread_count_with_an_accessible_name(alice, bob):
    Tweet.objects.create(author=bob, text="@alice hello")
    page = page_of(client_for(alice), "/u/bob/")
    assert 'aria-label="Notifications, 1 unread"' in page
    assert ">1</span></a>" in page


def test_without_unread_notifications_the_link_has_no_count(alice):
    page = page_of(client_for(alice), "/u/alice/")
    assert 'href="/notifications/" class="notifications">Notifications</a>' in page
    assert "unread" not in page


def test_the_count_stops_at_the_cap(alice):
    follows_of(alice, UNREAD_CAP + 5)
    page = page_of(client_for(alice), "/explore/")
    assert f'aria-label="Notifications, {UNREAD_CAP}+ unread"' in page


def test_signed_out_pages_have_no_notifications_link(client):
    assert "/notifications/" not in page_of(client, "/accounts/login/")


def test_the_count_comes_with_the_user_and_costs_no_query(alice, bob, settings):
    settings.TIMELINE_CACHE_SECONDS = 60
    Tweet.objects.create(author=bob, text="@alice hello")
    client = client_for(alice)
    page_of(client, "/")
    with CaptureQueriesContext(connection) as again:
        page = page_of(client, "/")
    assert 'aria-label="Notifications, 1 unread"' in page
    # The session, then the user with the versions and the count (tweets.backends).
    assert len(again.captured_queries) == 2


def test_a_session_of_the_plain_model_backend_reads_the_count_itself(alice, bob):
    Tweet.objects.create(author=bob, text="@alice hello")
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert 'aria-label="Notifications, 1 unread"' in page_of(client, "/u/alice/")


@pytest.mark.parametrize("path", ["/", "/explore/"])
def test_a_cached_timeline_shows_the_count_of_the_moment(alice, bob, settings, path):
    """A follow changes neither of alice's timelines, so both are served from the cache: the
    count must still move."""
    settings.TIMELINE_CACHE_SECONDS = 60
    client = client_for(alice)
    assert "unread" not in page_of(client, path)
    assert "unread" not in page_of(client, path)  # cached now

    client_for(bob).post("/u/alice/follow/")
    assert 'aria-label="Notifications, 1 unread"' in page_of(client, path)

    page_of(client, "/notifications/")
    assert "unread" not in page_of(client, path)


# --- /notifications/ ------------------------------------------------------------------------


def test_the_list_shows_each_kind_newest_first_and_marks_them_read(alice, bob):
    tweet = Tweet.objects.create(author=alice, text="my tweet")
    bob_client = client_for(bob)
    bob_client.post("/u/alice/follow/")
    bob_client.post(f"/tweets/{tweet.pk}/like/")
    bob_client.post("/tweets/", {"text": "an answer", "reply_to": tweet.pk})
    bob_client.post("/tweets/", {"text": "hey @alice"})
    alice_client = client_for(alice)

    page = page_of(alice_client, "/notifications/")

    phrases = ["mentioned you", "replied to your tweet", "liked your tweet", "followed you"]
    positions = [page.index(phrase) for phrase in phrases]
    assert positions == sorted(positions)
    assert page.count("New:") == 4
    assert "hey @alice" in page
    # The header already counts what this page left unread: nothing.
    assert "unread" not in page
    assert not Notification.objects.filter(read=False).exists()
    assert "New:" not in page_of(alice_client, "/notifications/")


def test_the_list_shows_only_the_viewers_notifications(alice, bob, make_user):
    carol = make_user("carol")
    client_for(bob).post("/u/carol/follow/")
    assert "followed you" not in page_of(client_for(alice), "/notifications/")
    assert Notification.objects.get().recipient == carol
    assert not Notification.objects.get().read


def test_a_page_marks_only_what_it_shows(alice, settings):
    follows_of(alice, settings.TWEETS_PER_PAGE + 3)
    client = client_for(alice)
    page = page_of(client, "/notifications/")
    assert page.count('class="notification new"') == settings.TWEETS_PER_PAGE
    assert "fan00052" in page  # the newest
    assert 'aria-label="Notifications, 3 unread"' in page
    assert "?page=2" in page

    older = page_of(client, "/notifications/?page=2")
    assert older.count('class="notification new"') == 3
    assert "fan00000" in older
    assert "unread" not in older


def test_pages_past_the_end_or_the_cap_are_not_found(alice, bob):
    client_for(bob).post("/u/alice/follow/")
    client = client_for(alice)
    assert client.get("/notifications/?page=2").status_code == 404
    assert client.get(f"/notifications/?page={MAX_PAGE_NUMBER + 1}").status_code == 404
    assert "No notifications yet." in page_of(client_for(bob), "/notifications/")


# --- followers and following ----------------------------------------------------------------


def test_the_profile_links_its_counts_to_the_lists(alice):
    page = page_of(client_for(alice), "/u/alice/")
    assert 'href="/u/alice/following/"' in page
    assert 'href="/u/alice/followers/"' in page


def test_followers_newest_first_with_a_button_for_the_viewer(alice, bob, make_user):
    fans = follows_of(alice, 3)
    Follow.objects.create(follower=bob, followee=fans[1])

    page = page_of(client_for(bob), "/u/alice/followers/")

    names = [page.index(f"@{fan.username}<") for fan in reversed(fans)]
    assert names == sorted(names)
    assert page.count('class="person"') == 3
    assert f'aria-label="Unfollow @{fans[1].username}"' in page
    assert f'aria-label="Follow @{fans[0].username}"' in page
    assert f'action="/u/{fans[1].username}/unfollow/"' in page


def test_following_lists_whom_the_user_follows_without_a_button_for_yourself(alice, bob):
    Follow.objects.create(follower=bob, followee=alice)
    page = page_of(client_for(alice), "/u/bob/following/")
    assert "@alice<" in page
    assert 'action="/u/alice/follow/"' not in page
    assert 'action="/u/alice/unfollow/"' not in page
    assert "Not following anyone yet." in page_of(client_for(alice), "/u/alice/following/")
    assert "No followers yet." in page_of(client_for(alice), "/u/bob/followers/")


def test_follower_lists_paginate_and_stop_where_timelines_do(alice, settings):
    follows_of(alice, settings.TWEETS_PER_PAGE + 1)
    client = client_for(alice)
    first = page_of(client, "/u/alice/followers/")
    assert first.count('class="person"') == settings.TWEETS_PER_PAGE
    assert "?page=2" in first
    second = page_of(client, "/u/alice/followers/?page=2")
    assert second.count('class="person"') == 1
    assert "fan00000" in second
    assert client.get("/u/alice/followers/?page=3").status_code == 404
    assert client.get(f"/u/alice/following/?page={MAX_PAGE_NUMBER + 1}").status_code == 404
    assert client.get("/u/nobody/followers/").status_code == 404


@pytest.mark.parametrize(
    ("path", "table"),
    [("/u/alice/followers/", "accounts_follow"), ("/notifications/", "notifications_notification")],
)
def test_a_page_past_the_cap_is_refused_before_any_query_of_the_list(alice, path, table):
    client = client_for(alice)
    with CaptureQueriesContext(connection) as deep:
        response = client.get(f"{path}?page={MAX_PAGE_NUMBER + 1}")
    assert response.status_code == 404
    statements = [q["sql"] for q in deep.captured_queries]
    assert statements, "the request should at least load the session and the user"
    assert not [sql for sql in statements if table in sql and "unread" not in sql], statements
