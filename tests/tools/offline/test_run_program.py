"""The recording mocks: what every infra test, the plan and the parity test stand on."""

import asyncio
import json

import pulumi
import pulumi_aws as aws
import pytest

from tools.offline import RecordingMocks, run_program

CONFIG = {"aws:region": "ap-northeast-1", "vpcCidr": "10.1.0.0/16"}


class _Box(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("test:index:Box", name, None, opts)
        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=pulumi.Config("django-tw").require("vpcCidr"),
            opts=pulumi.ResourceOptions(parent=self, protect=True, retain_on_delete=True),
        )
        self.register_outputs({"vpc_id": self.vpc.id})


def _program() -> None:
    box = _Box("box")
    zones = aws.get_availability_zones(state="available")
    policy = aws.iam.get_policy_document(
        statements=[
            {
                "actions": ["ssmmessages:OpenDataChannel", "ssmmessages:CreateDataChannel"],
                "resources": ["*"],
            }
        ]
    )
    pulumi.export("vpc_id", box.vpc.id)
    pulumi.export("zones", zones.names)
    pulumi.export("policy", policy.json)
    pulumi.export("nested", {"cidr": box.vpc.cidr_block, "list": [box.vpc.arn]})


def test_records_type_name_inputs_parent_and_options():
    recording = run_program(_program, config=CONFIG)
    box = recording.one("test:index:Box")
    vpc = recording.one("aws:ec2/vpc:Vpc", "box-vpc")
    assert vpc.inputs == {"cidrBlock": "10.1.0.0/16"}
    assert vpc.parent == box.urn
    assert box.parent is None
    assert not box.custom
    assert vpc.protect
    assert vpc.retain_on_delete
    assert recording.children_of(box) == [vpc]


def test_outputs_resolve_to_plain_values_including_nested_ones():
    recording = run_program(_program, config=CONFIG)
    vpc = recording.one("aws:ec2/vpc:Vpc")
    assert recording.outputs["vpc_id"] == vpc.id
    assert recording.outputs["vpc_id"].startswith("vpc-")
    assert recording.outputs["nested"]["cidr"] == "10.1.0.0/16"
    assert recording.outputs["nested"]["list"][0].startswith("arn:aws:ec2:ap-northeast-1:")


def test_data_sources_answer_for_the_configured_region():
    recording = run_program(_program, config={**CONFIG, "aws:region": "us-west-2"})
    assert recording.outputs["zones"] == ["us-west-2a", "us-west-2b", "us-west-2c"]


def test_policy_documents_are_rendered_from_their_arguments():
    recording = run_program(_program, config=CONFIG)
    document = json.loads(recording.outputs["policy"])
    assert document["Statement"][0]["Action"] == [
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenDataChannel",
    ]


def test_runs_repeatedly_in_one_process_with_fresh_state():
    first = run_program(_program, config=CONFIG)
    second = run_program(_program, config={**CONFIG, "vpcCidr": "10.2.0.0/16"})
    assert len(first.resources) == len(second.resources) == 2
    assert second.one("aws:ec2/vpc:Vpc").inputs["cidrBlock"] == "10.2.0.0/16"


def test_unknown_data_source_fails_loudly():
    def program() -> None:
        aws.ec2.get_vpc(default=True)

    with pytest.raises(Exception, match="no stand-in for data source 'aws:ec2/getVpc:getVpc'"):
        run_program(program, config=CONFIG)


def test_program_errors_propagate_and_the_mocks_keep_what_was_declared():
    mocks = RecordingMocks()

    def program() -> None:
        aws.ec2.Vpc("before", cidr_block="10.0.0.0/16")
        raise ValueError("stop here")

    with pytest.raises(ValueError, match="stop here"):
        run_program(program, config=CONFIG, mocks=mocks)
    assert [resource.name for resource in mocks.resources] == ["before"]


def test_dependencies_are_what_the_engine_is_sent_with_a_component_standing_for_its_children():
    def program() -> None:
        box = _Box("box")
        explicit = aws.ec2.Vpc("explicit", cidr_block="10.2.0.0/16")
        aws.ec2.Subnet(
            "subnet",
            vpc_id=box.vpc.id,
            cidr_block="10.1.0.0/24",
            opts=pulumi.ResourceOptions(depends_on=[explicit, box]),
        )

    recording = run_program(program, config=CONFIG)
    urns = {r.name: r.urn for r in recording.resources}
    subnet = recording.one("aws:ec2/subnet:Subnet")
    assert set(subnet.dependencies) == {urns["box-vpc"], urns["explicit"]}
    assert recording.one("aws:ec2/vpc:Vpc", "explicit").dependencies == ()


def test_warnings_are_collected():
    def program() -> None:
        pulumi.log.warn("plain HTTP only")

    assert run_program(program, config=CONFIG).warnings == ["plain HTTP only"]


def test_one_explains_what_it_found():
    recording = run_program(_program, config=CONFIG)
    with pytest.raises(LookupError, match=r"expected exactly one aws:ec2/subnet:Subnet, found 0"):
        recording.one("aws:ec2/subnet:Subnet")


# --- the guard: an assertion can never pass silently through an unresolved Output ---------


def test_programs_run_as_an_update_not_a_preview():
    seen: list[bool] = []

    def program() -> None:
        seen.append(pulumi.runtime.is_dry_run())

    run_program(program, config=CONFIG)
    assert seen == [False]


def test_apply_callbacks_run_before_run_program_returns():
    ran: list[str] = []

    def program() -> None:
        vpc = aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
        vpc.id.apply(ran.append)

    recording = run_program(program, config=CONFIG)
    assert ran == [recording.one("aws:ec2/vpc:Vpc").id]


def test_an_output_that_stays_unknown_fails_the_run():
    def program() -> None:
        loop = asyncio.get_event_loop()
        value, known = loop.create_future(), loop.create_future()
        value.set_result(None)
        known.set_result(False)
        pulumi.export("never", pulumi.Output(set(), value, known))

    with pytest.raises(RuntimeError, match="stayed unknown"):
        run_program(program, config=CONFIG)
