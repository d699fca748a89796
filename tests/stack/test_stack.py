"""The prod stack, run from __main__.py with Pulumi.prod.yaml's settings.

One test per point of the hand-built reference setup (docs/DESIGN.md, The reference setup),
plus the guarantees that hold across the whole stack.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from components.fargate.roles import ECS_EXEC_ACTIONS
from policy.aws_types import SUBNET
from stack.contract import CONTRACTS
from stack.settings import load_settings, read_stack_file
from tests.stack_runs import (
    BUCKET,
    EGRESS_RULE,
    INGRESS_RULE,
    MEDIA_BUCKET_COMPONENT,
    SECRET_VERSION,
    SECURITY_GROUP,
    SERVICE,
    VPC_ENDPOINT,
    bucket_of,
    containers,
    environment,
    group_by_id,
    policy_statements,
    prod_config,
    rules_of,
    run_main,
    secret_value,
    secrets,
    service_task_definition,
)
from tools.offline import StackRecording


def subnets(recording: StackRecording, tier: str) -> list:
    """The subnets PrivateNetwork tagged with ``tier`` (public or private)."""
    return [s for s in recording.of_type(SUBNET) if s.inputs["tags"]["tier"] == tier]


# --- the reference setup's points -----------------------------------------------------------


def test_the_containers_run_in_one_fargate_task_on_awsvpc(prod):
    task_definition = service_task_definition(prod)
    # nginx, web and db serve; release (migrations) and scheduler (the app's scheduled
    # commands, which Pulumi.prod.yaml sets) run the web image beside them.
    assert set(containers(prod)) == {"nginx", "web", "release", "scheduler", "db"}
    assert task_definition.inputs["networkMode"] == "awsvpc"
    assert task_definition.inputs["requiresCompatibilities"] == ["FARGATE"]
    assert prod.one(SERVICE).inputs["launchType"] == "FARGATE"


def test_containers_talk_over_the_loopback_address(prod):
    # 127.0.0.1, not "localhost", which may resolve to ::1 first, where nothing listens.
    by_name = containers(prod)
    assert environment(by_name["nginx"])["NGINX_UPSTREAM"] == "127.0.0.1:8000"
    assert environment(by_name["web"])["GUNICORN_BIND"] == "127.0.0.1:8000"
    url = urlsplit(secret_value(prod, secrets(by_name["web"])["DATABASE_URL"]))
    settings = load_settings(read_stack_file("prod"))
    assert url.scheme == "postgres"
    assert url.hostname == "127.0.0.1"
    assert url.port == 5432
    assert url.username == settings.database_user
    assert url.path == f"/{settings.database_name}"
    assert url.password  # generated, not empty


def test_db_health_check_is_pg_isready_over_tcp_not_psql(prod):
    command = containers(prod)["db"]["healthCheck"]["command"]
    assert command[0] == "CMD-SHELL"
    assert "pg_isready -h 127.0.0.1" in command[1]
    assert "psql" not in command[1]
    # initdb or crash recovery on EFS takes minutes: ECS's longest start period
    assert containers(prod)["db"]["healthCheck"]["startPeriod"] == 300


def test_container_checks_are_liveness_and_the_alb_checks_readiness(prod):
    by_name = containers(prod)
    assert by_name["nginx"]["healthCheck"]["command"] == [
        "CMD-SHELL",
        "curl -fsS http://127.0.0.1:8080/livez || exit 1",
    ]
    # gunicorn's /livez on the loopback, asked with the standard library only.
    (shell, probe) = by_name["web"]["healthCheck"]["command"]
    assert (shell, probe.split()[:2]) == ("CMD-SHELL", ["python", "-c"])
    assert "'http://127.0.0.1:8000/livez'" in probe
    assert by_name["web"]["healthCheck"]["startPeriod"] == 120
    assert prod.one("aws:lb/targetGroup:TargetGroup").inputs["healthCheck"]["path"] == "/healthz"
    starts = sum(c["healthCheck"]["startPeriod"] for c in by_name.values() if "healthCheck" in c)
    assert prod.one(SERVICE).inputs["healthCheckGracePeriodSeconds"] == starts == 450


def test_web_starts_after_the_release_step_which_waits_for_healthy_db(prod):
    by_name = containers(prod)
    assert by_name["release"]["dependsOn"] == [{"containerName": "db", "condition": "HEALTHY"}]
    assert by_name["web"]["dependsOn"] == [{"containerName": "release", "condition": "SUCCESS"}]
    assert by_name["nginx"]["dependsOn"] == [{"containerName": "web", "condition": "HEALTHY"}]
    assert by_name["release"]["command"] == ["python", "manage.py", "migrate_locked", "--noinput"]
    assert by_name["release"]["essential"] is False  # SUCCESS needs a non-essential container
    for name in ("db", "web"):
        assert by_name[name]["healthCheck"]["command"], f"{name} must have a health check"


def test_tasks_run_in_private_subnets_over_two_azs_without_public_ip(prod):
    network = prod.one(SERVICE).inputs["networkConfiguration"]
    private = subnets(prod, "private")
    assert network["assignPublicIp"] is False
    assert sorted(network["subnets"]) == sorted(s.id for s in private)
    assert len({s.inputs["availabilityZone"] for s in private}) >= 2
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in prod.of_type(SUBNET))


def test_load_balancer_sits_in_public_subnets_over_two_azs(prod):
    balancer = prod.one("aws:lb/loadBalancer:LoadBalancer")
    public = subnets(prod, "public")
    assert balancer.inputs["internal"] is False
    assert sorted(balancer.inputs["subnets"]) == sorted(s.id for s in public)
    assert len({s.inputs["availabilityZone"] for s in public}) >= 2


def test_private_subnets_reach_aws_through_the_derived_endpoint_set(prod):
    services = {e.inputs["serviceName"].rsplit(".", 1)[-1] for e in prod.of_type(VPC_ENDPOINT)}
    names = {e.inputs["serviceName"] for e in prod.of_type(VPC_ENDPOINT)}
    expected = {"ecr.api", "ecr.dkr", "s3", "logs", "secretsmanager", "ssmmessages", "email-smtp"}
    assert names == {f"com.amazonaws.ap-northeast-1.{s}" for s in expected}
    assert "ec2messages" not in services
    assert "elasticfilesystem" not in services
    assert not prod.of_type("aws:ec2/natGateway:NatGateway")
    assert prod.outputs["vpc_endpoints"] == sorted(expected)


def test_endpoints_are_gateway_for_s3_and_private_dns_interfaces_for_the_rest(prod):
    private_ids = sorted(s.id for s in subnets(prod, "private"))
    for endpoint in prod.of_type(VPC_ENDPOINT):
        if endpoint.inputs["serviceName"].endswith(".s3"):
            assert endpoint.inputs["vpcEndpointType"] == "Gateway"
            assert len(endpoint.inputs["routeTableIds"]) == len(private_ids)
        else:
            assert endpoint.inputs["vpcEndpointType"] == "Interface"
            assert endpoint.inputs["privateDnsEnabled"] is True
            assert sorted(endpoint.inputs["subnetIds"]) == private_ids


def test_efs_has_a_mount_target_in_every_task_subnet(prod):
    task_subnets = set(prod.one(SERVICE).inputs["networkConfiguration"]["subnets"])
    mounts = prod.of_type("aws:efs/mountTarget:MountTarget")
    assert [m.inputs["subnetId"] for m in mounts].count(next(iter(task_subnets))) == 1
    assert {m.inputs["subnetId"] for m in mounts} == task_subnets
    assert len(mounts) == len(task_subnets)


def test_the_only_task_volume_is_the_database_on_efs(prod):
    # Static files are in the web and nginx images: no bind mount whose owner (root, 0755 on
    # Fargate) decides whether a container can start.
    volumes = service_task_definition(prod).inputs["volumes"]
    assert [bool(volume.get("efsVolumeConfiguration")) for volume in volumes] == [True]
    mounted = {
        container["name"]: [m["sourceVolume"] for m in container.get("mountPoints") or []]
        for container in json.loads(service_task_definition(prod).inputs["containerDefinitions"])
    }
    assert mounted == {
        "nginx": [],
        "web": [],
        "release": [],
        "scheduler": [],
        "db": [volumes[0]["name"]],
    }


def test_no_ingress_from_anywhere_except_the_load_balancer_on_80_and_443(prod):
    groups = group_by_id(prod)
    balancer_group = prod.one("aws:lb/loadBalancer:LoadBalancer").inputs["securityGroups"][0]
    open_rules = []
    for rule in prod.of_type(INGRESS_RULE):
        if rule.inputs.get("cidrIpv4") == "0.0.0.0/0" or rule.inputs.get("cidrIpv6") == "::/0":
            open_rules.append((rule.inputs["securityGroupId"], rule.inputs["fromPort"]))
            assert rule.inputs["fromPort"] == rule.inputs["toPort"]
    assert sorted(open_rules) == [(balancer_group, 80), (balancer_group, 443)]
    for group in groups.values():  # no inline rules that would escape the check above
        assert not group.inputs.get("ingress"), group.name


def test_task_accepts_traffic_from_the_load_balancer_only(prod):
    task_group = prod.one(SERVICE).inputs["networkConfiguration"]["securityGroups"][0]
    balancer_group = prod.one("aws:lb/loadBalancer:LoadBalancer").inputs["securityGroups"][0]
    rules = rules_of(prod, INGRESS_RULE, group_by_id(prod)[task_group])
    assert rules == [
        {
            "securityGroupId": task_group,
            "ipProtocol": "tcp",
            "fromPort": 8080,
            "toPort": 8080,
            "referencedSecurityGroupId": balancer_group,
            "description": "from the load balancer",
        }
    ]


def test_every_container_follows_the_environment_contract(prod):
    commands = {"release", "scheduler"}  # the web image, with web's environment
    assert set(containers(prod)) - commands == set(CONTRACTS)
    for name, container in containers(prod).items():
        given = environment(container), secrets(container)
        contract = CONTRACTS["web"] if name in commands else CONTRACTS[name]
        assert contract.differences(*given, in_aws=True) == [], name


def test_web_environment_follows_the_contract(prod):
    web = containers(prod)["web"]
    env = environment(web)
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert env["DJANGO_ALLOWED_HOSTS"] == "tw.example.com"
    assert "DJANGO_STATIC_ROOT" not in env  # the image's own: it collected them there
    assert env["AWS_STORAGE_BUCKET_NAME"] == prod.outputs["media_bucket_name"]
    assert env["AWS_S3_REGION_NAME"] == "ap-northeast-1"
    assert env["EMAIL_HOST"] == "email-smtp.ap-northeast-1.amazonaws.com"
    assert env["EMAIL_PORT"] == "587"
    assert env["DEFAULT_FROM_EMAIL"] == "noreply@example.com"
    assert set(secrets(web)) == {
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
    }


def test_nginx_and_db_environment_follow_the_contract(prod):
    by_name = containers(prod)
    assert environment(by_name["nginx"]) == {
        "NGINX_LISTEN_PORT": "8080",
        "NGINX_UPSTREAM": "127.0.0.1:8000",
        "NGINX_REAL_IP_FROM": "10.0.0.0/16",
    }
    assert environment(by_name["db"]) == {
        "POSTGRES_USER": "postgres",
        "POSTGRES_DB": "django_tw",
        "POSTGRES_APP_USER": "django_tw",
        "POSTGRES_INITDB_ARGS": "--auth-host=scram-sha-256 --auth-local=scram-sha-256",
        "PGDATA": "/var/lib/postgresql/data/pgdata",
        "BACKUP_DESTINATION_URL": prod.outputs["backup_destination_url"],
        "BACKUP_SERVER_NAME": "postgres",
        "BACKUP_RETENTION_DAYS": "14",
        "BASE_BACKUP_TIME": "17:00",
        "ARCHIVE_TIMEOUT_SECONDS": "60",
        "AWS_DEFAULT_REGION": "ap-northeast-1",
        "DB_SIGNALS_NAMESPACE": "django-tw/database",
        "DB_SIZE_BUDGET_BYTES": str(20 * 2**30),
    }
    assert set(secrets(by_name["db"])) == {"POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD"}
    assert not secrets(by_name["nginx"])


def test_media_goes_to_s3_with_the_task_role_not_access_keys(prod):
    bucket = bucket_of(prod, MEDIA_BUCKET_COMPONENT)
    statements = policy_statements(prod, "task-policy")
    media = [s for s in statements if s["Sid"].startswith("Media")]
    resources = {
        r
        for s in media
        for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
    }
    assert resources == {bucket.outputs["arn"], bucket.outputs["arn"] + "/*"}
    for container in containers(prod).values():
        assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} & set(environment(container))


def test_smtp_port_587_leads_to_the_email_smtp_endpoint_only(prod):
    endpoint = next(
        e for e in prod.of_type(VPC_ENDPOINT) if e.inputs["serviceName"].endswith("email-smtp")
    )
    endpoint_group = group_by_id(prod)[endpoint.inputs["securityGroupIds"][0]]
    ingress = rules_of(prod, INGRESS_RULE, endpoint_group)
    assert {(r["fromPort"], r["cidrIpv4"]) for r in ingress} == {
        (443, "10.0.0.0/16"),
        (587, "10.0.0.0/16"),
    }
    task_group = group_by_id(prod)[
        prod.one(SERVICE).inputs["networkConfiguration"]["securityGroups"][0]
    ]
    smtp_egress = [r for r in rules_of(prod, EGRESS_RULE, task_group) if r["fromPort"] == 587]
    assert smtp_egress == [
        {
            "securityGroupId": task_group.id,
            "ipProtocol": "tcp",
            "fromPort": 587,
            "toPort": 587,
            "referencedSecurityGroupId": endpoint_group.id,
            "description": "SMTP to email-smtp",
        }
    ]


def test_every_container_logs_to_its_own_group_with_retention(prod):
    groups = {g.inputs["name"]: g for g in prod.of_type("aws:cloudwatch/logGroup:LogGroup")}
    # one per container, the VPC's flow logs, ECS Exec sessions, the restore drill
    assert len(groups) == len(containers(prod)) + 3
    for name, container in containers(prod).items():
        log = container["logConfiguration"]
        assert log["logDriver"] == "awslogs"
        assert log["options"]["awslogs-region"] == "ap-northeast-1"
        group = groups[log["options"]["awslogs-group"]]
        assert group.inputs["retentionInDays"] == 30
        assert prod.outputs["log_group_names"][name] == group.inputs["name"]


def test_ecs_exec_is_enabled_with_the_four_ssmmessages_actions(prod):
    assert prod.one(SERVICE).inputs["enableExecuteCommand"] is True
    exec_statement = next(
        s for s in policy_statements(prod, "task-policy") if s["Sid"] == "EcsExec"
    )
    assert sorted(exec_statement["Action"]) == sorted(ECS_EXEC_ACTIONS)
    assert all(c["linuxParameters"]["initProcessEnabled"] for c in containers(prod).values())
    command = prod.outputs["exec_command"]
    assert command.startswith("aws ecs execute-command --region ap-northeast-1 ")
    assert f"--cluster {prod.outputs['cluster_name']}" in command
    assert f"--service-name {prod.outputs['service_name']}" in command
    assert "--container web --interactive" in command


def test_no_policy_grants_a_wildcard_action(prod):
    documents = [
        json.loads(p.inputs["policy"]) for p in prod.of_type("aws:iam/rolePolicy:RolePolicy")
    ]
    documents += [
        json.loads(p.inputs["policy"]) for p in prod.of_type("aws:iam/userPolicy:UserPolicy")
    ]
    assert documents
    for document in documents:
        for statement in document["Statement"]:
            if statement["Effect"] != "Allow":
                continue
            actions = (
                statement["Action"]
                if isinstance(statement["Action"], list)
                else [statement["Action"]]
            )
            assert all("*" not in action for action in actions), statement


def test_https_with_tls13_policy_dns_validated_certificate_and_redirect(prod):
    listeners = {
        listener.inputs["port"]: listener.inputs
        for listener in prod.of_type("aws:lb/listener:Listener")
    }
    assert set(listeners) == {80, 443}
    assert listeners[443]["protocol"] == "HTTPS"
    assert "TLS13" in listeners[443]["sslPolicy"]
    redirect = listeners[80]["defaultActions"][0]
    assert redirect["type"] == "redirect"
    assert redirect["redirect"] == {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}
    certificate = prod.one("aws:acm/certificate:Certificate")
    assert certificate.inputs["validationMethod"] == "DNS"
    assert certificate.inputs["domainName"] == "tw.example.com"
    validation = prod.one("aws:acm/certificateValidation:CertificateValidation")
    assert listeners[443]["certificateArn"] == validation.outputs["certificateArn"]
    alias = next(r for r in prod.of_type("aws:route53/record:Record") if r.inputs.get("aliases"))
    assert alias.inputs["name"] == "tw.example.com"
    assert prod.outputs["url"] == "https://tw.example.com/"


def test_target_group_sends_to_nginx_by_ip_and_checks_healthz(prod):
    group = prod.one("aws:lb/targetGroup:TargetGroup")
    assert group.inputs["targetType"] == "ip"
    assert group.inputs["port"] == 8080
    assert group.inputs["healthCheck"]["path"] == "/healthz"
    (target,) = prod.one(SERVICE).inputs["loadBalancers"]
    assert target["containerName"] == "nginx"
    assert target["containerPort"] == 8080


# --- whole-stack guarantees -------------------------------------------------------------------


def test_only_the_site_s_host_name_reaches_the_targets(prod):
    https = next(
        lst for lst in prod.of_type("aws:lb/listener:Listener") if lst.inputs["port"] == 443
    )
    assert https.inputs["defaultActions"][0]["fixedResponse"]["statusCode"] == "404"
    (rule,) = prod.of_type("aws:lb/listenerRule:ListenerRule")
    assert rule.inputs["conditions"][0]["hostHeader"]["values"] == ["tw.example.com"]
    assert (
        rule.inputs["actions"][0]["targetGroupArn"]
        == prod.one("aws:lb/targetGroup:TargetGroup").outputs["arn"]
    )


def _secret_values(recording: StackRecording) -> set[str]:
    values = {
        r.outputs["result"] for r in recording.of_type("random:index/randomPassword:RandomPassword")
    }
    for key in recording.of_type("aws:iam/accessKey:AccessKey"):
        values |= {key.outputs["secret"], key.outputs["sesSmtpPasswordV4"], key.id}
    values |= {v.inputs["secretString"] for v in recording.of_type(SECRET_VERSION)}
    return values


def test_no_secret_value_and_no_secret_name_in_any_environment(prod):
    secret_values = _secret_values(prod)
    assert len(secret_values) >= 6
    for container in containers(prod).values():
        for name, value in environment(container).items():
            assert not any(secret in value for secret in secret_values), name
            assert not any(word in name for word in ("PASSWORD", "SECRET", "ACCESS_KEY")), name
            assert not value.startswith("AKIA"), name
        for reference in secrets(container).values():
            assert reference.startswith("arn:aws:secretsmanager:"), reference


def test_execution_role_reads_only_this_stacks_secrets(prod):
    statement = next(
        s for s in policy_statements(prod, "tw-prod-execution-policy") if s["Sid"] == "TaskSecrets"
    )
    referenced = {ref for c in containers(prod).values() for ref in secrets(c).values()}
    assert set(statement["Resource"]) == referenced
    assert statement["Action"] == ["secretsmanager:GetSecretValue"]


def test_single_writer_postgres_means_one_task_stopped_before_the_next(prod):
    service = prod.one(SERVICE).inputs
    assert service["desiredCount"] == 1
    assert service["deploymentMinimumHealthyPercent"] == 0
    assert service["deploymentMaximumPercent"] == 100
    assert service["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert containers(prod)["db"]["stopTimeout"] == 120


def test_data_is_protected_from_deletion_on_prod(prod):
    kept = [prod.one("aws:efs/fileSystem:FileSystem"), prod.one("aws:backup/vault:Vault")]
    kept += prod.of_type(BUCKET)
    assert len(kept) == 5  # file system, vault, media, backup and access log buckets
    for resource in kept:
        assert resource.protect, resource.name
        assert resource.retain_on_delete, resource.name
    assert prod.one("aws:lb/loadBalancer:LoadBalancer").inputs["enableDeletionProtection"] is True


def test_cluster_has_container_insights(prod):
    cluster = prod.one("aws:ecs/cluster:Cluster")
    assert {"name": "containerInsights", "value": "enabled"} in cluster.inputs["settings"]


def test_outputs_name_everything_an_operator_needs(prod):
    assert set(prod.outputs) >= {
        "url",
        "alb_dns_name",
        "cluster_name",
        "service_name",
        "log_group_names",
        "exec_command",
        "deploy_events_command",
        "media_bucket_name",
        "repository_urls",
        "backup_bucket_name",
        "backup_destination_url",
        "backup_failure_metric",
    }
    assert set(prod.outputs["repository_urls"]) == {"nginx", "web", "db", "django-fargate"}
    assert prod.outputs["alb_dns_name"].endswith(".elb.amazonaws.com")


def test_images_are_built_from_the_four_dockerfiles(prod):
    dockerfiles = {i.inputs["dockerfile"] for i in prod.of_type("awsx:ecr:Image")}
    assert dockerfiles == {
        "service/Dockerfile",
        "components/images/db/Dockerfile",
        "components/images/nginx/Dockerfile",
        "components/images/django_fargate/Dockerfile",
    }
    assert {i.inputs["platform"] for i in prod.of_type("awsx:ecr:Image")} == {"linux/arm64"}
    images = {c["name"]: c["image"] for c in containers(prod).values()}
    for image in images.values():
        assert "@sha256:" in image  # pinned by digest
    for repository in prod.of_type("awsx:ecr:Repository"):
        assert repository.inputs["imageScanningConfiguration"] == {"scanOnPush": True}
        assert repository.inputs["lifecyclePolicy"]["rules"]


def test_the_web_image_installs_the_library_from_the_wheelhouse_no_task_pulls(prod):
    wheelhouse = prod.one("awsx:ecr:Image", "tw-prod-django-fargate-image")
    assert wheelhouse.inputs["context"] == "components/images/django_fargate"
    uri = wheelhouse.outputs["imageUri"]
    assert "@sha256:" in uri  # the build argument names the digest
    web = prod.one("awsx:ecr:Image", "tw-prod-web-image")
    assert web.inputs["args"] == {"DJANGO_FARGATE_IMAGE": uri}
    (pull,) = [
        s for s in policy_statements(prod, "tw-prod-execution-policy") if s["Sid"] == "EcrPull"
    ]
    pulled = {arn.rsplit("/", 1)[1] for arn in pull["Resource"]}
    assert pulled == {"tw-prod-nginx", "tw-prod-web", "tw-prod-db"}


def test_every_resource_belongs_to_a_component(prod):
    components = {r.urn for r in prod.resources if not r.custom}
    for resource in prod.resources:
        if resource.custom or resource.remote:
            assert resource.parent in components, (
                f"{resource.type} {resource.name} has no component"
            )


# --- other stacks ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nat_stack() -> StackRecording:
    return run_main(prod_config(egress="nat"))


def test_egress_nat_gives_a_nat_gateway_and_no_interface_endpoints(nat_stack):
    assert len(nat_stack.of_type("aws:ec2/natGateway:NatGateway")) == 1
    endpoints = nat_stack.of_type(VPC_ENDPOINT)
    assert [e.inputs["vpcEndpointType"] for e in endpoints] == ["Gateway"]
    for table in nat_stack.of_type("aws:ec2/routeTable:RouteTable"):
        if "private" in table.name:
            assert table.inputs["routes"][0]["cidrBlock"] == "0.0.0.0/0"
            assert table.inputs["routes"][0]["natGatewayId"]


def test_egress_nat_per_az_gives_one_gateway_per_az():
    recording = run_main(prod_config(egress="nat", natGateways="per-az"))
    assert len(recording.of_type("aws:ec2/natGateway:NatGateway")) == 2


def test_without_domain_the_site_is_plain_http_with_a_warning():
    recording = run_main(prod_config(domain="", hostedZone="", mailFrom=""))
    listeners = recording.of_type("aws:lb/listener:Listener")
    assert [listener.inputs["port"] for listener in listeners] == [80]
    assert listeners[0].inputs["defaultActions"][0]["type"] == "forward"
    assert not recording.of_type("aws:acm/certificate:Certificate")
    assert recording.outputs["url"].startswith("http://")
    assert any("plain HTTP" in warning for warning in recording.warnings)
    web = containers(recording)["web"]
    env = environment(web)
    assert CONTRACTS["web"].differences(env, secrets(web), in_aws=True) == []
    assert env["DJANGO_ALLOWED_HOSTS"] == recording.outputs["alb_dns_name"]
    assert env["DJANGO_HTTPS"] == "false"
    # no mail: no SES, no email-smtp endpoint (the endpoint set follows the parts)
    assert not recording.of_type("aws:sesv2/emailIdentity:EmailIdentity")
    assert "email-smtp" not in recording.outputs["vpc_endpoints"]


def test_development_stack_is_unprotected_and_may_use_one_az():
    recording = run_main(prod_config(environment="development", azCount=1))
    assert len([s for s in recording.of_type(SUBNET) if "private" in s.name]) == 1
    assert len([s for s in recording.of_type(SUBNET) if "public" in s.name]) == 2
    assert not recording.one("aws:efs/fileSystem:FileSystem").protect
    assert len(recording.of_type(BUCKET)) == 3
    assert not any(bucket.protect for bucket in recording.of_type(BUCKET))
    assert (
        recording.one("aws:lb/loadBalancer:LoadBalancer").inputs["enableDeletionProtection"]
        is False
    )


def test_interface_endpoints_can_be_limited_to_one_az():
    recording = run_main(prod_config(endpointAzCount=1))
    for endpoint in recording.of_type(VPC_ENDPOINT):
        if endpoint.inputs["vpcEndpointType"] == "Interface":
            assert len(endpoint.inputs["subnetIds"]) == 1


def test_x86_stack_builds_amd64_images():
    recording = run_main(prod_config(cpuArchitecture="X86_64"))
    platform = service_task_definition(recording).inputs["runtimePlatform"]
    assert platform["cpuArchitecture"] == "X86_64"
    assert {i.inputs["platform"] for i in recording.of_type("awsx:ecr:Image")} == {"linux/amd64"}


def test_security_groups_are_all_in_the_stacks_vpc(prod):
    vpc = prod.one("aws:ec2/vpc:Vpc")
    assert all(group.inputs["vpcId"] == vpc.id for group in prod.of_type(SECURITY_GROUP))


def test_no_container_runs_as_root(prod):
    users = {name: c.get("user") for name, c in containers(prod).items()}
    assert users == {
        "nginx": "101:101",
        "web": "10001:10001",
        "release": "10001:10001",
        "scheduler": "10001:10001",
        "db": "999:999",
    }


def test_service_is_created_after_the_listener_that_uses_its_target_group(prod):
    https = next(
        lst for lst in prod.of_type("aws:lb/listener:Listener") if lst.inputs["port"] == 443
    )
    assert https.urn in prod.one(SERVICE).dependencies


def test_a_failed_rollout_fails_pulumi_up_and_rolls_back_on_its_5xx(prod):
    service = prod.one(SERVICE)
    assert service.inputs["waitForSteadyState"] is True
    assert service.inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    (alarm,) = [
        a for a in prod.of_type("aws:cloudwatch/metricAlarm:MetricAlarm") if "deploy" in a.name
    ]
    assert service.inputs["alarms"] == {
        "alarmNames": [alarm.inputs["name"]],
        "enable": True,
        "rollback": True,
    }
    assert alarm.urn in service.dependencies
    command = prod.outputs["deploy_events_command"]
    assert f"--cluster {prod.outputs['cluster_name']}" in command
    assert f"--services {prod.outputs['service_name']}" in command


# --- audit logs and containment ---------------------------------------------------------------


def test_the_load_balancer_logs_to_its_bucket_once_the_bucket_policy_lets_it(prod):
    alb = prod.one("aws:lb/loadBalancer:LoadBalancer")
    bucket = prod.one(BUCKET, name="tw-prod-access-logs-bucket")
    policy = prod.one("aws:s3/bucketPolicy:BucketPolicy", name="tw-prod-access-logs-policy")
    assert alb.inputs["accessLogs"] == {
        "bucket": bucket.outputs["bucket"],
        "prefix": "alb",
        "enabled": True,
    }
    # ELB checks that it may write when logging is turned on: the policy must exist first.
    assert policy.urn in alb.dependencies
    assert prod.outputs["access_log_bucket"] == bucket.outputs["bucket"]


def test_only_the_break_glass_role_may_read_the_access_logs(prod):
    """They hold every request URL; ELB writes them and nothing in the task reads them."""
    policy = prod.one("aws:s3/bucketPolicy:BucketPolicy", name="tw-prod-access-logs-policy")
    by_sid = {s["Sid"]: s for s in json.loads(policy.inputs["policy"])["Statement"]}
    deny = by_sid["DenyObjectReadsToOthers"]
    assert {"s3:GetObject", "s3:GetObjectVersion"} <= set(deny["Action"])
    assert deny["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::123456789012:role/tw-prod-break-glass"]}
    }
    assert by_sid["ElbAccessLogDelivery"]["Action"] == "s3:PutObject"


def test_the_vpc_logs_rejected_flows_and_exec_sessions_are_logged(prod):
    assert prod.one("aws:ec2/flowLog:FlowLog").inputs["trafficType"] == "REJECT"
    assert prod.outputs["audit_log_groups"] == ["/vpc/tw-prod/flow-logs", "/ecs-exec/tw-prod"]


def test_the_s3_endpoint_reaches_the_media_and_backup_buckets_for_this_account(prod):
    endpoint = next(
        e for e in prod.of_type(VPC_ENDPOINT) if e.inputs["vpcEndpointType"] == "Gateway"
    )
    stack_buckets = next(
        s for s in json.loads(endpoint.inputs["policy"])["Statement"] if s["Sid"] == "StackBuckets"
    )
    arns = {
        prod.one(BUCKET, name=name).outputs["arn"]
        for name in ("tw-prod-media-bucket", "tw-prod-db-backups-bucket")
    }
    assert set(stack_buckets["Resource"]) == arns | {f"{arn}/*" for arn in arns}
    assert stack_buckets["Condition"] == {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}


def test_waf_on_puts_the_web_acl_with_the_sign_in_rate_limit_on_the_load_balancer(prod):
    assert prod.of_type("aws:wafv2/webAcl:WebAcl") == []  # off by default
    recording = run_main(prod_config(waf="on"))
    acl = recording.one("aws:wafv2/webAcl:WebAcl")
    association = recording.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs
    balancer = recording.one("aws:lb/loadBalancer:LoadBalancer")
    assert association == {"resourceArn": balancer.outputs["arn"], "webAclArn": acl.outputs["arn"]}
    rate = acl.inputs["rules"][-1]["statement"]["rateBasedStatement"]
    pattern = rate["scopeDownStatement"]["regexMatchStatement"]["regexString"]
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"):
        assert path in pattern


def test_by_default_the_mail_domain_s_existing_dns_is_left_alone(prod):
    """prod sends mail but sets neither dmarcPolicy nor mailFromSubdomain: only the DKIM
    CNAMEs of the SES v2 identity are created in the zone."""
    identity = prod.one("aws:sesv2/emailIdentity:EmailIdentity")
    assert identity.inputs["emailIdentity"] == "example.com"
    records = [r for r in prod.of_type("aws:route53/record:Record") if "mail" in r.name]
    assert sorted(r.inputs["type"] for r in records) == ["CNAME"] * 3
    assert not prod.of_type(
        "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes"
    )


def test_dmarc_policy_and_mail_from_subdomain_settings_reach_the_mail_records():
    recording = run_main(prod_config(dmarcPolicy="reject", mailFromSubdomain="bounce"))
    records = {
        (r.inputs["name"], r.inputs["type"]): r.inputs.get("records")
        for r in recording.of_type("aws:route53/record:Record")
    }
    assert records["_dmarc.example.com", "TXT"] == ["v=DMARC1; p=reject"]
    assert ("bounce.example.com", "MX") in records
    mail_from = recording.one(
        "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes"
    )
    assert mail_from.inputs["mailFromDomain"] == "bounce.example.com"
