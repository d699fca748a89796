"""How a card shows its counts, in one place: the templates use the filter, and tweets.cards
fills the same text into cached cards whose counts changed since they were rendered."""

from django import template

register = template.Library()


@register.filter
def replies_label(count: int) -> str:
    """'1 reply', '2 replies', '0 replies'."""
    return f"{count} {'reply' if count == 1 else 'replies'}"
