"""components/images/app/Dockerfile, the generic app image: the same linters as the other
images find nothing, its base images are pinned, it keeps the facts a Fargate task relies on
(non-root user, liveness check, the start command), it is told what the stack passes, and its
build steps, run as the build runs them, collect a project's static files with the project's
own settings and say what is missing."""

import os
import re
import subprocess
import sys
from pathlib import Path

from components.images import image_dir
from stack.app import GENERIC_DOCKERFILE, AppSettings
from stack.images import DJANGO_FARGATE_IMAGE_ARG
from stack.paths import DJANGO_FARGATE_SRC, REPO_ROOT
from tests.components.images.linters import assert_checkov_passes, assert_hadolint_finds_nothing

DOCKERFILE = image_dir("app") / "Dockerfile"
PINNED_FROM = re.compile(r"^FROM (?:--\S+ )?\S+:\S+@sha256:[0-9a-f]{64}(?: AS \S+)?$")


def instructions() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    lines, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.endswith("\\"):
            lines.append(" ".join(current.split()))
            current = ""
    return lines


def stages() -> list[list[str]]:
    """The build stages, each beginning with its FROM (the first with the ARG before it)."""
    found: list[list[str]] = []
    for line in instructions():
        after_arg = found and found[-1][-1].startswith("ARG ") and len(found[-1]) == 1
        if (line.startswith("FROM ") and not after_arg) or not found:
            found.append([])
        found[-1].append(line)
    return found


def test_hadolint_finds_nothing():
    assert_hadolint_finds_nothing(DOCKERFILE)


def test_checkov_dockerfile_checks_pass(tmp_path):
    assert_checkov_passes([DOCKERFILE], tmp_path)


def test_it_is_the_dockerfile_the_stack_names_for_a_project_without_one():
    assert REPO_ROOT / GENERIC_DOCKERFILE == DOCKERFILE


def test_every_base_image_is_pinned_by_digest_and_the_bump_script_knows_it():
    # The first FROM is the wheelhouse, named by its build argument: the stack's own image,
    # whose URI names its digest.
    wheelhouse, *froms = [line for line in instructions() if line.startswith("FROM ")]
    assert wheelhouse == f"FROM ${{{DJANGO_FARGATE_IMAGE_ARG}}} AS django_fargate"
    assert froms
    assert [line for line in froms if not PINNED_FROM.match(line)] == []
    bump = (REPO_ROOT / "tools" / "ops" / "bump-base-images.sh").read_text()
    assert "components/images/app/Dockerfile" in bump


def test_the_image_runs_the_platforms_start_as_a_non_root_user_with_a_liveness_check():
    runtime = stages()[-1]
    users = [line for line in runtime if line.startswith("USER ")]
    assert users == ["USER 10001:10001"]
    assert runtime[-1] == 'CMD ["python", "-m", "django_fargate.start"]'
    healthcheck = next(line for line in runtime if line.startswith("HEALTHCHECK"))
    assert healthcheck.endswith('CMD ["python", "-m", "django_fargate.healthcheck"]')
    assert "EXPOSE 8000" in runtime
    env = " ".join(line for line in runtime if line.startswith("ENV ")).split()
    assert "DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE}" in env
    assert "DJANGO_APP_MODULE=${WSGI_MODULE}:application" in env
    assert "DJANGO_STATIC_ROOT=/var/www/static" in env
    assert "ARG DJANGO_SETTINGS_MODULE" in runtime
    assert "ARG WSGI_MODULE=config.wsgi" in runtime
    # Collected at build, owned by root, before the user changes: nothing to write at start.
    collect = next(i for i, line in enumerate(runtime) if "collectstatic" in line)
    assert runtime.index("COPY . /app") < collect < runtime.index("USER 10001:10001")
    assert not [line for line in runtime if line.startswith("VOLUME")]


def test_it_declares_every_build_argument_the_stack_passes_a_project_without_a_dockerfile():
    app = AppSettings(
        path="mysite",
        dockerfile=GENERIC_DOCKERFILE,
        wsgi="mysite.wsgi",
        settings_module="mysite.settings",
        health_path="/healthz",
    )
    declared = {line.split()[1].split("=")[0] for line in instructions() if line.startswith("ARG ")}
    assert declared == {*app.build_args, DJANGO_FARGATE_IMAGE_ARG}


def test_the_image_ships_the_rds_ca_bundle_where_the_managed_database_url_points():
    from components.postgres.rds_parameters import RDS_CA_BUNDLE_PATH

    steps = instructions()
    assert f"COPY --from=rds-ca /opt/rds-global-bundle.pem {RDS_CA_BUNDLE_PATH}" in steps
    download = next(step for step in steps if "truststore.pki.rds.amazonaws.com" in step)
    assert "BEGIN CERTIFICATE" in download  # a failed or empty download fails the build


def run_step(keyword: str, cwd: Path, **environment: str) -> subprocess.CompletedProcess:
    """The RUN step mentioning `keyword`, run by sh in `cwd` as the build would run it."""
    step = next(line for line in instructions() if line.startswith("RUN ") and keyword in line)
    return subprocess.run(
        ["sh", "-c", step.removeprefix("RUN ")],
        cwd=cwd,
        env={
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(DJANGO_FARGATE_SRC)]),
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


MANAGE_PY = "import sys\nfrom django.core.management import execute_from_command_line\n"
MANAGE_PY += "execute_from_command_line(sys.argv)\n"


def test_the_build_collects_the_static_files_with_the_projects_settings_and_no_secret(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "manage.py").write_text(MANAGE_PY)
    static_root = tmp_path / "static"
    result = run_step(
        "collectstatic",
        project,
        DJANGO_SETTINGS_MODULE="tests.components.images.django_fargate.settings",
        DJANGO_STATIC_ROOT=str(static_root),
    )
    assert result.returncode == 0, result.stderr
    assert (static_root / "staticfiles.json").is_file()


def project_with_settings(tmp_path: Path, settings: str) -> Path:
    """A project directory: manage.py and ``mysettings.py`` holding ``settings``."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "manage.py").write_text(MANAGE_PY)
    (project / "mysettings.py").write_text(
        "from django_fargate.settings import platform_settings\n"
        'STATIC_URL = "static/"\n'
        f"{settings}\n"
        "globals().update(platform_settings())\n"
    )
    return project


def test_a_project_without_the_library_in_installed_apps_is_told_to_add_it(tmp_path):
    project = project_with_settings(tmp_path, 'INSTALLED_APPS = ["django.contrib.staticfiles"]')
    result = run_step(
        "collectstatic",
        project,
        DJANGO_SETTINGS_MODULE="mysettings",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    assert result.returncode == 1
    assert 'add "django_fargate" to INSTALLED_APPS in mysettings' in result.stderr
    assert not (tmp_path / "static").exists()  # nothing collected


def test_a_project_whose_probes_would_meet_other_middleware_first_fails_its_check(tmp_path):
    project = project_with_settings(
        tmp_path,
        'INSTALLED_APPS = ["django.contrib.staticfiles", "django_fargate"]\n'
        "MIDDLEWARE = ["
        '"django.middleware.security.SecurityMiddleware", '
        '"django_fargate.middleware.HealthCheckMiddleware"]',
    )
    result = run_step(
        "collectstatic",
        project,
        DJANGO_SETTINGS_MODULE="mysettings",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    assert result.returncode == 1
    assert "django_fargate.E001" in result.stderr


def test_the_build_says_which_build_argument_is_missing(tmp_path):
    (tmp_path / "manage.py").write_text(MANAGE_PY)
    result = run_step("collectstatic", tmp_path, DJANGO_SETTINGS_MODULE="")
    assert result.returncode == 1
    assert "build with --build-arg DJANGO_SETTINGS_MODULE=" in result.stderr


def test_the_build_says_where_manage_py_must_be(tmp_path):
    result = run_step("collectstatic", tmp_path, DJANGO_SETTINGS_MODULE="mysite.settings")
    assert result.returncode == 1
    assert "no manage.py at the build context's root" in result.stderr


def test_a_project_without_requirements_gets_what_the_library_brings_and_is_told(tmp_path):
    result = run_step("requirements.txt", tmp_path)
    assert result.returncode == 0
    assert "the image has only Django and the platform's library" in result.stderr


def test_the_projects_packages_come_first_and_the_library_after_them_from_the_wheelhouse():
    build = stages()[1]
    install = next(i for i, line in enumerate(build) if "requirements.txt" in line)
    (copy,) = [i for i, line in enumerate(build) if line.startswith("COPY --from=django_fargate")]
    library = next(i for i, line in enumerate(build) if "django-fargate" in line)
    assert install < copy < library
    assert "--no-index --find-links /tmp/wheels django-fargate" in build[library]
