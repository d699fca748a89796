"""`manage.py migrate_locked`: `migrate`, holding a PostgreSQL advisory lock while it runs.

When several web tasks start together (a deployment, a scale-out), each runs migrations at
start. Two `migrate` runs at once race on the same DDL and one fails half-way. With the lock,
the first applies the migrations; the others wait, then find nothing left to apply.
https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

# Any fixed 64-bit number shared by every copy of an app; derived from the name "djangotw" so it
# does not collide with locks other code may take. It stays the number the platform's first
# images used: during a rolling deployment tasks of the old image and the new one wait on the
# same lock.
MIGRATION_LOCK_KEY = 0x646A_616E_676F_7477  # b"djangotw"


class Command(BaseCommand):
    help = "Apply migrations while holding a PostgreSQL advisory lock (safe with many tasks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args: Any, database: str, interactive: bool, **options: Any) -> None:
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError(
                f"migrate_locked needs PostgreSQL advisory locks; database {database!r} "
                f"uses {connection.vendor}. Run plain `manage.py migrate` instead."
            )
        verbosity = options["verbosity"]
        with connection.cursor() as cursor:
            if verbosity:
                self.stdout.write("Waiting for the migration lock...")
            # Session-level lock on the same connection `migrate` uses; released below, or by
            # the server when this process dies.
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
            try:
                if verbosity:
                    self.stdout.write("Migration lock acquired.")
                call_command(
                    "migrate", database=database, interactive=interactive, verbosity=verbosity
                )
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
