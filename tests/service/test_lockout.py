"""Repeated failed sign-ins lock out the address they come from and the account they aim at
(django-axes, configured in config.settings.base): a clear 429 page until the cool-off ends,
without hashing any password meanwhile. The address is the one nginx restored (X-Real-IP)."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from tests.service.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 10  # failures in a row (settings.AXES_FAILURE_LIMIT)
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


def test_the_limit_is_the_documented_one(settings):
    assert settings.AXES_FAILURE_LIMIT == LIMIT


def sign_in(client, username: str, password: str, address: str):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        HTTP_X_REAL_IP=address,
        REMOTE_ADDR="127.0.0.1",  # nginx, as gunicorn sees it
    )


def fail(client, times: int, address: str = ATTACKER, username_prefix: str = "guess"):
    """`times` failed sign-ins; the one that reaches the limit is answered with the lockout."""
    response = None
    for attempt in range(times):
        response = sign_in(client, f"{username_prefix}{attempt}", "wrong", address)
        expected = 429 if attempt + 1 >= LIMIT else 200
        assert response.status_code == expected, f"attempt {attempt + 1}"
    return response


def test_the_limit_is_reached_with_a_clear_429_page(client, alice):
    page = fail(client, LIMIT).content.decode()
    assert "Too many failed sign-ins" in page
    # And the right password does not get past it.
    response = sign_in(client, "alice", PASSWORD, ATTACKER)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert f"after {LIMIT} failed attempts" in page
    assert "Try again in 15 minutes." in page
    assert "_auth_user_id" not in client.session, "locked out means not signed in"


def test_one_failure_less_than_the_limit_still_signs_in(client, alice):
    fail(client, LIMIT - 1)
    assert sign_in(client, "alice", PASSWORD, ATTACKER).status_code == 302


def test_the_lockout_counts_the_address_nginx_restored_not_nginx_itself(client, alice):
    from axes.models import AccessAttempt

    fail(client, LIMIT)
    # Same connection address (nginx on the loopback), another client behind it.
    assert sign_in(client, "alice", PASSWORD, NEIGHBOUR).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_an_account_under_attack_from_many_addresses_is_locked_everywhere(client, alice):
    for attempt in range(LIMIT):
        sign_in(client, "alice", "wrong", f"203.0.113.{attempt + 1}")
    assert sign_in(client, "alice", PASSWORD, NEIGHBOUR).status_code == 429


def test_other_accounts_are_not_locked_with_the_one_attacked(client, alice, bob):
    for attempt in range(LIMIT):
        sign_in(client, "alice", "wrong", f"203.0.113.{attempt + 1}")
    assert sign_in(client, "bob", PASSWORD, NEIGHBOUR).status_code == 302


def test_a_success_clears_the_count(client, alice):
    fail(client, LIMIT - 1)
    assert sign_in(client, "alice", PASSWORD, ATTACKER).status_code == 302
    client.logout()
    fail(client, LIMIT - 1)
    assert sign_in(client, "alice", PASSWORD, ATTACKER).status_code == 302


@pytest.fixture
def hashes(settings, make_user):
    """Hashes computed after carol was made with the counting hasher."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    make_user("carol")
    CountingHasher.hashes = 0
    return lambda: CountingHasher.hashes


def test_a_locked_out_attempt_hashes_no_password(client, hashes):
    fail(client, LIMIT)
    before = hashes()
    assert sign_in(client, "carol", "another guess", ATTACKER).status_code == 429
    assert hashes() == before


def test_a_failed_sign_in_still_hashes_once_with_the_lockout_on(client, hashes):
    sign_in(client, "carol", "wrong", ATTACKER)
    assert hashes() == 1
