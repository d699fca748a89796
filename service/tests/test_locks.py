"""The demo's lock (service/requirements.txt) is one of the project's: `make lock` compiles it,
its image installs it with its hashes checked, and `make local` runs the demo with the versions
its image has (requirements/local.in lists the demo's packages, the platform's lock test checks
local.txt against that input; here the two locks agree)."""

from stack.paths import SERVICE_DIR
from tests.locks import lock_pins
from tests.test_locks import DEMO_LOCK, LOCKS, REPO_ROOT, pip_installs


def test_the_demo_lock_is_compiled_by_make_lock():
    assert DEMO_LOCK == SERVICE_DIR / "requirements.txt"
    assert DEMO_LOCK in LOCKS


def test_the_demo_image_installs_its_lock_with_its_hashes_checked():
    installs = [command for source, command in pip_installs() if source == "service/Dockerfile"]
    assert installs
    assert all("--require-hashes" in command for command in installs)


def test_make_local_runs_the_demo_with_the_versions_its_image_installs():
    demo, local = lock_pins(DEMO_LOCK), lock_pins(REPO_ROOT / "requirements" / "local.txt")
    assert {"django", "pillow", "django-axes", "django-csp"} <= set(demo)
    assert {name: local.get(name) for name in demo} == demo
