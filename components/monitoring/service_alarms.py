"""ServiceAlarms: alarms that page someone about one web service, and a dashboard of them.

An SNS topic encrypted with its own KMS key (CloudWatch and EventBridge cannot use the AWS
managed key alias/aws/sns), an optional e-mail subscription, one CloudWatch alarm per
:func:`~components.monitoring.alarms.alarm_specs` entry (load balancer, service, file system,
database backups) and, with an RDS instance, per
:func:`~components.monitoring.rds_alarms.rds_alarm_specs` entry (storage, CPU, connections),
EventBridge rules for a task that stopped on its own, a failed AWS Backup job and the RDS
instance's failovers, failures and low storage, and a dashboard of every alarm's metric. What
each watches and why is in ``service_alarm_specs``, ``rds_alarm_specs`` and
``alarm_topic_specs``; what an operator does about each is in docs/operations.md.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components._shared.iam import policy_document
from components.monitoring.alarms import (
    AlarmSpec,
    alarm_specs,
    arn_account,
    dashboard_json,
    dashboard_url,
    load_balancer_dimension,
    target_group_dimension,
)
from components.monitoring.db_signal_alarms import DbSignals, db_signal_alarm_specs
from components.monitoring.event_rules import (
    EventSpec,
    event_specs,
    topic_key_policy_statements,
    topic_policy_statements,
)
from components.monitoring.rds_alarms import DbInstance, rds_alarm_specs

COMPONENT_TYPE = "django-tw:monitoring:ServiceAlarms"
FORMER_COMPONENT_TYPES = ("django-tw:service_alarms:ServiceAlarms",)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class ServiceAlarmsArgs:
    """What one web service behind an ALB, with its data on EFS or RDS, is watched by."""

    region: str
    """Region of the dashboard's graphs and console link."""
    load_balancer_arn: pulumi.Input[str]
    target_group_arn: pulumi.Input[str]
    cluster_arn: pulumi.Input[str]
    """The ECS cluster: its tasks' stops are matched by the cluster's ARN."""
    cluster_name: pulumi.Input[str]
    service_name: pulumi.Input[str]
    file_system_id: pulumi.Input[str] | None = None
    """The EFS file system that holds the database (None: no EFS, no EFS alarm)."""
    backup_vault_name: pulumi.Input[str] | None = None
    """The AWS Backup vault whose failed jobs page (None: no vault)."""
    backup_failure_metric: tuple[str, str] | None = None
    """(namespace, metric name) of the count of failed database backups (LogPatternMetric);
    None: no backup tool in the task (a managed database backs itself up)."""
    efs_bursting: bool = False
    """The file system runs on burst credits: also alarm before they run out."""
    db_signals: DbSignals | None = None
    """The db container's own metrics (archive lag, connections, size, oldest transaction):
    their alarms (None: no Postgres in the task, or its signals are off)."""
    db_instance: DbInstance | None = None
    """The RDS instance that holds the database: its storage, CPU and connections alarms and
    its failover, failure and low storage events (None: no managed database)."""
    alarm_email: str = ""
    """Who gets the alarms by e-mail; empty: no subscription (the topic's ARN is an output)."""

    def __post_init__(self) -> None:
        if self.alarm_email and not _EMAIL.match(self.alarm_email):
            raise ValueError(
                f"ServiceAlarmsArgs.alarm_email {self.alarm_email!r}: give one e-mail address "
                "or an empty string"
            )
        if self.backup_failure_metric is not None and (
            len(self.backup_failure_metric) != 2 or not all(self.backup_failure_metric)
        ):
            raise ValueError(
                "ServiceAlarmsArgs.backup_failure_metric: give (namespace, metric name), e.g. "
                "LogPatternMetric's namespace and metric_name"
            )


def alarm_name(prefix: str, spec_key: str) -> str:
    """The name an alarm or rule has in AWS, and the heading of its section in operations.md."""
    return f"{prefix}-{spec_key}"


class ServiceAlarms(pulumi.ComponentResource):
    """Topic, key, subscription, alarms, event rules and dashboard for one service."""

    topic_arn: pulumi.Output[str]
    alarm_names: list[str]
    """Every alarm and event rule, by its name in AWS."""
    dashboard_name: str
    dashboard_url: str

    def __init__(
        self, name: str, args: ServiceAlarmsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        account = pulumi.Output.from_input(args.cluster_arn).apply(arn_account)

        topic = declare_alarm_topic(name, account, args.alarm_email, child)

        specs = self._specs(args)
        actions = [topic.arn]
        for spec in specs:
            aws.cloudwatch.MetricAlarm(
                alarm_name(name, spec.key),
                **spec.metric_alarm_args(alarm_name(name, spec.key), actions),
                opts=child,
            )
        events = self._events(args)
        rules = []
        for event in events:
            rule = aws.cloudwatch.EventRule(
                alarm_name(name, event.key),
                name=alarm_name(name, event.key),
                description=event.description,
                event_pattern=pulumi.Output.json_dumps(event.pattern),
                opts=child,
            )
            aws.cloudwatch.EventTarget(
                f"{name}-{event.key}-to-topic", rule=rule.name, arn=topic.arn, opts=child
            )
            rules.append(rule)

        alarm_arn_pattern = pulumi.Output.concat(
            "arn:aws:cloudwatch:", args.region, ":", account, ":alarm:", name, "-*"
        )
        aws.sns.TopicPolicy(
            f"{name}-topic-policy",
            arn=topic.arn,
            policy=policy_document(
                *topic_policy_statements(
                    topic.arn, account, [alarm_arn_pattern], [rule.arn for rule in rules]
                )
            ),
            opts=child,
        )
        aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=name,
            dashboard_body=dashboard_json(specs, args.region),
            opts=child,
        )

        self.topic_arn = topic.arn
        self.alarm_names = [alarm_name(name, s.key) for s in specs] + [
            alarm_name(name, e.key) for e in events
        ]
        self.dashboard_name = name
        self.dashboard_url = dashboard_url(args.region, name)
        self.register_outputs(
            {
                "topic_arn": self.topic_arn,
                "alarm_names": self.alarm_names,
                "dashboard_url": self.dashboard_url,
            }
        )

    @staticmethod
    def _specs(args: ServiceAlarmsArgs) -> Sequence[AlarmSpec]:
        return alarm_specs(
            load_balancer=pulumi.Output.from_input(args.load_balancer_arn).apply(
                load_balancer_dimension
            ),
            target_group=pulumi.Output.from_input(args.target_group_arn).apply(
                target_group_dimension
            ),
            cluster_name=args.cluster_name,
            service_name=args.service_name,
            file_system_id=args.file_system_id,
            efs_bursting=args.efs_bursting,
            backup_failure_metric=args.backup_failure_metric,
        ) + (
            (db_signal_alarm_specs(args.db_signals) if args.db_signals else [])
            + (rds_alarm_specs(args.db_instance) if args.db_instance else [])
        )

    @staticmethod
    def _events(args: ServiceAlarmsArgs) -> Sequence[EventSpec]:
        return event_specs(
            args.cluster_arn,
            args.backup_vault_name,
            args.db_instance.identifier if args.db_instance else None,
        )


def declare_alarm_topic(
    name: str, account: pulumi.Input[str], alarm_email: str, opts: pulumi.ResourceOptions
) -> aws.sns.Topic:
    """The topic the alarms and event rules publish to, encrypted with its own key, and the
    e-mail subscription to it when there is an address."""
    key = aws.kms.Key(
        f"{name}-topic-key",
        description=f"Encrypts the alarm topic {name}; CloudWatch and EventBridge publish",
        enable_key_rotation=True,
        deletion_window_in_days=7,
        policy=policy_document(*topic_key_policy_statements(account)),
        # The deploy role uses only keys carrying the stack's Name tags.
        tags={"Name": f"{name}-topic-key"},
        opts=opts,
    )
    topic = aws.sns.Topic(f"{name}-topic", kms_master_key_id=key.arn, opts=opts)
    if alarm_email:
        aws.sns.TopicSubscription(
            f"{name}-email",
            topic=topic.arn,
            protocol="email",
            endpoint=alarm_email,
            opts=opts,
        )
    return topic
