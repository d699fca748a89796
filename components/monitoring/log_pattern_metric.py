"""LogPatternMetric: count the log lines that contain a fixed text, as a CloudWatch metric.

The hook for an alarm on something only a log says (a failed WAL archive, a failed base
backup): the metric gets a data point of 1 for every matching line, and nothing otherwise.
"""

import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types

COMPONENT_TYPE = "django-tw:monitoring:LogPatternMetric"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = ("django-tw:log_pattern_metric:LogPatternMetric",)

_METRIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,255}$")
_NAMESPACE = re.compile(r"^[A-Za-z0-9._/#:-]{1,255}$")


def literal_pattern(text: str) -> str:
    """A filter pattern that matches lines containing ``text`` exactly.

    Terms with spaces or punctuation must be in double quotes to match as one phrase;
    unquoted, ``postgres-backup: FAILED`` would be two terms matched anywhere in the line.
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
    """
    if not text.strip():
        raise ValueError("the text to match is empty; give the literal text a log line carries")
    if '"' in text:
        raise ValueError(f"the text to match {text!r} contains a double quote; leave it out")
    return f'"{text}"'


@dataclass(frozen=True)
class LogPatternMetricArgs:
    """Count the lines of one log group that contain ``text``."""

    log_group_name: pulumi.Input[str]
    """The log group to watch (e.g. ``FargateService.log_group_names["db"]``)."""
    text: str
    """Literal text a line must contain, e.g. ``postgres-backup: FAILED``."""
    metric_name: str
    """Name of the metric that counts the lines (letters, digits, ``.``, ``_``, ``-``)."""
    namespace: str = "django-tw"
    """CloudWatch namespace of the metric (not ``AWS/...``, which AWS reserves)."""

    def __post_init__(self) -> None:
        literal_pattern(self.text)
        if not _METRIC_NAME.match(self.metric_name):
            raise ValueError(
                f"LogPatternMetricArgs.metric_name {self.metric_name!r}: use 1-255 letters, "
                "digits, '.', '_' or '-'"
            )
        if not _NAMESPACE.match(self.namespace) or self.namespace.startswith("AWS/"):
            raise ValueError(
                f"LogPatternMetricArgs.namespace {self.namespace!r}: use your own namespace "
                "(AWS/ is reserved), 1-255 characters"
            )


class LogPatternMetric(pulumi.ComponentResource):
    """A metric filter: 1 per line of the log group that contains the text."""

    metric_name: str
    namespace: str
    filter_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: LogPatternMetricArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        metric_filter = aws.cloudwatch.LogMetricFilter(
            f"{name}-filter",
            name=name,  # required by CloudWatch Logs; unique within the log group
            log_group_name=args.log_group_name,
            pattern=literal_pattern(args.text),
            metric_transformation=aws.cloudwatch.LogMetricFilterMetricTransformationArgs(
                name=args.metric_name,
                namespace=args.namespace,
                value="1",
                unit="Count",
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.metric_name = args.metric_name
        self.namespace = args.namespace
        self.filter_name = metric_filter.name
        self.register_outputs(
            {
                "metric_name": self.metric_name,
                "namespace": self.namespace,
                "filter_name": self.filter_name,
            }
        )
