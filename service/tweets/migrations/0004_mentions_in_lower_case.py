"""Tweets written before mentions were compared in any case: their `mentions` in lower case
(tweets.tokens.mention_key), as save() now stores them, so "@Alice" links and finds alice."""

from django.db import migrations

from tweets import tokens


def lower_mentions(apps, schema_editor):
    Tweet = apps.get_model("tweets", "Tweet")
    batch = []
    for tweet in Tweet.objects.exclude(mentions=[]).only("pk", "text").iterator(chunk_size=2000):
        tweet.mentions = tokens.mentioned_usernames(tweet.text)
        batch.append(tweet)
        if len(batch) == 2000:
            Tweet.objects.bulk_update(batch, ["mentions"])
            batch = []
    Tweet.objects.bulk_update(batch, ["mentions"])


class Migration(migrations.Migration):
    dependencies = [("tweets", "0003_tokens_and_search_indexes")]

    operations = [migrations.RunPython(lower_mentions, migrations.RunPython.noop)]
