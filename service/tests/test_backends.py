"""Signing in (tweets.backends) hashes the password exactly once, whatever the outcome: a wrong
password, an unknown user and a right password each cost one run of the hasher, so a failed
login costs no more than Django's own ModelBackend alone. The signed-in user still comes with the
versions of their cached timelines."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.signals import user_logged_in, user_login_failed

from service.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HASHER = f"{__name__}.CountingPasswordHasher"


class CountingPasswordHasher(PBKDF2PasswordHasher):
    """Production's hasher (Django's default), at one iteration, counting every hash it computes:
    checking a password and the dummy hash for an unknown user both go through `encode`."""

    algorithm = "counted_pbkdf2_sha256"
    iterations = 1
    hashes = 0

    def encode(self, password, salt, iterations=None):
        CountingPasswordHasher.hashes += 1
        return super().encode(password, salt, iterations)


@pytest.fixture
def hashes(settings):
    """How many hashes were computed since the test's users were made."""
    settings.PASSWORD_HASHERS = [HASHER]
    CountingPasswordHasher.hashes = 0
    return lambda: CountingPasswordHasher.hashes


@pytest.fixture
def alice(make_user, hashes):
    """Alice, with her password hashed by the counting hasher; the count starts after her."""
    user = make_user("alice")
    CountingPasswordHasher.hashes = 0
    return user


@pytest.fixture
def inactive(make_user, hashes):
    user = make_user("ivy", is_active=False)
    CountingPasswordHasher.hashes = 0
    return user


@pytest.fixture
def failures():
    """The failed sign-ins Django reported (user_login_failed), once per attempt."""
    received = []

    def record(sender, credentials, **kwargs):
        received.append(credentials["username"])

    user_login_failed.connect(record)
    yield received
    user_login_failed.disconnect(record)


# --- through django.contrib.auth.authenticate ---------------------------------------------
def test_a_wrong_password_is_hashed_once(alice, hashes, failures):
    assert authenticate(username="alice", password="wrong") is None
    assert hashes() == 1
    assert failures == ["alice"]


def test_an_unknown_user_costs_one_hash_like_a_known_one(alice, hashes, failures):
    """Django hashes once for a user that does not exist, so the answer takes as long as for a
    user that does (ModelBackend.authenticate); that protection stays, once."""
    assert authenticate(username="nobody", password="wrong") is None
    assert hashes() == 1
    assert failures == ["nobody"]


def test_an_inactive_user_is_refused_after_one_hash(inactive, hashes):
    assert authenticate(username="ivy", password=PASSWORD) is None
    assert hashes() == 1


def test_a_right_password_is_hashed_once_and_signs_in_with_versions(alice, hashes):
    user = authenticate(username="alice", password=PASSWORD)
    assert user == alice
    assert user.backend == "tweets.backends.TimelineVersionBackend"
    assert hashes() == 1


def test_credentials_without_a_password_are_left_to_the_backends_that_follow(alice, hashes):
    """Only a username and password end the search for a backend; other credentials do not."""
    assert authenticate(token="not a password") is None
    assert hashes() == 0


# --- through the login page ---------------------------------------------------------------
def test_the_login_page_hashes_a_wrong_password_once(client, alice, hashes):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert hashes() == 1


def test_the_login_page_hashes_once_for_an_unknown_user(client, alice, hashes):
    response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert hashes() == 1


def test_the_login_page_signs_in_with_one_hash_and_keeps_the_timeline_versions(
    client, alice, hashes
):
    signed_in = []

    def record(sender, user, **kwargs):
        signed_in.append(user)

    user_logged_in.connect(record)
    try:
        response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    finally:
        user_logged_in.disconnect(record)

    assert response.status_code == 302
    assert hashes() == 1
    assert signed_in == [alice]
    # Every later request loads Alice through this backend, with her timelines' versions.
    assert client.session[BACKEND_SESSION_KEY] == "tweets.backends.TimelineVersionBackend"
    user = client.get("/").wsgi_request.user
    assert user == alice
    assert hasattr(user, "home_timeline_version")
    assert hasattr(user, "explore_timeline_version")
