"""The scale stack (Pulumi.scale.yaml, `database: rds`): a stateless task in front of RDS that
rolls with full capacity and scales between minTasks and maxTasks.

Run from __main__.py like tests/stack/test_stack_task.py; prod (`database: efs`) is the contrast.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pulumi
import pytest

from tests.stack_runs import (
    SERVICE,
    containers,
    environment,
    policy_statements,
    run_main,
    scale_config,
    secret_value,
    secrets,
    service_task_definition,
    stack_config,
)

INSTANCE = "aws:rds/instance:Instance"
SCALING_TARGET = "aws:appautoscaling/target:Target"
SCALING_POLICY = "aws:appautoscaling/policy:Policy"
IN_TASK_DATABASE_TYPES = [
    "aws:efs/fileSystem:FileSystem",
    "aws:efs/mountTarget:MountTarget",
    "aws:efs/accessPoint:AccessPoint",
    "aws:backup/vault:Vault",
    "django-tw:postgres:PostgresBackupBucket",
    "django-tw:postgres:EfsPostgres",
    "django-tw:monitoring:LogPatternMetric",
]


def test_the_task_holds_nginx_web_and_a_db_init_that_the_release_step_waits_to_succeed(scale, prod):
    by_name = containers(scale)
    assert sorted(by_name) == ["db-init", "nginx", "release", "web"]
    init = by_name["db-init"]
    # SUCCESS: db-init exited 0; ECS allows it only on a container that is not essential
    # (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html).
    # The migrations (release) need the role, web needs the migrations.
    assert by_name["release"]["dependsOn"] == [{"containerName": "db-init", "condition": "SUCCESS"}]
    assert by_name["web"]["dependsOn"] == [{"containerName": "release", "condition": "SUCCESS"}]
    assert init["essential"] is False
    assert init["command"] == ["python", "-m", "django_fargate.rds_app_role"]
    assert init["image"] == by_name["web"]["image"]  # the web image holds the runner and CA
    assert init["user"] == by_name["web"]["user"]
    assert "healthCheck" not in init
    assert init["portMappings"] == []
    volumes = json.dumps(service_task_definition(scale).inputs.get("volumes", []))
    assert "efsVolumeConfiguration" not in volumes
    # With Postgres in the task (prod) the release step waits for db to be healthy instead.
    assert "db-init" not in containers(prod)
    assert containers(prod)["release"]["dependsOn"] == [
        {"containerName": "db", "condition": "HEALTHY"}
    ]


def test_db_init_logs_in_as_the_master_user_over_verified_tls(scale):
    init = containers(scale)["db-init"]
    plain, hidden = environment(init), secrets(init)
    instance = scale.one(INSTANCE)
    master = scale.outputs["database_master_secret_arn"]
    assert plain == {
        "PGHOST": instance.outputs["address"],
        "PGPORT": str(instance.outputs["port"]),
        "PGDATABASE": instance.inputs["dbName"],
        "PGSSLMODE": "verify-full",
        "PGSSLROOTCERT": "/etc/ssl/certs/rds-global-bundle.pem",
        "APP_DB_USER": "django_tw",
    }
    # The two keys of the secret RDS manages, by valueFrom `<arn>:<json-key>::`
    # (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
    assert hidden == {
        "PGUSER": f"{master}:username::",
        "PGPASSWORD": f"{master}:password::",
        "APP_DB_PASSWORD": scale.outputs["database_app_password_secret_arn"],
    }
    # The app role's password is the one inside web's DATABASE_URL.
    url = urlsplit(secret_value(scale, secrets(containers(scale)["web"])["DATABASE_URL"]))
    assert url.username == plain["APP_DB_USER"]
    assert url.password == secret_value(scale, hidden["APP_DB_PASSWORD"])
    assert master not in json.dumps(plain)
    # The first task starts once the instance, and so the secret RDS made with it, exists.
    assert instance.urn in scale.one(SERVICE).dependencies


def test_the_execution_role_reads_the_master_secret_by_its_arn_and_needs_no_key(scale):
    (statement,) = [
        s for s in policy_statements(scale, "execution-policy") if s["Sid"] == "TaskSecrets"
    ]
    master = scale.outputs["database_master_secret_arn"]
    referenced = {
        ref.removesuffix(":username::").removesuffix(":password::")
        for c in containers(scale).values()
        for ref in secrets(c).values()
    }
    assert master in referenced
    assert sorted(statement["Resource"]) == sorted(referenced)  # each secret once, no suffix
    assert statement["Action"] == ["secretsmanager:GetSecretValue"]
    # The secret RDS manages is encrypted with aws/secretsmanager unless the instance names a
    # key, so reading it takes no kms:Decrypt (ECS guide, "Required IAM permissions").
    assert "masterUserSecretKmsKeyId" not in scale.one(INSTANCE).inputs
    actions = [a for s in policy_statements(scale, "execution-policy") for a in s["Action"]]
    assert not [a for a in actions if a.startswith("kms:")]


def test_nothing_of_the_in_task_database_is_declared(scale):
    for type_ in IN_TASK_DATABASE_TYPES:
        assert scale.of_type(type_) == [], type_
    assert [r.inputs.get("name") for r in scale.of_type("awsx:ecr:Repository")] != []
    # nginx, web and the Django library's wheelhouse: no db image to build
    built = {image.inputs["dockerfile"] for image in scale.of_type("awsx:ecr:Image")}
    assert not any("images/db/" in dockerfile for dockerfile in built)
    assert len(built) == 3


def test_the_service_rolls_with_full_capacity_from_min_tasks(scale, prod):
    service = scale.one(SERVICE).inputs
    assert service["desiredCount"] == 2
    assert service["deploymentMinimumHealthyPercent"] == 100
    assert service["deploymentMaximumPercent"] == 200
    single_writer = prod.one(SERVICE).inputs
    assert (single_writer["desiredCount"], single_writer["deploymentMaximumPercent"]) == (1, 100)


def test_the_web_container_reads_the_rds_url_and_the_task_joins_the_client_group(scale):
    web_secrets = secrets(containers(scale)["web"])
    rds_component = scale.one("django-tw:postgres:RdsPostgres")
    url_secrets = [
        s
        for s in scale.of_type("aws:secretsmanager/secret:Secret")
        if s.name.endswith("-rds-url-secret")
    ]
    assert [s.outputs["arn"] for s in url_secrets] == [web_secrets["DATABASE_URL"]]
    client = next(g for g in scale.children_of(rds_component) if g.name.endswith("-rds-client-sg"))
    assert client.id in scale.one(SERVICE).inputs["networkConfiguration"]["securityGroups"]
    assert scale.one(INSTANCE).inputs["multiAz"] is True


def test_auto_scaling_tracks_requests_per_task_and_cpu_between_min_and_max(scale):
    target = scale.one(SCALING_TARGET).inputs
    service = scale.one(SERVICE)
    cluster = scale.one("aws:ecs/cluster:Cluster")
    assert target["resourceId"] == f"service/{cluster.outputs['name']}/{service.outputs['name']}"
    assert (target["minCapacity"], target["maxCapacity"]) == (2, 6)
    assert target["scalableDimension"] == "ecs:service:DesiredCount"
    metrics = {}
    for policy in scale.of_type(SCALING_POLICY):
        configuration = policy.inputs["targetTrackingScalingPolicyConfiguration"]
        specification = configuration["predefinedMetricSpecification"]
        metrics[specification["predefinedMetricType"]] = (configuration, specification)
        assert configuration["scaleInCooldown"] > configuration["scaleOutCooldown"] > 0
    assert sorted(metrics) == ["ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization"]
    label = metrics["ALBRequestCountPerTarget"][1]["resourceLabel"]
    balancer = scale.one("aws:lb/loadBalancer:LoadBalancer").outputs["arn"]
    assert label.startswith(balancer.partition(":loadbalancer/")[2] + "/targetgroup/")
    assert metrics["ECSServiceAverageCPUUtilization"][0]["targetValue"] == 60


def test_pulumi_up_leaves_the_running_count_to_auto_scaling(monkeypatch):
    ignored: dict[str, list[str]] = {}
    set_mocks = pulumi.runtime.set_mocks

    def noting_ignore_changes(mocks, *args, monitor, **kwargs):
        register = monitor.RegisterResource

        def register_noting(request):
            ignored[request.type] = list(request.ignoreChanges)
            return register(request)

        monitor.RegisterResource = register_noting
        return set_mocks(mocks, *args, monitor=monitor, **kwargs)

    monkeypatch.setattr(pulumi.runtime, "set_mocks", noting_ignore_changes)
    run_main(scale_config())
    assert ignored[SERVICE] == ["desiredCount"]
    run_main(scale_config(maxTasks=2))  # minTasks 2 = maxTasks 2: no auto scaling
    assert ignored[SERVICE] == []


def test_without_a_range_there_is_no_auto_scaling():
    fixed = run_main(scale_config(minTasks=3, maxTasks=3))
    assert fixed.of_type(SCALING_TARGET) == []
    assert fixed.one(SERVICE).inputs["desiredCount"] == 3


def test_the_outputs_name_the_database_instead_of_efs(scale):
    instance = scale.one(INSTANCE)
    assert scale.outputs["database_address"] == instance.outputs["address"]
    assert scale.outputs["database_identifier"] == instance.outputs["identifier"]
    assert scale.outputs["database_master_secret_arn"].startswith("arn:aws:secretsmanager:")
    assert "efs_file_system_id" not in scale.outputs
    assert "backup_bucket_name" not in scale.outputs


def test_the_alarms_watch_the_rds_instance_instead_of_efs_and_backups(scale, prod):
    alarm = "aws:cloudwatch/metricAlarm:MetricAlarm"
    identifier = scale.one(INSTANCE).outputs["identifier"]
    by_metric = {
        a.inputs["metricName"]: a
        for a in scale.of_type(alarm)
        if a.inputs["namespace"] == "AWS/RDS"
    }
    assert sorted(by_metric) == [
        "CPUUtilization",
        "DatabaseConnections",
        "FreeStorageSpace",
        "MaximumUsedTransactionIDs",
    ]
    for rds_alarm in by_metric.values():
        assert rds_alarm.inputs["dimensions"] == {"DBInstanceIdentifier": identifier}
    assert by_metric["FreeStorageSpace"].inputs["threshold"] == 2 * 2**30  # 10% of 20 GiB
    assert by_metric["DatabaseConnections"].inputs["threshold"] == 157  # db.t4g.small
    namespaces = {a.inputs["namespace"] for a in scale.of_type(alarm)}
    assert "AWS/EFS" not in namespaces
    assert not [a for a in scale.of_type(alarm) if a.name.endswith("-db-backup-failures")]
    rules = sorted(r.inputs["name"] for r in scale.of_type("aws:cloudwatch/eventRule:EventRule"))
    assert rules == ["tw-prod-alarms-db-instance-events", "tw-prod-alarms-task-stopped"]
    dashboard = json.loads(scale.one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    titles = {w["properties"]["title"] for w in dashboard["widgets"]}
    assert {"db-free-storage", "db-cpu", "db-connections"} <= titles
    assert not [a for a in prod.of_type(alarm) if a.inputs["namespace"] == "AWS/RDS"]


def test_spot_is_off_by_default_and_mixed_puts_tasks_beyond_the_first_half_on_spot(scale):
    assert scale.one(SERVICE).inputs["launchType"] == "FARGATE"
    mixed = run_main(scale_config(fargateSpot="mixed"))
    service = mixed.one(SERVICE).inputs
    assert "launchType" not in service
    assert [s["capacityProvider"] for s in service["capacityProviderStrategies"]] == [
        "FARGATE",
        "FARGATE_SPOT",
    ]
    assert service["capacityProviderStrategies"][0]["base"] == 1
    association = mixed.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders")
    assert sorted(association.inputs["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]
    # Spot's interruption or shortage never touches deploys: the service still rolls 100/200.
    limits = (service["deploymentMinimumHealthyPercent"], service["deploymentMaximumPercent"])
    assert limits == (100, 200)


def test_rds_changes_wait_for_the_window_on_production_and_apply_at_once_on_development(scale):
    assert scale.one(INSTANCE).inputs["applyImmediately"] is False
    development = run_main(scale_config(environment="development"))
    assert development.one(INSTANCE).inputs["applyImmediately"] is True
    chosen = run_main(scale_config(dbApplyImmediately="true"))
    assert chosen.one(INSTANCE).inputs["applyImmediately"] is True


def test_the_in_task_database_refuses_spot():
    with pytest.raises(Exception, match=r"fargateSpot.*off with database: efs"):
        run_main({**stack_config("prod"), "fargateSpot": "mixed"})
