"""How a card says its counts, in one place for the templates and the tests."""

from django import template

register = template.Library()


@register.filter
def replies_label(count: int) -> str:
    """'1 reply', '2 replies', '0 replies'."""
    return f"{count} {'reply' if count == 1 else 'replies'}"


@register.filter
def likes_label(count: int) -> str:
    """'1 like', '2 likes', '0 likes': the like button's name says its count in words."""
    return f"{count} {'like' if count == 1 else 'likes'}"
