from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models.functions import Upper

from core.images import upload_path


def avatar_upload_to(profile: "Profile", filename: str) -> str:
    return upload_path("avatars", filename)


class Profile(models.Model):
    """What other users see about a user besides the username. Created with every user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    display_name = models.CharField(max_length=50, blank=True)
    bio = models.CharField(max_length=160, blank=True)
    avatar = models.ImageField(upload_to=avatar_upload_to, blank=True)

    class Meta:
        indexes = [
            # People search: `display_name__istartswith`, which Django writes as
            # UPPER("display_name"::text) LIKE UPPER('prefix%'). The index holds that same
            # expression (upper() takes text: Postgres casts the column alike), and
            # text_pattern_ops lets LIKE 'prefix%' range-scan it whatever the database's
            # collation (tweets.search.people).
            # https://www.postgresql.org/docs/18/indexes-opclass.html
            models.Index(
                OpClass(Upper("display_name"), name="text_pattern_ops"),
                name="profile_display_name_prefix",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_username()


class Follow(models.Model):
    """`follower` sees `followee`'s tweets on their home timeline."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following_links"
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follower_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The follower and following lists, newest follow first (accounts.follow_lists): each
        # page is the first rows of one of these, with no sort of everyone a user follows or
        # is followed by.
        indexes = [
            models.Index(fields=["followee", "-created_at", "-id"], name="follow_followee_newest"),
            models.Index(fields=["follower", "-created_at", "-id"], name="follow_follower_newest"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_once"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")), name="follow_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followee_id}"
