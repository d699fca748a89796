"""Sessions (core.sessions) are Django's database sessions read with one query written once: a
live session signs its active user in, and one past its expiry, unknown or deleted, or one of a
user deactivated since, signs no one in."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_project_reads_sessions_with_this_store():
    assert settings.SESSION_ENGINE == "core.sessions"


def test_a_live_session_signs_its_user_in(alice_client):
    assert alice_client.get("/").status_code == 200


def test_a_session_past_its_expiry_signs_no_one_in(alice_client):
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = alice_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_deactivated_after_signing_in_is_signed_out_on_the_next_request(alice, alice_client):
    alice.is_active = False
    alice.save()
    response = alice_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_deleted_session_signs_no_one_in(alice_client):
    Session.objects.all().delete()
    assert alice_client.get("/").status_code == 302


def test_an_unknown_key_loads_nothing_and_is_replaced_when_saved():
    store = SessionStore(session_key="x" * 32)
    assert store.load() == {}
    assert store.session_key is None  # a key the client chose is never kept (session fixation)
    store["seen"] = True
    store.save()
    assert store.session_key != "x" * 32
    assert SessionStore(session_key=store.session_key).load() == {"seen": True}


def test_signing_out_ends_the_session_for_every_later_request(alice, client: Client):
    client.force_login(alice)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get("/").status_code == 302
