"""Repeated failed sign-ins lock out one account at the address they come from, and the
address itself after more of them (django-axes with accounts.lockout, configured in
config.settings.base): a clear 429 page until the cool-off ends, without hashing any password
meanwhile. Failures from elsewhere never lock the owner out, and a password reset lifts the
lockout. The address is the one nginx restored (X-Real-IP)."""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail

from accounts.lockout import scaled_failures
from service.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 10  # failures in a row for one account from one address (settings.AXES_FAILURE_LIMIT)
ADDRESS_LIMIT = 20  # for any accounts from one address (settings.ACCOUNTS_ADDRESS_FAILURE_LIMIT)
ATTACKER = "203.0.113.66"
NEIGHBOUR = "198.51.100.7"


class CountingHasher(MD5PasswordHasher):
    algorithm = "counted_md5"
    hashes = 0

    def encode(self, password, salt):
        CountingHasher.hashes += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def axes_on(settings):
    """The test settings leave django-axes off (most tests sign in without a request)."""
    settings.AXES_ENABLED = True


def test_the_limits_are_the_documented_ones(settings):
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.ACCOUNTS_ADDRESS_FAILURE_LIMIT == ADDRESS_LIMIT


def sign_in(client, username: str, password: str, address: str):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        HTTP_X_REAL_IP=address,
        REMOTE_ADDR="127.0.0.1",  # nginx, as gunicorn sees it
    )


def fail(client, times: int, address: str = ATTACKER, username: str | None = None):
    """`times` failed sign-ins from `address`, at `username` or each at another username; the
    one that reaches the limit that applies is answered with the lockout."""
    limit = LIMIT if username else ADDRESS_LIMIT
    response = None
    for attempt in range(times):
        response = sign_in(client, username or f"guess{attempt}", "wrong", address)
        expected = 429 if attempt + 1 >= limit else 200
        assert response.status_code == expected, f"attempt {attempt + 1}"
    return response


def test_the_limit_is_reached_with_a_clear_429_page(client, alice):
    page = fail(client, LIMIT, username="alice").content.decode()
    assert "Too many failed sign-ins" in page
    # And the right password does not get past it, from that address.
    response = sign_in(client, "alice", PASSWORD, ATTACKER)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert f"after {LIMIT} failed attempts" in page
    assert "Try again in 15 minutes." in page
    assert "_auth_user_id" not in client.session, "locked out means not signed in"


def test_one_failure_less_than_the_limit_still_signs_in(client, alice):
    fail(client, LIMIT - 1, username="alice")
    assert sign_in(client, "alice", PASSWORD, ATTACKER).status_code == 302


def test_a_stranger_cannot_lock_the_owner_out(client, alice):
    from axes.models import AccessAttempt

    fail(client, LIMIT + 5, username="alice")
    # The owner, at their own address behind the same nginx, signs in at once.
    assert sign_in(client, "alice", PASSWORD, NEIGHBOUR).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_an_account_guessed_at_from_many_addresses_locks_each_address_only(client, alice):
    for attempt in range(LIMIT):
        for _ in range(LIMIT):
            sign_in(client, "alice", "wrong", f"203.0.113.{attempt + 1}")
        assert sign_in(client, "alice", PASSWORD, f"203.0.113.{attempt + 1}").status_code == 429
    assert sign_in(client, "alice", PASSWORD, NEIGHBOUR).status_code == 302


def test_one_account_locked_at_an_address_leaves_the_others_there(client, alice, bob):
    fail(client, LIMIT, username="alice")
    assert sign_in(client, "bob", PASSWORD, ATTACKER).status_code == 302


def test_guesses_spread_over_many_accounts_lock_the_address(client, alice, bob):
    page = fail(client, ADDRESS_LIMIT).content.decode()
    assert "Too many failed sign-ins" in page
    assert sign_in(client, "bob", PASSWORD, ATTACKER).status_code == 429
    assert sign_in(client, "bob", PASSWORD, NEIGHBOUR).status_code == 302


def test_one_failure_less_than_the_address_limit_still_signs_in(client, alice):
    fail(client, ADDRESS_LIMIT - 1)
    assert sign_in(client, "alice", PASSWORD, ATTACKER).status_code == 302


def test_a_success_clears_the_count_for_that_account(client, alice):
    fail(client, LIMIT - 1, username="alice")
    assert sign_in(client, "alice", PASSWORD, ATTACKER).status_code == 302
    client.logout()
    fail(client, LIMIT - 1, username="alice")
    assert sign_in(client, "alice", PASSWORD, ATTACKER).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_guesses_at_others(client, alice):
    fail(client, ADDRESS_LIMIT - 1)
    assert sign_in(client, "alice", PASSWORD, ATTACKER).status_code == 302
    client.logout()
    assert sign_in(client, "someone-else", "wrong", ATTACKER).status_code == 429


def test_the_address_count_reaches_the_limit_exactly_at_the_address_limit(settings):
    assert scaled_failures(0, ADDRESS_LIMIT - 1) < LIMIT
    assert scaled_failures(0, ADDRESS_LIMIT) == LIMIT
    assert scaled_failures(LIMIT - 1, ADDRESS_LIMIT - 1) == LIMIT - 1
    assert scaled_failures(LIMIT, 0) == LIMIT


def test_a_password_reset_lifts_the_owners_lockout(client, alice):
    fail(client, LIMIT, address=NEIGHBOUR, username="alice")
    assert sign_in(client, "alice", PASSWORD, NEIGHBOUR).status_code == 429
    assert client.post("/accounts/password_reset/", {"email": alice.email}).status_code == 302
    code = re.search(r"http://testserver/accounts/reset/#(\S+)", mail.outbox[0].body).group(1)
    set_password = client.post("/accounts/reset/", {"code": code})
    assert set_password.status_code == 302
    new_password = "a brand new passphrase 42"
    done = client.post(
        set_password["Location"], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done["Location"] == "/accounts/reset/done/"
    assert sign_in(client, "alice", new_password, NEIGHBOUR).status_code == 302


@pytest.fixture
def hashes(settings, make_user):
    """Hashes computed after carol was made with the counting hasher."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    make_user("carol")
    CountingHasher.hashes = 0
    return lambda: CountingHasher.hashes


def test_a_locked_out_attempt_hashes_no_password(client, hashes):
    fail(client, LIMIT, username="carol")
    before = hashes()
    assert sign_in(client, "carol", "another guess", ATTACKER).status_code == 429
    assert hashes() == before


def test_a_failed_sign_in_still_hashes_once_with_the_lockout_on(client, hashes):
    sign_in(client, "carol", "wrong", ATTACKER)
    assert hashes() == 1
