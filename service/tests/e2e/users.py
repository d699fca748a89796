"""The users the demo's end-to-end tests create through its sign-up pages, and the links in the
mail they receive."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from email.message import Message

from tests.e2e.mail import messages_to, plain_text, png_image, wait_for_mail
from tools.local.client import SiteClient

# The platform's mail and image helpers, which the demo's tests take from here.
__all__ = [
    "User",
    "messages_to",
    "new_user",
    "plain_text",
    "png_image",
    "reset_link",
    "signed_in",
    "wait_for_mail",
]


@dataclass(frozen=True)
class User:
    username: str
    email: str
    password: str


def new_user(prefix: str = "user") -> User:
    suffix = uuid.uuid4().hex[:8]
    return User(
        username=f"{prefix}{suffix}",
        email=f"{prefix}{suffix}@example.test",
        password=f"Pw-{uuid.uuid4().hex}",
    )


def signed_in(base_url: str, prefix: str) -> tuple[User, SiteClient]:
    """A new user who signed up and logged in through the site's forms, and their client."""
    user = new_user(prefix)
    client = SiteClient(base_url)
    client.sign_up(user.username, user.email, user.password)
    client.log_in(user.username, user.password)
    return user, client


RESET_LINK = re.compile(r"https?://[^\s]+/reset/[^\s]+")


def reset_link(message: Message) -> str:
    match = RESET_LINK.search(plain_text(message))
    assert match, f"no password reset link in:\n{plain_text(message)}"
    return match.group(0)
