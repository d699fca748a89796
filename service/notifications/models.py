"""What happened to a user that they have not necessarily seen: a reply to one of their tweets,
a mention of them, a like of one of their tweets, a new follower.

At most one notification per recipient, actor, kind and tweet (one per follower for follows):
a like taken back and given again, or a tweet saved twice, never notifies twice
(notifications.record inserts with ON CONFLICT DO NOTHING against these constraints).
A notification goes with its cause where the cause is a row: the reply or the mentioning tweet,
the liked tweet, either user (ON DELETE CASCADE). An unlike or an unfollow takes back the
notification only while it is unread (notifications.record).
"""

from django.conf import settings
from django.db import models

from tweets.models import Tweet


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", "replied to your tweet"
        MENTION = "mention", "mentioned you"
        LIKE = "like", "liked your tweet"
        FOLLOW = "follow", "followed you"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The reply, the mentioning tweet or the liked tweet; none for a follow.
    tweet = models.ForeignKey(
        Tweet, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # /notifications/: one recipient's newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_newest"),
            # The unread count in the header of every page: only unread rows are indexed.
            models.Index(
                fields=["recipient"], condition=models.Q(read=False), name="notification_unread"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "actor", "kind", "tweet"],
                condition=models.Q(tweet__isnull=False),
                name="notification_once_per_tweet",
            ),
            models.UniqueConstraint(
                fields=["recipient", "actor", "kind"],
                condition=models.Q(tweet__isnull=True),
                name="notification_once_per_follow",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="follow", tweet__isnull=True)
                | (~models.Q(kind="follow") & models.Q(tweet__isnull=False)),
                name="notification_tweet_unless_follow",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.kind} -> {self.recipient_id}"
