"""The media bucket's storage: private objects, signed URLs that stay the same for a while.

django-storages signs every URL at the time it is asked for (S3Storage.url, through botocore's
generate_presigned_url), so an image's URL changes on every page and no browser can reuse what
it downloaded. Here the signing time is rounded down to the start of a window (`signed_at`):
every page rendered within one window links to the same URL, which the browser keeps as long as
the object's Cache-Control says. The URL stays valid `margin` seconds past the window's end, so a
page rendered at its last moment (and held in the page caches) still shows its images.

SigV4 query signing: X-Amz-Date is the signing time, X-Amz-Expires at most 604800 s (7 days)
after it. https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
A URL signed with temporary credentials (the ECS task role's) stops working when they expire,
whatever X-Amz-Expires says; the URL also changes when botocore refreshes them, since it names
the access key. https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html
"""

from __future__ import annotations

import datetime
import threading
import time

from botocore.auth import SIGV4_TIMESTAMP, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# SigV4's longest X-Amz-Expires (the API reference above).
MAX_EXPIRES = 7 * 24 * 3600


def signed_at(now: float, window: int) -> int:
    """The start of the signing window holding `now` (Unix seconds): the same for every `now`
    of one window."""
    return int(now) // window * window


class _SignedAt(S3SigV4QueryAuth):
    """botocore's S3 query signer at a given time instead of the clock's.

    botocore.auth.SigV4Auth.add_auth reads the clock (`get_current_datetime`) and then signs;
    this is the same steps with `timestamp` in its place."""

    def __init__(self, credentials, region_name: str, expires: int, timestamp: str) -> None:
        super().__init__(credentials, "s3", region_name, expires=expires)
        self._timestamp = timestamp

    def add_auth(self, request) -> None:
        request.context["timestamp"] = self._timestamp
        self._modify_request_before_signing(request)
        canonical_request = self.canonical_request(request)
        string_to_sign = self.string_to_sign(request, canonical_request)
        self._inject_signature_to_request(request, self.signature(string_to_sign, request))


def presigned_get(url: str, credentials, region: str, signed: int, expires: int) -> str:
    """`url` (an object's unsigned URL) signed for GET as of Unix time `signed`, valid
    `expires` seconds from then. `credentials`: botocore's frozen credentials."""
    if not 0 < expires <= MAX_EXPIRES:
        raise ValueError(f"expires {expires} s: SigV4 allows 1 to {MAX_EXPIRES} s")
    request = AWSRequest(method="GET", url=url)
    timestamp = datetime.datetime.fromtimestamp(signed, datetime.UTC).strftime(SIGV4_TIMESTAMP)
    _SignedAt(credentials, region, expires, timestamp).add_auth(request)
    return request.url


class StableUrlS3Storage(S3Storage):
    """S3Storage whose signed GET URLs are the same for every call within `signing_window`
    seconds, valid `signing_window + signing_margin` seconds from the window's start.

    Options beside S3Storage's (STORAGES["default"]["OPTIONS"]):
    signing_window: seconds one URL is handed out for (default 86400).
    signing_margin: seconds it still works after that (default 3600): at least as long as a
        page may be cached and then kept open before its lazy images load.
    """

    def __init__(self, **settings) -> None:
        self.signing_window = int(settings.pop("signing_window", 86400))
        self.signing_margin = int(settings.pop("signing_margin", 3600))
        if self.signing_window < 1 or self.signing_margin < 0:
            raise ValueError("signing_window must be 1 s or more and signing_margin 0 or more")
        if self.signing_window + self.signing_margin > MAX_EXPIRES:
            raise ValueError(
                f"signing_window + signing_margin is {self.signing_window + self.signing_margin}"
                f" s; SigV4 URLs live at most {MAX_EXPIRES} s: shorten the window"
            )
        super().__init__(**settings)
        self._signing = threading.local()

    def _credentials(self):
        # One boto3 session per thread, as S3Storage keeps its connections: its credentials
        # refresh themselves (the task role's) before they expire.
        session = getattr(self._signing, "session", None)
        if session is None:
            session = self._signing.session = self._create_session()
        credentials = session.get_credentials()
        return credentials.get_frozen_credentials() if credentials is not None else None

    def url(self, name, parameters=None, expire=None, http_method=None, now=None):
        stable = (
            self.querystring_auth
            and not self.custom_domain
            and not parameters
            and expire is None
            and http_method in (None, "GET")
        )
        credentials = self._credentials() if stable else None
        if credentials is None:
            return super().url(name, parameters, expire, http_method)
        key = self._normalize_name(clean_name(name))
        client = self.unsigned_connection.meta.client
        plain = client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket_name, "Key": key}
        )
        return presigned_get(
            plain,
            credentials,
            self.connection.meta.client.meta.region_name,
            signed_at(time.time() if now is None else now, self.signing_window),
            self.signing_window + self.signing_margin,
        )
