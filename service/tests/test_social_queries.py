"""/notifications/ and the follower and following lists run as many SQL queries at 50,000
tweets as at 1,000 (with notifications and followers growing alongside), as the timelines do
(service/tests/test_timeline_queries.py).

    .venv/bin/python -m pytest service/tests/test_social_queries.py -q -s

prints the counts."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Follow, Profile
from notifications.models import Notification
from tweets.models import Tweet

pytestmark = pytest.mark.django_db

PATHS = ("/notifications/", "/notifications/?page=2", "/u/alice/followers/", "/u/bob/following/")
# The session, the user (with the unread count), the page's rows with what they show, and one
# query for the viewer: the notifications marked read and the count after that, or which of
# the people listed the viewer follows.
MAX_QUERIES = 6


def grow_to(alice, bob, tweet_count: int) -> None:
    """`tweet_count` tweets of alice's in all, each liked (a notification with an avatar and the
    tweet's text), and a tenth as many users following alice and followed by bob, each with a
    profile, an avatar and a follow notification. Bulk-written."""
    have = Tweet.objects.count()
    users = get_user_model()
    now = timezone.now()
    tweets = Tweet.objects.bulk_create(
        Tweet(author=alice, text=f"tweet {n} by alice") for n in range(have, tweet_count)
    )
    Notification.objects.bulk_create(
        Notification(
            recipient=alice,
            actor=bob,
            kind=Notification.Kind.LIKE,
            tweet=tweet,
            created_at=now - timedelta(seconds=n),
        )
        for n, tweet in enumerate(tweets)
    )
    people = users.objects.bulk_create(
        users(username=f"fan{n:05}", email=f"fan{n}@example.com")
        for n in range(have // 10, tweet_count // 10)
    )
    Profile.objects.bulk_create(
        Profile(user=u, display_name=u.username.title(), avatar=f"avatars/{u.username}.png")
        for u in people
    )
    Follow.objects.bulk_create(
        [Follow(follower=u, followee=alice) for u in people]
        + [Follow(follower=bob, followee=u) for u in people]
        + [Follow(follower=alice, followee=u) for u in people[::2]]
    )
    Notification.objects.bulk_create(
        Notification(recipient=alice, actor=u, kind=Notification.Kind.FOLLOW, created_at=now)
        for u in people
    )


def queries_of(alice_client, path: str) -> int:
    Notification.objects.update(read=False)  # every visit marks its page read anew
    with CaptureQueriesContext(connection) as captured:
        response = alice_client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    if "notifications" in path:
        assert page.count('class="notification new"') == 50
        assert 'aria-label="Notifications, 99+ unread"' in page
    else:
        assert page.count('class="person"') == 50
        assert page.count("avatars/fan") == 50
        assert page.count(">Unfollow</button>") == 25
    statements = "\n".join(q["sql"] for q in captured.captured_queries)
    assert len(captured) <= MAX_QUERIES, statements
    return len(captured)


def test_queries_per_page_do_not_grow_from_1k_to_50k_tweets(alice_client, alice, bob):
    grow_to(alice, bob, 1_000)
    at_1k = {path: queries_of(alice_client, path) for path in PATHS}
    grow_to(alice, bob, 50_000)
    at_50k = {path: queries_of(alice_client, path) for path in PATHS}
    for path in PATHS:
        print(f"{path}: {at_1k[path]} queries at 1k tweets, {at_50k[path]} at 50k")
    assert at_50k == at_1k
