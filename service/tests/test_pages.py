"""A timeline page is found without counting the timeline, and only its own tweets are
decorated with like and reply counts (tweets.pages)."""

import re

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.models import Follow, Profile
from tweets import cards
from tweets.models import Like, Tweet
from tweets.pages import MAX_PAGE_NUMBER, TimelinePage, page_number, page_rows
from tweets.timelines import (
    explore_sql,
    explore_tweets,
    home_sql,
    home_timeline,
    home_tweets,
    tweets_for,
)

pytestmark = pytest.mark.django_db

ONE_QUERY_PAGE = re.compile(r"WITH page\(id\) AS \((?P<ids>.*?)\)\s+(?P<rows>SELECT .*)", re.S)


@pytest.fixture(params=["rendered", "assembled"])
def served(request, settings) -> str:
    """Both ways a page is built: without the caches, and assembled from the card cache."""
    settings.TIMELINE_CACHE_SECONDS = 60 if request.param == "assembled" else 0
    settings.CARD_CACHE_SECONDS = 60
    return request.param


def pager(html: str) -> tuple[bool, bool]:
    """Whether the page links to newer and to older tweets."""
    return "Newer</a>" in html, "Older &rarr;</a>" in html


def test_the_pager_links_newer_and_older_pages_only_where_they_exist(
    alice_client, alice, settings, served
):
    settings.TWEETS_PER_PAGE = 5
    Tweet.objects.bulk_create(Tweet(author=alice, text=f"tweet-{n:02d}") for n in range(12))

    pages = [alice_client.get(f"/?page={n}").content.decode() for n in (1, 2, 3)]

    assert [page.count('class="tweet"') for page in pages] == [5, 5, 2]
    assert [pager(page) for page in pages] == [(False, True), (True, True), (True, False)]
    assert [f"Page {n}</span>" in page for n, page in enumerate(pages, 1)] == [True] * 3
    assert "tweet-11" in pages[0]  # newest first
    assert "tweet-00" in pages[2]


def test_a_timeline_that_fits_one_page_has_no_pager(alice_client, alice, served):
    Tweet.objects.create(author=alice, text="only one")
    assert 'class="pager"' not in alice_client.get("/").content.decode()


@pytest.mark.parametrize("path", ["/", "/explore/", "/u/alice/"])
def test_a_page_past_the_end_is_not_found(alice_client, alice, served, path):
    Tweet.objects.create(author=alice, text="only one")
    assert alice_client.get(f"{path}?page=9").status_code == 404
    assert alice_client.get(f"{path}?page=1").status_code == 200


@pytest.mark.parametrize("path", ["/", "/explore/", "/u/alice/"])
def test_a_page_past_the_deepest_is_not_found_without_a_query(alice_client, alice, path):
    Tweet.objects.create(author=alice, text="only one")
    alice_client.get(path)  # the session and the user are read once and cached per request
    with CaptureQueriesContext(connection) as queries:
        response = alice_client.get(f"{path}?page={MAX_PAGE_NUMBER + 1}")
    assert response.status_code == 404
    assert not any("OFFSET" in query["sql"] for query in queries.captured_queries)


def test_the_deepest_page_offers_no_older_one(alice_client, alice, settings):
    settings.TWEETS_PER_PAGE = 1
    Tweet.objects.bulk_create(Tweet(author=alice, text=f"t{n}") for n in range(MAX_PAGE_NUMBER + 2))
    assert pager(alice_client.get(f"/?page={MAX_PAGE_NUMBER - 1}").content.decode())[1]
    assert pager(alice_client.get(f"/?page={MAX_PAGE_NUMBER}").content.decode()) == (True, False)


def test_no_query_counts_the_timeline_or_decorates_tweets_off_the_page(
    alice_client, alice, bob, settings, served
):
    settings.TWEETS_PER_PAGE = 5
    tweets = Tweet.objects.bulk_create(Tweet(author=alice, text=f"t{n}") for n in range(12))
    Like.objects.bulk_create(Like(user=bob, tweet=tweet) for tweet in tweets)

    with CaptureQueriesContext(connection) as captured:
        html = alice_client.get("/?page=2").content.decode()

    assert html.count("&#9825; 1</button>") == 5  # the like counts are there
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if "COUNT(*)" in sql], statements
    counting_likes = [sql for sql in statements if '"tweets_like"' in sql]
    assert counting_likes, statements
    for sql in counting_likes:
        # Decorated by primary key: the page's ids, not an OFFSET into the timeline. A page
        # built for the cache finds its ids in a WITH clause and decorates only those.
        one_query = ONE_QUERY_PAGE.fullmatch(sql)
        if one_query:
            assert '"tweets_like"' not in one_query["ids"], sql
            assert "OFFSET" not in one_query["rows"], sql
            assert "FROM page" in one_query["rows"], sql
        else:
            assert '"tweets_tweet"."id" IN (' in sql, sql
            assert "OFFSET" not in sql, sql


def test_a_page_built_for_the_cache_shows_what_the_orm_timeline_shows(
    alice, bob, make_user, settings
):
    """tweets.pages.page_rows and the timelines' conditions (home_sql, explore_sql) are SQL
    written by hand for speed; the ORM's plain timelines and tweets_for are the definition they
    must match, row for row, on every page."""
    settings.TWEETS_PER_PAGE = 4
    carol = make_user("carol")
    Follow.objects.create(follower=alice, followee=bob)
    Profile.objects.filter(user=bob).update(display_name="Bob B.", avatar="avatars/bob.png")
    first = Tweet.objects.create(author=bob, text="first")
    tweets = [Tweet.objects.create(author=author, text="t") for author in (alice, bob, carol) * 3]
    Tweet.objects.create(author=alice, text="reply", reply_to=first)
    Tweet.objects.create(author=carol, text="reply to a gone one", reply_to=tweets[0])
    tweets[0].delete()
    for liker in (bob, carol):
        Like.objects.bulk_create(Like(user=liker, tweet=tweet) for tweet in tweets[3::2])
    Like.objects.create(user=alice, tweet=first)

    for timeline, plain, expected in (
        (home_sql(alice.pk), home_tweets(alice), home_timeline(alice)),
        (explore_sql(), explore_tweets(), tweets_for(alice)),
    ):
        everything = list(expected.values_list(*cards.ROW_FIELDS))
        starts = range(0, len(everything), 4)
        theirs = [(everything[start : start + 4], len(everything) > start + 4) for start in starts]
        ours = []
        for number in range(1, len(starts) + 2):
            request = RequestFactory().get("/", {"page": number})
            request.user = alice
            if number > len(starts):
                with pytest.raises(Http404):
                    page_rows(request, timeline)
                continue
            page = page_rows(request, timeline)
            ours.append((list(page.object_list), page.has_next))
        assert len(theirs) >= 2
        assert ours == theirs
        assert [row[0] for row in everything] == list(plain.values_list("pk", flat=True))
    # The data had something of every kind a row shows.
    rows = [cards.CardRow(*row) for row in tweets_for(alice).values_list(*cards.ROW_FIELDS)]
    assert {row.liked_by_viewer for row in rows} == {True, False}
    assert {row.reply_count for row in rows} >= {0, 1}
    assert {row.like_count for row in rows} >= {0, 1, 2}


def test_the_profile_page_is_paged_the_same_way(alice_client, bob, settings):
    settings.TWEETS_PER_PAGE = 5
    Tweet.objects.bulk_create(Tweet(author=bob, text=f"bob-{n:02d}") for n in range(7))
    first = alice_client.get("/u/bob/").content.decode()
    second = alice_client.get("/u/bob/?page=2").content.decode()
    assert (first.count('class="tweet"'), second.count('class="tweet"')) == (5, 2)
    assert (pager(first), pager(second)) == ((False, True), (True, False))


@pytest.mark.parametrize(
    ("asked", "number"),
    [
        (None, 1),
        ("2", 2),
        ("0", 1),
        ("-3", 1),
        ("two", 1),
        ("", 1),
        (str(MAX_PAGE_NUMBER), MAX_PAGE_NUMBER),
    ],
)
def test_the_page_number_comes_from_the_query_string(asked, number):
    query = {} if asked is None else {"page": asked}
    assert page_number(RequestFactory().get("/", query)) == number


@pytest.mark.parametrize("asked", [str(MAX_PAGE_NUMBER + 1), "1000000", str(10**30)])
def test_a_page_number_past_the_deepest_is_not_found(asked):
    with pytest.raises(Http404):
        page_number(RequestFactory().get("/", {"page": asked}))


def test_a_page_says_which_pages_are_around_it():
    first = TimelinePage(number=1, object_list=[1, 2], has_next=True)
    last = TimelinePage(number=3, object_list=[5], has_next=False)
    only = TimelinePage(number=1, object_list=[], has_next=False)
    assert (first.has_previous, first.has_other_pages, first.next_page_number) == (False, True, 2)
    assert (last.has_previous, last.has_other_pages, last.previous_page_number) == (True, True, 2)
    assert not only.has_other_pages
    assert (len(first), list(first), len(only)) == (2, [1, 2], 0)
