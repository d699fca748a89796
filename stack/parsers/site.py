"""What the site's names accept: its DNS zone and host name, HTTPS's HSTS, the WAF, the mail
it sends and the address the alarms mail, and which names are only documentation examples."""

from __future__ import annotations

import re

from components._shared.dns import within_zone
from stack.parsers import Earlier, NotAllowed, boolean, one_of
from stack.parsers.choices import DMARC_POLICIES, WAF_MODES, WAF_OFF, WAF_ON

_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")

# Names reserved for documentation (RFC 2606 section 3): a stack still naming one was copied
# from the example and cannot own it. https://www.rfc-editor.org/rfc/rfc2606#section-3
EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")


def is_host_name(value: str) -> bool:
    labels = value.split(".")
    return len(labels) >= 2 and all(_DOMAIN_LABEL.match(label) for label in labels)


def _dns_name(text: str) -> str:
    return text.strip().rstrip(".").lower()


def is_example_name(name: str) -> bool:
    """``name`` (a host, a zone, or the domain of an address) is a documentation example."""
    host = name.rpartition("@")[2].lower().rstrip(".")
    return host.endswith(".example") or any(
        host == domain or host.endswith(f".{domain}") for domain in EXAMPLE_DOMAINS
    )


def hosted_zone(text: str, earlier: Earlier) -> str:
    zone = _dns_name(text)
    if zone and not is_host_name(zone):
        raise NotAllowed(zone, 'a DNS zone name such as "example.com"')
    return zone


def domain(text: str, earlier: Earlier) -> str:
    name, zone = _dns_name(text), earlier["hostedZone"]
    if not name:
        return name
    if not zone:
        raise NotAllowed("", f"the Route53 zone that contains domain {name!r}", "hostedZone")
    if not is_host_name(name) or not within_zone(name, zone):
        raise NotAllowed(name, f"{zone} or a name under it (hostedZone: {zone})")
    return name


def hsts_include_subdomains(text: str, earlier: Earlier) -> bool:
    include = boolean(text, earlier)
    if include and not earlier["domain"]:
        raise NotAllowed(text, "false without a domain: HSTS is only sent over HTTPS")
    return include


def hsts_preload(text: str, earlier: Earlier) -> bool:
    """Preload lists take only sites that also cover their subdomains
    (https://hstspreload.org/#submission-requirements), and undoing it takes months."""
    preload = boolean(text, earlier)
    if preload and not earlier["hstsIncludeSubdomains"]:
        raise NotAllowed(
            text, "false unless hstsIncludeSubdomains is true (a preload list requires it)"
        )
    return preload


def waf_mode(text: str, earlier: Earlier) -> str:
    """``on`` or ``off``. YAML 1.1 reads a bare on/off as a boolean, which reaches here as
    ``true``/``false``: taken to mean the same."""
    value = {"true": WAF_ON, "false": WAF_OFF}.get(text.strip().lower(), text.strip())
    return one_of(WAF_MODES)(value, earlier)


def mail_from(text: str, earlier: Earlier) -> str:
    address, zone = text.strip(), earlier["hostedZone"]
    if not address:
        return address
    local, _, mail_domain = address.rpartition("@")
    if not local or not zone or not within_zone(mail_domain.lower(), zone):
        raise NotAllowed(
            address,
            f"an address at {zone} or a name under it, e.g. noreply@{zone}"
            if zone
            else '"" (mail needs hostedZone for its DKIM records)',
        )
    return address


def mail_from_subdomain(text: str, earlier: Earlier) -> str:
    """One DNS label under the mail domain; empty: no custom MAIL FROM domain."""
    label = text.strip()
    if not label:
        return label
    if not earlier["mailFrom"]:
        raise NotAllowed(label, '"" (there is no mailFrom to send from)')
    if not _DOMAIN_LABEL.match(label) or label != label.lower():
        domain = earlier["mailFrom"].rpartition("@")[2]
        raise NotAllowed(label, f'one lower-case DNS label such as mail (mail.{domain}), or ""')
    return label


def dmarc_policy(text: str, earlier: Earlier) -> str:
    """The DMARC policy to publish for the mail domain; empty: its ``_dmarc`` record is left
    alone."""
    policy = text.strip()
    if not policy:
        return policy
    if not earlier["mailFrom"]:
        raise NotAllowed(policy, '"" (there is no mailFrom to send from)')
    if policy not in DMARC_POLICIES:
        raise NotAllowed(policy, f'{" | ".join(DMARC_POLICIES)}, or "" (leave _dmarc alone)')
    return policy


def alarm_email(text: str, earlier: Earlier) -> str:
    """One address SNS can mail (any domain: the on-call person's); empty: no subscription."""
    address = text.strip()
    if not address:
        return address
    local, at, mail_domain = address.rpartition("@")
    if not at or not local or any(c.isspace() for c in local) or not is_host_name(mail_domain):
        raise NotAllowed(address, 'one e-mail address, e.g. "ops@example.com", or "" for none')
    return address
