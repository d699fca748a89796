"""Django's admin for staff (accounts.staff_admin): at a path of its own per deployment, never
/admin/; a 404 to everyone but active staff, signed-out visitors included; no password form of
its own, so staff sign in and change passwords through the site's pages and their lockout."""

import html
import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.staff_admin import admin_path, derived_admin_path
from service.tests.conftest import PASSWORD

LIMIT = 10  # settings.AXES_FAILURE_LIMIT: failures in a row for one account at one address
ADDRESS = "203.0.113.80"
TEMPLATE_SYNTAX = ("{%", "{{", "{#", "%}", "}}", "#}")


class CountingHasher(MD5PasswordHasher):
    algorithm = "counted_md5"
    hashes = 0

    def encode(self, password, salt):
        CountingHasher.hashes += 1
        return super().encode(password, salt)


# --- the path -----------------------------------------------------------------------------------
def test_the_default_path_is_derived_from_the_secret_key_and_differs_per_deployment():
    first, second = derived_admin_path("key one"), derived_admin_path("key two")
    assert first != second
    assert re.fullmatch(r"staff-[0-9a-f]{20}/", first), first
    assert admin_path("", "key one") == first


def test_the_site_serves_the_admin_at_the_path_of_its_settings(settings):
    assert reverse("admin:index") == "/" + admin_path(settings.ADMIN_PATH, settings.SECRET_KEY)
    assert not reverse("admin:index").startswith("/admin")


@pytest.mark.parametrize(
    ("configured", "expected"),
    [("team/desk/", "team/desk/"), ("/team/desk", "team/desk/"), ("ops~1", "ops~1/")],
)
def test_a_chosen_path_is_taken_relative_with_a_final_slash(configured, expected):
    assert admin_path(configured, "key") == expected


@pytest.mark.parametrize("configured", ["admin/", "Admin", "accounts/staff/", "static/x/"])
def test_django_s_default_and_the_site_s_own_prefixes_are_refused(configured):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ADMIN_PATH"):
        admin_path(configured, "key")


@pytest.mark.parametrize("configured", ["a b/", "x/../y/", "x?y/", "<x>/", "a//b/"])
def test_a_path_that_is_not_plain_segments_is_refused(configured):
    with pytest.raises(ImproperlyConfigured, match="not a relative URL path"):
        admin_path(configured, "key")


# --- who reaches it -----------------------------------------------------------------------------
@pytest.fixture
def staff(make_user):
    return make_user("opal", email="opal@example.com", is_staff=True, is_superuser=True)


def admin_url(name: str = "admin:index", *args) -> str:
    return reverse(name, args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/auth/user/"])
def test_django_s_default_admin_path_is_an_unknown_page(client, staff, path):
    assert client.get(path).status_code == 404
    client.force_login(staff)
    assert client.get(path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["admin:index", "admin:auth_user_changelist", "admin:login"])
def test_a_signed_out_visitor_gets_404_not_a_login_redirect(client, name):
    response = client.get(admin_url(name))
    assert response.status_code == 404
    assert "Location" not in response.headers


@pytest.mark.django_db
def test_a_signed_in_account_that_is_not_staff_gets_404(client, alice):
    client.force_login(alice)
    for name in ("admin:index", "admin:auth_user_changelist", "admin:login"):
        assert client.get(admin_url(name)).status_code == 404, name


@pytest.mark.django_db
def test_an_inactive_staff_account_gets_404(client, make_user):
    former = make_user("former", email="former@example.com", is_staff=True, is_active=False)
    client.force_login(former)
    assert client.get(admin_url()).status_code == 404


def visible_text(page: str) -> str:
    without_code = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", without_code))


@pytest.mark.django_db
def test_staff_see_its_pages_without_template_syntax(client, staff, alice):
    client.force_login(staff)
    pages = [
        admin_url(),
        admin_url("admin:auth_user_changelist"),
        admin_url("admin:auth_user_change", alice.pk),
        admin_url("admin:auth_group_add"),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        assert "django-tw staff" in text, path
        leaked = [mark for mark in TEMPLATE_SYNTAX if mark in text]
        assert not leaked, f"{path}: {leaked}"
    assert "alice" in visible_text(client.get(pages[1]).content.decode())


# --- no password form of its own ----------------------------------------------------------------
@pytest.mark.django_db
def test_the_admin_login_hashes_nothing_and_signs_no_one_in(client, staff, settings):
    settings.PASSWORD_HASHERS = ["service.tests.test_staff_admin.CountingHasher"]
    CountingHasher.hashes = 0
    response = client.post(admin_url("admin:login"), {"username": "opal", "password": PASSWORD})
    assert response.status_code == 404
    assert CountingHasher.hashes == 0
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signed_in_staff_at_the_admin_login_go_to_its_index(client, staff):
    client.force_login(staff)
    response = client.get(admin_url("admin:login"))
    assert (response.status_code, response.headers["Location"]) == (302, admin_url())


@pytest.mark.django_db
def test_the_admin_s_password_change_is_the_site_s_own_page(client, staff):
    client.force_login(staff)
    response = client.get(admin_url("admin:password_change"))
    assert (response.status_code, response.headers["Location"]) == (
        302,
        "/accounts/password_change/",
    )


def sign_in(client, password: str):
    return client.post(
        f"/accounts/login/?next={admin_url()}",
        {"username": "opal", "password": password},
        HTTP_X_REAL_IP=ADDRESS,
        REMOTE_ADDR="127.0.0.1",
    )


@pytest.mark.django_db
def test_staff_sign_in_through_the_site_and_land_in_the_admin(client, staff, settings):
    settings.AXES_ENABLED = True
    response = sign_in(client, PASSWORD)
    assert (response.status_code, response.headers["Location"]) == (302, admin_url())
    assert client.get(admin_url()).status_code == 200


@pytest.mark.django_db
def test_staff_are_locked_out_of_the_admin_as_anyone_is_out_of_the_site(client, staff, settings):
    settings.AXES_ENABLED = True
    for attempt in range(LIMIT):
        expected = 429 if attempt + 1 == LIMIT else 200
        assert sign_in(client, "wrong").status_code == expected, attempt
    locked = sign_in(client, PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert client.get(admin_url()).status_code == 404
