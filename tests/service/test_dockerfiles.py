"""The images: hadolint and checkov find nothing, and each Dockerfile keeps the facts the
Fargate task relies on (user, health check, entrypoint, ports). The demo's web image is
service/Dockerfile; nginx, db and the Django library's wheelhouse are the platform's, in
components/images/."""

import os
import re
import subprocess

import pytest

from stack.paths import DB_IMAGE_DIR, DJANGO_FARGATE_DIR, NGINX_IMAGE_DIR, REPO_ROOT, SERVICE_DIR
from tests.components.images.linters import checkov, hadolint
from tests.locks import lock_entries

# Short names (the web image's is the demo's own) -> where each Dockerfile is.
PATHS = {
    "Dockerfile": SERVICE_DIR / "Dockerfile",
    "Dockerfile.db": DB_IMAGE_DIR / "Dockerfile",
    "Dockerfile.nginx": NGINX_IMAGE_DIR / "Dockerfile",
    "Dockerfile.django_fargate": DJANGO_FARGATE_DIR / "Dockerfile",
}
DOCKERFILES = list(PATHS)


def instructions(dockerfile: str) -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = PATHS[dockerfile].read_text()
    joined = text.replace("\\\n", " ")
    return [
        " ".join(line.split())
        for line in joined.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_hadolint_finds_nothing(dockerfile):
    result = hadolint(PATHS[dockerfile])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_checkov_dockerfile_checks_pass(tmp_path):
    result = checkov([PATHS[name] for name in DOCKERFILES], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Failed checks: 0" in result.stdout
    assert "Passed checks:" in result.stdout


def test_every_image_runs_as_a_non_root_user():
    expected = {"Dockerfile": "USER 10001:10001", "Dockerfile.db": "USER 999:999"}
    expected["Dockerfile.nginx"] = "USER 101:101"
    for dockerfile, user in expected.items():
        users = [line for line in instructions(dockerfile) if line.startswith("USER ")]
        assert users[-1] == user, dockerfile


def test_the_web_image_runs_the_platforms_start_with_its_health_check():
    lines = instructions("Dockerfile")
    # From /app, where manage.py is: migrate_locked, then gunicorn serving DJANGO_APP_MODULE.
    assert 'CMD ["python", "-m", "django_fargate.start"]' in lines
    assert "WORKDIR /app" in lines
    env = " ".join(line for line in lines if line.startswith("ENV ")).split()
    assert "DJANGO_APP_MODULE=config.wsgi:application" in env
    assert any(
        line.startswith("HEALTHCHECK")
        and 'CMD ["python", "-m", "django_fargate.healthcheck"]' in line
        for line in lines
    )
    # The static files are collected into the image when it is built, owned by root: no
    # VOLUME for a task to fill, nothing the app user must write at start.
    assert not [line for line in lines if line.startswith("VOLUME")]
    env = " ".join(line for line in lines if line.startswith("ENV "))
    assert "DJANGO_STATIC_ROOT=/var/www/static" in env.split()
    collect = lines.index("RUN /app/collect-static.sh")
    assert lines.index("COPY . /app") < collect < lines.index("USER 10001:10001")


def test_the_db_image_starts_postgres_behind_the_lock_guard():
    lines = instructions("Dockerfile.db")
    assert lines[0].startswith("FROM postgres:")
    assert lines[0].split("@")[0].endswith("-bookworm")
    assert "COPY --chmod=0755 postgres-guard.sh /usr/local/bin/postgres-guard.sh" in lines
    assert "COPY --chmod=0755 postgres-prepare.sh /usr/local/bin/postgres-prepare.sh" in lines
    assert (
        "COPY --chmod=0755 initdb/10-django-tw-roles.sh "
        "/docker-entrypoint-initdb.d/10-django-tw-roles.sh"
    ) in lines
    assert (
        "COPY --chmod=0755 postgres_backup.py backup_common.py backup_restore.py "
        "/usr/local/lib/postgres-backup/"
    ) in lines
    assert (
        "RUN ln -s /usr/local/lib/postgres-backup/postgres_backup.py /usr/local/bin/postgres-backup"
    ) in lines
    assert (
        'ENTRYPOINT ["postgres-guard.sh", "postgres-prepare.sh", "postgres-backup", "wrap", '
        '"docker-entrypoint.sh"]'
    ) in lines
    assert (
        'ENV POSTGRES_INITDB_ARGS="--auth-host=scram-sha-256 --auth-local=scram-sha-256 '
        '--data-checksums"'
    ) in lines
    assert (
        "COPY --chmod=0755 restore_drill.py db_signals.py /usr/local/lib/postgres-backup/"
    ) in lines
    assert (
        "RUN ln -s /usr/local/lib/postgres-backup/restore_drill.py "
        "/usr/local/bin/postgres-restore-drill"
    ) in lines
    assert 'CMD ["postgres"]' in lines
    assert "ENV PGDATA=/var/lib/postgresql/data/pgdata" in lines
    healthcheck = next(line for line in lines if line.startswith("HEALTHCHECK"))
    assert "pg_isready -h 127.0.0.1" in healthcheck


def test_the_db_image_carries_barman_cloud_pinned_as_make_local_installs_it():
    lines = instructions("Dockerfile.db")
    install = next(line for line in lines if "/opt/barman/bin/pip install" in line)
    assert "--no-deps --require-hashes -r /tmp/requirements-barman.txt" in install
    assert "COPY requirements-barman.txt /tmp/requirements-barman.txt" in lines
    assert "ENV PATH=/opt/barman/bin:$PATH" in lines
    pinned = lock_entries(DB_IMAGE_DIR / "requirements-barman.txt")
    assert "barman" in pinned
    assert all(entry.hashes for entry in pinned.values()), pinned


def stages(dockerfile: str) -> list[list[str]]:
    """The Dockerfile's build stages, each a list of instructions beginning with its FROM (the
    first with the ARGs before it)."""
    found: list[list[str]] = []
    for line in instructions(dockerfile):
        after_args = found and found[-1][-1].startswith("ARG ")
        if (line.startswith("FROM ") and not after_args) or not found:
            found.append([])
        found[-1].append(line)
    return found


def test_the_nginx_image_serves_the_static_files_the_web_image_collected():
    *_, web_runtime = stages("Dockerfile")
    nginx_static, nginx_runtime = stages("Dockerfile.nginx")
    # Copied out of the web image itself (its URI a build argument): the very files whose
    # hashed names the pages Django renders carry, and no app code in the platform's image.
    assert nginx_static == ["ARG STATIC_IMAGE", "FROM ${STATIC_IMAGE} AS static"]
    assert "RUN /app/collect-static.sh" in web_runtime
    assert "DJANGO_STATIC_ROOT=/var/www/static" in " ".join(web_runtime).split()
    assert "COPY --from=static /var/www/static /var/www/static" in nginx_runtime
    assert not [line for line in nginx_runtime if line.startswith("VOLUME")]


def test_the_nginx_image_renders_the_template_and_checks_its_own_liveness():
    lines = stages("Dockerfile.nginx")[-1]
    assert lines[0].startswith("FROM nginxinc/nginx-unprivileged:")
    assert "alpine" not in lines[0]
    assert (
        "COPY templates/default.conf.template /etc/nginx/templates/default.conf.template"
    ) in lines
    # nginx's own /livez: a database or gunicorn outage must not get nginx killed.
    healthcheck = next(line for line in lines if line.startswith("HEALTHCHECK"))
    assert "curl -fsS http://127.0.0.1:8080/livez" in healthcheck
    # Loopback by address: "localhost" may resolve to ::1, where gunicorn does not listen.
    env = " ".join(line for line in lines if line.startswith("ENV "))
    assert "NGINX_UPSTREAM=127.0.0.1:8000" in env.split()


# --- base images pinned by digest -------------------------------------------------------------

BUMP = REPO_ROOT / "tools" / "ops" / "bump-base-images.sh"
PINNED_FROM = re.compile(r"^FROM (?:--\S+ )?\S+:\S+@sha256:[0-9a-f]{64}(?: AS \S+)?$")
# Not pinned yet: its digest comes only from the registry (it is not a Docker official image, so
# docker-library/repo-info does not record it); `tools/ops/bump-base-images.sh` pins it.
NOT_YET_PINNED = {"FROM nginxinc/nginx-unprivileged:stable-bookworm"}


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_every_base_image_from_a_registry_is_pinned_by_digest(dockerfile):
    stage_names = set()
    unpinned = []
    for line in instructions(dockerfile):
        if not line.startswith("FROM "):
            continue
        words = line.split()
        # An image named by a build argument is the stack's own (nginx's STATIC_IMAGE: the web
        # image's URI, which names its digest).
        own = words[1].startswith("${")
        # `scratch`: Docker's reserved empty image, no registry's (the wheelhouse's base).
        # https://docs.docker.com/build/building/base-images/#create-a-minimal-base-image-using-scratch
        own = own or words[1] == "scratch"
        external = words[1] not in stage_names and line not in NOT_YET_PINNED and not own
        if external and not PINNED_FROM.match(line):
            unpinned.append(line)
        if len(words) == 4 and words[2].upper() == "AS":
            stage_names.add(words[3])
    assert unpinned == [], f"pin these with tools/ops/bump-base-images.sh: {unpinned}"


def test_the_pinned_images_are_the_tags_the_docs_name():
    """A digest without its tag cannot be bumped: the tag stays beside it."""
    froms = [line for f in DOCKERFILES for line in instructions(f) if "@sha256:" in line]
    assert {line.split()[1].split("@")[0] for line in froms} == {
        "python:3.11-slim-bookworm",
        "postgres:17-bookworm",
        "postgres:18-bookworm",
    }


def test_the_bump_script_pins_every_from_line_to_the_digest_its_tag_resolves_to(tmp_path):
    """With a stand-in for `docker buildx imagetools inspect` answering one digest per tag, the
    script rewrites each FROM line (stage names kept, an older pin replaced) and nothing else."""
    digests = {"python:3.11-slim-bookworm": "a" * 64, "postgres:17-bookworm": "b" * 64}
    fake = tmp_path / "docker"
    fake.write_text(
        "#!/usr/bin/env python3\n"
        "import json, sys\n"
        f"digests = {digests!r}\n"
        'print(json.dumps({"digest": "sha256:" + digests[sys.argv[4]]}))\n'
    )
    fake.chmod(0o755)
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "# syntax=docker/dockerfile:1\n"
        "FROM python:3.11-slim-bookworm AS build\n"
        "RUN echo FROM python:3.11-slim-bookworm\n"
        f"FROM postgres:17-bookworm@sha256:{'0' * 64}\n"
    )
    result = subprocess.run(
        [str(BUMP), str(dockerfile)],
        env={**os.environ, "DOCKER": str(fake)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = dockerfile.read_text().splitlines()
    assert lines[1] == f"FROM python:3.11-slim-bookworm@sha256:{'a' * 64} AS build"
    assert lines[2] == "RUN echo FROM python:3.11-slim-bookworm"
    assert lines[3] == f"FROM postgres:17-bookworm@sha256:{'b' * 64}"
    assert all(PINNED_FROM.match(line) for line in lines if line.startswith("FROM "))


def test_the_web_image_ships_the_rds_ca_bundle_where_the_managed_database_url_points():
    from components.postgres.rds_parameters import RDS_CA_BUNDLE_PATH

    steps = instructions("Dockerfile")
    download = next(step for step in steps if "truststore.pki.rds.amazonaws.com" in step)
    assert "global/global-bundle.pem" in download
    assert "BEGIN CERTIFICATE" in download  # a failed or empty download fails the build
    assert f"COPY --from=rds-ca /opt/rds-global-bundle.pem {RDS_CA_BUNDLE_PATH}" in steps
