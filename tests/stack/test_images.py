"""stack/images.py: the task's images, and how the web image receives the platform's Django
library (django_fargate) without its build context holding a copy: the library's own image, a
wheelhouse, whose URI the web image is given as a build argument."""

from components.images import image_dir
from stack.app import GENERIC_DOCKERFILE, AppSettings
from stack.images import (
    DJANGO_FARGATE_IMAGE_ARG,
    PLATFORM_IMAGES,
    WHEELHOUSE,
    image_args,
    pulled_by_the_task,
)
from stack.paths import REPO_ROOT


def test_the_web_image_is_built_after_the_wheelhouse_and_told_its_uri():
    images = image_args("ARM64", production=True)
    assert images.built_from["web"] == {DJANGO_FARGATE_IMAGE_ARG: WHEELHOUSE}
    order = images.build_order()
    # nginx copies the web image's static files, which the library's build mode collected.
    assert order.index(WHEELHOUSE) < order.index("web") < order.index("nginx")


def test_the_wheelhouse_builds_from_the_librarys_directory_shipped_with_the_components():
    images = image_args("X86_64", production=False, managed_database=True)
    context = images.contexts[WHEELHOUSE]
    assert REPO_ROOT / context == image_dir("django_fargate")
    assert images.dockerfiles[WHEELHOUSE] == f"{context}/Dockerfile"
    assert (REPO_ROOT / context / "pyproject.toml").is_file()
    # With every database: the web image needs the library whatever runs Postgres.
    assert WHEELHOUSE in images.dockerfiles
    assert PLATFORM_IMAGES[WHEELHOUSE] == context


def test_the_task_pulls_every_image_a_container_runs_but_not_the_wheelhouse():
    arns = {"nginx": "arn:nginx", "web": "arn:web", WHEELHOUSE: "arn:wheels", "db": "arn:db"}
    assert pulled_by_the_task(arns) == ["arn:nginx", "arn:web", "arn:db"]


def test_a_project_without_a_dockerfile_builds_the_generic_image_from_its_own_directory():
    mine = AppSettings(
        path="mysite",
        dockerfile=GENERIC_DOCKERFILE,
        wsgi="mysite.wsgi",
        settings_module="mysite.settings",
        health_path="/healthz",
    )
    images = image_args("ARM64", production=True, app=mine)
    assert (REPO_ROOT / images.dockerfiles["web"]).is_file()  # the platform ships it
    assert images.context == "mysite"
    assert "web" not in images.contexts  # the project's directory, not the platform's
    assert images.image_build_args["web"] == {
        "WSGI_MODULE": "mysite.wsgi",
        "DJANGO_SETTINGS_MODULE": "mysite.settings",
    }
    # and the library, from the wheelhouse, as every web image
    assert images.built_from["web"] == {DJANGO_FARGATE_IMAGE_ARG: WHEELHOUSE}
