"""An SMTP server standing in for SES: keeps every message in a Maildir and prints it.

Django sends through it exactly as it sends through SES's SMTP endpoint in AWS (EMAIL_HOST,
EMAIL_PORT; no TLS locally). Messages land in $LOCAL_DIR/mail (a Maildir the tests read with the
standard library's `mailbox`), and their text is printed so a developer running `make local`
can follow a password reset link from the terminal.

Usage (from tools/local/Procfile): python -m tools.local.mail_catcher
"""

from __future__ import annotations

import sys
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

from tools.local.stop_signal import wait_for_stop_signal
from tools.local.topology import LocalTopology


class PrintingMailbox(Mailbox):
    """aiosmtpd's Maildir handler that also shows each message on stdout."""

    def handle_message(self, message: Message) -> None:
        super().handle_message(message)
        print(f"mail to {message['To']}: {message['Subject']}", flush=True)
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                # decode=True gives a leaf part's body as bytes (a multipart one is walked into)
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    print(payload.decode(part.get_content_charset() or "utf-8"), flush=True)


def serve(port: int, mail_dir: Path) -> None:
    # A Maildir is three subdirectories; mailbox.Maildir only makes them for a new directory.
    for part in ("tmp", "new", "cur"):
        (mail_dir / part).mkdir(parents=True, exist_ok=True)
    controller = Controller(PrintingMailbox(mail_dir), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"mail: SMTP on 127.0.0.1:{port}, messages kept in {mail_dir}", flush=True)
    wait_for_stop_signal()
    controller.stop()


def main() -> int:
    topology = LocalTopology.from_environment()
    serve(topology.ports.smtp, topology.mail_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
