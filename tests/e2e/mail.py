"""The mail a running topology sends, read from its SMTP stand-in's Maildir, and the images
the end-to-end tests upload."""

from __future__ import annotations

import io
import mailbox
from email.message import Message
from pathlib import Path

from PIL import Image

from tools.local.harness import wait_until


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


def png_image(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 30, 90)):
    """A real PNG (an app that stores images decodes uploads to check they are images)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()
