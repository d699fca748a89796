"""Keep cached timelines honest: every change to what a timeline shows bumps its version.

The receivers run inside the transaction of the change (post_save / post_delete), so a reader
never sees the new version without the change. See tweets.timeline_cache.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from accounts.models import Follow, Profile
from tweets import timeline_cache
from tweets.models import Like, Tweet


@receiver(post_save, sender=Tweet, dispatch_uid="tweets.tweet_saved")
def tweet_saved(sender, instance: Tweet, raw: bool = False, **kwargs) -> None:
    # A reply also changes the reply count shown on the tweet it answers.
    replied_author = instance.reply_to.author_id if instance.reply_to_id else None
    timeline_cache.authors_changed([instance.author_id, replied_author])


@receiver(pre_delete, sender=Tweet, dispatch_uid="tweets.tweet_deleting")
def tweet_deleting(sender, instance: Tweet, **kwargs) -> None:
    # Replies lose their "Replying to" line when the tweet goes: their authors' readers too.
    instance._reply_authors = list(
        Tweet.objects.filter(reply_to=instance.pk).values_list("author_id", flat=True).distinct()
    )


@receiver(post_delete, sender=Tweet, dispatch_uid="tweets.tweet_deleted")
def tweet_deleted(sender, instance: Tweet, **kwargs) -> None:
    authors = [instance.author_id, *getattr(instance, "_reply_authors", [])]
    if instance.reply_to_id:
        authors += Tweet.objects.filter(pk=instance.reply_to_id).values_list("author_id", flat=True)
    timeline_cache.authors_changed(authors)


@receiver(post_save, sender=Like, dispatch_uid="tweets.like_saved")
@receiver(post_delete, sender=Like, dispatch_uid="tweets.like_deleted")
def like_changed(sender, instance: Like, **kwargs) -> None:
    timeline_cache.authors_changed(Tweet.objects.filter(pk=instance.tweet_id).values("author"))


@receiver(post_save, sender=Follow, dispatch_uid="tweets.follow_saved")
@receiver(post_delete, sender=Follow, dispatch_uid="tweets.follow_deleted")
def follow_changed(sender, instance: Follow, **kwargs) -> None:
    timeline_cache.home_timeline_changed(instance.follower_id)


@receiver(post_save, sender=Profile, dispatch_uid="tweets.profile_saved")
def profile_saved(sender, instance: Profile, **kwargs) -> None:
    # Cards show the author's display name and avatar.
    timeline_cache.authors_changed([instance.user_id])
