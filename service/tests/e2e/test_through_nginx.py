"""The whole topology answers through nginx the way the Fargate task answers through the ALB."""

from __future__ import annotations

import html
import io
import os
import re
import time
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image

from service.tests.e2e.users import new_user, png_image, reset_link, signed_in, wait_for_mail
from tools.local.client import SiteClient
from tools.local.harness import RunningTopology

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


def test_healthz_answers_ok_for_the_load_balancer_probe(topology: RunningTopology):
    # The ALB probes over plain HTTP with the task's IP as Host: no redirect, no DisallowedHost.
    response = requests.get(
        f"{topology.base_url}/healthz",
        headers={"Host": "10.0.1.23"},
        allow_redirects=False,
        timeout=5,
    )
    assert response.status_code == 200, response.text
    assert response.text.strip() == "ok"


def test_static_files_come_from_nginx_with_long_lived_caching(topology: RunningTopology):
    static_root = topology.topology.static_root
    # A file Django has never heard of: only nginx, reading the static volume, can serve it.
    probe = static_root / "e2e-probe.txt"
    probe.write_text("served by nginx\n")
    # Kept as the data directory keeps every file: its owner's (nginx runs as that account).
    owner = static_root.stat()
    os.chown(probe, owner.st_uid, owner.st_gid)
    probe.chmod(0o600)
    try:
        response = requests.get(f"{topology.base_url}/static/e2e-probe.txt", timeout=5)
    finally:
        probe.unlink()
    assert response.status_code == 200
    assert response.text == "served by nginx\n"

    # And a file collectstatic wrote with a hashed name, as the pages reference it.
    hashed = [p for p in static_root.rglob("*.css") if re.search(r"\.[0-9a-f]{12}\.css$", p.name)]
    assert hashed, f"collectstatic wrote no hashed stylesheet under {static_root}"
    path = "/static/" + hashed[0].relative_to(static_root).as_posix()
    response = requests.get(topology.base_url + path, timeout=5)
    assert response.status_code == 200
    cache_control = response.headers.get("Cache-Control", "")
    assert "max-age=31536000" in cache_control, cache_control
    assert "immutable" in cache_control, cache_control
    web_log = (topology.log_dir / "web.log").read_text(errors="replace")
    assert path not in web_log, "a static file request reached gunicorn"


def test_tweet_with_image_is_stored_in_the_media_bucket_and_served_from_it(
    topology: RunningTopology,
):
    user, client = signed_in(topology.base_url, "img")
    image = png_image(80, 60)
    text = f"a picture from {user.username}"
    response = client.post_tweet(text, ("picture.png", image, "image/png"))
    assert response.status_code in (302, 303), response.text[:2000]

    page = client.get(f"/u/{user.username}/")
    assert page.status_code == 200
    assert text in html.unescape(page.text)
    s3_host = f":{topology.ports.s3}/"
    sources = [
        html.unescape(src)
        for src in re.findall(r'<img[^>]+src="([^"]+)"', page.text)
        if s3_host in src
    ]
    assert sources, f"no image from the S3 server (port {topology.ports.s3}) on the profile page"
    fetched = requests.get(sources[0], timeout=10)
    assert fetched.status_code == 200, fetched.text[:500]
    assert urlsplit(sources[0]).port == topology.ports.s3
    assert Image.open(io.BytesIO(fetched.content)).size == (80, 60)


def test_an_image_keeps_one_url_across_pages_and_the_browser_may_keep_it(
    topology: RunningTopology,
):
    # core.renditions and django_fargate.media_storage: the timeline links to the rendition at
    # its size, every page of one signing window links to the same signed URL, and the bucket
    # answers it with a Cache-Control that lets the browser keep it as long as the URL works.
    user, client = signed_in(topology.base_url, "cache")
    response = client.post_tweet("cached", ("wide.png", png_image(1400, 700), "image/png"))
    assert response.status_code in (302, 303), response.text[:2000]

    def attachments(path: str) -> list[str]:
        page = client.get(path)
        assert page.status_code == 200
        return re.findall(r'<img class="attachment"[^>]*>', page.text)

    [first] = attachments(f"/u/{user.username}/")
    time.sleep(1.1)  # a URL signed at the time of the request would say a later second now
    [again] = attachments(f"/u/{user.username}/")
    [home] = attachments("/")
    assert first == again == home
    assert 'width="508" height="254"' in first
    source = html.unescape(re.search(r'src="([^"]+)"', first)[1])
    assert ".w508.png?" in source

    fetched = requests.get(source, timeout=10)
    assert fetched.status_code == 200, fetched.text[:500]
    assert Image.open(io.BytesIO(fetched.content)).size == (1016, 508)
    signed = dict(part.split("=", 1) for part in urlsplit(source).query.split("&"))
    lifetime = int(signed["X-Amz-Expires"])
    assert lifetime >= 24 * 3600
    cache_control = fetched.headers.get("Cache-Control", "")
    assert f"max-age={lifetime}" in cache_control, cache_control
    assert "private" in cache_control, cache_control  # never kept by a shared cache


def test_an_upload_over_ten_megabytes_is_refused_by_nginx(topology: RunningTopology):
    _, client = signed_in(topology.base_url, "big")
    eleven_megabytes = b"\0" * (11 * 1024 * 1024)
    response = client.post_tweet("too big", ("big.png", eleven_megabytes, "image/png"))
    assert response.status_code == 413
    # nginx's own error page: the request never reached gunicorn.
    assert "<center>nginx</center>" in response.text, response.text[:500]


def test_password_reset_mail_reaches_the_catcher_and_its_link_works(topology: RunningTopology):
    user = new_user("reset")
    client = SiteClient(topology.base_url)
    client.sign_up(user.username, user.email, user.password)
    anonymous = SiteClient(topology.base_url)
    response = anonymous.post("/accounts/password_reset/", {"email": user.email})
    assert response.status_code in (302, 303), response.text[:2000]

    message = wait_for_mail(topology.data_dir / "mail", user.email)
    link = urlsplit(reset_link(message))
    # The link names the code page; its code rides after "#", which a browser posts from the
    # page's form (service/tests/e2e/test_reset_logs.py drives a real one).
    assert link.path == "/accounts/reset/"
    confirm = anonymous.post(link.path, {"code": link.fragment})
    # Django moves the token into the session and redirects to a token-free URL.
    assert confirm.status_code == 302, confirm.status_code
    set_password_path = urlsplit(confirm.headers["Location"]).path
    assert set_password_path.endswith("/set-password/")
    assert anonymous.get(set_password_path).status_code == 200
    new_password = user.password + "-new"
    done = anonymous.post(
        set_password_path,
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code in (302, 303), done.text[:2000]

    fresh = SiteClient(topology.base_url)
    fresh.log_in(user.username, new_password)
    assert fresh.get("/").status_code == 200


def test_https_from_the_load_balancer_is_honoured_without_a_redirect_loop(
    topology: RunningTopology,
):
    behind_alb = SiteClient(topology.base_url, https=True)
    response = behind_alb.get("/accounts/login/")
    assert response.status_code == 200, (response.status_code, response.headers)

    plain = SiteClient(topology.base_url, https=False)
    response = plain.get("/accounts/login/")
    assert response.status_code in (301, 302, 307, 308)
    location = urlsplit(response.headers["Location"])
    assert location.scheme == "https"
    assert location.path == "/accounts/login/"


def test_a_tweets_mention_hashtag_and_link_lead_to_pages_that_answer(topology: RunningTopology):
    user, client = signed_in(topology.base_url, "links")
    tag = f"e2e{user.username.replace('-', '').replace('_', '')}"
    text = f"hello @{user.username} #{tag} {topology.base_url}/explore/"
    assert client.post_tweet(text).status_code in (302, 303)

    page = client.get(f"/u/{user.username}/")
    assert page.status_code == 200
    card = page.text[max(0, page.text.index(f"#{tag}") - 2000) :]
    mention = re.search(r'<a class="mention" href="([^"]+)">@', card)
    hashtag = re.search(r'<a class="hashtag" href="([^"]+)">#', card)
    link = re.search(r'<a href="([^"]+)" rel="nofollow noopener">', card)
    assert mention, card[:3000]
    assert hashtag, card[:3000]
    assert link, card[:3000]
    assert mention.group(1) == f"/u/{user.username}/"
    assert html.unescape(link.group(1)) == f"{topology.base_url}/explore/"

    tagged = client.get(html.unescape(hashtag.group(1)))
    assert tagged.status_code == 200
    assert f"#{tag}" in tagged.text
    assert client.get(mention.group(1)).status_code == 200
    assert client.get(urlsplit(html.unescape(link.group(1))).path).status_code == 200
    found = client.get("/search/", params={"q": tag})
    assert found.status_code == 200
    assert 'class="tweet"' in found.text


def test_a_mention_shows_in_the_mentioned_users_header_and_notifications(
    topology: RunningTopology,
):
    alice, alice_client = signed_in(topology.base_url, "alice")
    bob, bob_client = signed_in(topology.base_url, "bob")
    assert "unread" not in alice_client.get("/").text

    response = bob_client.post_tweet(f"hello @{alice.username}, welcome")
    assert response.status_code in (302, 303), response.text[:2000]

    assert 'aria-label="Notifications, 1 unread"' in alice_client.get("/").text
    listing = alice_client.get("/notifications/")
    assert listing.status_code == 200
    assert f"@{bob.username}</span> mentioned you" in listing.text
    assert f"hello @{alice.username}, welcome" in html.unescape(listing.text)
    # Seen: the count is gone from the next page.
    assert "unread" not in alice_client.get("/").text
