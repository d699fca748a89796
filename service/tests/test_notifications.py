"""Notifications (notifications.record): a reply, a mention, a like and a follow each notify the
one they concern, once, never the actor themselves; they go with their cause."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Follow
from notifications.models import Notification
from tweets.models import Like, Tweet

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def carol(make_user):
    return make_user("carol")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def notifications_of(user) -> list[tuple[str, str, int | None]]:
    """(kind, actor's username, tweet id) of `user`'s notifications, newest first."""
    return [
        (n.kind, n.actor.username, n.tweet_id)
        for n in Notification.objects.filter(recipient=user).select_related("actor")
    ]


# --- replies --------------------------------------------------------------------------------


def test_a_reply_notifies_the_author_it_answers(alice, bob):
    tweet = Tweet.objects.create(author=alice, text="question?")
    client_for(bob).post("/tweets/", {"text": "answer", "reply_to": tweet.pk})
    reply = Tweet.objects.get(text="answer")
    assert notifications_of(alice) == [(Kind.REPLY, "bob", reply.pk)]
    assert notifications_of(bob) == []


def test_replying_to_yourself_notifies_no_one(alice):
    tweet = Tweet.objects.create(author=alice, text="thread 1/2")
    Tweet.objects.create(author=alice, text="thread 2/2", reply_to=tweet)
    assert not Notification.objects.exists()


def test_a_reply_that_also_mentions_the_author_is_one_notification(alice, bob):
    tweet = Tweet.objects.create(author=alice, text="question?")
    reply = Tweet.objects.create(author=bob, text="@alice here you go", reply_to=tweet)
    assert notifications_of(alice) == [(Kind.REPLY, "bob", reply.pk)]


def test_deleting_the_reply_deletes_its_notification(alice, bob):
    tweet = Tweet.objects.create(author=alice, text="question?")
    reply = Tweet.objects.create(author=bob, text="answer", reply_to=tweet)
    assert Notification.objects.count() == 1
    client_for(bob).post(f"/tweets/{reply.pk}/delete/")
    assert not Notification.objects.exists()


# --- mentions -------------------------------------------------------------------------------


def test_a_mention_notifies_each_existing_user_named_once(alice, bob, carol):
    client_for(bob).post("/tweets/", {"text": "hi @alice and @carol, @alice again, @nobody"})
    tweet = Tweet.objects.get()
    assert notifications_of(alice) == [(Kind.MENTION, "bob", tweet.pk)]
    assert notifications_of(carol) == [(Kind.MENTION, "bob", tweet.pk)]
    assert Notification.objects.count() == 2


def test_mentioning_yourself_notifies_no_one(alice):
    Tweet.objects.create(author=alice, text="note to self @alice")
    assert not Notification.objects.exists()


def test_what_the_tokenizer_does_not_call_a_mention_notifies_no_one(alice, bob):
    # An e-mail address and a longer name that starts like alice's.
    Tweet.objects.create(author=bob, text="mail bob@alice.com or ask @alicex")
    assert not Notification.objects.exists()


def test_a_deactivated_user_is_not_notified(alice, bob):
    alice.is_active = False
    alice.save()
    Tweet.objects.create(author=bob, text="@alice are you there?")
    assert not Notification.objects.exists()


def test_deleting_the_mentioning_tweet_deletes_its_notifications(alice, bob, carol):
    tweet = Tweet.objects.create(author=bob, text="@alice @carol look")
    assert Notification.objects.count() == 2
    tweet.delete()
    assert not Notification.objects.exists()


def test_a_tweet_is_one_insert_and_none_without_replies_or_mentions(alice, bob, carol):
    parent = Tweet.objects.create(author=alice, text="parent")
    with CaptureQueriesContext(connection) as plain:
        Tweet.objects.create(author=bob, text="nothing to notify")
    with CaptureQueriesContext(connection) as busy:
        Tweet.objects.create(author=bob, text="@carol @alice see", reply_to=parent)
    table = "notifications_notification"
    notifying = [q["sql"] for q in busy.captured_queries if table in q["sql"]]
    assert not [q for q in plain.captured_queries if table in q["sql"]]
    assert len(notifying) == 1, notifying
    assert notifying[0].startswith("INSERT")
    assert Notification.objects.count() == 2


# --- likes ----------------------------------------------------------------------------------


def test_a_like_notifies_the_author(alice, bob):
    tweet = Tweet.objects.create(author=alice, text="like me")
    client_for(bob).post(f"/tweets/{tweet.pk}/like/")
    assert notifications_of(alice) == [(Kind.LIKE, "bob", tweet.pk)]


def test_liking_your_own_tweet_notifies_no_one(alice):
    tweet = Tweet.objects.create(author=alice, text="mine")
    client_for(alice).post(f"/tweets/{tweet.pk}/like/")
    assert Like.objects.count() == 1
    assert not Notification.objects.exists()


def test_an_unlike_before_it_is_seen_takes_the_notification_back(alice, bob):
    tweet = Tweet.objects.create(author=alice, text="like me")
    bob_client = client_for(bob)
    bob_client.post(f"/tweets/{tweet.pk}/like/")
    bob_client.post(f"/tweets/{tweet.pk}/unlike/")
    assert notifications_of(alice) == []
    bob_client.post(f"/tweets/{tweet.pk}/like/")
    assert notifications_of(alice) == [(Kind.LIKE, "bob", tweet.pk)]


def test_liking_again_after_it_was_seen_does_not_notify_again(alice, bob):
    tweet = Tweet.objects.create(author=alice, text="like me")
    bob_client = client_for(bob)
    bob_client.post(f"/tweets/{tweet.pk}/like/")
    client_for(alice).get("/notifications/")  # seen
    for _ in range(3):
        bob_client.post(f"/tweets/{tweet.pk}/unlike/")
        bob_client.post(f"/tweets/{tweet.pk}/like/")
    assert notifications_of(alice) == [(Kind.LIKE, "bob", tweet.pk)]
    assert not Notification.objects.filter(read=False).exists()


def test_deleting_the_liked_tweet_deletes_its_notifications_in_one_cascade(alice, bob, carol):
    tweet = Tweet.objects.create(author=alice, text="popular")
    for fan in (bob, carol):
        Like.objects.create(user=fan, tweet=tweet)
    assert Notification.objects.count() == 2
    with CaptureQueriesContext(connection) as deleting:
        client_for(alice).post(f"/tweets/{tweet.pk}/delete/")
    assert not Notification.objects.exists()
    # The likes' own deletes do not each delete their notification again.
    statements = [
        q["sql"]
        for q in deleting.captured_queries
        if q["sql"].startswith("DELETE") and "notifications_notification" in q["sql"]
    ]
    assert len(statements) == 1, statements


# --- follows --------------------------------------------------------------------------------


def test_a_follow_notifies_the_one_followed(alice, bob):
    client_for(bob).post("/u/alice/follow/")
    assert notifications_of(alice) == [(Kind.FOLLOW, "bob", None)]
    assert notifications_of(bob) == []


def test_an_unfollow_before_it_is_seen_takes_the_notification_back(alice, bob):
    bob_client = client_for(bob)
    bob_client.post("/u/alice/follow/")
    bob_client.post("/u/alice/unfollow/")
    assert notifications_of(alice) == []


def test_following_again_after_it_was_seen_does_not_notify_again(alice, bob):
    bob_client = client_for(bob)
    bob_client.post("/u/alice/follow/")
    client_for(alice).get("/notifications/")
    bob_client.post("/u/alice/unfollow/")
    bob_client.post("/u/alice/follow/")
    assert notifications_of(alice) == [(Kind.FOLLOW, "bob", None)]
    assert not Notification.objects.filter(read=False).exists()


def test_a_deleted_follower_takes_their_notifications_along(alice, bob):
    Follow.objects.create(follower=bob, followee=alice)
    tweet = Tweet.objects.create(author=alice, text="hi")
    Like.objects.create(user=bob, tweet=tweet)
    assert Notification.objects.count() == 2
    bob.delete()
    assert not Notification.objects.exists()


def test_rows_written_without_signals_notify_no_one(alice, bob):
    Tweet.objects.bulk_create([Tweet(author=bob, text="@alice bulk")])
    Follow.objects.bulk_create([Follow(follower=bob, followee=alice)])
    assert not Notification.objects.exists()
