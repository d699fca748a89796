"""Signed media URLs that stay the same for a signing window (django_fargate.media_storage),
signed exactly as botocore signs them, answered by the bucket with a long Cache-Control."""

import datetime
from urllib.parse import parse_qs, urlsplit

import boto3
import botocore.auth
import pytest
import requests
from botocore.config import Config
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from django_fargate.media_storage import MAX_EXPIRES, StableUrlS3Storage, presigned_get, signed_at

DAY = 24 * 3600
NOON = 1_796_000_000 + 43_200  # a moment well inside a day's window


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_one_window_has_one_signing_time():
    start = signed_at(NOON, DAY)
    assert start % DAY == 0
    assert start <= NOON < start + DAY
    assert signed_at(start, DAY) == signed_at(start + DAY - 1, DAY) == start
    assert signed_at(start + DAY, DAY) == start + DAY


def test_a_url_is_signed_as_botocore_signs_it_at_that_time(s3_endpoint, monkeypatch):
    # botocore's own presigner with its clock stopped at the same second gives the same URL.
    s3_client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="ap-northeast-1",
        config=Config(signature_version="s3v4"),
    )
    moment = datetime.datetime.fromtimestamp(NOON, datetime.UTC).replace(tzinfo=None)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda *args, **kwargs: moment)
    expected = s3_client.generate_presigned_url(
        "get_object", Params={"Bucket": "b", "Key": "tweets/a.1x1.png"}, ExpiresIn=7200
    )
    plain = expected.split("?")[0]
    credentials = s3_client._request_signer._credentials.get_frozen_credentials()
    assert presigned_get(plain, credentials, "ap-northeast-1", NOON, 7200) == expected


@pytest.mark.parametrize("expires", [0, MAX_EXPIRES + 1])
def test_sigv4_refuses_what_s3_would(s3_client, expires):
    credentials = s3_client._request_signer._credentials.get_frozen_credentials()
    with pytest.raises(ValueError, match="SigV4 allows 1 to 604800 s"):
        presigned_get("http://127.0.0.1:9/b/k", credentials, "ap-northeast-1", NOON, expires)


def test_a_window_and_margin_past_seven_days_are_refused():
    with pytest.raises(ValueError, match="shorten the window"):
        StableUrlS3Storage(bucket_name="b", signing_window=MAX_EXPIRES, signing_margin=1)


def test_every_page_of_one_window_gets_the_same_url_and_the_next_window_a_new_one():
    storage = default_storage
    window, margin = storage.signing_window, storage.signing_margin
    start = signed_at(NOON, window)
    first = storage.url("tweets/a.10x10.png", now=start)
    assert storage.url("tweets/a.10x10.png", now=start + window - 1) == first
    assert storage.url("tweets/a.10x10.png", now=start + window) != first
    signed = query(first)
    assert signed["X-Amz-Expires"] == str(window + margin)
    day = datetime.datetime.fromtimestamp(start, datetime.UTC)
    assert signed["X-Amz-Date"] == day.strftime("%Y%m%dT%H%M%SZ")


@pytest.mark.django_db
def test_the_bucket_answers_a_stored_image_with_its_cache_lifetime():
    from django.conf import settings

    name = default_storage.save("tweets/probe.2x2.png", ContentFile(b"\x89PNG probe"))
    try:
        response = requests.get(default_storage.url(name), timeout=10)
        assert response.status_code == 200, response.text[:500]
        assert response.content == b"\x89PNG probe"
        assert response.headers["Cache-Control"] == settings.MEDIA_CACHE_CONTROL
        window = default_storage.signing_window + default_storage.signing_margin
        assert f"max-age={window}" in settings.MEDIA_CACHE_CONTROL
    finally:
        default_storage.delete(name)
