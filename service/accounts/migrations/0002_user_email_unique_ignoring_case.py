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
from django.db.models import Count
from django.db.models.functions import Lower

INDEX = "auth_user_email_lower_unique"


def refuse_duplicates(apps, schema_editor):
    user_model = apps.get_model("auth", "User")
    users = user_model.objects.using(schema_editor.connection.alias).exclude(email="")
    duplicated = (
        users.annotate(address=Lower("email"))
        .values("address")
        .annotate(accounts=Count("id"))
        .filter(accounts__gt=1)
        .values_list("address", flat=True)
    )
    if not duplicated:
        return
    lines = []
    for address in sorted(duplicated):
        holders = users.filter(email__iexact=address).order_by("date_joined", "id")
        named = ", ".join(f"{user.username} (id {user.id}, {user.email})" for user in holders)
        lines.append(f"  {address}: {named}")
    raise RuntimeError(
        "These e-mail addresses belong to more than one account when case is ignored:\n"
        + "\n".join(lines)
        + "\nGive each account its own address (or clear the address of the accounts that "
        "should not receive password resets), then migrate again. Nothing was changed."
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
