"""core.sql names tables and columns as the models declare them, quoted for Postgres."""

from core.sql import column, table
from tweets.models import Like, Tweet


def test_a_foreign_key_is_named_by_its_column():
    assert column(Tweet, "author") == '"author_id"'
    assert column(Like, "tweet") == '"tweet_id"'


def test_a_table_is_named_as_the_model_declares_it():
    assert table(Tweet) == '"tweets_tweet"'
