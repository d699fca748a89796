"""Signing up, logging in and out, asking for a password reset, editing the profile, and what
anonymous users and forged requests get (the reset itself: test_password_reset)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.models import Profile
from service.tests.conftest import PASSWORD, image_bytes, upload
from tweets.models import Tweet

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_signup_creates_the_user_and_profile_and_logs_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "carol",
            "email": "carol@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/explore/"
    carol = User.objects.get(username="carol")
    assert carol.email == "carol@example.com"
    assert Profile.objects.filter(user=carol).exists()
    assert client.get("/").status_code == 200


def test_signup_refuses_mismatched_passwords_and_a_taken_email(client, alice):
    response = client.post(
        "/accounts/signup/",
        {"username": "dave", "email": alice.email, "password1": PASSWORD, "password2": "other"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The two password fields didn\u2019t match." in page
    assert "An account with this email address already exists." in page
    assert not User.objects.filter(username="dave").exists()


def test_login_and_logout(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/")["Location"] == "/accounts/login/?next=/"


def test_a_wrong_password_is_refused(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


@pytest.mark.parametrize("path", ["/", "/explore/", "/u/alice/", "/accounts/profile/"])
def test_anonymous_users_are_sent_to_the_login_page(client, alice, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_an_anonymous_post_changes_nothing(client, alice, bob):
    tweet = Tweet.objects.create(author=bob, text="hi")
    for path in ("/tweets/", f"/tweets/{tweet.pk}/like/", f"/tweets/{tweet.pk}/delete/"):
        response = client.post(path, {"text": "sneaky"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert client.post("/u/alice/follow/").status_code == 302
    assert list(Tweet.objects.values_list("text", flat=True)) == ["hi"]
    assert not tweet.likes.exists()
    assert not alice.follower_links.exists()


def test_a_post_without_csrf_token_is_refused(alice, bob):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    tweet = Tweet.objects.create(author=bob, text="hi")
    for path in ("/tweets/", f"/tweets/{tweet.pk}/like/", "/u/bob/follow/"):
        response = strict.post(path, {"text": "forged"})
        assert response.status_code == 403
        assert "security token (CSRF)" in response.content.decode()
    assert Tweet.objects.count() == 1
    assert not tweet.likes.exists()
    assert not bob.follower_links.exists()


def test_a_post_with_the_csrf_token_from_the_page_is_accepted(alice):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    page = strict.get("/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = strict.post("/tweets/", {"text": "genuine", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Tweet.objects.get().text == "genuine"


def test_profile_edit_with_avatar(alice_client, alice, bucket_keys):
    response = alice_client.post(
        "/accounts/profile/",
        {
            "display_name": "Alice <A.>",
            "bio": "Tweets about <b>cats</b>",
            "avatar": upload("me.jpg", image_bytes("JPEG")),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/u/alice/"
    profile = Profile.objects.get(user=alice)
    assert profile.display_name == "Alice <A.>"
    assert profile.avatar.name.startswith("avatars/")
    assert profile.avatar.name in bucket_keys()
    page = alice_client.get("/u/alice/").content.decode()
    assert "Alice &lt;A.&gt;" in page
    assert "Tweets about &lt;b&gt;cats&lt;/b&gt;" in page


def test_profile_edit_refuses_a_non_image_avatar(alice_client, alice):
    response = alice_client.post(
        "/accounts/profile/",
        {"display_name": "Changed", "bio": "", "avatar": upload("me.png", b"<?php evil(); ?>")},
    )
    assert response.status_code == 400
    assert "Upload a valid image." in response.content.decode()
    profile = Profile.objects.get(user=alice)
    assert profile.display_name == ""
    assert not profile.avatar


def test_a_replaced_avatar_leaves_the_bucket(
    alice_client, alice, bucket_keys, django_capture_on_commit_callbacks
):
    def post_avatar():
        return alice_client.post(
            "/accounts/profile/",
            {"display_name": "", "bio": "", "avatar": upload("me.png", image_bytes("PNG"))},
        )

    post_avatar()
    first = Profile.objects.get(user=alice).avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        assert post_avatar().status_code == 302
    second = Profile.objects.get(user=alice).avatar.name
    assert second != first
    assert second in bucket_keys()
    assert first not in bucket_keys()
