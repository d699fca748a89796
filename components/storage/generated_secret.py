"""GeneratedSecret: a value kept in AWS Secrets Manager, generated unless given."""

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from components._shared.aliases import with_former_types

COMPONENT_TYPE = "django-tw:storage:GeneratedSecret"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = (
    "django-tw:secrets:GeneratedSecret",
    "django-tw:generated_secret:GeneratedSecret",
)


@dataclass(frozen=True)
class GeneratedSecretArgs:
    """A Secrets Manager secret whose value never appears in config or code."""

    description: str
    """What the secret is for, shown in the Secrets Manager console."""
    value: pulumi.Input[str] | None = None
    """The value to keep (e.g. a URL built from other secrets); None generates one."""
    length: int = 50
    """Length of a generated value."""
    special: bool = False
    """Punctuation in a generated value. Off by default: values end up in URLs and shells."""
    recovery_window_days: int = 7
    """Days a deleted secret can still be restored (0 deletes at once)."""

    def __post_init__(self) -> None:
        if self.value is None and self.length < 32:
            raise ValueError(
                f"GeneratedSecretArgs.length is {self.length}; use 32 or more characters"
            )
        if self.recovery_window_days != 0 and not 7 <= self.recovery_window_days <= 30:
            raise ValueError(
                "GeneratedSecretArgs.recovery_window_days must be 0 or 7..30 (Secrets Manager)"
            )


class GeneratedSecret(pulumi.ComponentResource):
    """One secret: generated (random) or given, stored in Secrets Manager.

    ``arn`` goes into a task definition's ``secrets`` (valueFrom); ``value`` is a Pulumi
    secret Output for building other secrets, never for plain environment variables.
    """

    arn: pulumi.Output[str]
    value: pulumi.Output[str]

    def __init__(
        self, name: str, args: GeneratedSecretArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        if args.value is None:
            generated = random.RandomPassword(
                f"{name}-value", length=args.length, special=args.special, opts=child
            )
            value = generated.result
        else:
            value = pulumi.Output.secret(args.value)
        secret = aws.secretsmanager.Secret(
            f"{name}-secret",
            description=args.description,
            recovery_window_in_days=args.recovery_window_days,
            opts=child,
        )
        aws.secretsmanager.SecretVersion(
            f"{name}-version", secret_id=secret.id, secret_string=value, opts=child
        )
        self.arn = secret.arn
        self.value = pulumi.Output.secret(value)
        self.register_outputs({"arn": self.arn})
