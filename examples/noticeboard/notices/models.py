"""A board holds notices; anyone may pin one (with a photo), a moderator approves it before the
board shows it, and the board's moderator hears of each new one by mail."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.db import models
from django.urls import reverse


class Board(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    moderator_email = models.EmailField(help_text="Told of every new notice, to approve it.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notices:board", args=[self.slug])


def photo_name(notice: Notice, filename: str) -> str:
    """A generated name under photos/: what a visitor called the file never reaches the bucket
    (and two uploads of `IMG_0001.jpg` never meet)."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"photos/{uuid.uuid4().hex}{suffix}"


class Notice(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="notices")
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=2000)
    poster_name = models.CharField("your name", max_length=80)
    poster_email = models.EmailField("your email", help_text="Only the moderator sees it.")
    photo = models.ImageField(upload_to=photo_name, blank=True)
    approved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:notice", args=[self.board.slug, self.pk])


class Tag(models.Model):
    """A word a moderator files notices under (for sale, lost and found, events)."""

    name = models.CharField(max_length=40, unique=True)
    notices = models.ManyToManyField(Notice, related_name="tags", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
