"""The users the end-to-end tests create, the images they upload and the mail they receive."""

from __future__ import annotations

import io
import mailbox
import re
import uuid
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from PIL import Image

from tools.local.client import SiteClient
from tools.local.harness import wait_until


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


def png_image(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 30, 90)):
    """A real PNG (the service decodes uploads to check they are images)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def messages_to(mail_dir: Path, address: str) -> list[Message]:
    if not mail_dir.exists():
        return []
    box = mailbox.Maildir(mail_dir, create=False)
    return [message for message in box if address in (message["To"] or "")]


def wait_for_mail(mail_dir: Path, address: str, *, timeout: float = 30) -> Message:
    wait_until(
        lambda: bool(messages_to(mail_dir, address)),
        timeout=timeout,
        what=f"a message to {address} in {mail_dir}",
    )
    return messages_to(mail_dir, address)[-1]


def plain_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True) or b""
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/plain part in message {message['Subject']!r}")


RESET_LINK = re.compile(r"https?://[^\s]+/reset/[^\s]+")


def reset_link(message: Message) -> str:
    match = RESET_LINK.search(plain_text(message))
    assert match, f"no password reset link in:\n{plain_text(message)}"
    return match.group(0)
