"""Record notifications in the transaction of what causes them (notifications.record).

Rows written without signals (bulk loads, raw fixtures) notify no one.
"""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Follow
from notifications import record
from tweets.models import Like, Tweet


def _deleted_itself(origin, model) -> bool:
    """Whether a delete started from this model (an unlike, an unfollow) rather than cascaded
    from a deleted tweet or user, whose own cascade takes the notifications with it: no
    statement per like of a deleted tweet. `origin`: Django's post_delete argument, the instance
    or queryset whose delete() began it."""
    if isinstance(origin, QuerySet):
        return origin.model is model
    return isinstance(origin, model)


@receiver(post_save, sender=Tweet, dispatch_uid="notifications.tweet_saved")
def tweet_saved(sender, instance: Tweet, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        record.tweet_posted(instance)


@receiver(post_save, sender=Like, dispatch_uid="notifications.like_saved")
def like_saved(sender, instance: Like, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        record.liked(instance)


@receiver(post_delete, sender=Like, dispatch_uid="notifications.like_deleted")
def like_deleted(sender, instance: Like, origin=None, **kwargs) -> None:
    if _deleted_itself(origin, Like):
        record.unliked(instance)


@receiver(post_save, sender=Follow, dispatch_uid="notifications.follow_saved")
def follow_saved(sender, instance: Follow, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        record.followed(instance)


@receiver(post_delete, sender=Follow, dispatch_uid="notifications.follow_deleted")
def follow_deleted(sender, instance: Follow, origin=None, **kwargs) -> None:
    if _deleted_itself(origin, Follow):
        record.unfollowed(instance)
