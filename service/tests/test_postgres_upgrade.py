"""The demo across the db image's major-version upgrade: a previous-major cluster holding the
bench data set (its migrated schema, users and tweets) comes out with every tweet, row and
sequence, Django sees its schema as migrated, and a new tweet takes the next id. The upgrade
itself, on any app's data, is the platform's test (tests/components/images/db/
test_postgres_upgrade.py); `python -m service.bench.upgrade` times the full 50,000-tweet set."""

from __future__ import annotations

import pytest

from service.bench.upgrade import django, load, snapshot
from stack.postgres_version import POSTGRES_MAJOR, PREVIOUS_MAJOR
from tools.local.db_volume import Volume, free_port

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def upgraded():
    """A previous-major cluster with 3,000 tweets, read, upgraded and started again."""
    volume = Volume.fresh()
    port = free_port()
    media = volume.root / "media"
    volume.initdb(PREVIOUS_MAJOR)
    volume.start(PREVIOUS_MAJOR, port)
    try:
        load(port, media, users=150, tweets=3000)
        before = snapshot(port)
        volume.stop(PREVIOUS_MAJOR)
        result, _ = volume.upgrade()
        assert result.returncode == 0, result.stderr
        volume.start(POSTGRES_MAJOR, port)
        yield {"port": port, "media": media, "before": before}
    finally:
        volume.discard()


def test_every_row_every_tweet_and_every_sequence_survive(upgraded):
    before, after = upgraded["before"], snapshot(upgraded["port"])
    assert (before["major"], after["major"]) == (PREVIOUS_MAJOR, POSTGRES_MAJOR)
    assert before["counts"]["tweets_tweet"] == 3000
    assert after["counts"] == before["counts"]
    assert after["tweets_md5"] == before["tweets_md5"]
    assert after["sequences"] == before["sequences"]


def test_the_application_reads_and_writes_on_the_upgraded_directory(upgraded):
    """Django sees its schema as migrated and a new tweet takes the next id (sequences)."""
    port, media = upgraded["port"], upgraded["media"]
    django(port, media, "migrate", "--check", "--no-input")
    code = (
        "from django.contrib.auth import get_user_model; from tweets.models import Tweet; "
        "user = get_user_model().objects.order_by('id').first(); "
        "tweet = Tweet.objects.create(author=user, text='after the upgrade'); "
        "print(tweet.id, Tweet.objects.count())"
    )
    printed = django(port, media, "shell", "-c", code).strip().splitlines()[-1]  # after the logs
    new_id, count = map(int, printed.split())
    assert count == upgraded["before"]["counts"]["tweets_tweet"] + 1
    assert new_id == upgraded["before"]["sequences"]["tweets_tweet_id_seq"] + 1
