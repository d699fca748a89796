"""Posting, replying, liking and deleting tweets, and the bad input each must refuse."""

import io
import os

import pytest
from django.db import connection
from PIL import Image

from core.renditions import ATTACHMENT, rendition_name
from service.tests.conftest import image_bytes, upload
from tweets.models import Like, Tweet

pytestmark = pytest.mark.django_db


def test_the_suite_runs_on_postgresql():
    assert connection.vendor == "postgresql"


def test_a_tweet_is_posted_and_shown_on_the_home_timeline(alice_client, alice):
    response = alice_client.post("/tweets/", {"text": "hello, world"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    tweet = Tweet.objects.get()
    assert (tweet.author, tweet.text) == (alice, "hello, world")
    assert "hello, world" in alice_client.get("/").content.decode()


def test_an_image_goes_to_the_media_bucket_under_a_generated_name(
    alice_client, bucket_keys, settings
):
    before = bucket_keys()
    response = alice_client.post(
        "/tweets/", {"text": "look", "image": upload("../../etc/passwd.png", image_bytes("PNG"))}
    )
    assert response.status_code == 302
    tweet = Tweet.objects.get()
    assert tweet.image.name.startswith("tweets/")
    assert tweet.image.name.endswith(".png")
    assert "passwd" not in tweet.image.name
    # Beside it, its rendition for the timeline (core.renditions): nothing else.
    name = tweet.image.name
    assert bucket_keys() - before == {name, rendition_name(name, ATTACHMENT)}
    page = alice_client.get("/").content.decode()
    # The page links to a signed URL on the S3 endpoint (the bucket stays private).
    assert settings.STORAGES["default"]["OPTIONS"]["endpoint_url"] in page
    assert "X-Amz-Signature=" in page


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "GIF", "WEBP"])
def test_every_allowed_image_format_is_accepted(alice_client, image_format):
    response = alice_client.post(
        "/tweets/", {"text": image_format, "image": upload("picture", image_bytes(image_format))}
    )
    assert response.status_code == 302
    assert Tweet.objects.get().image.name.endswith(
        {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}[image_format]
    )


def test_a_reply_links_to_its_tweet_and_is_counted(alice_client, bob):
    original = Tweet.objects.create(author=bob, text="question?")
    response = alice_client.post("/tweets/", {"text": "answer!", "reply_to": original.pk})
    assert response.status_code == 302
    reply = Tweet.objects.get(reply_to=original)
    assert reply.text == "answer!"
    detail = alice_client.get(f"/tweets/{original.pk}/").content.decode()
    assert "answer!" in detail
    assert "1 reply" in detail


def test_user_text_is_escaped(alice_client):
    alice_client.post("/tweets/", {"text": "<script>alert('x')</script>"})
    page = alice_client.get("/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_like_and_unlike(alice_client, alice, bob):
    tweet = Tweet.objects.create(author=bob, text="like me")
    assert alice_client.post(f"/tweets/{tweet.pk}/like/").status_code == 302
    assert Like.objects.filter(user=alice, tweet=tweet).count() == 1
    assert alice_client.post(f"/tweets/{tweet.pk}/unlike/").status_code == 302
    assert not Like.objects.exists()


def test_the_author_deletes_a_tweet_and_its_image(alice_client, alice, bucket_keys):
    alice_client.post("/tweets/", {"text": "oops", "image": upload("x.png", image_bytes())})
    tweet = Tweet.objects.get()
    assert tweet.image.name in bucket_keys()
    response = alice_client.post(f"/tweets/{tweet.pk}/delete/")
    assert response.status_code == 302
    assert not Tweet.objects.exists()


def test_deleting_removes_the_image_once_committed(
    alice_client, alice, bucket_keys, django_capture_on_commit_callbacks
):
    alice_client.post("/tweets/", {"text": "oops", "image": upload("x.png", image_bytes())})
    tweet = Tweet.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(f"/tweets/{tweet.pk}/delete/")
    assert tweet.image.name not in bucket_keys()


# --- bad input: a clear error, and nothing changes ------------------------------------------
def test_a_281_character_tweet_is_refused(alice_client):
    response = alice_client.post("/tweets/", {"text": "x" * 281})
    assert response.status_code == 400
    assert "A tweet is at most 280 characters (this one has 281)." in response.content.decode()
    assert not Tweet.objects.exists()


def test_a_280_character_tweet_is_accepted(alice_client):
    assert alice_client.post("/tweets/", {"text": "x" * 280}).status_code == 302
    assert Tweet.objects.get().text == "x" * 280


def test_an_empty_tweet_is_refused(alice_client):
    response = alice_client.post("/tweets/", {"text": "   "})
    assert response.status_code == 400
    assert "Write something first." in response.content.decode()
    assert not Tweet.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_and_not_stored(alice_client, bucket_keys):
    before = bucket_keys()
    response = alice_client.post(
        "/tweets/",
        {"text": "virus", "image": upload("cat.png", b"MZ\x90\x00 definitely not a picture")},
    )
    assert response.status_code == 400
    assert "Upload a valid image." in response.content.decode()
    assert not Tweet.objects.exists()
    assert bucket_keys() == before


def test_an_image_format_browsers_do_not_show_is_refused(alice_client, bucket_keys):
    before = bucket_keys()
    response = alice_client.post(
        "/tweets/", {"text": "bitmap", "image": upload("old.bmp", image_bytes("BMP"))}
    )
    assert response.status_code == 400
    assert "Upload a JPEG, PNG, GIF or WebP image (this file is BMP)." in response.content.decode()
    assert not Tweet.objects.exists()
    assert bucket_keys() == before


def test_an_image_over_5_mb_is_refused_and_not_stored(alice_client, bucket_keys):
    # A real, decodable PNG of just over 5 MB: random pixels do not compress.
    oversized = _incompressible_png(min_bytes=5 * 1024 * 1024 + 1)
    before = bucket_keys()
    response = alice_client.post(
        "/tweets/", {"text": "huge", "image": upload("huge.png", oversized)}
    )
    assert response.status_code == 400
    assert "the limit is 5.0\xa0MB" in response.content.decode()
    assert not Tweet.objects.exists()
    assert bucket_keys() == before


def _incompressible_png(min_bytes: int) -> bytes:
    side = 1400
    while True:
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=0)
        if buffer.tell() >= min_bytes:
            return buffer.getvalue()
        side += 200


def test_liking_twice_is_refused(alice_client, alice, bob):
    tweet = Tweet.objects.create(author=bob, text="like me once")
    alice_client.post(f"/tweets/{tweet.pk}/like/")
    response = alice_client.post(f"/tweets/{tweet.pk}/like/")
    assert response.status_code == 409
    assert "You already like this tweet." in response.content.decode()
    assert Like.objects.filter(user=alice, tweet=tweet).count() == 1


def test_unliking_what_was_not_liked_is_refused(alice_client, bob):
    tweet = Tweet.objects.create(author=bob, text="never liked")
    response = alice_client.post(f"/tweets/{tweet.pk}/unlike/")
    assert response.status_code == 409
    assert "You do not like this tweet yet" in response.content.decode()


def test_deleting_another_users_tweet_is_refused(alice_client, bob):
    tweet = Tweet.objects.create(author=bob, text="mine, not alice's")
    response = alice_client.post(f"/tweets/{tweet.pk}/delete/")
    assert response.status_code == 403
    assert "You can only delete your own tweets." in response.content.decode()
    assert Tweet.objects.filter(pk=tweet.pk).exists()


def test_deleting_a_missing_tweet_is_404(alice_client):
    assert alice_client.post("/tweets/999999/delete/").status_code == 404


def test_state_changes_need_post(alice_client, bob):
    tweet = Tweet.objects.create(author=bob, text="get me")
    for url in (f"/tweets/{tweet.pk}/like/", f"/tweets/{tweet.pk}/delete/", "/tweets/"):
        assert alice_client.get(url).status_code == 405
    assert Tweet.objects.filter(pk=tweet.pk).exists()
    assert not Like.objects.exists()
