"""The optional parts in front of the service and beside it that the stack's settings choose:
the web firewall on the load balancer (``waf``) and SES for the site's mail (``mailFrom``)."""

from typing import Protocol

import pulumi

from components import SesMail, SesMailArgs, WebFirewall, WebFirewallArgs

# Where every request costs the server a password hash (or an e-mail): the paths the web
# firewall rate-limits per client IP.
AUTH_PATHS = (
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_change/",
    "/accounts/password_reset/",
)


class EdgeSettings(Protocol):
    """The stack settings that choose the optional mail and firewall components."""

    @property
    def uses_waf(self) -> bool: ...

    @property
    def sends_mail(self) -> bool: ...

    @property
    def mail_from(self) -> str: ...

    @property
    def hosted_zone(self) -> str: ...

    @property
    def region(self) -> str: ...

    @property
    def smtp_key_generation(self) -> int: ...

    @property
    def mail_from_subdomain(self) -> str: ...

    @property
    def dmarc_policy(self) -> str: ...


def web_firewall_args(load_balancer_arn: pulumi.Input[str]) -> WebFirewallArgs:
    """Managed rules, and the sign-in paths rate-limited per IP (the firewall's defaults)."""
    return WebFirewallArgs(load_balancer_arn, rate_limited_paths=AUTH_PATHS)


def web_firewall(
    name: str, settings: EdgeSettings, load_balancer_arn: pulumi.Input[str]
) -> WebFirewall | None:
    """The web ACL on the load balancer when the stack turns ``waf`` on."""
    if not settings.uses_waf:
        return None
    return WebFirewall(name, web_firewall_args(load_balancer_arn))


def ses_mail(name: str, settings: EdgeSettings) -> SesMail | None:
    """SES for the sender ``mailFrom``; without one, no mail (and a warning: password resets
    cannot reach anyone)."""
    if not settings.sends_mail:
        pulumi.log.warn(f"{name}: mailFrom is empty, so the site cannot send password-reset mail.")
        return None
    return SesMail(
        name,
        SesMailArgs(
            settings.mail_from,
            settings.hosted_zone,
            settings.region,
            smtp_key_generation=settings.smtp_key_generation,
            mail_from_subdomain=settings.mail_from_subdomain,
            dmarc_policy=settings.dmarc_policy,
        ),
    )
