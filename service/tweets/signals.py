"""Keep cached timelines honest: every change to what a timeline shows bumps its version.

The receivers run inside the transaction of the change (post_save / post_delete), so a reader
never sees the new version without the change. See tweets.timeline_cache.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from accounts.models import Follow, Profile
from tweets import timeline_cache
from tweets.models import Like, Tweet
from tweets.tokens import mention_key


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


# --- mentions: a card links a mention only while that user exists (tweets.cards) -------------

User = get_user_model()


def _mentioning_authors_changed(usernames: list[str]) -> None:
    """Cards mentioning these usernames link differently now: their timelines are out of date
    (the cards themselves get new keys from their rows, tweets.cards.key_of_row)."""
    names = [mention_key(name) for name in usernames if name]
    if names:
        timeline_cache.authors_changed(
            Tweet.objects.filter(mentions__overlap=names).values("author")
        )


def _username_may_change(instance, update_fields) -> bool:
    # Sign-in saves last_login only: no lookup then.
    return update_fields is None or "username" in update_fields


@receiver(pre_save, sender=User, dispatch_uid="tweets.user_saving")
def user_saving(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None or not _username_may_change(instance, update_fields):
        return
    instance._username_before = (
        User.objects.filter(pk=instance.pk).values_list("username", flat=True).first()
    )


@receiver(post_save, sender=User, dispatch_uid="tweets.user_saved")
def user_saved(sender, instance, created: bool, raw: bool = False, update_fields=None, **kwargs):
    if raw:
        return
    before = getattr(instance, "_username_before", None)
    if created:
        _mentioning_authors_changed([instance.get_username()])
    elif before is not None and before != instance.get_username():
        _mentioning_authors_changed([before, instance.get_username()])


@receiver(post_delete, sender=User, dispatch_uid="tweets.user_deleted")
def user_deleted(sender, instance, **kwargs) -> None:
    _mentioning_authors_changed([instance.get_username()])
