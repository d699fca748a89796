"""Bad stack settings stop the program before it declares anything.

Each case fails with one message that names the setting, the bad value and the allowed
values, and the recording mocks prove that no resource was registered and no data source
was called before the failure. The error is a `pulumi.RunError`, which Pulumi's Python
language host reports as its message alone, without a traceback.
"""

from __future__ import annotations

import json

import pulumi
import pytest

from stack.settings import SettingsError
from tests.stack.test_settings import BAD_VALUES
from tests.stack_runs import STAND_IN_APP, prod_config, run_main
from tools.offline import RecordingMocks

CASES = {
    "unknown egress": ({"egress": "vpn"}, "egress", "'vpn'", "endpoints | nat"),
    "invalid vpcCidr": ({"vpcCidr": "10.0.0.0/33"}, "vpcCidr", "'10.0.0.0/33'", "/16 to /24"),
    "public vpcCidr": ({"vpcCidr": "52.0.0.0/16"}, "vpcCidr", "'52.0.0.0/16'", "private IPv4"),
    "one AZ on prod": ({"azCount": "1"}, "azCount", "1", "2 to 6"),
    "cpu Fargate lacks": ({"taskCpu": "768"}, "taskCpu", "768", "256 | 512 | 1024"),
    "memory for the cpu": (
        {"taskCpu": "256", "taskMemory": "4096"},
        "taskMemory",
        "4096",
        "with taskCpu 256: 512, 1024, 2048",
    ),
    "restore drill schedule": (
        {"restoreDrillSchedule": "daily"},
        "restoreDrillSchedule",
        "'daily'",
        "cron(30 3 * * ? *)",
    ),
    "domain outside zone": (
        {"domain": "tw.example.net"},
        "domain",
        "'tw.example.net'",
        "example.com or a name under it",
    ),
}


def run_main_expecting_run_error(config: dict[str, str]) -> tuple[str, RecordingMocks]:
    mocks = RecordingMocks()
    with pytest.raises(pulumi.RunError) as raised:
        run_main(config, mocks=mocks)
    assert isinstance(raised.value, SettingsError)
    return str(raised.value), mocks


@pytest.mark.parametrize(("overrides", "setting", "shown", "allowed"), CASES.values(), ids=CASES)
def test_bad_setting_fails_with_one_clear_message_before_any_resource(
    overrides, setting, shown, allowed
):
    message, mocks = run_main_expecting_run_error(prod_config(**overrides))
    assert message.startswith(f"setting `django-tw:{setting}` has the invalid value {shown}; ")
    assert allowed in message
    assert message.count("\n") == 0
    assert mocks.resources == []
    assert mocks.calls == []


@pytest.mark.parametrize(("setting", "value", "allowed"), BAD_VALUES)
def test_every_refused_value_stops_pulumi_with_a_run_error_of_one_line(setting, value, allowed):
    message, mocks = run_main_expecting_run_error(prod_config(**{setting: value}))
    key = setting if ":" in setting else f"django-tw:{setting}"
    assert message.startswith(f"setting `{key}` has the invalid value ")
    assert "; allowed: " in message
    assert "\n" not in message
    assert mocks.resources == []


def test_a_missing_region_stops_pulumi_with_a_run_error_naming_it():
    config = {key: value for key, value in prod_config().items() if key != "aws:region"}
    message, _ = run_main_expecting_run_error(config)
    assert message.startswith("setting `aws:region` has the invalid value None; ")


# The app slot: each field checked against the checkout before any resource, blamed by name.
APP_CASES = {
    "missing directory": ({"path": "myproject"}, "app.path", "'myproject'", "(it exists)"),
    "no manage.py": ({"path": "stack"}, "app.path", "'stack'", "stack/manage.py does not exist"),
    "settings module file missing": (
        {"path": STAND_IN_APP, "settingsModule": "config.settings.prod"},
        "app.settingsModule",
        "'config.settings.prod'",
        f"neither {STAND_IN_APP}/config/settings/prod.py nor "
        f"{STAND_IN_APP}/config/settings/prod/__init__.py",
    ),
    "dockerfile missing": (
        {"path": STAND_IN_APP, "dockerfile": f"{STAND_IN_APP}/Dockerfile.web"},
        "app.dockerfile",
        f"'{STAND_IN_APP}/Dockerfile.web'",
        "a Dockerfile that exists",
    ),
}


@pytest.mark.parametrize(("app", "setting", "shown", "allowed"), APP_CASES.values(), ids=APP_CASES)
def test_a_bad_app_setting_fails_with_one_line_before_any_resource(app, setting, shown, allowed):
    message, mocks = run_main_expecting_run_error(prod_config(app=json.dumps(app)))
    assert message.startswith(f"setting `django-tw:{setting}` has the invalid value {shown}; ")
    assert allowed in message
    assert "\n" not in message
    assert mocks.resources == []
    assert mocks.calls == []
