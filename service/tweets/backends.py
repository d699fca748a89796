"""Sign-in that also brings the versions of the viewer's cached timelines (tweets.timeline_cache).

Every signed-in request loads its user by primary key. Reading the two timeline versions in that
same query, as scalar subqueries, saves a round trip to Postgres on every cached timeline page:
the versions are read at the start of the request, exactly when a separate lookup would have read
them.
https://docs.djangoproject.com/en/5.2/topics/auth/customizing/#writing-an-authentication-backend
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, Subquery

from tweets.models import TimelineVersion

EXPLORE = 0  # owner_id of the explore timeline's version row (tweets.timeline_cache.EXPLORE)


class TimelineVersionBackend(ModelBackend):
    """ModelBackend whose users carry `home_timeline_version` and `explore_timeline_version`
    (None until that timeline has been cached once)."""

    def get_user(self, user_id):
        user_model = get_user_model()
        versions = TimelineVersion.objects.values("version")
        try:
            user = user_model._default_manager.annotate(
                home_timeline_version=Subquery(versions.filter(owner_id=OuterRef("pk"))),
                explore_timeline_version=Subquery(versions.filter(owner_id=EXPLORE)),
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
