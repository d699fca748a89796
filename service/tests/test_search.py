"""/search/?q=: tweets by Postgres full-text search (websearch syntax) through the GIN index
tweet_text_search, people by username or display name prefix, the cost bounded."""

import pytest
from django.db import connection

from accounts.models import Profile
from tweets import search
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def results(client, q: str, **params) -> str:
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_tweets_match_their_words_stemmed_best_first(alice_client, alice, bob):
    Tweet.objects.create(author=bob, text="I am running a marathon")
    Tweet.objects.create(author=bob, text="run run run, and a marathon too")
    Tweet.objects.create(author=bob, text="nothing to see")

    page = results(alice_client, "runs")

    assert page.count('class="tweet"') == 2
    assert "nothing to see" not in page
    assert page.index("run run run") < page.index("I am running")


def test_the_websearch_syntax_excludes_and_quotes(alice_client, bob):
    Tweet.objects.create(author=bob, text="red apples")
    Tweet.objects.create(author=bob, text="green apples")
    Tweet.objects.create(author=bob, text="apples red")

    assert results(alice_client, "apples -green").count('class="tweet"') == 2
    assert results(alice_client, '"red apples"').count('class="tweet"') == 1


def test_people_are_found_by_username_or_display_name_prefix(alice_client, make_user):
    make_user("zed_one")
    other = make_user("quentin")
    Profile.objects.filter(user=other).update(display_name="Zelda Q")

    page = results(alice_client, "ze")

    assert 'href="/u/zed_one/"' in page
    assert 'href="/u/quentin/"' in page
    assert 'href="/u/alice/"' not in page.split("<main>")[1]
    assert 'href="/u/zed_one/"' in results(alice_client, "@zed")


def test_an_empty_query_shows_the_form_and_no_results(alice_client, bob):
    Tweet.objects.create(author=bob, text="anything")
    page = results(alice_client, "   ")
    assert 'role="search"' in page
    assert '<label for="search-q">' in page
    assert 'class="tweet"' not in page


def test_an_overlong_query_is_refused_before_any_search(alice_client):
    response = alice_client.get("/search/", {"q": "x" * (search.MAX_QUERY_LENGTH + 1)})
    assert response.status_code == 400
    assert f"at most {search.MAX_QUERY_LENGTH} characters" in response.content.decode()


def test_results_are_paginated_and_capped(alice_client, bob, settings):
    settings.TWEETS_PER_PAGE = 2
    Tweet.objects.bulk_create(Tweet(author=bob, text=f"cats {n}") for n in range(5))
    first = results(alice_client, "cats")
    assert first.count('class="tweet"') == 2
    assert "?q=cats&amp;page=2" in first
    assert results(alice_client, "cats", page=3).count('class="tweet"') == 1
    assert alice_client.get("/search/", {"q": "cats", "page": 4}).status_code == 404
    too_deep = {"q": "cats", "page": search.SEARCH_MAX_PAGE + 1}
    assert alice_client.get("/search/", too_deep).status_code == 404


def test_the_tweet_search_uses_the_full_text_index(alice):
    # A text scan would read all 5,000 texts; the index finds the few that match.
    Tweet.objects.bulk_create(
        Tweet(author=alice, text=f"tweet number {n} about topic{n % 1000}") for n in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tweets_tweet")

    plan = search.matching_tweet_ids("topic7")[:51].explain()
    print(plan)

    assert "tweet_text_search" in plan, plan
    assert "Seq Scan" not in plan, plan
