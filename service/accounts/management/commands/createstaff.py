"""`manage.py createstaff --username X --email Y`: a staff account, made where the site runs.

Run in a web container through ECS Exec (docs/operations.md), which logs every command and its
output (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html), so no
password or set-password link ever appears in either:

- by default the account gets a random password nobody knows, and the site's own set-password
  mail (the password-reset mail: a one-time link, valid for PASSWORD_RESET_TIMEOUT) goes to the
  address given, through the site's SMTP settings (SES);
- with `--password-stdin` the password is read from standard input instead: typed at a prompt
  that does not echo it (an interactive ECS Exec session has a terminal), or one line piped in.
There is no option that takes a password on the command line.

It prints where to sign in: the site's sign-in page, sending staff on to the admin's path.
An existing account of that name and address is made staff; its password stays as it is.
"""

from __future__ import annotations

import getpass
import secrets
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.staff_admin import admin_path


def default_site() -> str:
    """The first host name the site answers to (the domain in AWS)."""
    hosts = [host for host in settings.ALLOWED_HOSTS if host not in ("*",) and host[:1] != "."]
    if not hosts:
        raise CommandError("ALLOWED_HOSTS names no host: pass --site, e.g. --site tw.example.com")
    return hosts[0]


class Command(BaseCommand):
    help = (
        "Create a staff account (or make an existing one staff): a set-password mail to its "
        "address, or --password-stdin. Never takes a password as an argument."
    )
    # call_command(..., stdin=...) for the tests, as Django's createsuperuser allows.
    stealth_options = ("stdin",)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Otherwise argparse takes `--password X` for `--password-stdin` and an extra word.
        parser.allow_abbrev = False
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="every permission (the first staff account, who then grants the others')",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (a prompt without echo on a terminal)",
        )
        parser.add_argument(
            "--site",
            help="host[:port] the links name (default: the first of DJANGO_ALLOWED_HOSTS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        site = options["site"] or default_site()
        scheme = "https" if settings.SECURE_SSL_REDIRECT else "http"
        username, email = options["username"].strip(), options["email"].strip()
        user_model = get_user_model()
        user = user_model._default_manager.filter(username=username).first()
        created = user is None
        if user is None:
            user = user_model(username=username, email=email)
        elif user.email.lower() != email.lower():
            raise CommandError(
                f"{username} exists with another address; pass --email {user.email} to make it "
                "staff, or choose another username"
            )
        password = (
            self.read_password(user, options.get("stdin") or sys.stdin)
            if (options["password_stdin"])
            else None
        )
        user.is_staff = True
        user.is_active = True
        if options["superuser"]:
            user.is_superuser = True
        if password is not None:
            user.set_password(password)
        elif created:
            # Usable (the reset mail goes only to accounts with one) and known to no one.
            user.set_password(secrets.token_urlsafe(32))
        try:
            with transaction.atomic():
                user.full_clean(exclude=["password"])
                user.save()
        except (IntegrityError, ValidationError) as error:
            raise CommandError(f"{username} <{email}> cannot be saved: {error}") from None

        what = "created" if created else "is now staff"
        self.stdout.write(f"{username} {what}{' (superuser)' if user.is_superuser else ''}.")
        if password is None and created:
            self.send_set_password_mail(user, site, scheme)
            self.stdout.write(
                f"A set-password link went to {email} (it works once, for "
                f"{settings.PASSWORD_RESET_TIMEOUT // 60} minutes)."
            )
        admin = "/" + admin_path(settings.ADMIN_PATH, settings.SECRET_KEY)
        self.stdout.write(f"Sign in at {scheme}://{site}{reverse('login')}?next={admin}")

    def read_password(self, user, stdin) -> str:
        if stdin.isatty():
            password = getpass.getpass("Password: ", stream=sys.stderr)
            if getpass.getpass("Password (again): ", stream=sys.stderr) != password:
                raise CommandError("the two passwords differ; nothing changed")
        else:
            password = stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("no password on standard input; nothing changed")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages) + " Nothing changed.") from None
        return password

    @staticmethod
    def send_set_password_mail(user, site: str, scheme: str) -> None:
        """The site's password-reset mail, as /accounts/password_reset/ sends it."""
        PasswordResetForm().send_mail(
            "registration/password_reset_subject.txt",
            "registration/password_reset_email.html",
            {
                "email": user.email,
                "domain": site,
                "site_name": site,
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "user": user,
                "token": default_token_generator.make_token(user),
                "protocol": scheme,
            },
            None,
            user.email,
        )
