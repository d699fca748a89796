"""One account per e-mail address, whatever its case: the sign-up form says so, and a unique
index on lower(email) (accounts migration 0002) holds when two sign-ups race or something writes
past the form. The migration refuses, naming them, when duplicates already exist."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from service.tests.conftest import PASSWORD

MIGRATION = "0002_user_email_unique_ignoring_case"


def signup(client, username: str, email: str):
    return client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.mark.django_db
def test_the_form_refuses_an_address_in_another_case(client, make_user):
    make_user("alice", email="Alice@Example.com")
    response = signup(client, "alice2", "aLICE@example.COM")
    assert response.status_code == 400
    assert "An account with this email address already exists." in response.content.decode()


@pytest.mark.django_db
def test_the_database_refuses_what_the_form_did_not_see(make_user):
    make_user("alice", email="alice@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("alice2", email="ALICE@example.com")


@pytest.mark.django_db
def test_accounts_without_an_address_may_be_many(make_user):
    make_user("root1", email="")
    make_user("root2", email="")


@pytest.mark.django_db
def test_a_sign_up_that_loses_the_race_gets_the_form_back(client, make_user, monkeypatch):
    from accounts.forms import SignupForm

    # The other sign-up commits between this one's check and its insert.
    checked = SignupForm.clean_email

    def check_then_lose_the_race(form):
        email = checked(form)
        make_user("winner", email=email.upper())
        return email

    monkeypatch.setattr(SignupForm, "clean_email", check_then_lose_the_race)
    response = signup(client, "loser", "race@example.com")
    assert response.status_code == 400
    assert "An account with this email address already exists." in response.content.decode()


def insert_users(*pairs: tuple[str, str]) -> None:
    with connection.cursor() as cursor:
        for username, email in pairs:
            cursor.execute(
                "INSERT INTO auth_user (username, email, password, is_superuser, first_name,"
                " last_name, is_staff, is_active, date_joined)"
                " VALUES (%s, %s, '!', false, '', '', false, true, now())",
                [username, email],
            )


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_existing_duplicates_and_names_them():
    call_command("migrate", "accounts", "0001", verbosity=0)
    try:
        insert_users(("ann", "Ann@Example.com"), ("ann2", "ann@example.com"), ("bo", "bo@x.org"))
        with pytest.raises(RuntimeError) as refused:
            call_command("migrate", "accounts", MIGRATION, verbosity=0)
        message = str(refused.value)
        assert "ann@example.com: ann (id " in message
        assert "ann2 (id " in message
        assert "bo@x.org" not in message
        assert "Nothing was changed." in message
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE auth_user SET email = 'ann.two@example.com' WHERE username = 'ann2'"
            )
        call_command("migrate", "accounts", MIGRATION, verbosity=0)
        with pytest.raises(IntegrityError):
            insert_users(("ann3", "ANN@example.com"))
    finally:
        call_command("migrate", verbosity=0)
