"""SesMail: send mail through Amazon SES over SMTP from a verified, DKIM-signed domain."""

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.aliases import with_former_types
from components.dns_names import within_zone
from components.generated_secret import GeneratedSecret, GeneratedSecretArgs
from components.policy_documents import policy_document

COMPONENT_TYPE = "django-tw:ses_mail:SesMail"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = ("django-tw:mail:SesMail",)

# STARTTLS on 587. https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html
SMTP_PORT = 587


@dataclass(frozen=True)
class SesMailArgs:
    """An SES domain identity in a Route53 zone, and SMTP credentials for one sender."""

    from_address: str
    """Sender, e.g. ``noreply@example.com``; its domain becomes the SES identity."""
    hosted_zone: str
    """Route53 public zone that holds the mail domain (verification and DKIM records)."""
    region: str
    """Region of the SES identity; the SMTP endpoint and password are per region."""

    def __post_init__(self) -> None:
        local, _, domain = self.from_address.rpartition("@")
        if not local or "." not in domain:
            raise ValueError(
                f"SesMailArgs.from_address {self.from_address!r} is not an e-mail address"
            )
        if not within_zone(domain, self.hosted_zone):
            raise ValueError(
                f"SesMailArgs.from_address domain {domain!r} is not in hosted_zone "
                f"{self.hosted_zone!r}; DKIM records must go in the domain's zone"
            )

    @property
    def domain(self) -> str:
        return self.from_address.rpartition("@")[2]


class SesMail(pulumi.ComponentResource):
    """SES domain identity with verification and DKIM records, an IAM user that may only
    send from that identity, and its SMTP password (derived from the access key) kept in
    Secrets Manager."""

    smtp_host: str
    smtp_port: int
    username_secret_arn: pulumi.Output[str]
    password_secret_arn: pulumi.Output[str]
    from_address: str

    def __init__(
        self, name: str, args: SesMailArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        zone = aws.route53.get_zone(
            name=args.hosted_zone, private_zone=False, opts=pulumi.InvokeOptions(parent=self)
        )

        identity = aws.ses.DomainIdentity(f"{name}-identity", domain=args.domain, opts=child)
        verification_record = aws.route53.Record(
            f"{name}-verification",
            zone_id=zone.zone_id,
            name=f"_amazonses.{args.domain}",
            type="TXT",
            ttl=600,
            records=[identity.verification_token],
            opts=child,
        )
        aws.ses.DomainIdentityVerification(
            f"{name}-verified",
            domain=identity.domain,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[verification_record]),
        )
        dkim = aws.ses.DomainDkim(f"{name}-dkim", domain=identity.domain, opts=child)
        for index in range(3):  # SES Easy DKIM always returns three tokens
            token = dkim.dkim_tokens[index]
            aws.route53.Record(
                f"{name}-dkim-{index}",
                zone_id=zone.zone_id,
                name=token.apply(lambda t: f"{t}._domainkey.{args.domain}"),
                type="CNAME",
                ttl=600,
                records=[token.apply(lambda t: f"{t}.dkim.amazonses.com")],
                opts=child,
            )

        user = aws.iam.User(f"{name}-smtp-user", path="/ses-smtp/", opts=child)
        aws.iam.UserPolicy(
            f"{name}-smtp-send",
            user=user.name,
            policy=policy_document(
                {
                    "Effect": "Allow",
                    "Action": ["ses:SendRawEmail"],
                    "Resource": identity.arn,
                    "Condition": {"StringEquals": {"ses:FromAddress": args.from_address}},
                }
            ),
            opts=child,
        )
        # The SMTP password is derived from the secret access key for this region:
        # https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html
        key = aws.iam.AccessKey(f"{name}-smtp-key", user=user.name, opts=child)
        username = GeneratedSecret(
            f"{name}-smtp-username",
            GeneratedSecretArgs(description=f"{name}: SES SMTP user name", value=key.id),
            opts=child,
        )
        password = GeneratedSecret(
            f"{name}-smtp-password",
            GeneratedSecretArgs(
                description=f"{name}: SES SMTP password", value=key.ses_smtp_password_v4
            ),
            opts=child,
        )

        self.smtp_host = f"email-smtp.{args.region}.amazonaws.com"
        self.smtp_port = SMTP_PORT
        self.from_address = args.from_address
        self.username_secret_arn = username.arn
        self.password_secret_arn = password.arn
        self.register_outputs(
            {
                "smtp_host": self.smtp_host,
                "smtp_port": self.smtp_port,
                "password_secret_arn": self.password_secret_arn,
            }
        )

    @property
    def required_endpoints(self) -> frozenset[str]:
        return frozenset({"email-smtp"})
