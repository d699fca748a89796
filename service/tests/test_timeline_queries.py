"""The home timeline runs a fixed number of SQL queries, however many tweets the page shows:
authors, avatars, images, like and reply counts and the viewer's likes included."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Follow, Profile
from tweets.models import Like, Tweet

pytestmark = pytest.mark.django_db

MAX_QUERIES = 6


def fill_home_timeline(viewer, authors, tweet_count: int) -> None:
    """`tweet_count` tweets on the viewer's home timeline, each with everything a card shows:
    an author with an avatar, an image, likes (one of them the viewer's on every other
    tweet) and a reply."""
    for author in authors:
        Follow.objects.create(follower=viewer, followee=author)
        Profile.objects.filter(user=author).update(
            display_name=author.username.title(), avatar=f"avatars/{author.username}.png"
        )
    tweets = Tweet.objects.bulk_create(
        Tweet(author=authors[n % len(authors)], text=f"tweet {n}", image=f"tweets/picture-{n}.png")
        for n in range(tweet_count)
    )
    likes = [Like(user=authors[0], tweet=tweet) for tweet in tweets]
    likes += [Like(user=viewer, tweet=tweet) for tweet in tweets[::2]]
    Like.objects.bulk_create(likes)
    # Replies are tweets on the timeline too; answer the first tweet so counts are non-zero.
    first = tweets[0]
    assert tweet_count >= 2
    Tweet.objects.filter(pk=tweets[-1].pk).update(reply_to=first)


def home_page_queries(client) -> tuple[int, str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode(), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("tweet_count", [10, 50])
def test_home_timeline_query_count_is_bounded(alice_client, alice, make_user, tweet_count):
    authors = [make_user(f"author{n}") for n in range(5)]
    fill_home_timeline(alice, authors, tweet_count)

    count, page, statements = home_page_queries(alice_client)

    # The page really shows what the bound is about.
    assert page.count('class="tweet"') == tweet_count
    assert page.count('class="attachment"') == tweet_count
    assert page.count("avatars/author") == tweet_count
    assert page.count('class="liked"') == (tweet_count + 1) // 2
    assert "1 reply" in page
    print(f"home timeline with {tweet_count} tweets: {count} SQL queries")
    assert count <= MAX_QUERIES, "\n".join(statements)


def test_home_timeline_query_count_does_not_grow_with_the_page(alice_client, alice, make_user):
    authors = [make_user(f"author{n}") for n in range(5)]
    fill_home_timeline(alice, authors, 10)
    at_10, _, _ = home_page_queries(alice_client)
    fill_home_timeline_more(alice, authors, 40)
    at_50, page, _ = home_page_queries(alice_client)
    assert page.count('class="tweet"') == 50
    assert at_50 == at_10


def fill_home_timeline_more(viewer, authors, tweet_count: int) -> None:
    Tweet.objects.bulk_create(
        Tweet(author=authors[n % len(authors)], text=f"more {n}", image=f"tweets/more-{n}.png")
        for n in range(tweet_count)
    )


@pytest.mark.parametrize("path", ["/explore/", "/u/author0/"])
def test_explore_and_profile_pages_do_not_grow_with_the_page_either(
    alice_client, alice, make_user, path
):
    authors = [make_user(f"author{n}") for n in range(5)]
    fill_home_timeline(alice, authors, 10)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(path).status_code == 200
        return len(captured)

    at_10_tweets = queries()
    Tweet.objects.bulk_create(Tweet(author=authors[0], text=f"more {n}") for n in range(200))
    assert queries() == at_10_tweets


@pytest.mark.parametrize("cards_cached", [False, True], ids=["cards rendered", "cards cached"])
def test_a_page_assembled_from_cards_stays_within_the_bound(
    alice_client, alice, make_user, settings, cards_cached
):
    """With the caches on, a page whose version changed is assembled in three queries whether
    its cards are cached or not: the session, the user with the versions, and the page's rows
    with everything their cards show (a missing card is rendered from its row)."""
    from django.core.cache import caches

    from tweets import cards
    from tweets.timeline_cache import CACHE_ALIAS

    settings.TIMELINE_CACHE_SECONDS = 60
    settings.CARD_CACHE_SECONDS = 60
    for alias in (CACHE_ALIAS, cards.CACHE_ALIAS):
        caches[alias].clear()
    authors = [make_user(f"author{n}") for n in range(5)]
    fill_home_timeline(alice, authors, 50)
    home_page_queries(alice_client)  # the version row exists from now on
    if not cards_cached:
        caches[cards.CACHE_ALIAS].clear()
    caches[CACHE_ALIAS].clear()

    count, page, statements = home_page_queries(alice_client)

    assert page.count('class="tweet"') == 50
    assert page.count('class="liked"') == 25
    assert count <= MAX_QUERIES, "\n".join(statements)
    assert count == 3, "\n".join(statements)
