"""Resetting a forgotten password (accounts.password_reset): the mailed link carries the token
only after `#`, which no browser sends; the page posts it in a form body (or the person pastes
it), and the step after names no token. No request of the whole flow has the token in its
path, query or Referer, so no server between the browser and Django can log it. (That the logs
themselves stay clean, through nginx and gunicorn: service/tests/e2e/test_reset_logs.py.)"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail

from accounts.password_reset import parse_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 42"


def mailed_link(client, address: str) -> str:
    response = client.post("/accounts/password_reset/", {"email": address})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return re.search(r"http://testserver/accounts/reset/\S*", mail.outbox[0].body).group(0)


def test_the_mailed_link_has_the_token_only_in_its_fragment(client, alice):
    link = urlsplit(mailed_link(client, "alice@example.com"))
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your django-tw password"
    assert (link.path, link.query) == ("/accounts/reset/", "")
    uidb64, token = parse_code(link.fragment)
    assert re.fullmatch(r"[0-9a-z]+-[0-9a-f]+", token)
    # The code alone is in the mail too, for a browser without JavaScript.
    assert f"\n{uidb64}.{token}\n" in message.body


def test_the_code_page_moves_the_fragment_into_the_form_with_a_static_script(client):
    page = client.get("/accounts/reset/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="reset-code"' in text
    assert 'name="code"' in text
    # From the site itself, as the Content-Security-Policy (script-src 'self') allows.
    assert '<script src="/static/js/reset-code.js"></script>' in text
    assert "script-src 'self'" in page["Content-Security-Policy"]


def reset(client, code: str):
    """Posts the code and then the new password; every request made, for the caller to check."""
    requests = []
    set_password = client.post("/accounts/reset/", {"code": code})
    requests.append(set_password.wsgi_request)
    assert set_password.status_code == 302, set_password.content.decode()
    form_page = client.get(set_password["Location"])
    requests.append(form_page.wsgi_request)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        set_password["Location"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        HTTP_REFERER=f"http://testserver{set_password['Location']}",
    )
    requests.append(done.wsgi_request)
    assert done.status_code == 302
    assert done["Location"] == "/accounts/reset/done/"
    return requests


def test_a_reset_names_the_token_in_no_path_query_or_referer(client, alice):
    link = mailed_link(client, "alice@example.com")
    uidb64, token = parse_code(urlsplit(link).fragment)
    for request in reset(client, urlsplit(link).fragment):
        seen = " ".join([request.get_full_path(), request.META.get("HTTP_REFERER", "")])
        assert token not in seen
        assert f"{uidb64}/{token}" not in seen
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_the_whole_link_pasted_works_too(client, alice):
    reset(client, f"  {mailed_link(client, 'alice@example.com')}\n")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_a_code_works_once(client, alice):
    code = urlsplit(mailed_link(client, "alice@example.com")).fragment
    reset(client, code)
    again = client.post("/accounts/reset/", {"code": code})
    assert again.status_code == 400
    assert "This code does not work" in again.content.decode()


@pytest.mark.parametrize(
    "code", ["", "nonsense", "MQ.", ".abc-123", "MQ.abc-123", "!!.abc-123", "zz9.abc-123"]
)
def test_a_wrong_code_is_refused_and_nothing_is_kept(client, alice, code):
    response = client.post("/accounts/reset/", {"code": code})
    assert response.status_code == 400
    assert "_password_reset_token" not in client.session


def test_a_link_with_the_token_in_its_path_is_refused(client, alice):
    """Such a link has been through every log on its way in; this site never mails one."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uidb64 = urlsafe_base64_encode(force_bytes(alice.pk))
    token = default_token_generator.make_token(alice)
    response = client.get(f"/accounts/reset/{uidb64}/{token}/")
    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()
    assert "_password_reset_token" not in client.session
    follow_up = client.get(f"/accounts/reset/{uidb64}/set-password/")
    assert "This link no longer works" in follow_up.content.decode()


def test_a_code_lasts_an_hour(client, alice, monkeypatch):
    """Not Django's default three days: a mail that lands in the wrong place is worth an hour."""
    from django.contrib.auth.tokens import default_token_generator

    code = urlsplit(mailed_link(client, "alice@example.com")).fragment
    mailed_at = default_token_generator._now()
    monkeypatch.setattr(default_token_generator, "_now", lambda: mailed_at + timedelta(minutes=59))
    assert client.post("/accounts/reset/", {"code": code}).status_code == 302
    monkeypatch.setattr(default_token_generator, "_now", lambda: mailed_at + timedelta(minutes=61))
    assert client.post("/accounts/reset/", {"code": code}).status_code == 400


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MQ.cz8lq4-0f3b", ("MQ", "cz8lq4-0f3b")),
        (" https://tw.example.com/accounts/reset/#MQ.cz8lq4-0f3b \n", ("MQ", "cz8lq4-0f3b")),
        ("MQcz8lq4-0f3b", None),
        ("", None),
    ],
)
def test_a_code_is_read_from_the_code_or_the_whole_link(text, expected):
    assert parse_code(text) == expected
