"""`manage.py load_sql_dump FILE [--replace]`: a plain-SQL dump, loaded as the application role.

For the move from `database: efs` to `database: rds` (docs/operations.md): the dump is made in
the old db container with `pg_dump --format=plain --inserts --no-owner --no-privileges`, and
loaded through ECS Exec in a new web container, whose image has neither psql nor pg_restore
and whose subnets may have no internet path. FILE is a path or an ``s3://bucket/key`` the task
role may read (the media bucket). One transaction: a failed load changes nothing.

``--replace`` first drops the public schema and everything in it (the tables the new tasks
migrated) and makes it again, owned by the application role; without it the schema must be
empty. The psql meta-commands pg_dump writes (``\\restrict``/``\\unrestrict``, since 17.6, 16.10
and 15.14) are left out; COPY blocks are refused: dump with ``--inserts``.
https://www.postgresql.org/docs/17/app-pgdump.html
"""

import os
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

_META_COMMAND = re.compile(r"^\\[a-z]+\b.*$", re.MULTILINE)
_COPY_FROM_STDIN = re.compile(r"^COPY .* FROM stdin;$", re.MULTILINE)


def dump_sql(text: str) -> str:
    """The dump's SQL, without psql's meta-commands; ValueError for a dump psql alone loads."""
    if _COPY_FROM_STDIN.search(text):
        raise ValueError("the dump holds COPY ... FROM stdin; make it with pg_dump --inserts")
    return _META_COMMAND.sub("", text)


def read_dump(source: str) -> str:
    if not source.startswith("s3://"):
        return Path(source).read_text(encoding="utf-8")
    import boto3  # the web image's, for the media storage

    bucket, _, key = source.removeprefix("s3://").partition("/")
    # The media bucket's region, which the web container is given (stack.contract.WEB).
    s3 = boto3.client("s3", region_name=os.environ.get("AWS_S3_REGION_NAME") or None)
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return body.decode("utf-8")


class Command(BaseCommand):
    help = "Load a plain-SQL pg_dump (--inserts) as the application role, in one transaction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="a file, or s3://bucket/key")
        parser.add_argument(
            "--replace", action="store_true", help="drop what the public schema holds first"
        )

    def handle(self, *args: Any, source: str, replace: bool, **options: Any) -> None:
        try:
            sql = dump_sql(read_dump(source))
        except (OSError, ValueError) as error:
            raise CommandError(f"load_sql_dump: {error}") from None
        with transaction.atomic(), connection.cursor() as cursor:
            if replace:
                cursor.execute("DROP SCHEMA public CASCADE")
                cursor.execute("CREATE SCHEMA public")
            cursor.execute(
                "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
            )
            if cursor.fetchone()[0]:
                raise CommandError(
                    "load_sql_dump: the public schema is not empty; pass --replace to drop "
                    "what it holds (the new tasks' migrations) first"
                )
            cursor.execute(sql)  # no parameters: the dump goes as it is, every statement
        self.stdout.write(f"load_sql_dump: loaded {source}")
