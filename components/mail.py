"""SesMail: send mail through Amazon SES over SMTP from a verified, DKIM-signed domain."""

import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components._shared.dns import within_zone
from components._shared.iam import policy_document
from components.storage.generated_secret import GeneratedSecret, GeneratedSecretArgs

COMPONENT_TYPE = "django-tw:mail:SesMail"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = ("django-tw:ses_mail:SesMail",)

# STARTTLS on 587. https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html
SMTP_PORT = 587
RECORD_TTL = 600
# The custom MAIL FROM domain (the envelope sender, where bounces go) needs an MX to SES's
# feedback endpoint and an SPF record allowing SES: with it, SPF passes for a subdomain of the
# From domain, so DMARC aligns on SPF as well as on DKIM.
# https://docs.aws.amazon.com/ses/latest/dg/mail-from.html
MAIL_FROM_SPF = "v=spf1 include:amazonses.com ~all"
DMARC_POLICIES = ("none", "quarantine", "reject")
# Easy DKIM gives three tokens, one CNAME each.
# https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dkim-easy.html
DKIM_TOKEN_COUNT = 3
_DNS_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def mail_from_mx(region: str) -> str:
    return f"10 feedback-smtp.{region}.amazonses.com"


def dmarc_record(policy: str) -> str:
    """What receivers do with mail that claims the domain but passes neither aligned SPF nor
    aligned DKIM (https://dmarc.org/overview/): SES mail always passes (DKIM)."""
    return f"v=DMARC1; p={policy}"


def smtp_key_name(name: str, generation: int) -> str:
    """The access key's resource name: a new generation is a new resource, which Pulumi
    creates before it deletes the old one (at the end of the update)."""
    return f"{name}-smtp-key" if generation == 1 else f"{name}-smtp-key-{generation}"


def smtp_secret_name(name: str, purpose: str, generation: int) -> str:
    """The secrets that hold a generation's user name and password: new ones (new ARNs) make
    ECS start a task with the new key, while the old task keeps the old key until it stops."""
    base = f"{name}-smtp-{purpose}"
    return base if generation == 1 else f"{base}-{generation}"


def dkim_record_name(token: str, domain: str) -> str:
    """Where Easy DKIM's CNAME for ``token`` goes in ``domain``'s zone."""
    return f"{token}._domainkey.{domain}"


def dkim_record_target(token: str) -> str:
    """What Easy DKIM's CNAME for ``token`` points at: SES's key for it."""
    return f"{token}.dkim.amazonses.com"


def mail_from_records(region: str) -> tuple[tuple[str, str, str], ...]:
    """The custom MAIL FROM domain's records, (resource suffix, type, value): the MX to SES's
    feedback endpoint in ``region`` and the SPF record that allows SES."""
    return (
        ("mail-from-mx", "MX", mail_from_mx(region)),
        ("mail-from-spf", "TXT", MAIL_FROM_SPF),
    )


def send_only_statement(identity_arn: pulumi.Input[str], from_address: str) -> dict[str, object]:
    """The SMTP user's one permission: send raw mail through ``identity_arn``, and only as
    ``from_address``."""
    return {
        "Effect": "Allow",
        "Action": ["ses:SendRawEmail"],
        "Resource": identity_arn,
        "Condition": {"StringEquals": {"ses:FromAddress": from_address}},
    }


@dataclass(frozen=True)
class SesMailArgs:
    """An SES domain identity in a Route53 zone, and SMTP credentials for one sender."""

    from_address: str
    """Sender, e.g. ``noreply@example.com``; its domain becomes the SES identity."""
    hosted_zone: str
    """Route53 public zone that holds the mail domain (verification and DKIM records)."""
    region: str
    """Region of the SES identity; the SMTP endpoint and password are per region."""
    smtp_key_generation: int = 1
    """Raise by one to rotate the SMTP user's access key (see :func:`smtp_key_name`)."""
    mail_from_subdomain: str = ""
    """The custom MAIL FROM domain is ``<this>.<domain>`` (its MX and SPF records are
    created; the name must hold no other record); "" (the default): none, SES uses its own
    ``amazonses.com`` envelope sender and DMARC aligns on DKIM."""
    dmarc_policy: str = ""
    """The ``_dmarc.<domain>`` record's policy (``none``, ``quarantine``, ``reject``); ""
    (the default): no record is managed, as the domain may already publish one (a zone holds
    one DMARC record per domain) and it applies to every sender of the domain."""

    def __post_init__(self) -> None:
        if self.smtp_key_generation < 1:
            raise ValueError(
                f"SesMailArgs.smtp_key_generation is {self.smtp_key_generation}; start at 1"
            )
        if self.dmarc_policy and self.dmarc_policy not in DMARC_POLICIES:
            raise ValueError(
                f"SesMailArgs.dmarc_policy {self.dmarc_policy!r} is not one of "
                f'{", ".join(DMARC_POLICIES)} (or "" for none)'
            )
        if self.mail_from_subdomain and not _DNS_LABEL.match(self.mail_from_subdomain):
            raise ValueError(
                f"SesMailArgs.mail_from_subdomain {self.mail_from_subdomain!r} must be one "
                'lower-case DNS label, e.g. mail (or "" for none)'
            )
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

    @property
    def mail_from_domain(self) -> str:
        return f"{self.mail_from_subdomain}.{self.domain}"


class SesMail(pulumi.ComponentResource):
    """SES v2 domain identity verified by its Easy DKIM records, optionally a DMARC record
    and a custom MAIL FROM domain (MX + SPF), an IAM user that may only send from that
    identity, and its SMTP password (derived from the access key of the current generation)
    kept in Secrets Manager.

    One stack per mail domain per account and region: the identity is the account's, so a
    second stack with the same domain would collide with it (and destroying either deletes it).
    """

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

        # SES v2 verifies a domain by its Easy DKIM records alone: "Your domain is verified
        # when Amazon SES detects these records in the DNS configuration for your domain"
        # (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CreateEmailIdentity.html),
        # so no `_amazonses` TXT record (which a domain verified elsewhere already holds).
        identity = aws.sesv2.EmailIdentity(
            f"{name}-identity", email_identity=args.domain, opts=child
        )
        declare_dns_records(name, zone.zone_id, identity, args, child)
        username, password = declare_smtp_credentials(name, self, args, identity.arn)

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


# --- the groups of resources SesMail declares ----------------------------------------------------


def declare_dns_records(
    name: str,
    zone_id: pulumi.Input[str],
    identity: aws.sesv2.EmailIdentity,
    args: SesMailArgs,
    opts: pulumi.ResourceOptions,
) -> None:
    """The identity's Easy DKIM CNAMEs, and when ``args`` asks for them the custom MAIL FROM
    domain (with its MX and SPF records) and the DMARC record."""
    tokens = identity.dkim_signing_attributes.apply(lambda dkim: list(dkim.tokens or []))
    for index in range(DKIM_TOKEN_COUNT):
        token = tokens[index]
        aws.route53.Record(
            f"{name}-dkim-{index}",
            zone_id=zone_id,
            name=token.apply(lambda t: dkim_record_name(t, args.domain)),
            type="CNAME",
            ttl=RECORD_TTL,
            records=[token.apply(dkim_record_target)],
            opts=opts,
        )

    if args.mail_from_subdomain:
        aws.sesv2.EmailIdentityMailFromAttributes(
            f"{name}-mail-from",
            email_identity=identity.email_identity,
            mail_from_domain=args.mail_from_domain,
            # If the MX goes missing, SES falls back to amazonses.com instead of refusing.
            behavior_on_mx_failure="USE_DEFAULT_VALUE",
            opts=opts,
        )
        for suffix, record_type, value in mail_from_records(args.region):
            aws.route53.Record(
                f"{name}-{suffix}",
                zone_id=zone_id,
                name=args.mail_from_domain,
                type=record_type,
                ttl=RECORD_TTL,
                records=[value],
                opts=opts,
            )
    if args.dmarc_policy:
        aws.route53.Record(
            f"{name}-dmarc",
            zone_id=zone_id,
            name=f"_dmarc.{args.domain}",
            type="TXT",
            ttl=RECORD_TTL,
            records=[dmarc_record(args.dmarc_policy)],
            opts=opts,
        )


def declare_smtp_credentials(
    name: str, parent: pulumi.Resource, args: SesMailArgs, identity_arn: pulumi.Input[str]
) -> tuple[GeneratedSecret, GeneratedSecret]:
    """The IAM user that may only send from the identity, its access key of the current
    generation, and the secrets holding its SMTP user name and password."""
    child = pulumi.ResourceOptions(parent=parent)
    user = aws.iam.User(f"{name}-smtp-user", path="/ses-smtp/", opts=child)
    aws.iam.UserPolicy(
        f"{name}-smtp-send",
        user=user.name,
        policy=policy_document(send_only_statement(identity_arn, args.from_address)),
        opts=child,
    )
    # The SMTP password is derived from the secret access key for this region:
    # https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html
    generation = args.smtp_key_generation
    key = aws.iam.AccessKey(
        smtp_key_name(name, generation),
        user=user.name,
        # A new generation is created first; the old key stays valid until Pulumi deletes
        # it at the end of the update (an IAM user may hold two keys).
        opts=pulumi.ResourceOptions(
            parent=parent, delete_before_replace=False, replace_on_changes=["user"]
        ),
    )
    username = GeneratedSecret(
        smtp_secret_name(name, "username", generation),
        GeneratedSecretArgs(description=f"{name}: SES SMTP user name", value=key.id),
        opts=child,
    )
    password = GeneratedSecret(
        smtp_secret_name(name, "password", generation),
        GeneratedSecretArgs(
            description=f"{name}: SES SMTP password", value=key.ses_smtp_password_v4
        ),
        opts=child,
    )
    return username, password
