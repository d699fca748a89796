"""A reply, as its writer and its readers see it: a reply that fails stays on its thread with
the error, and every timeline's card of a reply says what it answers, linking to it."""

import re

import pytest

from accounts.models import Follow
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(bob):
    return Tweet.objects.create(author=bob, text="Which tea is best?")


@pytest.mark.parametrize(
    ("text", "error"),
    [("   ", "Write something first."), ("x" * 281, "at most 280 characters (this one has 281)")],
    ids=["empty", "too-long"],
)
def test_a_failed_reply_stays_on_its_thread_with_the_error(alice_client, question, text, error):
    response = alice_client.post(
        "/tweets/", {"text": text, "reply_to": question.pk, "next": f"/tweets/{question.pk}/"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert response.templates[0].name == "tweets/detail.html"
    assert "Which tea is best?" in page  # the tweet answered, above the form
    assert error in page
    # The form still answers the same tweet, so a corrected reply is a reply again.
    assert re.search(rf'name="reply_to" value="{question.pk}"', page)
    assert ">Reply</button>" in page
    assert not Tweet.objects.filter(reply_to=question).exists()


def test_a_failed_tweet_without_a_thread_stays_on_home(alice_client):
    response = alice_client.post("/tweets/", {"text": ""})
    assert response.status_code == 400
    assert response.templates[0].name == "tweets/home.html"
    assert "Write something first." in response.content.decode()


def reply_cards(page: str) -> list[str]:
    return re.findall(r'<article class="tweet".*?</article>', page, flags=re.S)


@pytest.mark.parametrize("cache_seconds", [0, 60], ids=["uncached", "cached"])
@pytest.mark.parametrize("path", ["/", "/explore/", "/u/alice/"])
def test_every_timeline_says_what_a_reply_answers(
    alice_client, alice, bob, question, settings, path, cache_seconds
):
    settings.TIMELINE_CACHE_SECONDS = cache_seconds
    Follow.objects.create(follower=alice, followee=bob)
    reply = Tweet.objects.create(author=alice, text="Assam, always.", reply_to=question)
    for _ in range(2):  # the page as built, then as served again (cards and timeline caches)
        page = alice_client.get(path).content.decode()
        card = next(card for card in reply_cards(page) if "Assam, always." in card)
        assert re.search(rf'Replying to <a href="/tweets/{question.pk}/">@bob</a>', card), card
        assert f'id="tweet-{reply.pk}"' in card
