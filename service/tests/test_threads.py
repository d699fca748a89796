"""The tweet page shows its thread: the parent chain above (oldest first, bounded) and the
replies below, in a number of queries that does not grow with the chain."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tweets import threads
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def chain(author, length: int) -> list[Tweet]:
    tweets = [Tweet.objects.create(author=author, text="link 0 of the chain")]
    for n in range(1, length):
        tweets.append(
            Tweet.objects.create(author=author, text=f"link {n} of the chain", reply_to=tweets[-1])
        )
    return tweets


def test_the_parent_chain_is_shown_oldest_first_above_the_tweet(alice_client, alice, bob):
    tweets = chain(alice, 4)
    Tweet.objects.create(author=bob, text="a reply below", reply_to=tweets[2])

    page = alice_client.get(f"/tweets/{tweets[2].pk}/").content.decode().split("<main>")[1]

    order = [page.index(f"link {n} of the chain") for n in range(3)]
    assert order == sorted(order)
    assert page.index("link 2 of the chain") < page.index("a reply below")
    assert "link 3 of the chain" in page  # a reply of the tweet
    assert page.count('class="tweet"') == 5  # two above, the tweet, two replies
    assert ">Earlier in the thread<" not in page


def test_a_long_chain_is_cut_and_links_further_up(alice_client, alice):
    tweets = chain(alice, threads.MAX_ANCESTORS + 3)

    page = alice_client.get(f"/tweets/{tweets[-1].pk}/").content.decode().split("<main>")[1]

    assert page.count('class="tweet"') == threads.MAX_ANCESTORS + 1
    assert "link 1 of the chain" not in page
    assert "link 2 of the chain" in page
    assert f'href="/tweets/{tweets[1].pk}/">Earlier in the thread' in page


def test_the_queries_do_not_grow_with_the_chain(alice_client, alice):
    def shown(tweet: Tweet) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = alice_client.get(f"/tweets/{tweet.pk}/")
        assert response.status_code == 200
        return len(captured), response.content.decode().count('class="tweet"')

    short, long = chain(alice, 2), chain(alice, threads.MAX_ANCESTORS + 5)
    (at_short, cards_short), (at_long, cards_long) = shown(short[-1]), shown(long[-1])
    assert (cards_short, cards_long) == (2, threads.MAX_ANCESTORS + 1)
    assert at_short == at_long
