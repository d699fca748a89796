"""/notifications/: the viewer's notifications, newest first, paginated as the timelines are
(tweets.pages: no count, MAX_PAGE_NUMBER and 404 beyond). The ones a page shows are marked read
by showing it, and still marked "new" on that page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from notifications.header import unread_count
from notifications.models import Notification
from tweets.pages import TimelinePage, checked_page, page_number


@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    number = page_number(request)
    size = settings.TWEETS_PER_PAGE
    start = (number - 1) * size
    rows = list(
        Notification.objects.filter(recipient=request.user)
        .select_related("actor__profile", "tweet")
        .order_by("-created_at", "-id")[start : start + size + 1]
    )
    shown, has_next = checked_page(number, rows, size)
    unread = [notification.pk for notification in shown if not notification.read]
    if unread:
        Notification.objects.filter(pk__in=unread).update(read=True)
        # The header shows what is left after this page.
        request.user.unread_notifications = None
        unread_count(request.user)
    page = TimelinePage(number, shown, has_next)
    return render(request, "notifications/list.html", {"page": page})
