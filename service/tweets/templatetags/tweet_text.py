"""A tweet's text as HTML: escaped, its @mentions, #hashtags and links made links.

Read from tweets.tokens, the tokenizer the hashtag page and the mention columns use, so a link
on a card and the page it leads to agree. No JavaScript: plain anchors.
- A mention links to the profile only when the user exists, whatever the case it is typed
  in (tweets.tokens.mention_key): `tweet.known_mentions` (the usernames of the users it
  mentions, read in the same row as the tweet, tweets.cards
  ROW_FIELDS and tweets.timelines.known_mentions). Any other mention stays text, so no card
  links to a 404.
- A link is http(s) only (the tokenizer matches nothing else), its address escaped, and it
  carries rel="nofollow noopener": no ranking credit for spam, no window.opener for the target.
https://developer.mozilla.org/en-US/docs/Web/HTML/Attributes/rel
"""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

from tweets.tokens import mention_key, tokenize

register = template.Library()


def _text(text: str) -> str:
    # As Django's linebreaksbr: escaped, then a <br> per line break.
    return escape(normalize_newlines(text)).replace("\n", "<br>")


def linked_html(text: str, known_mentions: frozenset[str] | set[str]) -> str:
    """`text` as escaped HTML with its tokens linked (see the module)."""
    # A mention in any case links to the profile of the username as it is spelt.
    users = {mention_key(username): username for username in known_mentions}
    parts: list[str] = []
    for token in tokenize(text):
        if token.kind == "url":
            parts.append(
                f'<a href="{escape(token.value)}" rel="nofollow noopener">{escape(token.text)}</a>'
            )
        elif token.kind == "hashtag":
            href = reverse("hashtag", args=[token.value])
            parts.append(f'<a class="hashtag" href="{escape(href)}">{escape(token.text)}</a>')
        elif token.kind == "mention" and mention_key(token.value) in users:
            href = reverse("profile", args=[users[mention_key(token.value)]])
            parts.append(f'<a class="mention" href="{escape(href)}">{escape(token.text)}</a>')
        else:
            parts.append(_text(token.text))
    return "".join(parts)


@register.filter
def tweet_text(tweet) -> SafeString:
    """`{{ tweet|tweet_text }}`: the tweet's text linked; mentions linked only for the users in
    its `known_mentions` (none when the tweet was not read with them)."""
    known = frozenset(getattr(tweet, "known_mentions", None) or ())
    return mark_safe(linked_html(tweet.text, known))  # noqa: S308 (every piece escaped above)
