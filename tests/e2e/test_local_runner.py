"""The pieces `make local` is built from, each on its own: nginx configuration, ports, data."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator

import pytest

from stack.paths import DB_IMAGE_DIR, REPO_ROOT
from tests.stack_runs import STAND_IN_APP
from tools.local.app import LocalApp
from tools.local.nginx_conf import TEMPLATE_VARIABLES, write_config
from tools.local.ports import Ports, check_ports_free
from tools.local.prepare import prepare
from tools.local.system import LocalSetupError
from tools.local.topology import LocalTopology, new_data_dir

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def fresh_topology() -> Iterator[LocalTopology]:
    """A topology description on free ports and an empty data directory; nothing started."""
    data_dir = new_data_dir()  # a directory Postgres' account can reach
    # Any app: the stand-in is in every checkout.
    app = LocalApp.at(REPO_ROOT / STAND_IN_APP)
    yield LocalTopology(data_dir=data_dir, ports=Ports.free(), app=app)
    shutil.rmtree(data_dir, ignore_errors=True)


def test_the_nginx_template_renders_to_a_configuration_nginx_accepts(fresh_topology: LocalTopology):
    environment = fresh_topology.environment()
    main = write_config(fresh_topology.nginx_dir, environment)
    rendered = (fresh_topology.nginx_dir / "conf.d" / "default.conf").read_text()
    for variable in TEMPLATE_VARIABLES:
        assert "${" + variable + "}" not in rendered
    # Loopback only: the local site has no TLS and trusts `Host: localhost`.
    assert f"listen 127.0.0.1:{fresh_topology.ports.http};" in rendered
    # nginx's own variables are left for nginx: envsubst got the list of ours only.
    assert "$http_x_forwarded_proto" in rendered
    # The container health check's liveness answer is nginx's own, as in the image.
    assert "location = /livez {" in rendered
    assert f"server 127.0.0.1:{fresh_topology.ports.web};" in rendered
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    check = subprocess.run(
        [nginx, "-t", "-e", "stderr", "-p", str(fresh_topology.nginx_dir), "-c", str(main)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr


def test_a_bad_port_setting_names_the_variable_to_fix():
    with pytest.raises(LocalSetupError, match="LOCAL_DB_PORT='postgres'"):
        Ports.from_environment({"LOCAL_DB_PORT": "postgres"})
    assert Ports.from_environment({"LOCAL_HTTP_PORT": "8081"}).http == 8081
    assert Ports.from_environment({}) == Ports()


def test_a_busy_port_is_reported_before_anything_starts():
    ports = Ports.free()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", ports.http))
        listener.listen()
        with pytest.raises(LocalSetupError, match=f"port {ports.http} .*LOCAL_HTTP_PORT"):
            check_ports_free(ports)
    check_ports_free(ports)


def test_the_data_directory_is_prepared_once_and_kept(fresh_topology: LocalTopology):
    assert prepare(fresh_topology) is True  # cold: a new cluster
    secrets_before = fresh_topology.secrets_file.read_text()
    assert fresh_topology.secrets_file.stat().st_mode & 0o777 == 0o600
    assert (fresh_topology.pgdata / "PG_VERSION").exists()
    guard = DB_IMAGE_DIR / "postgres-guard.sh"
    assert fresh_topology.guard_script.read_bytes() == guard.read_bytes()

    assert prepare(fresh_topology) is False  # warm: the same cluster and secrets
    assert fresh_topology.secrets_file.read_text() == secrets_before
    # No secret value reaches the generated configuration files.
    write_config(fresh_topology.nginx_dir, fresh_topology.environment())
    secret_values = [line.split("=", 1)[1] for line in secrets_before.splitlines()]
    for path in fresh_topology.nginx_dir.rglob("*.conf"):
        text = path.read_text()
        assert not any(value in text for value in secret_values), path


def test_an_older_secrets_file_gets_the_missing_keys_and_keeps_its_values(
    fresh_topology: LocalTopology,
):
    fresh_topology.data_dir.mkdir(parents=True, exist_ok=True)
    fresh_topology.secrets_file.write_text("DJANGO_SECRET_KEY=kept-key\nPOSTGRES_PASSWORD=kept\n")
    values = fresh_topology.secrets()
    assert values["DJANGO_SECRET_KEY"] == "kept-key"
    assert values["POSTGRES_PASSWORD"] == "kept"
    assert len(values["POSTGRES_APP_PASSWORD"]) >= 24
    assert fresh_topology.secrets() == values  # written once, read back the same


def test_the_web_process_connects_as_the_application_role_at_127_0_0_1(
    fresh_topology: LocalTopology,
):
    environment = fresh_topology.environment()
    secret = fresh_topology.secrets()
    assert environment["POSTGRES_USER"] == "postgres"
    assert environment["POSTGRES_APP_USER"] == "django_tw"
    assert environment["DATABASE_URL"] == (
        f"postgres://django_tw:{secret['POSTGRES_APP_PASSWORD']}"
        f"@127.0.0.1:{fresh_topology.ports.db}/django_tw"
    )
    assert secret["POSTGRES_PASSWORD"] not in environment["DATABASE_URL"]
