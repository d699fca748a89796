"""Tweet card bodies (tweets.cards) are rendered once per version of the tweet and shared by
every viewer, their actions per viewer: what belongs to one viewer (their like, their Delete
button, their CSRF token) never reaches another, a change renders only the bodies it touches,
and every worker process sees the change on its next request."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Follow, Profile
from config.settings.base import s3_media_storage
from stack.paths import SERVICE_DIR
from tweets.models import Tweet
from tweets.templatetags.tweet_counts import likes_label, replies_label

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VIEWER_FORMS = re.compile(
    r'<form class="inline" method="post" action="/tweets/\d+/[^>]*>.*?</form>'
)


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.TIMELINE_CACHE_SECONDS = 60
    settings.CARD_CACHE_SECONDS = 60


def client_for(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def get(client: Client, path: str = "/"):
    response = client.get(path)
    assert response.status_code == 200
    return response


def card_of(page: str, tweet: Tweet) -> str:
    match = re.search(rf'<article class="tweet" id="tweet-{tweet.pk}">.*?</article>', page, re.S)
    assert match, f"tweet {tweet.pk} is not on the page"
    return match.group(0)


def shared_part(card: str) -> str:
    """The card without the viewer's forms, whitespace between tags aside."""
    return re.sub(r">\s+<", "><", VIEWER_FORMS.sub("", card))


@pytest.mark.django_db
def test_one_card_for_two_viewers_differs_only_in_their_own_forms(alice, bob):
    tweet = Tweet.objects.create(author=alice, text="shared card")
    alice_client, bob_client = client_for(alice), client_for(bob)
    bob_client.post(f"/tweets/{tweet.pk}/like/")

    alice_card = card_of(get(alice_client, "/explore/").content.decode(), tweet)
    bob_card = card_of(get(bob_client, "/explore/").content.decode(), tweet)

    # The author is offered Delete and has not liked it; bob has liked it and is offered no Delete.
    assert "Delete" in alice_card
    assert "Delete" not in bob_card
    assert f'action="/tweets/{tweet.pk}/like/"' in alice_card
    assert f'action="/tweets/{tweet.pk}/unlike/"' in bob_card
    assert 'class="liked">&#9829; 1<' in bob_card
    assert "&#9825; 1<" in alice_card
    # The heart alone names nothing: each button says what it does and the count.
    assert 'aria-label="Unlike, 1 like"' in bob_card
    assert 'aria-label="Like, 1 like"' in alice_card
    # Each carries its own viewer's token, valid for that viewer only.
    assert set(CSRF_INPUT.findall(alice_card)).isdisjoint(CSRF_INPUT.findall(bob_card))
    # Everything else is the same card.
    assert shared_part(alice_card) == shared_part(bob_card)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/explore/"])
def test_the_header_around_the_cards_names_the_viewer_who_asked(alice, bob, make_user, path):
    """The page around the cards is kept too; its header (the viewer's name, their profile
    link) is the viewer's own, even when another viewer asked for the same page first."""
    Tweet.objects.create(author=make_user("carol"), text="on explore")
    get(client_for(alice), path)
    bob_page = get(client_for(bob), path).content.decode()

    header = re.search(r"<nav>.*?</nav>", bob_page, re.S)
    assert header, "the page has no header"
    nav = header.group(0)
    assert "@bob" in nav
    assert 'href="/u/bob/"' in nav
    assert "alice" not in nav


@pytest.mark.django_db
def test_the_second_viewer_is_served_the_card_the_first_one_rendered(alice, bob):
    Tweet.objects.create(author=alice, text="render me once")
    assert get(client_for(alice), "/explore/").wsgi_request.cards_rendered == 1
    assert get(client_for(bob), "/explore/").wsgi_request.cards_rendered == 0


@pytest.mark.django_db
def test_explore_is_built_once_per_version_and_other_viewers_read_only_their_likes(
    alice, bob, make_user
):
    carol = make_user("carol")
    liked, other = (Tweet.objects.create(author=carol, text=text) for text in ("liked", "other"))
    client_for(bob).post(f"/tweets/{liked.pk}/like/")
    get(client_for(alice), "/explore/")  # builds this version's page

    bob_client = client_for(bob)
    with CaptureQueriesContext(connection) as captured:
        response = get(bob_client, "/explore/")

    assert response.wsgi_request.timeline_served == "shared"
    assert response.wsgi_request.cards_rendered == 0
    # The session, the user with the versions, and which of the page's tweets bob likes.
    assert len(captured) == 3, [query["sql"] for query in captured.captured_queries]
    page = response.content.decode()
    assert f'action="/tweets/{liked.pk}/unlike/"' in card_of(page, liked)
    assert f'action="/tweets/{other.pk}/like/"' in card_of(page, other)


@pytest.mark.django_db
def test_a_shared_page_is_never_served_after_a_change(alice, bob, make_user):
    carol = make_user("carol")
    tweet = Tweet.objects.create(author=carol, text="counted")
    get(client_for(alice), "/explore/")
    get(client_for(bob), "/explore/")

    client_for(carol).post(f"/tweets/{tweet.pk}/like/")

    first = get(client_for(bob), "/explore/")
    assert first.wsgi_request.timeline_served == "assembled"  # a new version: built again
    second = get(client_for(alice), "/explore/")
    assert second.wsgi_request.timeline_served == "shared"
    for response in (first, second):
        assert "&#9825; 1<" in card_of(response.content.decode(), tweet)


@pytest.mark.django_db
def test_home_timelines_are_never_shared_even_when_two_viewers_follow_the_same_people(
    alice, bob, make_user
):
    carol = make_user("carol")
    for viewer in (alice, bob):
        Follow.objects.create(follower=viewer, followee=carol)
    Tweet.objects.create(author=carol, text="for both")
    get(client_for(alice))
    assert get(client_for(bob)).wsgi_request.timeline_served == "assembled"


@pytest.mark.django_db
def test_a_like_or_a_reply_renders_no_card_and_shows_its_new_count(alice, bob, make_user):
    carol = make_user("carol")
    tweets = [Tweet.objects.create(author=bob, text=f"tweet {n}") for n in range(5)]
    alice_client = client_for(alice)
    assert get(alice_client, "/explore/").wsgi_request.cards_rendered == 5

    client_for(carol).post(f"/tweets/{tweets[2].pk}/like/")
    response = get(alice_client, "/explore/")
    assert response.wsgi_request.timeline_served == "assembled"
    assert response.wsgi_request.cards_rendered == 0
    assert "&#9825; 1<" in card_of(response.content.decode(), tweets[2])

    client_for(carol).post("/tweets/", {"text": "carol answers", "reply_to": tweets[3].pk})
    response = get(alice_client, "/explore/")
    # The reply itself is a card never seen; the tweet it answers only shows a new count.
    assert response.wsgi_request.cards_rendered == 1
    page = response.content.decode()
    assert ">1 reply<" in card_of(page, tweets[3])
    assert ">0 replies<" in card_of(page, tweets[2])


@pytest.mark.django_db
def test_counts_go_into_the_card_the_viewer_sees_like_or_unlike(alice, bob, make_user):
    tweet = Tweet.objects.create(author=bob, text="counted")
    for name in ("carol", "dave"):
        client_for(make_user(name)).post(f"/tweets/{tweet.pk}/like/")
    client_for(alice).post(f"/tweets/{tweet.pk}/like/")

    alice_card = card_of(get(client_for(alice), "/explore/").content.decode(), tweet)
    bob_card = card_of(get(client_for(bob), "/explore/").content.decode(), tweet)

    assert 'class="liked">&#9829; 3<' in alice_card
    assert "&#9825; 3<" in bob_card
    assert shared_part(alice_card) == shared_part(bob_card)


@pytest.mark.django_db
def test_a_card_assembled_from_the_cache_is_the_card_the_template_renders(alice, bob, settings):
    """A card built from its row and its cached body equals the plain template's output for the
    same viewer: names, avatars, images, replies, counts and forms."""
    Profile.objects.filter(user=alice).update(display_name="Alice A.", avatar="avatars/alice.png")
    question = Tweet.objects.create(author=alice, text="question", image="tweets/q.png")
    Tweet.objects.create(author=bob, text="answer\nin two lines", reply_to=question)
    Tweet.objects.create(author=alice, text="<b>not bold</b> & more")
    client_for(bob).post(f"/tweets/{question.pk}/like/")
    viewer = client_for(bob)
    get(viewer, "/explore/")  # cards cached
    assembled = get(viewer, "/explore/").content.decode()

    settings.TIMELINE_CACHE_SECONDS = 0  # every card from the template, nothing cached
    rendered = get(viewer, "/explore/").content.decode()

    for tweet in Tweet.objects.all():
        assert without_tokens(card_of(assembled, tweet)) == without_tokens(card_of(rendered, tweet))
    assert "Alice A." in assembled
    assert "avatars/alice.png" in assembled
    assert "tweets/q.png" in assembled


def without_tokens(card: str) -> str:
    """The card without its CSRF tokens and the signatures of its media URLs (both differ from
    one response to the next), whitespace between tags aside."""
    unsigned = re.sub(r'(\.png)\?[^"]*"', r'\1"', CSRF_INPUT.sub("", card))
    return re.sub(r">\s+<", "><", unsigned)


def test_the_reply_and_like_labels_count_one_and_many():
    assert [replies_label(n) for n in (0, 1, 2, 11)] == [
        "0 replies",
        "1 reply",
        "2 replies",
        "11 replies",
    ]
    assert [likes_label(n) for n in (0, 1, 2)] == ["0 likes", "1 like", "2 likes"]


@pytest.mark.django_db
def test_a_new_display_name_renders_that_authors_cards_again(alice, bob, make_user):
    carol = make_user("carol")
    Tweet.objects.create(author=bob, text="bob's")
    Tweet.objects.create(author=carol, text="carol's")
    alice_client = client_for(alice)
    get(alice_client, "/explore/")

    profile = Profile.objects.get(user=bob)
    profile.display_name = "Robert Tables"
    profile.save()

    response = get(alice_client, "/explore/")
    assert response.wsgi_request.cards_rendered == 1
    assert "Robert Tables" in response.content.decode()


@pytest.mark.django_db
def test_a_deleted_tweet_clears_the_replying_to_line_of_its_replies(alice, bob):
    Follow.objects.create(follower=alice, followee=bob)
    question = Tweet.objects.create(author=alice, text="question")
    Tweet.objects.create(author=bob, text="answer", reply_to=question)
    alice_client = client_for(alice)
    assert "Replying to" in get(alice_client).content.decode()

    alice_client.post(f"/tweets/{question.pk}/delete/")

    page = get(alice_client).content.decode()
    assert "answer" in page
    assert "Replying to" not in page


def test_each_process_draws_its_own_placeholders():
    def slot() -> str:
        return subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); import tweets.page_slots as s; print(s.CSRF)",
            ],
            cwd=SERVICE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    first, second = slot(), slot()
    assert len(first) > 32
    assert first != second


def test_signed_image_urls_outlive_every_cached_card_and_page(monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "django-tw-media-example")
    monkeypatch.setenv("AWS_S3_REGION_NAME", "ap-northeast-1")
    # A URL handed out at the last moment of its signing window (django_fargate.media_storage) works
    # signing_margin seconds more. A card CARD_CACHE_SECONDS old goes into a shared explore
    # page kept TIMELINE_CACHE_SECONDS, and a viewer's page built from that one is served
    # TIMELINE_CACHE_SECONDS more: the URL in the card must still be valid.
    expiry = s3_media_storage()["OPTIONS"]["signing_margin"]
    assert expiry > settings.CARD_CACHE_SECONDS + 2 * settings.TIMELINE_CACHE_SECONDS


# --- two processes on one database ---------------------------------------------------------


def test_a_change_made_through_one_worker_shows_on_the_next_request_to_another(
    other_worker, alice, bob, make_user
):
    carol = make_user("carol")
    Follow.objects.create(follower=alice, followee=bob)
    tweet = Tweet.objects.create(author=bob, text="seen by two workers")
    for path in ("/", "/explore/"):
        assert "&#9825; 0<" in card_of(other_worker("alice", path), tweet)
        assert "&#9825; 0<" in card_of(other_worker("alice", path), tweet)  # now cached there

    # Changes arrive through this process; the other one has its own caches.
    carol_client, bob_client = client_for(carol), client_for(bob)
    carol_client.post(f"/tweets/{tweet.pk}/like/")
    for path in ("/", "/explore/"):
        assert "&#9825; 1<" in card_of(other_worker("alice", path), tweet)

    carol_client.post("/tweets/", {"text": "carol replies", "reply_to": tweet.pk})
    assert "1 reply" in card_of(other_worker("alice"), tweet)

    profile = Profile.objects.get(user=bob)
    profile.display_name = "Robert Tables"
    profile.save()
    assert "Robert Tables" in card_of(other_worker("alice"), tweet)

    client_for(alice).post("/u/bob/unfollow/")
    assert "seen by two workers" not in other_worker("alice")
    client_for(alice).post("/u/bob/follow/")
    assert "seen by two workers" in other_worker("alice")

    bob_client.post("/tweets/", {"text": "a new one"})
    assert "a new one" in other_worker("alice")
    bob_client.post(f"/tweets/{tweet.pk}/delete/")
    assert "seen by two workers" not in other_worker("alice")
    assert "seen by two workers" not in other_worker("alice", "/explore/")


def test_the_unread_count_moves_on_the_next_request_to_another_worker(other_worker, alice, bob):
    """Home and explore served whole from the other worker's cache (a follow or a mention of
    alice changes neither of alice's pages) still carry the count of the moment."""
    tweet = Tweet.objects.create(author=alice, text="alice's tweet")
    for path in ("/", "/explore/"):
        assert "unread" not in other_worker("alice", path)
        assert "unread" not in other_worker("alice", path)  # now cached there

    bob_client = client_for(bob)
    changes = [
        lambda: bob_client.post("/u/alice/follow/"),
        lambda: bob_client.post(f"/tweets/{tweet.pk}/like/"),
        lambda: bob_client.post("/tweets/", {"text": "hello @alice"}),
        lambda: bob_client.post("/tweets/", {"text": "an answer", "reply_to": tweet.pk}),
    ]
    for unread, change in enumerate(changes, start=1):
        assert change().status_code == 302
        for path in ("/", "/explore/"):
            assert f'aria-label="Notifications, {unread} unread"' in other_worker("alice", path)

    client_for(alice).get("/notifications/")
    for path in ("/", "/explore/"):
        assert "unread" not in other_worker("alice", path)
