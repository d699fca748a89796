"""`manage.py createstaff`: a staff account made by an operator inside a web container, whose
password never passes through the command line or the command's output (both are in ECS Exec's
log): a set-password mail to the account's address, or the password on standard input."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.password_reset import parse_code, user_of
from service.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def createstaff(*arguments: str, stdin=None) -> str:
    out = io.StringIO()
    call_command("createstaff", *arguments, stdout=out, stdin=stdin)
    return out.getvalue()


def test_a_new_staff_account_gets_a_set_password_mail_and_the_output_no_secret():
    output = createstaff("--username", "opal", "--email", "opal@example.com", "--superuser")
    user = get_user_model().objects.get(username="opal")
    assert (user.is_staff, user.is_superuser, user.is_active) == (True, True, True)
    assert user.has_usable_password()
    assert not user.check_password(""), "a password no one knows"

    (message,) = mail.outbox
    assert message.to == ["opal@example.com"]
    link = re.search(r"(https?://\S+/accounts/reset/#\S+)", message.body).group(1)
    assert link.startswith("http://testserver/accounts/reset/#")
    uidb64, token = parse_code(link)
    assert user_of(uidb64) == user
    assert default_token_generator.check_token(user, token)
    # Neither the token nor the code is printed: the output goes to ECS Exec's log.
    assert token not in output
    assert uidb64 + "." not in output
    assert "A set-password link went to opal@example.com" in output
    admin = reverse("admin:index")
    assert f"Sign in at http://testserver/accounts/login/?next={admin}" in output


def test_the_site_named_in_the_links_can_be_chosen():
    output = createstaff(
        "--username", "opal", "--email", "o@example.com", "--site", "localhost:8080"
    )
    assert "http://localhost:8080/accounts/reset/#" in mail.outbox[0].body
    assert "Sign in at http://localhost:8080/accounts/login/?next=/" in output


def test_a_password_piped_on_standard_input_is_set_and_never_printed():
    output = createstaff(
        "--username", "opal", "--email", "opal@example.com", "--password-stdin",
        stdin=io.StringIO(PASSWORD + "\n"),
    )  # fmt: skip
    user = get_user_model().objects.get(username="opal")
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password(PASSWORD)
    assert PASSWORD not in output
    assert mail.outbox == []


def test_at_a_terminal_the_password_is_asked_twice_without_echo(monkeypatch):
    typed = iter([PASSWORD, PASSWORD])
    prompts = []
    monkeypatch.setattr(
        "getpass.getpass", lambda prompt, stream=None: prompts.append(prompt) or next(typed)
    )
    createstaff("--username", "opal", "--email", "o@example.com", "--password-stdin",
                stdin=Terminal())  # fmt: skip
    assert prompts == ["Password: ", "Password (again): "]
    assert get_user_model().objects.get(username="opal").check_password(PASSWORD)


def test_two_different_passwords_at_the_terminal_change_nothing(monkeypatch):
    typed = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt, stream=None: next(typed))
    with pytest.raises(CommandError, match="differ"):
        createstaff("--username", "opal", "--email", "o@example.com", "--password-stdin",
                    stdin=Terminal())  # fmt: skip
    assert not get_user_model().objects.filter(username="opal").exists()


def test_a_weak_password_is_refused_with_the_validators_reason():
    with pytest.raises(CommandError, match="too common"):
        createstaff("--username", "opal", "--email", "o@example.com", "--password-stdin",
                    stdin=io.StringIO("password\n"))  # fmt: skip
    assert not get_user_model().objects.filter(username="opal").exists()


@pytest.mark.parametrize("option", ["--password", f"--password={PASSWORD}", "--pass"])
def test_no_option_takes_a_password_not_even_as_an_abbreviation(option):
    with pytest.raises(CommandError, match="unrecognized arguments"):
        createstaff("--username", "opal", "--email", "o@example.com", option)
    assert not get_user_model().objects.filter(username="opal").exists()


def test_an_existing_account_is_made_staff_and_keeps_its_password(alice):
    alice.email = "alice@example.com"
    alice.save()
    output = createstaff("--username", "alice", "--email", "ALICE@example.com")
    alice.refresh_from_db()
    assert alice.is_staff
    assert alice.check_password(PASSWORD)
    assert mail.outbox == []
    assert "alice is now staff." in output


def test_an_existing_account_with_another_address_is_left_alone(alice):
    alice.email = "alice@example.com"
    alice.save()
    with pytest.raises(CommandError, match="exists with another address"):
        createstaff("--username", "alice", "--email", "mallory@example.com")
    alice.refresh_from_db()
    assert not alice.is_staff


def test_an_address_another_account_has_is_refused(make_user):
    make_user("bob", email="bob@example.com")
    with pytest.raises(CommandError, match="cannot be saved"):
        createstaff("--username", "opal", "--email", "BOB@example.com")
    assert not get_user_model().objects.filter(username="opal").exists()
