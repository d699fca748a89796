"""The URL contract of the service (see service/README.md)."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path

from accounts import follow_lists
from accounts import views as account_views
from accounts.password_change import ChangePasswordView
from accounts.password_reset import ResetCodeView, SetPasswordView
from accounts.staff_admin import admin_path
from notifications import views as notification_views
from tweets import finding
from tweets import views as tweet_views

urlpatterns = [
    # /healthz and /livez, answered by django_fargate's HealthCheckMiddleware before host
    # validation; these routes keep them reachable when the middleware is not installed.
    path("", include("django_fargate.urls")),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/profile/", account_views.edit_profile, name="edit_profile"),
    # Before Django's own: a wrong current password counts as a failed sign-in, and the reset
    # token travels in a form body, never in a URL (accounts.password_change, .password_reset).
    path("accounts/password_change/", ChangePasswordView.as_view(), name="password_change"),
    path("accounts/reset/", ResetCodeView.as_view(), name="password_reset_code"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        SetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", tweet_views.home, name="home"),
    path("explore/", tweet_views.explore, name="explore"),
    path("tweets/", tweet_views.create_tweet, name="create_tweet"),
    path("tweets/<int:tweet_id>/", tweet_views.tweet_detail, name="tweet_detail"),
    path("tweets/<int:tweet_id>/delete/", tweet_views.delete_tweet, name="delete_tweet"),
    path("tweets/<int:tweet_id>/like/", tweet_views.like_tweet, name="like_tweet"),
    path("tweets/<int:tweet_id>/unlike/", tweet_views.unlike_tweet, name="unlike_tweet"),
    path("tags/<str:tag>/", finding.hashtag, name="hashtag"),
    path("search/", finding.search_page, name="search"),
    path("u/<str:username>/", account_views.profile, name="profile"),
    path("u/<str:username>/follow/", account_views.follow, name="follow"),
    path("u/<str:username>/unfollow/", account_views.unfollow, name="unfollow"),
    path("u/<str:username>/followers/", follow_lists.followers, name="followers"),
    path("u/<str:username>/following/", follow_lists.following, name="following"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    # Last: the site's own pages win over a chosen DJANGO_ADMIN_PATH. Staff only; 404 otherwise.
    path(admin_path(settings.ADMIN_PATH, settings.SECRET_KEY), admin.site.urls),
]

# Development only (both are empty lists unless DEBUG): static files straight from the apps and
# uploads from local disk (config.settings.local). In production nginx and S3 serve them.
urlpatterns += staticfiles_urlpatterns()
urlpatterns += static(settings.MEDIA_URL, document_root=getattr(settings, "MEDIA_ROOT", ""))
