from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.urls import reverse

from core.images import upload_path
from tweets import tokens

TWEET_MAX_LENGTH = 280
# The text search configuration of the search page and of its index (tweet_text_search): the
# query must name the same one as the index expression, or Postgres cannot use the index.
SEARCH_CONFIG = "english"


def text_search_vector() -> SearchVector:
    """The tweet text as a tsvector: the expression of the index tweet_text_search and of the
    search page's filter, the same on both (tweets.search)."""
    return SearchVector("text", config=SEARCH_CONFIG)


def tweet_image_upload_to(tweet: "Tweet", filename: str) -> str:
    return upload_path("tweets", filename)


class Tweet(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tweets"
    )
    text = models.CharField(max_length=TWEET_MAX_LENGTH)
    image = models.ImageField(upload_to=tweet_image_upload_to, blank=True)
    # A reply outlives the tweet it answered, as on other sites: the link is cleared.
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What tweets.tokens finds in the text, stored when the tweet is saved so that the hashtag
    # page and "which tweets mention this user" are GIN index scans, not scans of every text.
    # Rows written without save() (bulk_create) must fill them: with_tokens(). GIN's built-in
    # array_ops serve @> and &&, no extension needed:
    # https://www.postgresql.org/docs/15/gin-builtin-opclasses.html,
    # https://docs.djangoproject.com/en/5.2/ref/contrib/postgres/fields/#arrayfield
    # The database default covers rows copied in (service.bench.dataset): such texts carry no
    # tokens.
    hashtags = ArrayField(
        models.CharField(max_length=tokens.HASHTAG_MAX_LENGTH),
        default=list,
        db_default=[],
        blank=True,
    )
    # Mentions in lower case (tweets.tokens.mention_key): "@Alice" and "@alice" name one user.
    mentions = ArrayField(models.CharField(max_length=150), default=list, db_default=[], blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Home and profile timelines: one author's newest tweets first.
            models.Index(fields=["author", "-created_at", "-id"], name="tweet_author_newest"),
            # Explore: everyone's newest tweets first.
            models.Index(fields=["-created_at", "-id"], name="tweet_newest"),
            # The hashtag page (hashtags @> ARRAY[tag]) and the tweets mentioning a user.
            GinIndex(fields=["hashtags"], name="tweet_hashtags"),
            GinIndex(fields=["mentions"], name="tweet_mentions"),
            # The search page: to_tsvector('english', text) @@ websearch_to_tsquery(...).
            GinIndex(text_search_vector(), name="tweet_text_search"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="tweet_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.text[:40]}"

    def save(self, *args, **kwargs) -> None:
        self.with_tokens()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "hashtags", "mentions"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tweet_detail", args=[self.pk])

    def with_tokens(self) -> "Tweet":
        """This tweet with `hashtags` and `mentions` read from its text (save() calls it)."""
        self.hashtags = tokens.hashtags(self.text)
        self.mentions = tokens.mentioned_usernames(self.text)
        return self


class Like(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes"
    )
    tweet = models.ForeignKey(Tweet, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tweet", "user"], name="like_once")]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.tweet_id}"


class TimelineVersion(models.Model):
    """How many times a cached timeline has gone out of date (tweets.timeline_cache).

    One row per home timeline (`owner_id` is the viewer's user id) and one for the explore
    timeline (`owner_id` 0). Whatever changes what a timeline shows adds one to its counter, in
    the same transaction as the change; cached pages are keyed by the counter, so an old page is
    never served again. No foreign key: the explore row has no user, and a deleted user's row is
    harmless.
    """

    owner_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"timeline of {self.owner_id or 'explore'} at version {self.version}"
