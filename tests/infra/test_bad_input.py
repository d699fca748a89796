"""Bad stack settings stop the program before it declares anything.

Each case fails with one message that names the setting, the bad value and the allowed
values, and the recording mocks prove that no resource was registered and no data source
was called before the failure.
"""

from __future__ import annotations

import pytest

from offline import RecordingMocks
from stack_settings import SettingsError
from tests.infra.conftest import prod_config, run_main

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
    "domain outside zone": (
        {"domain": "tw.example.net"},
        "domain",
        "'tw.example.net'",
        "example.com or a name under it",
    ),
}


@pytest.mark.parametrize(("overrides", "setting", "shown", "allowed"), CASES.values(), ids=CASES)
def test_bad_setting_fails_with_one_clear_message_before_any_resource(
    overrides, setting, shown, allowed
):
    mocks = RecordingMocks()
    with pytest.raises(SettingsError) as raised:
        run_main(prod_config(**overrides), mocks=mocks)
    message = str(raised.value)
    assert message.startswith(f"setting `django-tw:{setting}` has the invalid value {shown}; ")
    assert allowed in message
    assert message.count("\n") == 0
    assert mocks.resources == []
    assert mocks.calls == []
