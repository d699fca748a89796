"""Changing one's password (accounts.password_change, the templates registration/password_change_*):
the form and the done page in the site's look, the other sessions signed out, and a wrong
current password counted as a failed sign-in, so guessing through a stolen session is locked
out like guessing at the sign-in form, without hashing anything once locked."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from service.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 10  # settings.AXES_FAILURE_LIMIT, as for sign-in
ADDRESS = "203.0.113.40"
NEW_PASSWORD = "a brand new passphrase 42"


class CountingHasher(MD5PasswordHasher):
    algorithm = "counted_md5_change"
    hashes = 0

    def verify(self, password, encoded):
        CountingHasher.hashes += 1
        return super().verify(password, encoded)


def change(client, old_password: str, new_password: str = NEW_PASSWORD):
    return client.post(
        "/accounts/password_change/",
        {
            "old_password": old_password,
            "new_password1": new_password,
            "new_password2": new_password,
        },
        HTTP_X_REAL_IP=ADDRESS,
        REMOTE_ADDR="127.0.0.1",
    )


def test_the_form_is_a_page_of_the_site(alice_client):
    response = alice_client.get("/accounts/password_change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Change your password</h1>" in page
    assert 'class="topbar"' in page
    for field in ("old_password", "new_password1", "new_password2"):
        assert f'name="{field}"' in page
    assert (
        'href="/accounts/password_change/"'
        in alice_client.get("/accounts/profile/").content.decode()
    )


def test_a_change_sets_the_password_and_signs_the_other_sessions_out(alice_client, alice):
    elsewhere = Client()
    elsewhere.force_login(alice)
    done = change(alice_client, PASSWORD)
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password_change/done/"
    page = alice_client.get(done["Location"])
    assert page.status_code == 200
    assert "<h1>Password changed</h1>" in page.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert alice_client.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302


def test_a_wrong_current_password_is_refused(alice_client, alice):
    response = change(alice_client, "wrong")
    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


def test_wrong_current_passwords_lock_out_like_failed_sign_ins(alice_client, alice, axes_on):
    for attempt in range(LIMIT - 1):
        assert change(alice_client, f"guess {attempt}").status_code == 200, attempt
    locked = change(alice_client, "one guess too many")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    # Even the right one, now; and signing in from that address is locked out too.
    assert change(alice_client, PASSWORD).status_code == 429
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    sign_in = Client().post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        HTTP_X_REAL_IP=ADDRESS,
        REMOTE_ADDR="127.0.0.1",
    )
    assert sign_in.status_code == 429


def test_a_locked_out_change_hashes_nothing(client, make_user, settings, axes_on):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    client.force_login(make_user("carol"))
    for attempt in range(LIMIT):
        change(client, f"guess {attempt}")
    CountingHasher.hashes = 0
    assert change(client, "another guess").status_code == 429
    assert CountingHasher.hashes == 0
