from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.create_profile")
def create_profile(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # Every user has a profile, so pages can join it instead of checking for it.
    if created and not raw:
        Profile.objects.get_or_create(user=instance)
