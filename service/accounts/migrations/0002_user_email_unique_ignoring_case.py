"""One account per e-mail address, whatever its case: a unique index on lower(email).

The form checks first (accounts.forms.SignupForm); the index settles two sign-ups racing with
the same address. auth.User is Django's model, so the index is created here with SQL instead
of a Meta constraint. Empty addresses (allowed for accounts made with createsuperuser) are left
out of it.

Existing duplicates are not resolved here: which account keeps the address is a decision about
people, not schema. The migration refuses, naming every duplicate, and changes nothing; see
docs/operations.md ("E-mail addresses that differ only in case") for what to do.
"""

from django.db import migrations

from accounts.case_duplicates import refuse_case_duplicates

INDEX = "auth_user_email_lower_unique"


def refuse_duplicates(apps, schema_editor):
    user_model = apps.get_model("auth", "User")
    users = user_model.objects.using(schema_editor.connection.alias).exclude(email="")
    refuse_case_duplicates(
        users,
        "email",
        holders=lambda address: users.filter(email__iexact=address).order_by("date_joined", "id"),
        describe=lambda user: f"{user.username} (id {user.id}, {user.email})",
        what="e-mail addresses",
        remedy="Give each account its own address (or clear the address of the accounts that "
        "should not receive password resets), then migrate again.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (lower(email)) WHERE email <> ''",
            f"DROP INDEX {INDEX}",
        ),
    ]
