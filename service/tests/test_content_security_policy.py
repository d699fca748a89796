"""Every page carries a Content-Security-Policy: everything from this site only, images also
from the media bucket (config.settings.base.content_security_policy); the templates need no
inline script or style, so none is allowed."""

import re

import pytest

from stack.paths import SERVICE_DIR

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.mark.parametrize("path", ["/", "/explore/", "/accounts/profile/", "/u/alice/"])
def test_signed_in_pages_carry_the_policy(alice_client, path):
    response = alice_client.get(path)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_signed_out_pages_carry_it_too(client, path):
    assert directives(client.get(path)["Content-Security-Policy"])["default-src"] == ["'self'"]


def test_images_may_come_from_the_media_bucket_on_either_s3_host():
    from config.settings.base import content_security_policy

    policy = content_security_policy(
        {"OPTIONS": {"bucket_name": "tw-media", "region_name": "ap-northeast-1"}}
    )
    assert policy["DIRECTIVES"]["img-src"] == [
        "'self'",
        "https://tw-media.s3.amazonaws.com",
        "https://tw-media.s3.ap-northeast-1.amazonaws.com",
    ]


def test_images_may_come_from_a_local_s3_stand_in():
    from config.settings.base import content_security_policy

    policy = content_security_policy(
        {"OPTIONS": {"bucket_name": "tw-media", "endpoint_url": "http://127.0.0.1:9000/"}}
    )
    assert policy["DIRECTIVES"]["img-src"] == ["'self'", "http://127.0.0.1:9000"]


def test_no_template_has_inline_script_style_or_event_handler():
    # The policy allows none, so a page that had one would break in the browser.
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.I)
    offenders = [
        f"{path.relative_to(SERVICE_DIR)}: {match.group(0)!r}"
        for path in (SERVICE_DIR / "templates").rglob("*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert not offenders, offenders
