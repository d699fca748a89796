"""components/images/nginx/templates/default.conf.template, rendered with envsubst as the image
does and run by the real nginx in front of a stand-in upstream that reports what it received."""

import http.client
import http.server
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stack.paths import NGINX_IMAGE_DIR
from tests.postgres_servers import free_port

TEMPLATE = NGINX_IMAGE_DIR / "templates" / "default.conf.template"
VARIABLES = ("NGINX_LISTEN_PORT", "NGINX_UPSTREAM", "NGINX_STATIC_ROOT", "NGINX_REAL_IP_FROM")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def render(values: dict[str, str]) -> str:
    shell_format = " ".join(f"${{{name}}}" for name in VARIABLES)
    return subprocess.run(
        ["envsubst", shell_format],
        input=TEMPLATE.read_text(),
        env=values,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_template_uses_exactly_the_four_variables():
    assert set(re.findall(r"\$\{(\w+)\}", TEMPLATE.read_text())) == set(VARIABLES)


class EchoUpstream(http.server.BaseHTTPRequestHandler):
    """Answers every request with the path, headers and body size it received."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps(
            {"path": self.path, "headers": dict(self.headers.items()), "body_bytes": length}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


class Nginx:
    def __init__(self, port: int, stdout: Path):
        self.port = port
        self.stdout = stdout

    def access_log(self, lines: int, timeout: float = 10) -> str:
        """What nginx wrote to its stdout: the access log, as the container runtime gets it,
        once it holds `lines` lines. nginx logs a request after it has sent the response, so
        the client can read the log before the last line is there."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.stdout.read_text()
            if text.count("\n") >= lines or time.monotonic() > deadline:
                return text
            time.sleep(0.05)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()

    def upstream_saw(self, path: str, headers=None) -> dict:
        response, body = self.request("GET", path, headers=headers)
        assert response.status == 200
        return json.loads(body)


def start_nginx(real_ip_from: str, *, upstream_running: bool = True) -> Iterator[Nginx]:
    """nginx from the rendered template in front of the echo upstream (or, with
    upstream_running=False, in front of a port nothing listens on: gunicorn down)."""
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EchoUpstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    upstream_port = upstream.server_address[1] if upstream_running else free_port()
    # Readable by nginx's worker user when we are root.
    workdir = Path(tempfile.mkdtemp(prefix="django-tw-nginx-"))
    workdir.chmod(0o755)
    static_root = workdir / "static"
    (static_root / "css").mkdir(parents=True)
    (static_root / "css" / "site.0123abcd.css").write_text("body { color: #0f1419; }\n" * 200)
    for path in (workdir, static_root, static_root / "css"):
        path.chmod(0o755)
    port = free_port()
    (workdir / "default.conf").write_text(
        render(
            {
                "NGINX_LISTEN_PORT": str(port),
                "NGINX_UPSTREAM": f"127.0.0.1:{upstream_port}",
                "NGINX_STATIC_ROOT": str(static_root),
                "NGINX_REAL_IP_FROM": real_ip_from,
            }
        )
    )
    temp_paths = " ".join(
        f"{kind}_temp_path {workdir}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # A top-level configuration of our own that includes the rendered server block, as the
    # local runner does.
    (workdir / "nginx.conf").write_text(
        f"worker_processes 1;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log;\n"
        f"events {{}}\nhttp {{\n include /etc/nginx/mime.types;\n access_log off;\n"
        f" {temp_paths}\n include {workdir}/default.conf;\n}}\n"
    )
    stdout = workdir / "stdout.log"
    process = subprocess.Popen(
        [NGINX, "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-g", "daemon off;"],
        stdout=stdout.open("wb"),
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        yield Nginx(port, stdout)
    finally:
        process.terminate()
        process.wait(timeout=15)
        upstream.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def nginx() -> Iterator[Nginx]:
    # The test client connects from 127.0.0.1: here it plays the load balancer.
    yield from start_nginx(real_ip_from="127.0.0.1/32")


def test_static_files_are_served_with_immutable_caching_and_gzip(nginx):
    response, _ = nginx.request(
        "GET", "/static/css/site.0123abcd.css", headers={"Accept-Encoding": "gzip"}
    )
    assert response.status == 200
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Content-Type") == "text/css"
    missing, _ = nginx.request("GET", "/static/css/missing.css")
    assert missing.status == 404


def test_healthz_and_pages_go_to_django(nginx):
    assert nginx.upstream_saw("/healthz")["path"] == "/healthz"
    assert nginx.upstream_saw("/explore/?page=2")["path"] == "/explore/?page=2"


def test_livez_is_answered_by_nginx_itself(nginx):
    response, body = nginx.request("GET", "/livez", headers={"Host": "10.0.1.23"})
    assert response.status == 200
    # nginx's own two bytes and a newline, not the upstream's JSON echo: never proxied.
    assert body == b"ok\n"
    assert response.getheader("Content-Type") == "text/plain"


def test_livez_stays_ok_while_gunicorn_is_down_and_healthz_does_not():
    # The container health check must not fail nginx for gunicorn's (or the database's) outage;
    # the load balancer's readiness check must.
    for without_gunicorn in start_nginx(real_ip_from="127.0.0.1/32", upstream_running=False):
        live, body = without_gunicorn.request("GET", "/livez")
        assert (live.status, body) == (200, b"ok\n")
        ready, _ = without_gunicorn.request("GET", "/healthz")
        assert ready.status == 502


def test_the_load_balancers_scheme_and_client_address_are_passed_on(nginx):
    seen = nginx.upstream_saw(
        "/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )["headers"]
    assert seen["X-Forwarded-Proto"] == "https"
    assert seen["X-Real-IP"] == "203.0.113.9"
    assert seen["Host"] == f"127.0.0.1:{nginx.port}"


def test_without_the_load_balancer_no_scheme_is_invented(nginx):
    # nginx itself speaks plain HTTP; claiming "http" or "https" for it would be wrong.
    seen = nginx.upstream_saw("/")["headers"]
    assert "X-Forwarded-Proto" not in seen


def test_bodies_up_to_10_megabytes_are_accepted(nginx):
    response, body = nginx.request("POST", "/tweets/", body=b"x" * (9 * 1024 * 1024))
    assert response.status == 200
    assert json.loads(body)["body_bytes"] == 9 * 1024 * 1024
    too_large, _ = nginx.request("POST", "/tweets/", body=b"x" * (11 * 1024 * 1024))
    assert too_large.status == 413


def test_forwarded_addresses_from_outside_the_vpc_are_ignored():
    for untrusting in start_nginx(real_ip_from="10.0.0.0/16"):
        seen = untrusting.upstream_saw("/", headers={"X-Forwarded-For": "203.0.113.9"})
        assert seen["headers"]["X-Real-IP"] == "127.0.0.1"
