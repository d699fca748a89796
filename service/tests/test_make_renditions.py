"""`manage.py make_renditions`: an upload stored before renditions gets its sized name and
renditions, re-encoded as a new upload is, and its old object goes; one refused today stays."""

import io
import re
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from core.renditions import ATTACHMENT, AVATAR_SMALL, original_size, rendition_name
from service.bench.gif_bytes import one_pixel_frames

pytestmark = pytest.mark.django_db

COMMENT = b"written by an old editor"


@pytest.fixture(autouse=True)
def no_cached_pages(settings):
    # Nothing cached: the command need not wait before it deletes the old objects.
    settings.CARD_CACHE_SECONDS = 0
    settings.TIMELINE_CACHE_SECONDS = 0


def stored_before_renditions(name: str, size=(1200, 900)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 220)).save(buffer, format="JPEG", comment=COMMENT)
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def redo(*args: str) -> str:
    out = StringIO()
    call_command("make_renditions", *args, stdout=out)
    return out.getvalue()


def test_an_old_tweet_image_and_avatar_get_their_renditions(alice, alice_client, bucket_keys):
    from tweets.models import Tweet

    image = stored_before_renditions("tweets/0ld1mage.jpg")
    avatar = stored_before_renditions("avatars/0ldav4tar.jpg", (300, 300))
    tweet = Tweet.objects.create(author=alice, text="from before", image=image)
    alice.profile.avatar = avatar
    alice.profile.save()
    page = alice_client.get("/").content.decode()
    assert 'width="' not in re.search(r'<img class="attachment"[^>]*>', page)[0]

    assert "would redo tweets/0ld1mage.jpg" in redo("--dry-run")
    assert {image, avatar} <= bucket_keys()
    out = redo()
    assert "2 upload(s) given renditions, 0 left as they were" in out

    tweet.refresh_from_db()
    alice.profile.refresh_from_db()
    assert original_size(tweet.image.name) == (1200, 900)
    assert original_size(alice.profile.avatar.name) == (300, 300)
    keys = bucket_keys()
    assert rendition_name(tweet.image.name, ATTACHMENT) in keys
    assert rendition_name(alice.profile.avatar.name, AVATAR_SMALL) in keys
    assert not {image, avatar} & keys
    with default_storage.open(tweet.image.name) as stored:
        assert COMMENT not in stored.read()  # re-encoded as a new upload is
    page = alice_client.get("/").content.decode()
    width, height = ATTACHMENT.shown_size(1200, 900)
    tag = re.search(r'<img class="attachment"[^>]*>', page)[0]
    assert f'width="{width}" height="{height}"' in tag
    assert "0 upload(s) given renditions" in redo()  # nothing left to do


def test_an_upload_refused_today_is_left_as_it_is(alice, bucket_keys):
    from tweets.models import Tweet

    name = default_storage.save("tweets/0ldb0mb.gif", ContentFile(one_pixel_frames(1_000)))
    Tweet.objects.create(author=alice, text="many frames", image=name)
    out = redo()
    assert f"left {name} as it is: The animation has more than" in out
    assert Tweet.objects.get().image.name == name
    assert name in bucket_keys()
