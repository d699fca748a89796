from django.conf import settings
from django.db import models
from django.urls import reverse

from core.images import upload_path

TWEET_MAX_LENGTH = 280


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

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Home and profile timelines: one author's newest tweets first.
            models.Index(fields=["author", "-created_at", "-id"], name="tweet_author_newest"),
            # Explore: everyone's newest tweets first.
            models.Index(fields=["-created_at", "-id"], name="tweet_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="tweet_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.text[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("tweet_detail", args=[self.pk])


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
