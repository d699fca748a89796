"""`manage.py make_renditions [--dry-run]`: give the uploads stored before renditions theirs.

Pages show an upload by its renditions only when its stored name carries its size
(core.renditions); an older upload is shown as it is, at its full size, and an attachment
without a width and height. This passes each such tweet image and avatar through the upload
field again (the same limits, metadata dropped, a new name with the size), stores its renditions,
points the row at it, and at the end deletes the old objects, once no cached card or page can
still link to them (CARD_CACHE_SECONDS + 2 x TIMELINE_CACHE_SECONDS after the last change, the
bound service/tests/test_cards.py holds). An upload the field
refuses today (past a limit set since) is left as it is and named in the output. Run it once
after deploying, from a web container (ECS Exec, docs/operations.md); a second run finds
nothing to do.
"""

import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from core.images import UploadedImageField
from core.renditions import (
    ATTACHMENT_RENDITIONS,
    AVATAR_RENDITIONS,
    delete_with_renditions,
    original_size,
    store_renditions,
)


def unsized(model, field: str):
    """The rows of `model` whose `field` holds an upload stored without its size."""
    rows = model.objects.exclude(**{field: ""}).order_by("pk")
    return [row for row in rows if original_size(getattr(row, field).name) is None]


class Command(BaseCommand):
    help = "Store renditions for the tweet images and avatars uploaded before them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only list what would change")

    def handle(self, *args: Any, **options: Any) -> None:
        from accounts.models import Profile
        from tweets.models import Tweet

        replaced: list[tuple[Any, str]] = []
        refused = 0
        for model, field, renditions in (
            (Tweet, "image", ATTACHMENT_RENDITIONS),
            (Profile, "avatar", AVATAR_RENDITIONS),
        ):
            for row in unsized(model, field):
                old = getattr(row, field)
                if options["dry_run"]:
                    self.stdout.write(f"would redo {old.name}")
                    continue
                storage, old_name = old.storage, old.name
                try:
                    self._redo(row, field, renditions)
                except ValidationError as error:
                    refused += 1
                    self.stdout.write(f"left {old_name} as it is: {' '.join(error.messages)}")
                else:
                    replaced.append((storage, old_name))
                    self.stdout.write(f"{old_name} -> {getattr(row, field).name}")
        if replaced:
            cached = settings.CARD_CACHE_SECONDS + 2 * settings.TIMELINE_CACHE_SECONDS
            self.stdout.write(f"deleting the old objects in {cached} s, when no cache shows them")
            time.sleep(cached)
            for storage, old_name in replaced:
                delete_with_renditions(storage, old_name)
        self.stdout.write(
            f"{len(replaced)} upload(s) given renditions, {refused} left as they were"
        )

    @staticmethod
    def _redo(row, field: str, renditions) -> None:
        old = getattr(row, field)
        with old.storage.open(old.name, "rb") as stored:
            content = stored.read()
        upload = SimpleUploadedFile("stored", content, content_type="application/octet-stream")
        cleaned = UploadedImageField(renditions=renditions).clean(upload)
        setattr(row, field, cleaned)
        # As the views do: the row and the timelines' version bump (its save signals) commit
        # together, with the renditions already stored.
        with transaction.atomic():
            row.save(update_fields=[field])
            store_renditions(getattr(row, field), cleaned)
