"""A mention names a user whatever the case it is typed in: "@Alice" links to alice's profile
and notifies alice (tweets.tokens.mention_key). Django's sign-up form refuses usernames that
differ only in case, and the unique index on lower(username) (accounts.0004) refuses them
however an account is made, so a mention in any case answers to one user at most."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client

from accounts.models import Follow
from notifications.models import Notification
from service.tests.test_email_unique import insert_users
from tweets.models import Tweet
from tweets.templatetags.tweet_text import linked_html
from tweets.tokens import mentioned_usernames

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
MIGRATION = "0004_user_username_unique_ignoring_case"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_mention_in_another_case_links_to_the_username_as_spelt():
    assert linked_html("hi @Alice", {"alice"}) == (
        'hi <a class="mention" href="/u/alice/">@Alice</a>'
    )
    assert linked_html("hi @ALICE and @Bob", {"Bob"}) == (
        'hi @ALICE and <a class="mention" href="/u/Bob/">@Bob</a>'
    )


def test_a_tweet_stores_its_mentions_once_in_lower_case():
    assert mentioned_usernames("@Alice @alice @BOB") == ["alice", "bob"]


def test_every_page_links_a_mention_in_any_case(alice_client, alice, bob):
    Follow.objects.create(follower=alice, followee=bob)
    tweet = Tweet.objects.create(author=bob, text="hello @ALICE and @Ghost")
    assert tweet.mentions == ["alice", "ghost"]
    paths = ("/", "/explore/", "/u/bob/", f"/tweets/{tweet.pk}/", "/search/?q=hello")
    for path in paths:
        page = alice_client.get(path).content.decode()
        assert '<a class="mention" href="/u/alice/">@ALICE</a>' in page, path
        assert "/u/Ghost/" not in page, path


def test_a_cached_timeline_links_a_mention_once_that_user_signs_up(settings, alice_client, bob):
    settings.TIMELINE_CACHE_SECONDS = 60
    Tweet.objects.create(author=bob, text="where is @Dave?")
    alice_client.get("/explore/")  # cached from now on
    assert "/u/dave/" not in alice_client.get("/explore/").content.decode()

    get_user_model().objects.create_user("dave", "dave@example.com", "x")

    page = alice_client.get("/explore/").content.decode()
    assert '<a class="mention" href="/u/dave/">@Dave</a>' in page


def test_a_mention_in_another_case_notifies_the_user_once(alice, bob):
    client_for(bob).post("/tweets/", {"text": "hi @Alice and @ALICE"})
    tweet = Tweet.objects.get()
    notified = Notification.objects.values_list("recipient__username", "kind", "tweet")
    assert list(notified) == [("alice", Kind.MENTION, tweet.pk)]


def test_the_database_refuses_a_username_differing_only_in_case(make_user):
    make_user("alice")
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create_user("Alice", "other@example.com", "x")


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_existing_duplicates_and_names_them():
    call_command("migrate", "accounts", "0003", verbosity=0)
    try:
        insert_users(("ann", "a1@example.com"), ("Ann", "a2@example.com"), ("bo", "b@x.org"))
        with pytest.raises(RuntimeError) as refused:
            call_command("migrate", "accounts", MIGRATION, verbosity=0)
        message = str(refused.value)
        assert "ann: ann (id " in message
        assert "Ann (id " in message
        assert "bo" not in message.split("\n", 1)[1].split("Rename")[0]
        assert "Nothing was changed." in message
        with connection.cursor() as cursor:
            cursor.execute("UPDATE auth_user SET username = 'ann2' WHERE username = 'Ann'")
        call_command("migrate", "accounts", MIGRATION, verbosity=0)
        with pytest.raises(IntegrityError):
            insert_users(("ANN", "a3@example.com"))
    finally:
        call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_tweets_from_before_get_their_mentions_in_lower_case(alice):
    call_command("migrate", "tweets", "0003", verbosity=0)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO tweets_tweet (author_id, text, image, created_at, hashtags, mentions)"
                " VALUES (%s, 'hi @Alice and @BOB', '', now(), '{}', '{Alice,BOB}')",
                [alice.pk],
            )
        call_command("migrate", "tweets", verbosity=0)
        assert Tweet.objects.get().mentions == ["alice", "bob"]
    finally:
        call_command("migrate", verbosity=0)
