"""An HTTP client that talks to nginx the way the load balancer and a browser would.

In AWS the ALB ends TLS and tells nginx the scheme with `X-Forwarded-Proto: https`; nginx passes
it on and Django treats the request as secure (secure cookies, no SSL redirect). This client plays
both parts: it adds that header (unless told to speak plain http) and, because the TLS it stands
for is simulated, keeps sending the `Secure` cookies Django sets over the loopback connection
(a cookie jar would hold them back from a plain-http URL, so the Cookie header is built here).
"""

from __future__ import annotations

import html
import ipaddress
import re
import secrets
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
# RFC 2544's network for benchmark tests: never a real client.
BENCHMARK_NETWORK = ipaddress.ip_network("198.18.0.0/15")


def random_client_address() -> str:
    offset = secrets.randbelow(BENCHMARK_NETWORK.num_addresses - 2) + 1
    return str(BENCHMARK_NETWORK.network_address + offset)


class SiteClient:
    """A logged-out or logged-in visitor of the site behind nginx."""

    def __init__(
        self, base_url: str, *, https: bool = True, client_address: str | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.https = https
        self.session = requests.Session()
        if https:
            self.session.headers["X-Forwarded-Proto"] = "https"
        # Each visitor comes from an address of its own, as the ALB would report it in
        # X-Forwarded-For (nginx trusts it from the loopback locally): sign-in limits and
        # lockouts count per address, and one test's sign-ins must not hold back the next's.
        self.client_address = client_address or random_client_address()
        self.session.headers["X-Forwarded-For"] = self.client_address

    @property
    def origin(self) -> str:
        """The origin Django expects on POSTs: the scheme the ALB saw and the Host nginx passes."""
        return f"{'https' if self.https else 'http'}://{urlsplit(self.base_url).netloc}"

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.session.cookies)
        if cookies:
            headers["Cookie"] = cookies
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 15)
        return self.session.request(method, self.url(path), headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def csrf_token(self, form_path: str) -> str:
        page = self.get(form_path)
        assert page.status_code == 200, f"GET {form_path}: {page.status_code}"
        match = CSRF_INPUT.search(page.text)
        if match:
            return html.unescape(match.group(1))
        token = self.session.cookies.get("csrftoken")
        assert token, f"no CSRF token on {form_path}"
        return token

    def post(
        self,
        path: str,
        data: dict[str, Any] | None = None,
        *,
        form_path: str | None = None,
        files: dict[str, Any] | None = None,
        token: str | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """POST like a browser submitting a form found on `form_path` (default: `path`).

        `token` reuses a CSRF token fetched earlier instead of loading the form again.
        """
        token = token or self.csrf_token(form_path or path)
        payload = {"csrfmiddlewaretoken": token, **(data or {})}
        headers = {"Origin": self.origin, "Referer": self.origin + (form_path or path)}
        kwargs.setdefault("timeout", 30)
        return self.request("POST", path, data=payload, files=files, headers=headers, **kwargs)

    # --- the site's flows (the URLs of docs/DESIGN.md, Contracts) --------------------------
    def sign_up(self, username: str, email: str, password: str) -> requests.Response:
        response = self.post(
            "/accounts/signup/",
            {"username": username, "email": email, "password1": password, "password2": password},
        )
        assert response.status_code in (302, 303), (
            f"sign-up of {username} answered {response.status_code}: {response.text[:2000]}"
        )
        return response

    def log_in(self, username: str, password: str) -> requests.Response:
        response = self.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code in (302, 303), (
            f"login of {username} answered {response.status_code}: {response.text[:2000]}"
        )
        return response

    def post_tweet(
        self,
        text: str,
        image: tuple[str, bytes, str] | None = None,
        *,
        form_path: str = "/",
        token: str | None = None,
        timeout: float = 30,
    ) -> requests.Response:
        files = {"image": image} if image else None
        return self.post(
            "/tweets/",
            {"text": text},
            form_path=form_path,
            files=files,
            token=token,
            timeout=timeout,
        )
