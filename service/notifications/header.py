"""The "Notifications" link in the header of every page, with the viewer's unread count.

The count is read on every request, never cached: tweets.backends loads it with the signed-in
user, in the query every request makes anyway (a scalar subquery over the partial index
`notification_unread`, stopping at UNREAD_CAP + 1 rows), so it costs no query of its own and is
as current as the database in every worker and task. A cached page keeps a placeholder where
the link goes and each response puts in its own (tweets.page_slots): a page cached before a new
notification shows the new count on the very next request.
"""

from django.db import connection
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from core.sql import column, table
from notifications.models import Notification

UNREAD_CAP = 99  # shown as "99+" beyond


def unread_count_sql(user_id_sql: str) -> str:
    """A scalar subquery: the unread notifications of the user whose id is `user_id_sql`,
    counted up to UNREAD_CAP + 1."""
    recipient, read = (column(Notification, field) for field in ("recipient", "read"))
    return (
        f"(SELECT count(*) FROM (SELECT 1 FROM {table(Notification)}"  # noqa: S608
        f" WHERE {recipient} = {user_id_sql} AND NOT {read} LIMIT {UNREAD_CAP + 1}) unread)"
    )


def unread_count(user) -> int:
    """What tweets.backends loaded with `user`, or one query (a session of another backend)."""
    loaded = getattr(user, "unread_notifications", None)
    if loaded is not None:
        return loaded
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {unread_count_sql('%s')}", [user.pk])
        user.unread_notifications = cursor.fetchone()[0]
    return user.unread_notifications


def link_html(unread: int) -> str:
    url = reverse("notifications")
    if unread <= 0:
        return format_html('<a href="{}" class="notifications">Notifications</a>', url)
    shown = f"{UNREAD_CAP}+" if unread > UNREAD_CAP else str(unread)
    return format_html(
        '<a href="{}" class="notifications" aria-label="Notifications, {} unread">'
        'Notifications <span class="unread" aria-hidden="true">{}</span></a>',
        url,
        shown,
        shown,
    )


def link_for(request: HttpRequest) -> str:
    return link_html(unread_count(request.user)) if request.user.is_authenticated else ""


def notifications_link(request: HttpRequest) -> dict:
    """Context processor: `notifications_link`, worked out only if a template shows it."""
    return {"notifications_link": lambda: link_for(request)}
