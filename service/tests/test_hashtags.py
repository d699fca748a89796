"""The hashtag page /tags/<tag>/: a tweet's tags are stored when it is saved and the page
reads them through the GIN index tweet_hashtags, newest first, paginated as the timelines."""

import pytest
from django.db import connection

from tweets.models import Tweet
from tweets.pages import MAX_PAGE_NUMBER

pytestmark = pytest.mark.django_db


def test_saving_a_tweet_stores_its_hashtags_and_mentions(alice):
    tweet = Tweet.objects.create(author=alice, text="#Django and #django with @bob, #python")
    tweet.refresh_from_db()
    assert tweet.hashtags == ["django", "python"]
    assert tweet.mentions == ["bob"]
    tweet.text = "now #rust"
    tweet.save(update_fields=["text"])
    tweet.refresh_from_db()
    assert (tweet.hashtags, tweet.mentions) == (["rust"], [])


def test_the_page_shows_the_tagged_tweets_newest_first(alice_client, alice, bob):
    Tweet.objects.create(author=alice, text="older one #Django")
    Tweet.objects.create(author=bob, text="not tagged django")
    Tweet.objects.create(author=bob, text="newer one #django")

    page = alice_client.get("/tags/django/").content.decode()

    assert page.count('class="tweet"') == 2
    assert page.index("newer one") < page.index("older one")
    assert "not tagged" not in page
    assert alice_client.get("/tags/DJANGO/").status_code == 200
    assert alice_client.get("/tags/123/").status_code == 404  # digits only: no hashtag


def test_the_page_is_paginated_and_ends(alice_client, alice, settings):
    settings.TWEETS_PER_PAGE = 2
    Tweet.objects.bulk_create(Tweet(author=alice, text=f"n{n} #x").with_tokens() for n in range(3))
    first = alice_client.get("/tags/x/").content.decode()
    assert first.count('class="tweet"') == 2
    assert "?page=2" in first
    assert alice_client.get("/tags/x/?page=2").content.decode().count('class="tweet"') == 1
    assert alice_client.get("/tags/x/?page=3").status_code == 404
    assert alice_client.get(f"/tags/x/?page={MAX_PAGE_NUMBER + 1}").status_code == 404


def test_the_page_reads_the_tags_through_their_index(alice):
    # 2,000 tweets, each tag on four: a text scan would read them all, the index finds four.
    Tweet.objects.bulk_create(
        Tweet(author=alice, text=f"tweet {n} #tag{n % 500}").with_tokens() for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tweets_tweet")
    query = Tweet.objects.filter(hashtags__contains=["tag7"]).order_by("-created_at", "-id")

    plan = query.values("pk")[:51].explain()
    print(plan)

    assert "tweet_hashtags" in plan, plan
    assert "Seq Scan" not in plan, plan
