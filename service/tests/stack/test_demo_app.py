"""The demo is the app a stack gets when its stack file names none: service/, with its own
Dockerfile, which knows its modules."""

from stack.app import DEMO_APP, parse_app
from stack.contract import WEB
from stack.paths import REPO_ROOT


def test_no_setting_is_the_demo_in_service():
    assert parse_app("{}", WEB.names) == DEMO_APP
    assert parse_app("", WEB.names) == DEMO_APP
    assert DEMO_APP.dockerfile == "service/Dockerfile"
    assert (REPO_ROOT / DEMO_APP.dockerfile).is_file()
    assert DEMO_APP.build_args == {}  # its own Dockerfile knows its modules
