"""One account per username, whatever its case: a unique index on lower(username).

A mention names a user in any case ("@Alice" is alice, tweets.tokens.mention_key), so two
usernames that differ only in case would make it name two people. Sign-up already refuses
them (Django's UserCreationForm.clean_username); the index holds every other way an account
is made (createsuperuser, createstaff, the admin) to the same rule, and it is the index the
mentions are resolved through (lower(username) = ANY(tweet.mentions)). auth.User is Django's
model, so the index is created here with SQL instead of a Meta constraint.

Existing duplicates are not resolved here: which account keeps its name is a decision about
people, not schema. The migration refuses, naming every duplicate, and changes nothing; see
docs/operations.md ("Usernames that differ only in case") for what to do.
"""

from django.db import migrations
from django.db.models.functions import Lower

from accounts.case_duplicates import refuse_case_duplicates

INDEX = "auth_user_username_lower_unique"


def refuse_duplicates(apps, schema_editor):
    user_model = apps.get_model("auth", "User")
    users = user_model.objects.using(schema_editor.connection.alias)
    refuse_case_duplicates(
        users,
        "username",
        holders=lambda name: (
            users.annotate(name=Lower("username")).filter(name=name).order_by("id")
        ),
        describe=lambda user: f"{user.username} (id {user.id})",
        what="usernames",
        remedy="Rename all but one account of each, then migrate again.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_people_search_and_follow_list_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (lower(username))",
            f"DROP INDEX {INDEX}",
        ),
    ]
