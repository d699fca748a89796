"""The platform's images (components/images/: nginx, db and the Django library's wheelhouse):
hadolint and checkov find nothing, each Dockerfile keeps the facts the Fargate task relies on
(user, health check, entrypoint, ports), and every base image is pinned by a digest that
tools/ops/bump-base-images.sh can bump. An app's own image is its own tests' (the demo's:
service/tests/test_dockerfile.py); the generic app image's: test_app_dockerfile.py."""

import os
import subprocess

import pytest

from stack.paths import DB_IMAGE_DIR, DJANGO_FARGATE_DIR, NGINX_IMAGE_DIR, REPO_ROOT
from tests.components.images.dockerfile_text import (
    PINNED_FROM,
    pinned_tags,
    stages,
    unpinned_base_images,
)
from tests.components.images.dockerfile_text import instructions as instructions_of
from tests.components.images.linters import assert_checkov_passes, assert_hadolint_finds_nothing
from tests.locks import lock_entries

# Short names -> where each Dockerfile is.
PATHS = {
    "Dockerfile.db": DB_IMAGE_DIR / "Dockerfile",
    "Dockerfile.nginx": NGINX_IMAGE_DIR / "Dockerfile",
    "Dockerfile.django_fargate": DJANGO_FARGATE_DIR / "Dockerfile",
}
DOCKERFILES = list(PATHS)


def instructions(dockerfile: str) -> list[str]:
    return instructions_of(PATHS[dockerfile])


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_hadolint_finds_nothing(dockerfile):
    assert_hadolint_finds_nothing(PATHS[dockerfile])


def test_checkov_dockerfile_checks_pass(tmp_path):
    assert_checkov_passes([PATHS[name] for name in DOCKERFILES], tmp_path)


def test_every_image_runs_as_a_non_root_user():
    expected = {"Dockerfile.db": "USER 999:999", "Dockerfile.nginx": "USER 101:101"}
    for dockerfile, user in expected.items():
        users = [line for line in instructions(dockerfile) if line.startswith("USER ")]
        assert users[-1] == user, dockerfile


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


def test_the_nginx_image_takes_its_static_files_from_the_web_image_it_is_given():
    nginx_static, nginx_runtime = stages(PATHS["Dockerfile.nginx"])
    # Copied out of the web image itself (its URI a build argument): the very files whose
    # hashed names the pages Django renders carry, and no app code in the platform's image.
    assert nginx_static == ["ARG STATIC_IMAGE", "FROM ${STATIC_IMAGE} AS static"]
    assert "COPY --from=static /var/www/static /var/www/static" in nginx_runtime
    assert not [line for line in nginx_runtime if line.startswith("VOLUME")]


def test_the_nginx_image_renders_the_template_and_checks_its_own_liveness():
    lines = stages(PATHS["Dockerfile.nginx"])[-1]
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


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_every_base_image_from_a_registry_is_pinned_by_digest(dockerfile):
    unpinned = unpinned_base_images(PATHS[dockerfile])
    assert unpinned == [], f"pin these with tools/ops/bump-base-images.sh: {unpinned}"


def test_the_pinned_images_are_the_tags_the_docs_name():
    """A digest without its tag cannot be bumped: the tag stays beside it."""
    assert set().union(*(pinned_tags(path) for path in PATHS.values())) == {
        "python:3.11-slim-bookworm",
        "postgres:17-bookworm",
        "postgres:18-bookworm",
    }


def run_bump(dockerfile, tmp_path, digests):
    """The bump script on one Dockerfile, with a stand-in for `docker buildx imagetools
    inspect` answering one digest per tag (and failing on any other name)."""
    fake = tmp_path / "docker"
    fake.write_text(
        "#!/usr/bin/env python3\n"
        "import json, sys\n"
        f"digests = {digests!r}\n"
        'print(json.dumps({"digest": "sha256:" + digests[sys.argv[4]]}))\n'
    )
    fake.chmod(0o755)
    return subprocess.run(
        [str(BUMP), str(dockerfile)],
        env={**os.environ, "DOCKER": str(fake)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_bump_script_pins_every_from_line_to_the_digest_its_tag_resolves_to(tmp_path):
    """The script rewrites each FROM line (stage names kept, an older pin replaced) and nothing
    else."""
    digests = {"python:3.11-slim-bookworm": "a" * 64, "postgres:17-bookworm": "b" * 64}
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "# syntax=docker/dockerfile:1\n"
        "FROM python:3.11-slim-bookworm AS build\n"
        "RUN echo FROM python:3.11-slim-bookworm\n"
        f"FROM postgres:17-bookworm@sha256:{'0' * 64}\n"
    )
    result = run_bump(dockerfile, tmp_path, digests)
    assert result.returncode == 0, result.stderr
    lines = dockerfile.read_text().splitlines()
    assert lines[1] == f"FROM python:3.11-slim-bookworm@sha256:{'a' * 64} AS build"
    assert lines[2] == "RUN echo FROM python:3.11-slim-bookworm"
    assert lines[3] == f"FROM postgres:17-bookworm@sha256:{'b' * 64}"
    assert all(PINNED_FROM.match(line) for line in lines if line.startswith("FROM "))


def test_the_bump_script_leaves_stages_build_arguments_and_scratch_alone(tmp_path):
    """No registry holds an earlier stage, the stack's own image named by a build argument, or
    scratch: the script asks about none of them (the stand-in fails on any name it lacks)."""
    dockerfile = tmp_path / "Dockerfile"
    text = (
        "ARG DJANGO_FARGATE_IMAGE\n"
        "FROM ${DJANGO_FARGATE_IMAGE} AS django_fargate\n"
        "FROM python:3.11-slim-bookworm AS build\n"
        "FROM build AS test\n"
        "FROM scratch\n"
    )
    dockerfile.write_text(text)
    result = run_bump(dockerfile, tmp_path, {"python:3.11-slim-bookworm": "c" * 64})
    assert result.returncode == 0, result.stderr
    assert dockerfile.read_text() == text.replace(
        "FROM python:3.11-slim-bookworm AS build",
        f"FROM python:3.11-slim-bookworm@sha256:{'c' * 64} AS build",
    )
