"""The hashtag, search and thread pages run as many SQL queries with 50,000 tweets as with
1,000 (service/tests/test_timeline_queries.py holds the timelines to the same target).

`pytest service/tests/test_finding_queries.py -s` prints the counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile
from tweets import threads
from tweets.models import Like, Tweet
from tweets.timelines import NEWEST_FIRST

pytestmark = pytest.mark.django_db

SMALL, LARGE = 1_000, 50_000


def grow(authors, viewer, total: int) -> None:
    """Tweets up to `total`, every card's features present: a hashtag shared by all, a word
    to search, a mention of an existing user and of a missing one, a link, an image, likes
    (the viewer's on every other tweet) and each tweet answering the one before it."""
    have = Tweet.objects.count()
    new = Tweet.objects.bulk_create(
        Tweet(
            author=authors[n % len(authors)],
            text=f"common tweet {n} #common #tag{n % 100} @{authors[0].username} @nobody "
            "https://example.com/",
            image=f"tweets/picture-{n}.png",
        ).with_tokens()
        for n in range(have, total)
    )
    Like.objects.bulk_create(
        [Like(user=authors[0], tweet=t) for t in new]
        + [Like(user=viewer, tweet=t) for t in new[::2]]
    )
    previous = Tweet.objects.filter(pk__lt=new[0].pk).order_by("-pk").first()
    for tweet in new:
        tweet.reply_to = previous
        previous = tweet
    Tweet.objects.bulk_update(new, ["reply_to"], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pages() -> dict[str, str]:
    newest = Tweet.objects.order_by(*NEWEST_FIRST).first()
    return {
        "hashtag": "/tags/common/",
        "hashtag page 2": "/tags/common/?page=2",
        "search": "/search/?q=common",
        "search page 2": "/search/?q=common&page=2",
        "thread": f"/tweets/{newest.pk}/",
    }


def counts(client, paths: dict[str, str]) -> dict[str, int]:
    found = {}
    for name, path in paths.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert page.count('class="tweet"') > 1, path
        assert 'class="mention"' in page, path
        if name == "thread":  # the whole bounded chain above the newest tweet
            assert page.count('class="tweet"') == threads.MAX_ANCESTORS + 1
        found[name] = len(captured)
    return found


def test_the_new_pages_do_not_grow_with_the_tweets(alice_client, alice, make_user):
    authors = [make_user(f"author{n}") for n in range(5)]
    for author in authors:
        Profile.objects.filter(user=author).update(
            display_name=author.username.title(), avatar=f"avatars/{author.username}.png"
        )
    grow(authors, alice, SMALL)
    at_small = counts(alice_client, pages())
    grow(authors, alice, LARGE)
    at_large = counts(alice_client, pages())

    for name in at_small:
        print(f"{name}: {at_small[name]} queries at {SMALL} tweets, {at_large[name]} at {LARGE}")
    assert at_large == at_small
