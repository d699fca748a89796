"""/u/<username>/followers/ and /u/<username>/following/: who follows a user and whom they
follow, newest follow first, paginated as the timelines are (tweets.pages: no count,
MAX_PAGE_NUMBER and 404 beyond). Three queries a page however long the list: the user, the
page's follows with each person's profile, and which of them the viewer follows."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from accounts.models import Follow
from tweets.pages import TimelinePage, checked_page, page_number

User = get_user_model()


def _follow_list(request: HttpRequest, username: str, *, followers: bool) -> HttpResponse:
    number = page_number(request)
    owner = get_object_or_404(User.objects.select_related("profile"), username=username)
    size = settings.TWEETS_PER_PAGE
    start = (number - 1) * size
    # followers: the links whose followee is the owner, showing each follower; following: the
    # other way round. Served by the foreign keys' indexes.
    link, person = ("followee", "follower") if followers else ("follower", "followee")
    links = (
        Follow.objects.filter(**{link: owner})
        .select_related(f"{person}__profile")
        .order_by("-created_at", "-id")[start : start + size + 1]
    )
    shown, has_next = checked_page(number, list(links), size)
    people = [getattr(follow, person) for follow in shown]
    followed = set(
        Follow.objects.filter(follower=request.user, followee__in=people).values_list(
            "followee_id", flat=True
        )
        if people
        else ()
    )
    for someone in people:
        someone.viewer_follows = someone.pk in followed
    context = {
        "owner": owner,
        "followers": followers,
        "page": TimelinePage(number, people, has_next),
    }
    return render(request, "accounts/follow_list.html", context)


@require_safe
def followers(request: HttpRequest, username: str) -> HttpResponse:
    return _follow_list(request, username, followers=True)


@require_safe
def following(request: HttpRequest, username: str) -> HttpResponse:
    return _follow_list(request, username, followers=False)
