"""A tweet's text as a sequence of plain text, @mentions, #hashtags and links.

The one place that says what counts as a mention, a hashtag or a link: rendering links them,
the hashtag page and the notifications read the same tokens, so a mention that is linked is a
mention that notifies.
"""

import re
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["text", "mention", "hashtag", "url"]

# Usernames are Django's default (UnicodeUsernameValidator: letters, digits and @.+-_), but a
# mention ends at the first "@" so that "@alice@example.com" mentions no one, and a trailing "."
# is punctuation ("thanks @alice."). The look-behind keeps e-mail addresses from mentioning.
_MENTION = r"(?<![\w@.+-])@(?P<mention>[\w.+-]*[\w+-]|\w)(?![\w@])"
_HASHTAG = r"(?<![\w&#/])#(?P<hashtag>\w*[^\W\d_]\w*)"
# A link is http(s) only, never javascript: or data:; trailing punctuation belongs to the
# sentence ("see https://example.com.") and a closing bracket to the text around it.
_URL = r"(?P<url>https?://[^\s<>\"'`]+[^\s<>\"'`.,:;!?)\]}])"
_TOKEN = re.compile("|".join((_URL, _MENTION, _HASHTAG)))

HASHTAG_MAX_LENGTH = 100


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str  # what the reader sees, e.g. "@alice"
    value: str = ""  # the username, the tag (lower case) or the URL


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens whose ``text`` joined back is ``text`` itself."""
    tokens: list[Token] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.group("hashtag") and len(match.group("hashtag")) > HASHTAG_MAX_LENGTH:
            continue
        if match.start() > position:
            tokens.append(Token("text", text[position : match.start()]))
        if match.group("url"):
            tokens.append(Token("url", match.group(0), match.group("url")))
        elif match.group("mention"):
            tokens.append(Token("mention", match.group(0), match.group("mention")))
        else:
            tokens.append(Token("hashtag", match.group(0), match.group("hashtag").lower()))
        position = match.end()
    if position < len(text):
        tokens.append(Token("text", text[position:]))
    return tokens


def mention_key(username: str) -> str:
    """What a mention and a username are compared by: "@Alice" names the user alice.

    Sign-up refuses a username that differs from another only in case (Django's
    UserCreationForm.clean_username), and the unique index on lower(username)
    (accounts.0004) holds every other way of making an account to it: so at most one user
    answers a mention in any case, and a mention needs no exact spelling. The SQL that
    resolves mentions compares `lower(username)` with these keys.
    https://docs.djangoproject.com/en/5.2/topics/auth/default/#django.contrib.auth.forms.UserCreationForm
    """
    return username.lower()


def mentioned_usernames(text: str) -> list[str]:
    """The users ``text`` mentions as `mention_key`s, each once, in the order they first
    appear."""
    return list(dict.fromkeys(mention_key(t.value) for t in tokenize(text) if t.kind == "mention"))


def hashtags(text: str) -> list[str]:
    """The tags of ``text`` in lower case, each once, in the order they first appear."""
    return list(dict.fromkeys(t.value for t in tokenize(text) if t.kind == "hashtag"))
