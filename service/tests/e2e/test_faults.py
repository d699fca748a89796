"""Break one process of the running topology at a time: nothing acknowledged is lost, and the
service comes back once the process does, with no manual step."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import requests

from service.tests.e2e.users import signed_in
from tools.local.client import SiteClient
from tools.local.harness import RunningTopology, TopologyError, wait_until
from tools.local.system import as_account, topology_account

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

EX_TEMPFAIL = 75  # the guard's "another server holds the lock"


def tweet_texts_with_prefix(topology: RunningTopology, prefix: str) -> list[str]:
    from tweets.models import Tweet  # the table name is the model's, whatever it is

    table = Tweet._meta.db_table
    column = Tweet._meta.get_field("text").column
    with psycopg.connect(topology.environment["DATABASE_URL"], connect_timeout=10) as connection:
        rows = connection.execute(
            f'SELECT "{column}" FROM "{table}" WHERE "{column}" LIKE %s',  # noqa: S608
            (prefix + "%",),
        ).fetchall()
    return [row[0] for row in rows]


def acknowledged(response: requests.Response) -> bool:
    """The site's answer to a stored tweet: a redirect back to a page, not to the login."""
    return response.status_code in (302, 303) and "/accounts/login/" not in response.headers.get(
        "Location", ""
    )


@dataclass
class PostingLoop:
    """Posts numbered tweets one after another until stopped (bounded in count and time)."""

    client: SiteClient
    token: str
    prefix: str
    max_posts: int = 2000
    max_seconds: float = 120
    acknowledged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        started = time.monotonic()
        for number in range(self.max_posts):
            if self.stop.is_set() or time.monotonic() - started > self.max_seconds:
                return
            text = f"{self.prefix}{number:05d}"
            try:
                response = self.client.post_tweet(text, token=self.token, timeout=10)
            except requests.RequestException:
                self.failed.append(text)
                time.sleep(0.05)
                continue
            if acknowledged(response):
                self.acknowledged.append(text)
            else:
                self.failed.append(text)
                time.sleep(0.05)


def restart_postgres(topology: RunningTopology, *, timeout: float = 60) -> int:
    """Start the db process again, as the orchestrator would, until the guard lets it run.

    Server processes of the killed postmaster notice its death and exit within moments, but
    until they do they still hold the guard's lock (they inherited it): the guard waits for
    them, and should it give up (exit 75) we retry. Returns how many starts were refused.
    """
    refused = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        topology.start("db")
        process = topology.processes["db"]

        def settled(process: subprocess.Popen[bytes] = process) -> bool:
            """The new server exited (refused) or accepts connections."""
            if process.poll() is not None:
                return True
            ready = subprocess.run(
                ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(topology.ports.db)],
                env=topology.environment,
                check=False,
            )
            return ready.returncode == 0

        try:
            wait_until(
                settled,
                timeout=max(1.0, deadline - time.monotonic()),
                what="Postgres accepting connections again",
                interval=0.2,
            )
        except TopologyError as error:
            raise TopologyError(f"{error}\n{topology.diagnostics()}") from None
        if process.poll() is None:
            return refused
        if process.returncode != EX_TEMPFAIL:
            raise TopologyError(f"db exited {process.returncode}\n{topology.diagnostics()}")
        refused += 1
        time.sleep(0.5)
    raise TopologyError(f"Postgres did not come back within {timeout:.0f} s")


def test_killing_postgres_mid_write_loses_no_acknowledged_tweet(
    topology: RunningTopology, artifacts_dir: Path
):
    _, client = signed_in(topology.base_url, "loop")
    loop = PostingLoop(client, client.csrf_token("/"), prefix=f"fault-{uuid.uuid4().hex[:8]}-")
    poster = threading.Thread(target=loop.run, daemon=True)
    poster.start()

    wait_until(lambda: len(loop.acknowledged) >= 25, timeout=60, what="25 tweets posted")
    postmaster = topology.postmaster_pid()
    os.kill(postmaster, signal.SIGKILL)
    acknowledged_before_kill = len(loop.acknowledged)
    wait_until(lambda: not topology.is_running("db"), timeout=10, what="db process gone")
    refused = restart_postgres(topology)
    assert topology.postmaster_pid() != postmaster
    # The new server found a crashed cluster and replayed its WAL: the kill was a real crash.
    restart_log = (topology.log_dir / "db.log").read_text().rsplit("--- starting db", 1)[-1]
    assert "not properly shut down" in restart_log, restart_log[-2000:]
    wait_until(
        lambda: len(loop.acknowledged) >= acknowledged_before_kill + 25,
        timeout=60,
        what="25 more tweets posted after the restart",
    )
    loop.stop.set()
    poster.join(30)
    assert not poster.is_alive()

    stored = tweet_texts_with_prefix(topology, loop.prefix)
    attempted = len(loop.acknowledged) + len(loop.failed)
    summary = (
        f"posted {attempted}, acknowledged {len(loop.acknowledged)}, failed {len(loop.failed)}, "
        f"rows present {len(stored)}, restarts refused by the guard {refused}"
    )
    (artifacts_dir / "fault-kill-postgres.txt").write_text(summary + "\n")
    print(summary)
    assert loop.failed, "no post met the outage: the kill did not happen mid-loop"
    # Every acknowledged tweet is there, and nothing that was not acknowledged sneaked in.
    assert sorted(stored) == sorted(loop.acknowledged), summary
    assert len(set(stored)) == len(stored), f"duplicate rows: {summary}"


def test_a_second_postgres_on_the_same_data_refuses_while_the_first_serves(
    topology: RunningTopology,
):
    first = topology.postmaster_pid()
    # No wait: the guard's bound is what refuses here (the waiting itself is specified in
    # tests/components/images/db/test_postgres_guard.py).
    environment = {**topology.environment, "PG_LOCK_WAIT_SECONDS": "0"}
    second = subprocess.run(
        [
            *as_account(topology_account(environment)),
            environment[
                "POSTGRES_GUARD"
            ],  # components/images/db/postgres-guard.sh, as the db process runs it
            "postgres",
            "-D",
            environment["PGDATA"],
            "-p",
            "1",  # never reached: the guard refuses before Postgres starts
            "-c",
            "listen_addresses=localhost",
            "-c",
            "unix_socket_directories=",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert second.returncode == EX_TEMPFAIL, (second.returncode, second.stderr)
    assert "another PostgreSQL server (host " in second.stderr
    assert environment["PGDATA"] in second.stderr
    assert second.stderr.count("\n") == 1, f"one clear line expected:\n{second.stderr}"

    # The first server never noticed.
    assert topology.postmaster_pid() == first
    assert topology.healthz().status_code == 200
    _, client = signed_in(topology.base_url, "guard")
    text = f"still serving {uuid.uuid4().hex}"
    assert acknowledged(client.post_tweet(text))
    assert tweet_texts_with_prefix(topology, text) == [text]


def test_with_postgres_stopped_readiness_fails_but_nothing_looks_dead(topology: RunningTopology):
    """The ALB's /healthz reports the outage; the container health checks (liveness) do not, so
    ECS would not kill nginx or gunicorn, which serve again as soon as Postgres is back."""
    web = f"http://127.0.0.1:{topology.ports.web}"
    # A fast shutdown, the one the guard asks for when ECS stops the container: clients are
    # disconnected, so no open connection can answer for the stopped server.
    os.kill(topology.postmaster_pid(), signal.SIGINT)
    wait_until(lambda: not topology.is_running("db"), timeout=30, what="Postgres stopped")
    try:
        assert topology.healthz(timeout=10).status_code == 503
        # gunicorn's own answer, straight to its port, as the web container's health check asks.
        live = requests.get(f"{web}/livez", timeout=5)
        assert (live.status_code, live.text) == (200, "ok")
        check = subprocess.run(
            [sys.executable, "-m", "django_fargate.healthcheck"],
            env={**topology.environment, "HEALTHCHECK_URL": f"{web}/livez"},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert check.returncode == 0, check.stderr
        # nginx's own answer, as the nginx container's health check asks.
        nginx_live = requests.get(f"{topology.base_url}/livez", timeout=5)
        assert (nginx_live.status_code, nginx_live.text) == (200, "ok\n")
    finally:
        restart_postgres(topology)
    # Nothing else was restarted: the same gunicorn serves again.
    topology.wait_healthy(timeout=60)


def test_stopping_gunicorn_fails_fast_and_starting_it_again_recovers(
    topology: RunningTopology,
):
    _, client = signed_in(topology.base_url, "web")
    assert client.get("/").status_code == 200

    topology.stop("web")
    started = time.monotonic()
    health = topology.healthz(timeout=5)
    home = client.get("/", timeout=5)
    answered_in = time.monotonic() - started
    assert health.status_code in (502, 503), health.status_code
    assert home.status_code in (502, 503), home.status_code
    # "At once": nginx refuses straight away instead of hanging until a proxy timeout.
    assert answered_in < 2, f"nginx took {answered_in:.1f} s to report the missing upstream"

    topology.start("web")
    recovered_in = topology.wait_healthy(timeout=90)
    # The same browser session carries on: sessions live in Postgres, not in the worker.
    assert client.get("/").status_code == 200
    print(f"web back {recovered_in:.1f} s after its restart")
