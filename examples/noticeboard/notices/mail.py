"""The one mail the noticeboard sends: a board's moderator hears of a new notice."""

from django.core.mail import send_mail
from django.urls import reverse

from notices.models import Notice


def tell_moderator(notice: Notice, site: str) -> None:
    """``site``: the scheme and host the notice was posted on (https://board.example.com)."""
    review = site + reverse("admin:notices_notice_change", args=[notice.pk])
    send_mail(
        subject=f"New notice on {notice.board.name}: {notice.title}",
        message=(
            f"{notice.poster_name} pinned a notice on {notice.board.name}:\n\n"
            f"{notice.title}\n\n{notice.body}\n\n"
            f"Approve it (or delete it) here: {review}\n"
        ),
        from_email=None,  # DEFAULT_FROM_EMAIL
        recipient_list=[notice.board.moderator_email],
    )
