"""The demo's web image, service/Dockerfile: hadolint and checkov find nothing, its base images
are pinned, it runs the platform's start as a non-root user with its health check, collects the
static files the nginx image serves, and ships the RDS CA bundle. The platform's images are
tests/components/images/test_dockerfiles.py's."""

from stack.paths import NGINX_IMAGE_DIR, SERVICE_DIR
from tests.components.images.django_fargate.test_wheelhouse import (
    installs_the_library_from_the_wheelhouse_offline,
)
from tests.components.images.dockerfile_text import instructions as instructions_of
from tests.components.images.dockerfile_text import stages, unpinned_base_images
from tests.components.images.linters import assert_checkov_passes, assert_hadolint_finds_nothing

DOCKERFILE = SERVICE_DIR / "Dockerfile"


def instructions() -> list[str]:
    return instructions_of(DOCKERFILE)


def test_hadolint_finds_nothing():
    assert_hadolint_finds_nothing(DOCKERFILE)


def test_checkov_dockerfile_checks_pass(tmp_path):
    assert_checkov_passes([DOCKERFILE], tmp_path)


def test_the_image_runs_as_a_non_root_user():
    users = [line for line in instructions() if line.startswith("USER ")]
    assert users[-1] == "USER 10001:10001"


def test_every_base_image_from_a_registry_is_pinned_by_digest():
    unpinned = unpinned_base_images(DOCKERFILE)
    assert unpinned == [], f"pin these with tools/ops/bump-base-images.sh: {unpinned}"


def test_the_web_image_runs_the_platforms_start_with_its_health_check():
    lines = instructions()
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


def test_the_nginx_image_serves_the_static_files_the_web_image_collected():
    *_, web_runtime = stages(DOCKERFILE)
    _, nginx_runtime = stages(NGINX_IMAGE_DIR / "Dockerfile")
    assert "RUN /app/collect-static.sh" in web_runtime
    assert "DJANGO_STATIC_ROOT=/var/www/static" in " ".join(web_runtime).split()
    assert "COPY --from=static /var/www/static /var/www/static" in nginx_runtime


def test_the_web_image_ships_the_rds_ca_bundle_where_the_managed_database_url_points():
    from components.postgres.rds_parameters import RDS_CA_BUNDLE_PATH

    steps = instructions()
    download = next(step for step in steps if "truststore.pki.rds.amazonaws.com" in step)
    assert "global/global-bundle.pem" in download
    assert "BEGIN CERTIFICATE" in download  # a failed or empty download fails the build
    assert f"COPY --from=rds-ca /opt/rds-global-bundle.pem {RDS_CA_BUNDLE_PATH}" in steps


def test_it_installs_the_platforms_library_from_the_wheelhouse_offline():
    installs_the_library_from_the_wheelhouse_offline(DOCKERFILE)
