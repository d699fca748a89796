"""Every setting of a stack, each declared on its field of :class:`StackSettings`, and
:func:`load_settings`, which reads and checks them all before the program declares a resource."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from components.network.private_network import NAT_NONE
from stack.app import AppSettings, parse_app
from stack.contract import TASK_CONTRACTS
from stack.parsers import (
    Earlier,
    NotAllowed,
    iam,
    integer_between,
    network,
    one_of,
    postgres,
    site,
    tasks,
)
from stack.parsers.choices import (
    CPU_ARCHITECTURES,
    DATABASE_EFS,
    DATABASE_RDS,
    DB_INSTANCE_CLASSES,
    EFS_THROUGHPUT_MODES,
    EGRESS_ENDPOINTS,
    ENVIRONMENTS,
    FARGATE_SPOT_MIXED,
    FARGATE_SPOT_OFF,
    FLOW_LOG_MODES,
    PRODUCTION,
    WAF_OFF,
    WAF_ON,
)
from stack.settings.declaration import Setting, SettingsError, declared_settings, setting


def app_slot(text: str, earlier: Earlier) -> AppSettings:
    """The app slot's mapping, checked against the web container's contract."""
    return parse_app(text, TASK_CONTRACTS["web"].names)


@dataclass(frozen=True)
class StackSettings:
    """What one stack is: where it runs, how big it is, what it is called.

    Each field declares its setting (:func:`setting`): the name in the stack file, the
    default, the parser, what it means. The fields are read in this order: a setting's parser
    may look at the ones above it. Pulumi.prod.yaml writes each of them out (tests check that
    it does); ``Pulumi.yaml``'s ``config:`` block (``python -m tools.plan
    --write-project-config``) and docs/deploying.md's table are generated from them.
    """

    # fmt: off
    region: str = setting("aws:region", None, network.aws_region,
        "AWS region of everything, e.g. `ap-northeast-1`")
    environment: str = setting("environment", PRODUCTION, one_of(ENVIRONMENTS),
        "`production`: data protected from deletion (below) and `azCount` >= 2; "
        "`development`: neither")
    hosted_zone: str = setting("hostedZone", "", site.hosted_zone,
        "Route53 public hosted zone that holds `domain` and the `mailFrom` domain")
    domain: str = setting("domain", "", site.domain,
        "host name the site answers on over HTTPS, in `hostedZone`; empty: plain HTTP on "
        "the ALB's DNS name (with a warning)")
    hsts_include_subdomains: bool = setting("hstsIncludeSubdomains", "false",
        site.hsts_include_subdomains,
        "HSTS `includeSubDomains`: browsers then refuse plain HTTP on every name under "
        "`domain` too; opt in only when all of them serve HTTPS")
    hsts_preload: bool = setting("hstsPreload", "false", site.hsts_preload,
        "HSTS `preload` (needs `hstsIncludeSubdomains`): lets `domain` be submitted to the "
        "browsers' preload lists, which takes months to undo")
    waf: str = setting("waf", WAF_OFF, site.waf_mode,
        "`on`: an AWS WAF web ACL on the load balancer (AWS managed common and known-bad-"
        "input rules, a per-IP rate limit on sign-in, sign-up and password reset); `off`")
    vpc_cidr: str = setting("vpcCidr", "10.0.0.0/16", network.private_network,
        "IPv4 CIDR of the VPC: a private range, /16 to /24 (a /24 holds two zones, a /23 "
        "four, a /22 or larger six); create-time only (a new one replaces the network)")
    az_count: int = setting("azCount", "2", network.az_count,
        "availability zones the subnets span (1 only for `development`); raising it later "
        "only adds subnets, lowering it deletes the last zone's")
    availability_zone_ids: tuple[str, ...] = setting("availabilityZoneIds", "[]",
        network.availability_zone_ids,
        "the zones by id (`apne1-az4`: the same zone in every account), `max(2, azCount)` of "
        "them; `[]`: the first zones that run Fargate (never `apne1-az3`); create-time only "
        "for the zones in use: changing one replaces its subnets, appending one is fine",
        items="string")
    nat_gateways: str = setting("natGateways", "", network.former_nat_gateways,
        "deprecated, read until 0.3 with the former `egress: nat`: `single` or `per-az`; "
        "leave it out")
    egress: str = setting("egress", EGRESS_ENDPOINTS, network.egress,
        "how the private subnets reach AWS: `endpoints` (VPC endpoints, no NAT), "
        "`nat-single` (one NAT gateway) or `nat-per-az` (one per AZ)")
    endpoint_az_count: int = setting("endpointAzCount", "0", network.endpoint_az_count,
        "AZs that get interface endpoint ENIs (0: every AZ)")
    task_cpu: int = setting("taskCpu", "512", tasks.task_cpu,
        "Fargate task CPU units")
    task_memory: int = setting("taskMemory", "1024", tasks.task_memory,
        "Fargate task memory, MiB: a size Fargate offers with `taskCpu`")
    cpu_architecture: str = setting("cpuArchitecture", "ARM64", one_of(CPU_ARCHITECTURES),
        "`ARM64` (Graviton, cheaper; images built for `linux/arm64`) or `X86_64`")
    web_concurrency: int = setting("webConcurrency", "2", integer_between(1, 32),
        "gunicorn worker processes (`WEB_CONCURRENCY`)")
    log_retention_days: int = setting("logRetentionDays", "30", tasks.log_retention_days,
        "retention of every log group (containers, VPC flow logs, ECS Exec sessions): a "
        "value CloudWatch Logs offers")
    flow_logs: str = setting("flowLogs", "reject", one_of(FLOW_LOG_MODES),
        "VPC flow logs to CloudWatch Logs: `reject` (refused connections), `all` (every "
        "flow, more to pay for) or `off`")
    access_log_retention_days: int = setting("accessLogRetentionDays", "90",
        integer_between(1, 3650, "days"),
        "days S3 keeps the load balancer's access logs, days")
    mail_from: str = setting("mailFrom", "", site.mail_from,
        "sender address (`DEFAULT_FROM_EMAIL`) in `hostedZone`, whose domain becomes an SES "
        "identity (one stack per mail domain per account and region); empty: no mail")
    smtp_key_generation: int = setting("smtpKeyGeneration", "1", integer_between(1, 9999),
        "generation of the SES SMTP user's access key: raise it by one to rotate the key "
        "without downtime (the new key is created and handed to the task before the old one "
        "is deleted)")
    mail_from_subdomain: str = setting("mailFromSubdomain", "", site.mail_from_subdomain,
        "custom MAIL FROM (bounce) domain `<label>.<mail domain>`: its MX and SPF records "
        "are created, so the name must hold no record yet; empty: none (SES's own, DMARC "
        "aligns on DKIM)")
    dmarc_policy: str = setting("dmarcPolicy", "", site.dmarc_policy,
        "publish `_dmarc.<mail domain>` with `p=` `none`, `quarantine` or `reject` (it "
        "governs every sender of that domain; a zone holds one); empty: leave it alone")
    database_name: str = setting("databaseName", "django_tw", postgres.postgres_name,
        "the application's Postgres database")
    database_user: str = setting("databaseUser", "django_tw", postgres.application_role,
        "the Postgres role that owns it (not `postgres`, the superuser); its password is "
        "generated and kept in Secrets Manager")
    backup_retention_days: int = setting("backupRetentionDays", "14",
        integer_between(1, 3650, "days"),
        "recovery window of the WAL archive and base backups in S3, days")
    base_backup_time: str = setting("baseBackupTime", "17:00", postgres.time_of_day,
        "when the daily base backup starts, `HH:MM` UTC (quote it in YAML)")
    archive_timeout_seconds: int = setting("archiveTimeoutSeconds", "60",
        integer_between(10, 3600, "seconds"),
        "Postgres `archive_timeout`: the longest a written change waits before it reaches "
        "S3, so the most a lost EFS copy can take with it")
    restore_drill_schedule: str = setting("restoreDrillSchedule", "cron(30 3 * * ? *)",
        postgres.drill_schedule,
        "when the restore drill restores the WAL archive into a scratch task and checks it "
        "(`database: efs`), an EventBridge expression in UTC: daily at 03:30 by default")
    break_glass_role_name: str = setting("breakGlassRoleName", "", iam.iam_role_name,
        "the one IAM role besides the task's that may read the backups and the access logs, "
        "created by an administrator only when needed (docs/operations.md); empty: "
        "`tw-<stack>-break-glass`")
    efs_throughput_mode: str = setting("efsThroughputMode", "elastic",
        one_of(EFS_THROUGHPUT_MODES),
        "`elastic` (pay per GB read/written, no burst credits) or `bursting` (credits)")
    alarm_email: str = setting("alarmEmail", "", site.alarm_email,
        "who the alarms mail (an SNS e-mail subscription, confirmed from its first "
        "mail); empty: the alarm topic has no subscriber")
    database: str = setting("database", DATABASE_EFS, postgres.database,
        "`efs`: Postgres in the task, data on EFS, one task; `rds`: RDS for PostgreSQL, "
        "the task is stateless and scales (`minTasks`..`maxTasks`; needs `azCount` >= 2)")
    db_instance_class: str = setting("dbInstanceClass", "db.t4g.micro",
        postgres.db_instance_class,
        "with `database: rds`: the instance class, one of " + ", ".join(DB_INSTANCE_CLASSES))
    db_allocated_storage_gb: int = setting("dbAllocatedStorageGb", "20",
        postgres.db_allocated_storage, "with `database: rds`: gp3 storage at creation, GiB")
    db_max_allocated_storage_gb: int = setting("dbMaxAllocatedStorageGb", "100",
        postgres.db_max_allocated_storage,
        "with `database: rds`: storage autoscaling ceiling, GiB (0: off)")
    db_multi_az: bool = setting("dbMultiAz", "", postgres.db_multi_az,
        "with `database: rds`: a standby in a second AZ (doubles the instance price); "
        "empty: `true` for production, `false` for development")
    db_backup_retention_days: int = setting("dbBackupRetentionDays", "7",
        postgres.db_backup_retention_days,
        "with `database: rds`: days of automated backups (the point-in-time window), 7..35")
    db_apply_immediately: bool = setting("dbApplyImmediately", "", postgres.db_apply_immediately,
        "with `database: rds`: apply instance changes (class, storage, Multi-AZ) at once, "
        "with a restart or failover, instead of in the weekly maintenance window; empty: "
        "`false` for production, `true` for development")
    min_tasks: int = setting("minTasks", "1", tasks.min_tasks,
        "tasks always running (1 with `database: efs`)")
    max_tasks: int = setting("maxTasks", "1", tasks.max_tasks,
        "with `database: rds`: the most tasks auto scaling starts (above `minTasks` turns "
        "it on)")
    fargate_spot: str = setting("fargateSpot", FARGATE_SPOT_OFF, tasks.fargate_spot,
        "`off`, or `mixed` with `database: rds`: the first task on Fargate, the tasks "
        "beyond it half on Fargate Spot (cheaper, stopped at two minutes' notice)")
    permissions_boundary: str = setting("permissionsBoundary", "", iam.permissions_boundary,
        "the managed policy (name in this account, or ARN) every IAM role and user of the "
        "stack carries as its permissions boundary; empty: `tw-<stack>-permissions-boundary`, "
        "the one `python -m tools.plan.deploy_role` generates and its deploy role requires")
    app: AppSettings = setting("app", "{}", app_slot,
        "the Django project to deploy, a mapping (`path`, `dockerfile`, `wsgi`, "
        "`settingsModule`, `healthPath`, `environment`, `secrets`, `webMemory`, `release`, "
        "`schedules`, `worker`); `{}`: the demo in `service/` (docs/DESIGN.md, the app slot)")
    # fmt: on

    @property
    def is_production(self) -> bool:
        return self.environment == PRODUCTION

    def break_glass_role(self, name: str) -> str:
        """The break-glass role's name for the stack whose resources are named ``name``
        (``tw-prod``): the setting, or ``<name>-break-glass``."""
        return self.break_glass_role_name or f"{name}-break-glass"

    @property
    def uses_tls(self) -> bool:
        return bool(self.domain)

    @property
    def uses_waf(self) -> bool:
        return self.waf == WAF_ON

    @property
    def sends_mail(self) -> bool:
        return bool(self.mail_from)

    @property
    def mail_domain(self) -> str:
        return self.mail_from.rpartition("@")[2]

    @property
    def managed_database(self) -> bool:
        """RDS holds the data, so the task is stateless."""
        return self.database == DATABASE_RDS

    @property
    def uses_fargate_spot(self) -> bool:
        return self.fargate_spot == FARGATE_SPOT_MIXED

    @property
    def autoscales(self) -> bool:
        return self.max_tasks > self.min_tasks

    @property
    def nat(self) -> str:
        """PrivateNetwork's ``nat``, one value per ``egress``: ``endpoints`` -> none,
        ``nat-single`` -> single, ``nat-per-az`` -> per-az."""
        return NAT_NONE if self.egress == EGRESS_ENDPOINTS else self.egress.removeprefix("nat-")

    @property
    def uses_nat(self) -> bool:
        return self.egress != EGRESS_ENDPOINTS


# Every setting, in the order they are read, from the fields that declare them.
SETTINGS: tuple[Setting, ...] = declared_settings(StackSettings)
SETTING_NAMES = tuple(entry.name for entry in SETTINGS)
DEFAULTS: dict[str, str | None] = {entry.name: entry.default for entry in SETTINGS}


def load_settings(config: Mapping[str, str]) -> StackSettings:
    """Validate a stack's config (keys without the ``django-tw:`` prefix) into settings.

    Raises :class:`SettingsError` naming the setting, the bad value and the allowed values.
    """
    values: dict[str, Any] = {}
    for entry in SETTINGS:
        text = config.get(entry.name)
        if text is None:
            text = entry.default
        if text is None:
            required = "a value is required; set it in Pulumi.<stack>.yaml"
            raise SettingsError(entry.name, None, required)
        try:
            values[entry.name] = entry.parse(str(text), values)
        except NotAllowed as refused:
            blamed = refused.setting or entry.name
            raise SettingsError(blamed, refused.value, refused.allowed) from None
    return StackSettings(**{entry.field: values[entry.name] for entry in SETTINGS})
