"""An upload's pixels are decoded once: its re-encoding and every rendition are made from the
same decoded frames (core.images.reencoded, core.renditions.made_from), so an avatar with two
renditions costs one decode of the file, not three. Counted at Pillow's decoder factory,
which every decode of JPEG, PNG and GIF pixel data goes through (PIL.ImageFile.load)."""

import pytest
from PIL import Image

from accounts.models import Profile
from core.renditions import AVATAR_RENDITIONS, original_size
from service.tests.conftest import upload
from service.tests.test_renditions import animation, still

pytestmark = pytest.mark.django_db


@pytest.fixture
def decodes(monkeypatch) -> list[str]:
    """The decoder made for each decode of pixel data, in order."""
    made: list[str] = []
    make = Image._getdecoder

    def counted(mode, decoder_name, *args, **kwargs):
        made.append(decoder_name)
        return make(mode, decoder_name, *args, **kwargs)

    monkeypatch.setattr(Image, "_getdecoder", counted)
    return made


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_an_avatar_and_both_its_renditions_cost_one_decode(
    alice_client, alice, decodes, image_format
):
    assert len(AVATAR_RENDITIONS) == 2
    content = still(image_format, (640, 480))
    response = alice_client.post(
        "/accounts/profile/",
        {"display_name": "", "bio": "", "avatar": upload("me", content)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert original_size(Profile.objects.get(user=alice).avatar.name) == (640, 480)
    assert len(decodes) == 1, decodes


def test_an_animation_decodes_each_frame_once(alice_client, decodes):
    from tweets.models import Tweet

    durations = [40, 120, 60]
    content = animation("GIF", (1200, 600), durations)
    response = alice_client.post(
        "/tweets/", {"text": "moving", "image": upload("moving.gif", content, "image/gif")}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Tweet.objects.get().image.name.endswith(".gif")
    assert len(decodes) == len(durations), decodes
