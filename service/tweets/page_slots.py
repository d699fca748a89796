"""The placeholders of a cached timeline page: where each response puts its own CSRF token and
the header's notifications link with the unread count, and where a page built again puts its
cards into the cached page around them. docs/DESIGN.md ("Timelines on a busy site") explains
why none of them is in a cache key.
"""

from secrets import token_hex

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe

from notifications import header

# Drawn when the process starts, so no tweet text can name one (a tweet that did would have
# the token or the count put into its text). Letters and digits only: escaping leaves them.
_NONCE = token_hex(16)
CSRF = f"csrf{_NONCE}"
NOTIFICATIONS = f"notifications{_NONCE}"
CARDS = f"cards{_NONCE}"


def context(*, cards: bool = False) -> dict:
    """Template variables that render as the placeholders (with `cards`, CARDS where the
    timeline's cards go). An explicit csrf_token wins over the one the request's context
    processor would provide."""
    return {
        "csrf_token": CSRF,
        "notifications_link": mark_safe(NOTIFICATIONS),  # noqa: S308 (a nonce)
        "cards": mark_safe(CARDS) if cards else "",  # noqa: S308 (a nonce)
    }


def filled(html: str, request: HttpRequest) -> str:
    """A cached page with this response's values where its CSRF and notifications placeholders
    are."""
    values = {
        CSRF: get_token(request),
        NOTIFICATIONS: header.link_for(request),
    }
    for slot, value in values.items():
        html = html.replace(slot, value)
    return html
