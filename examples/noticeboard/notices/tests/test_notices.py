"""The noticeboard's specifications, run by Django's test runner against a real PostgreSQL
(`manage.py test notices`, with the platform's environment; tests/examples/test_noticeboard.py
runs them)."""

import io

from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from PIL import Image

from notices.models import Board, Notice

# Uploads go to the media bucket in a task; here to memory, through the same storage API.
IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SITE = {"HTTP_HOST": "localhost", "HTTP_X_FORWARDED_PROTO": "https"}


def photo(name: str = "IMG_0001.JPG", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@override_settings(STORAGES=IN_MEMORY)
class PinningANotice(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.board = Board.objects.create(
            name="Allotments", slug="allotments", moderator_email="mod@example.org"
        )

    def pin(self, **fields):
        data = {
            "title": "Spare seedlings",
            "body": "Tomatoes and courgettes, free to a good plot.",
            "poster_name": "Ann",
            "poster_email": "ann@example.org",
            **fields,
        }
        return self.client.post("/b/allotments/", data, **SITE)

    def test_a_notice_with_a_photo_is_stored_under_a_generated_name(self):
        response = self.pin(photo=photo())
        self.assertRedirects(response, "/b/allotments/", fetch_redirect_response=False)
        notice = Notice.objects.get()
        self.assertRegex(notice.photo.name, r"^photos/[0-9a-f]{32}\.jpg$")
        self.assertTrue(notice.photo.storage.exists(notice.photo.name))
        self.assertEqual(Image.open(notice.photo).size, (40, 30))

    def test_the_board_s_moderator_is_mailed_a_link_to_approve_it(self):
        self.pin()
        (message,) = mail.outbox
        notice = Notice.objects.get()
        self.assertEqual(message.to, ["mod@example.org"])
        self.assertIn("Spare seedlings", message.subject)
        self.assertIn(f"https://localhost/admin/notices/notice/{notice.pk}/change/", message.body)

    def test_a_new_notice_waits_for_approval(self):
        self.pin()
        notice = Notice.objects.get()
        self.assertNotContains(self.client.get("/b/allotments/", **SITE), "Spare seedlings")
        self.assertEqual(self.client.get(notice.get_absolute_url(), **SITE).status_code, 404)
        notice.approved = True
        notice.save()
        self.assertContains(self.client.get("/b/allotments/", **SITE), "Spare seedlings")
        self.assertContains(self.client.get(notice.get_absolute_url(), **SITE), "courgettes")

    def test_a_file_that_is_no_image_is_refused_and_nothing_is_mailed(self):
        fake = SimpleUploadedFile("seeds.jpg", b"not an image", content_type="image/jpeg")
        response = self.pin(photo=fake)
        self.assertEqual(response.status_code, 200)
        self.assertFormError(response.context["form"], "photo", [
            "Upload a valid image. The file you uploaded was either not an image or a "
            "corrupted image."
        ])  # fmt: skip
        self.assertFalse(Notice.objects.exists())
        self.assertEqual(mail.outbox, [])

    @override_settings(NOTICE_PHOTO_MAX_BYTES=100)
    def test_a_photo_over_the_limit_is_refused(self):
        response = self.pin(photo=photo())
        self.assertIn("at most", response.context["form"].errors["photo"][0])
        self.assertFalse(Notice.objects.exists())


class Moderating(TestCase):
    def test_a_moderator_approves_notices_in_the_admin(self):
        board = Board.objects.create(name="Lost", slug="lost", moderator_email="m@example.org")
        waiting = Notice.objects.create(
            board=board, title="Grey cat", body="Answers to Biscuit.", poster_name="B",
            poster_email="b@example.org",
        )  # fmt: skip
        User.objects.create_superuser("mod", "m@example.org", "a long enough password")
        self.client.login(username="mod", password="a long enough password")
        response = self.client.post(
            "/admin/notices/notice/",
            {"action": "approve", "_selected_action": [waiting.pk]},
            **SITE,
        )
        self.assertEqual(response.status_code, 302)
        waiting.refresh_from_db()
        self.assertTrue(waiting.approved)


class ThePlatformSide(TestCase):
    def test_the_probes_answer_for_any_host_over_plain_http(self):
        # The load balancer asks the task's address, not the site's name, without TLS.
        self.assertEqual(self.client.get("/healthz", HTTP_HOST="10.0.3.7:8080").status_code, 200)
        self.assertEqual(self.client.get("/livez", HTTP_HOST="10.0.3.7:8080").status_code, 200)

    def test_pages_redirect_to_https_behind_the_load_balancer(self):
        response = self.client.get("/", HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].startswith("https://localhost/"))


@override_settings(STORAGES=IN_MEMORY)
class TheStackFile(TestCase):
    @override_settings(NOTICEBOARD_NAME="Station Road noticeboard")
    def test_the_site_s_name_from_its_environment_heads_every_page(self):
        Board.objects.create(name="Lost", slug="lost", moderator_email="m@example.org")
        for path in ("/", "/b/lost/"):
            page = self.client.get(path, **SITE)
            self.assertContains(page, '">Station Road noticeboard</a>')
