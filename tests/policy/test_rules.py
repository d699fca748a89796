"""Every rule passes its passing fixture, fails its failing one, and says why."""

from __future__ import annotations

import re

import pytest

from policy import aws_types as r
from policy.evaluator import RULES, RULES_BY_ID, evaluate
from policy.model import Enforcement
from policy.reach import needed_services, services_reached

from .fixtures import (
    ALL_ENDPOINTS,
    FIXTURES,
    MOUNT_TARGETS,
    STATEFUL_TASK,
    container,
    endpoint,
    policy_document,
    res,
    service,
    task_definition,
)


def result_of(rule_id: str, resources):
    [result] = evaluate(resources, [RULES_BY_ID[rule_id]])
    return result


def test_every_rule_has_a_passing_and_a_failing_fixture():
    assert sorted(FIXTURES) == sorted(rule.id for rule in RULES)


def test_the_issue_s_controls_are_all_implemented():
    wanted = {
        *("ECS.2", "ECS.4", "ECS.8", "ECS.9", "ECS.12", "ECS.18", "ECS.20"),
        *("EFS.1", "EFS.2", "EFS.3", "EFS.4", "EFS.6"),
        *("ELB.1", "ELB.4", "ELB.6", "ELB.13", "ELB.17"),
        *("S3.1/S3.8", "S3.5", "S3.12", "EC2.2", "EC2.15", "EC2.18", "EC2.19"),
        *("IAM.1", "IAM.21", "ECR.1", "ECR.2", "ECR.3"),
        *("DJTW.LOG-RETENTION", "DJTW.SINGLE-WRITER", "DJTW.PRIVATE-REACH"),
    }
    assert wanted <= set(RULES_BY_ID)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_passing_fixture_passes(rule_id):
    passing, _ = FIXTURES[rule_id]
    result = result_of(rule_id, passing)
    assert result.findings == ()
    assert result.checked >= 1, "a pass on zero resources proves nothing"


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_failing_fixture_fails_with_a_message(rule_id):
    _, failing = FIXTURES[rule_id]
    result = result_of(rule_id, failing)
    assert not result.passed
    assert all(finding.message for finding in result.findings)
    assert all(finding.rule.id == rule_id for finding in result.findings)


def test_rules_ignore_resources_of_other_types():
    alien = res("aws:sns/topic:Topic", "alerts", privileged=True, mapPublicIpOnLaunch=True)
    for result in evaluate([alien]):
        assert result.passed, result.rule.id


def test_ids_are_unique_and_policy_names_valid():
    assert len(RULES_BY_ID) == len(RULES)
    names = [rule.policy_name for rule in RULES]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in names), names


def test_fsbp_rules_link_to_their_control():
    assert RULES_BY_ID["ECS.8"].url.endswith("ecs-controls.html#ecs-8")
    assert RULES_BY_ID["S3.1/S3.8"].url.endswith("s3-controls.html#s3-1")
    assert RULES_BY_ID["DJTW.SINGLE-WRITER"].url is None


def test_advisory_rules_are_the_documented_trade_offs():
    # ECS.5: ECS Exec and the images' entrypoints need writable paths; ECS.12: Container
    # Insights is a paid extra; ECR.2: tasks pin images by digest, tags may move.
    advisory = {rule.id for rule in RULES if rule.enforcement is Enforcement.ADVISORY}
    assert advisory == {"ECS.5", "ECS.12", "ECR.2"}


# --- details that the fixtures alone do not pin down -----------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AWS_SECRET_ACCESS_KEY", "anything"),
        ("EMAIL_HOST_PASSWORD", "plain"),
        ("SOME_URL", "postgres://u:p@db:5432/x"),
        ("KEY_ID", "AKIAABCDEFGHIJKLMNOP"),
    ],
)
def test_ecs_8_catches_secret_names_and_values(name, value):
    task = task_definition(container(environment=[{"name": name, "value": value}]))
    assert not result_of("ECS.8", [task]).passed


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_HOST", "localhost"),
        ("EMAIL_HOST_USER", "AKIA-not-a-key"),
        ("AWS_STORAGE_BUCKET_NAME", "media"),
        ("SECRET_ARN", "arn:aws:secretsmanager:ap-northeast-1:1:secret:x"),
        ("NGINX_UPSTREAM", "localhost:8000"),
    ],
)
def test_ecs_8_leaves_plain_settings_alone(name, value):
    task = task_definition(container(environment=[{"name": name, "value": value}]))
    assert result_of("ECS.8", [task]).passed


@pytest.mark.parametrize("user", ["root", "0", "0:0", "root:root"])
def test_ecs_20_refuses_every_spelling_of_root(user):
    assert not result_of("ECS.20", [task_definition(container(user=user))]).passed


def test_ecs_20_does_not_apply_to_windows_tasks():
    task = task_definition(
        container(user=None), runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}
    )
    assert result_of("ECS.20", [task]).passed


def test_ec2_18_allows_80_and_443_but_not_all_traffic():
    open_all = res(
        r.SECURITY_GROUP,
        "sg",
        ingress=[{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}],
    )
    web = res(
        r.SECURITY_GROUP,
        "sg",
        ingress=[
            {"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": ["0.0.0.0/0"]},
            {"protocol": "tcp", "fromPort": 443, "toPort": 443, "ipv6CidrBlocks": ["::/0"]},
        ],
    )
    assert not result_of("EC2.18", [open_all]).passed
    assert result_of("EC2.18", [web]).passed


def test_ec2_19_sees_a_range_that_covers_postgres():
    wide = res(
        r.INGRESS_RULE, "wide", ipProtocol="tcp", fromPort=5000, toPort=6000, cidrIpv6="::/0"
    )
    [finding] = result_of("EC2.19", [wide]).findings
    assert "5432" in finding.message


def test_iam_1_catches_administrator_access_attachment():
    attachment = res(
        r.IAM_ATTACHMENTS[0],
        "admin",
        role="r",
        policyArn="arn:aws:iam::aws:policy/AdministratorAccess",
    )
    assert not result_of("IAM.1", [attachment]).passed


def test_iam_rules_read_inline_policies_of_roles_but_not_trust_policies():
    trust = policy_document(
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:*"}
    )
    role = res(
        r.IAM_ROLE,
        "task-role",
        assumeRolePolicy=trust,
        inlinePolicies=[
            {
                "name": "all",
                "policy": '{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}',
            }
        ],
    )
    [finding] = result_of("IAM.21", [role]).findings
    assert "s3:*" in finding.message


def test_s3_rules_fail_a_bucket_with_no_companion_at_all():
    bucket = res(r.BUCKETS[0], "media", id="media-bucket", bucket="media-bucket")
    assert not result_of("S3.1/S3.8", [bucket]).passed
    assert not result_of("S3.5", [bucket]).passed
    # Buckets have been created with ACLs disabled since April 2023: no controls resource is fine.
    assert result_of("S3.12", [bucket]).passed


def test_ec2_2_fails_a_vpc_whose_default_group_is_left_alone():
    vpc = res(r.VPC, "vpc", id="vpc-1")
    assert not result_of("EC2.2", [vpc]).passed


def test_ecr_3_trusts_awsx_repositories_unless_they_skip_the_lifecycle_policy():
    managed = res(r.AWSX_ECR_REPOSITORY, "web", imageScanningConfiguration={"scanOnPush": True})
    skipped = res(r.AWSX_ECR_REPOSITORY, "web", lifecyclePolicy={"skip": True})
    assert result_of("ECR.3", [managed]).passed
    assert not result_of("ECR.3", [skipped]).passed


def test_ecr_1_accepts_registry_wide_scanning():
    unscanned = res(r.ECR_REPOSITORY, "web", name="web")
    registry = res(r.ECR_REGISTRY_SCANNING, "scanning", scanType="ENHANCED")
    assert result_of("ECR.1", [unscanned, registry]).passed


def test_single_writer_needs_desired_count_one():
    assert not result_of("DJTW.SINGLE-WRITER", [STATEFUL_TASK, service(desiredCount=2)]).passed


def test_single_writer_ignores_tasks_without_writable_efs():
    stateless = task_definition(container("web"), name="web-task")
    scaled = service(
        taskDefinition=stateless.props["arn"], desiredCount=4, deploymentMaximumPercent=200
    )
    assert result_of("DJTW.SINGLE-WRITER", [stateless, scaled]).passed


def test_private_reach_is_satisfied_by_a_nat_gateway():
    nat = res(r.NAT_GATEWAY, "nat", subnetId="subnet-pa")
    assert result_of("DJTW.PRIVATE-REACH", [STATEFUL_TASK, service(), nat, *MOUNT_TARGETS]).passed


def test_private_reach_needs_the_smtp_endpoint_when_the_task_sends_mail():
    mailer = task_definition(
        container(
            environment=[{"name": "EMAIL_HOST", "value": "email-smtp.ap-northeast-1.amazonaws.com"}]
        )
    )
    without = evaluate([mailer, service(), *ALL_ENDPOINTS], [RULES_BY_ID["DJTW.PRIVATE-REACH"]])[0]
    assert [f.message.split()[0] for f in without.findings] == ["email-smtp"]
    with_smtp = [mailer, service(), *ALL_ENDPOINTS, endpoint("email-smtp")]
    assert result_of("DJTW.PRIVATE-REACH", with_smtp).passed


def test_an_s3_url_in_the_environment_means_the_task_reaches_s3():
    archiver = task_definition(
        container(
            name="db",
            image="postgres:17",
            environment=[{"name": "BACKUP_DESTINATION_URL", "value": "s3://backups/postgres"}],
        )
    )
    needs = needed_services([archiver])
    assert needs["s3"] == "db: BACKUP_DESTINATION_URL s3://backups/postgres"
    plain = task_definition(container(name="db", image="postgres:17"))
    assert "s3" not in needed_services([plain])


def test_services_reached_names_what_serves_each_service():
    reached = {
        reach.service: reach.served_by
        for reach in services_reached([STATEFUL_TASK, service(), *ALL_ENDPOINTS, *MOUNT_TARGETS])
    }
    assert reached == {
        "ecr.api": "interface endpoint (2 AZs)",
        "ecr.dkr": "interface endpoint (2 AZs)",
        "elasticfilesystem (NFS)": "EFS mount targets (1)",
        "logs": "interface endpoint (2 AZs)",
        "s3": "gateway endpoint",
        "secretsmanager": "interface endpoint (2 AZs)",
        "ssmmessages": "interface endpoint (2 AZs)",
    }


def test_efs_2_accepts_an_aws_backup_selection_that_names_the_file_system():
    file_system = res(
        r.EFS_FILE_SYSTEM, "pgdata", id="fs-1", arn="arn:aws:elasticfilesystem:x:1:file-system/fs-1"
    )
    plan = res(r.BACKUP_PLAN, "daily", id="plan-1", rules=[{"ruleName": "daily"}])
    named = res(r.BACKUP_SELECTION, "pick", planId="plan-1", resources=[file_system.props["arn"]])
    pattern = res(
        r.BACKUP_SELECTION, "pick", planId="plan-1", resources=["arn:aws:elasticfilesystem:*"]
    )
    other = res(r.BACKUP_SELECTION, "pick", planId="plan-1", resources=["arn:aws:rds:x:1:db:other"])
    orphan = res(
        r.BACKUP_SELECTION, "pick", planId="no-such-plan", resources=[file_system.props["arn"]]
    )
    assert result_of("EFS.2", [file_system, plan, named]).passed
    assert result_of("EFS.2", [file_system, plan, pattern]).passed
    assert not result_of("EFS.2", [file_system, plan, other]).passed
    assert not result_of("EFS.2", [file_system, orphan]).passed
