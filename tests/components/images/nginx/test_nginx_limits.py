"""The nginx template limits sign-in, sign-up, password change and reset per client address, all
in one zone (429 with a short page), and logs no password-reset token; everything else passes
untouched. The real nginx,
from the rendered template, in front of the echo upstream (test_nginx_template.py)."""

import time
from collections import Counter
from collections.abc import Iterator

import pytest

from tests.components.images.nginx.test_nginx_template import Nginx, start_nginx

BURST = 10  # limit_req zone=auth_posts burst=10 (one more passes: the rate's own slot)
PER_MINUTE = 10  # limit_req_zone ... zone=auth_posts rate=10r/m: a slot frees every 6 s


@pytest.fixture
def nginx() -> Iterator[Nginx]:
    # A fresh nginx per test: the zones start empty. The test plays the load balancer.
    yield from start_nginx(real_ip_from="127.0.0.1/32")


def post(nginx: Nginx, path: str, client: str):
    return nginx.request("POST", path, body=b"x=1", headers={"X-Forwarded-For": client})


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_change/",
        "/accounts/password_reset/",
        "/accounts/reset/",
    ],
)
def test_a_burst_of_posts_from_one_address_gets_429_with_a_short_page(nginx, path):
    statuses = Counter(post(nginx, path, "203.0.113.9")[0].status for _ in range(BURST + 10))
    assert statuses[200] == BURST + 1
    assert statuses[429] == 9
    response, body = post(nginx, path, "203.0.113.9")
    assert response.status == 429
    assert b"Too many attempts from your address" in body
    assert response.getheader("Retry-After") == "60"
    assert response.getheader("Content-Type") == "text/html"


def test_after_a_burst_a_slot_frees_only_at_the_rate_of_ten_a_minute(nginx):
    """A quarter of the interval between two slots later (1.5 s of 6 s) the address is still
    held back; at ten times the rate a slot would have freed twice over by then. Only a machine
    stalled for the other 4.5 s could let this request through."""
    for _ in range(BURST + 1):
        assert post(nginx, "/accounts/login/", "203.0.113.9")[0].status == 200
    assert post(nginx, "/accounts/login/", "203.0.113.9")[0].status == 429
    time.sleep(60 / PER_MINUTE / 4)
    assert post(nginx, "/accounts/login/", "203.0.113.9")[0].status == 429


def test_the_reset_confirmation_post_is_limited_too(nginx):
    path = "/accounts/reset/MTI/set-password/"
    statuses = [post(nginx, path, "203.0.113.9")[0].status for _ in range(BURST + 3)]
    assert statuses.count(429) == 2


@pytest.mark.parametrize(
    "path", ["/accounts/signup/", "/accounts/password_change/", "/accounts/reset/"]
)
def test_sign_in_and_the_other_password_forms_share_one_budget(nginx, path):
    """Changing a password hashes as signing in does: a client who spent its burst on one
    cannot go on guessing at the other."""
    for _ in range(BURST + 1):
        assert post(nginx, "/accounts/login/", "203.0.113.9")[0].status == 200
    assert post(nginx, path, "203.0.113.9")[0].status == 429


def test_another_address_is_not_held_back(nginx):
    for _ in range(BURST + 5):
        post(nginx, "/accounts/login/", "203.0.113.9")
    assert post(nginx, "/accounts/login/", "198.51.100.7")[0].status == 200


def test_a_path_spelled_differently_counts_the_same(nginx):
    for _ in range(BURST + 1):
        post(nginx, "/accounts/login/", "203.0.113.9")
    assert post(nginx, "/accounts//%6Cogin/", "203.0.113.9")[0].status == 429


def test_other_pages_and_the_health_check_are_not_limited(nginx):
    for _ in range(BURST + 5):
        post(nginx, "/accounts/login/", "203.0.113.9")
    headers = {"X-Forwarded-For": "203.0.113.9"}
    for _ in range(40):
        assert nginx.request("POST", "/tweets/", body=b"x", headers=headers)[0].status == 200
        assert nginx.request("GET", "/healthz", headers=headers)[0].status == 200


def test_the_forms_themselves_have_a_looser_limit(nginx):
    headers = {"X-Forwarded-For": "203.0.113.9"}
    statuses = Counter(
        nginx.request("GET", "/accounts/login/", headers=headers)[0].status for _ in range(40)
    )
    assert statuses[200] == 31
    assert statuses[429] == 9


@pytest.mark.parametrize("final", ["/", "", "/?next=/"])
@pytest.mark.parametrize("start", ["/accounts/reset/", "//accounts/reset/", "/accounts//reset/"])
def test_the_access_log_has_no_reset_token(nginx, start, final):
    """The site never mails such a link (the token rides after "#"), but one may be typed in."""
    token = "cz8lq4-0f3b2c9d1e8a7b6c5d4e3f2a1b0c9d8e"
    nginx.request(
        "GET",
        f"{start}MTI/{token}{final}",
        headers={
            "X-Forwarded-For": "203.0.113.9",
            "Referer": f"https://tw.example.com{start}MTI/{token}{final}",
        },
    )
    nginx.request("GET", "/accounts/reset/done/", headers={"X-Forwarded-For": "203.0.113.9"})
    log = nginx.access_log(lines=2)
    assert token not in log
    assert "203.0.113.9 - - [" in log
    assert '"GET /accounts/reset/[redacted]/' in log
    assert '"https://tw.example.com/accounts/reset/[redacted]/' in log
    assert '"GET /accounts/reset/done/ HTTP/1.1" 200' in log
