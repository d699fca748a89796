"""Through nginx, as the load balancer delivers it: a burst of bad sign-ins from one address is
cut off with 429s, a person signing in from another address is not held back, the load
balancer's health check stays green all along. (Reset tokens in the logs:
service/tests/e2e/test_reset_logs.py.)

Locally nginx trusts X-Forwarded-For from the loopback (NGINX_REAL_IP_FROM), the way it trusts
the load balancer's addresses in the VPC: each SiteClient is a client at its own address."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
import requests

from service.tests.e2e.users import signed_in
from tools.local.client import SiteClient
from tools.local.harness import RunningTopology

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

ATTACKER = "203.0.113.66"
BURST = 30


def probe_health(topology: RunningTopology, stop: threading.Event, statuses: list[int]) -> None:
    """The load balancer's probe every half second until `stop`, its status codes into
    `statuses` (0: no answer)."""
    while not stop.is_set():
        try:
            response = requests.get(
                f"{topology.base_url}/healthz", headers={"Host": "10.0.1.23"}, timeout=5
            )
            statuses.append(response.status_code)
        except requests.RequestException:
            statuses.append(0)
        stop.wait(0.5)


def test_a_burst_of_bad_sign_ins_gets_429s_and_no_one_else_suffers(
    topology: RunningTopology, artifacts_dir
):
    victim, _ = signed_in(topology.base_url, "victim")
    person, _ = signed_in(topology.base_url, "person")
    attacker = SiteClient(topology.base_url, client_address=ATTACKER)
    token = attacker.csrf_token("/accounts/login/")

    stop, health = threading.Event(), []
    probe = threading.Thread(target=probe_health, args=(topology, stop, health), daemon=True)
    probe.start()
    started = time.monotonic()
    try:
        statuses = Counter(
            attacker.post(
                "/accounts/login/",
                {"username": victim.username, "password": f"guess-{attempt}"},
                token=token,
            ).status_code
            for attempt in range(BURST)
        )
        burst_seconds = time.monotonic() - started
        # Meanwhile, someone else signs in from their own address.
        elsewhere = SiteClient(topology.base_url)
        assert elsewhere.log_in(person.username, person.password).status_code in (302, 303)
        assert elsewhere.get("/").status_code == 200
    finally:
        stop.set()
        probe.join(timeout=10)

    cut_off = attacker.post(
        "/accounts/login/", {"username": victim.username, "password": "x"}, token=token
    )
    (artifacts_dir / "abuse-limits.txt").write_text(
        f"{BURST} bad sign-ins in {burst_seconds:.1f} s: {dict(statuses)}\n"
        f"health checks meanwhile: {dict(Counter(health))}\n"
    )
    # nginx: a burst of 10 beyond the first passes to Django (which shows the form again);
    # django-axes would lock the address at its 10th failure, if nginx let that many through.
    assert statuses[429] >= BURST - 12, statuses
    assert set(statuses) <= {200, 429}, statuses
    assert cut_off.status_code == 429
    assert "Too many" in cut_off.text
    assert health, "the health check never ran"
    assert set(health) == {200}, Counter(health)
