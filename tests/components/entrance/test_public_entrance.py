"""PublicEntrance on its own."""

import pulumi
import pytest

from components.entrance.load_balancer import TLS_POLICY
from components.entrance.public_entrance import COMPONENT_TYPE, PublicEntrance, PublicEntranceArgs
from tests.stack_runs import EGRESS_RULE, INGRESS_RULE, run_component

LISTENER = "aws:lb/listener:Listener"
STACK_URN_PREFIX = "urn:pulumi:prod::django-tw::pulumi:pulumi:Stack$"


def build(**kwargs):
    def program() -> None:
        entrance = PublicEntrance(
            "web",
            PublicEntranceArgs(
                vpc_id="vpc-1",
                vpc_cidr="10.0.0.0/16",
                public_subnet_ids=["subnet-pa", "subnet-pc"],
                **kwargs,
            ),
        )
        pulumi.export("url", entrance.url)

    return run_component(program)


def test_the_component_is_registered_with_an_alias_to_its_former_type(aliases_sent):
    """An alias that changes only the type: the engine matches the component, and through it
    every child, to the resources a stack holds under the former type."""
    recording = build()
    component = recording.one(COMPONENT_TYPE)
    assert component.urn == f"{STACK_URN_PREFIX}{COMPONENT_TYPE}::web"
    aliases = aliases_sent[(COMPONENT_TYPE, "web")]
    assert [alias.spec.type for alias in aliases] == [
        "django-tw:web:PublicEntrance",
        "django-tw:public_entrance:PublicEntrance",
    ]
    for alias in aliases:
        assert alias.spec.name == ""  # the same name
        assert (alias.spec.parentUrn, alias.spec.noParent) == ("", False)  # the same parent
    children = [r for r in recording.resources if r.urn != component.urn]
    assert children
    assert all(r.parent == component.urn for r in children)


def test_https_site_with_dns_validated_certificate_redirect_and_alias():
    recording = build(domain="www.example.com", hosted_zone="example.com")
    listeners = {lst.inputs["port"]: lst.inputs for lst in recording.of_type(LISTENER)}
    assert listeners[443]["sslPolicy"] == TLS_POLICY
    assert listeners[80]["defaultActions"][0]["redirect"]["statusCode"] == "HTTP_301"
    records = recording.of_type("aws:route53/record:Record")
    validation = next(r for r in records if "validation" in r.name)
    certificate = recording.one("aws:acm/certificate:Certificate")
    option = certificate.outputs["domainValidationOptions"][0]
    assert validation.inputs["name"] == option["resourceRecordName"]
    assert validation.inputs["records"] == [option["resourceRecordValue"]]
    alias = next(r for r in records if r.inputs.get("aliases"))
    balancer = recording.one("aws:lb/loadBalancer:LoadBalancer")
    assert alias.inputs["aliases"][0]["name"] == balancer.outputs["dnsName"]
    assert recording.outputs["url"] == "https://www.example.com/"
    assert sorted(r.inputs["fromPort"] for r in recording.of_type(INGRESS_RULE)) == [80, 443]


def test_load_balancer_only_reaches_its_targets():
    recording = build()
    (egress,) = recording.of_type(EGRESS_RULE)
    assert (egress.inputs["fromPort"], egress.inputs["cidrIpv4"]) == (8080, "10.0.0.0/16")
    balancer = recording.one("aws:lb/loadBalancer:LoadBalancer").inputs
    assert balancer["dropInvalidHeaderFields"] is True
    assert balancer["internal"] is False


def test_without_domain_plain_http_is_served_and_a_warning_says_so():
    recording = build()
    (listener,) = recording.of_type(LISTENER)
    assert listener.inputs["port"] == 80
    assert [r.inputs["fromPort"] for r in recording.of_type(INGRESS_RULE)] == [80]
    assert recording.outputs["url"].startswith("http://")
    assert len(recording.warnings) == 1
    assert "plain HTTP" in recording.warnings[0]


@pytest.mark.parametrize("protect", [True, False])
def test_deletion_protection_follows_the_arg(protect):
    balancer = build(deletion_protection=protect).one("aws:lb/loadBalancer:LoadBalancer")
    assert balancer.inputs["enableDeletionProtection"] is protect


def test_target_group_is_ip_with_healthz():
    group = build(target_port=8080).one("aws:lb/targetGroup:TargetGroup").inputs
    assert (group["targetType"], group["port"], group["protocol"]) == ("ip", 8080, "HTTP")
    assert group["healthCheck"]["path"] == "/healthz"
    assert group["healthCheck"]["matcher"] == "200"


def validation_of(recording) -> tuple[list, dict]:
    records = [r for r in recording.of_type("aws:route53/record:Record") if "validation" in r.name]
    validated = recording.one("aws:acm/certificateValidation:CertificateValidation")
    return records, validated.inputs


def test_every_alternative_name_is_on_the_certificate_and_validated():
    recording = build(
        domain="tw.example.com", hosted_zone="example.com", alternative_names=["www.example.com"]
    )
    certificate = recording.one("aws:acm/certificate:Certificate")
    assert certificate.inputs["subjectAlternativeNames"] == ["www.example.com"]
    records, validated = validation_of(recording)
    assert [r.name for r in records] == ["web-cert-validation", "web-cert-validation-1"]
    options = {o["domainName"]: o for o in certificate.outputs["domainValidationOptions"]}
    assert [r.inputs["name"] for r in records] == [
        options["tw.example.com"]["resourceRecordName"],
        options["www.example.com"]["resourceRecordName"],
    ]
    assert validated["validationRecordFqdns"] == [r.outputs["fqdn"] for r in records]
    assert len(set(validated["validationRecordFqdns"])) == 2


def test_a_wildcard_and_its_apex_share_one_validation_record():
    recording = build(
        domain="example.com", hosted_zone="example.com", alternative_names=["*.example.com"]
    )
    certificate = recording.one("aws:acm/certificate:Certificate")
    assert certificate.inputs["subjectAlternativeNames"] == ["*.example.com"]
    records, validated = validation_of(recording)
    assert [r.name for r in records] == ["web-cert-validation"]
    record_names = {o["resourceRecordName"] for o in certificate.outputs["domainValidationOptions"]}
    assert record_names == {records[0].inputs["name"]}
    assert validated["validationRecordFqdns"] == [records[0].outputs["fqdn"]]


def test_without_alternative_names_the_certificate_has_none():
    recording = build(domain="tw.example.com", hosted_zone="example.com")
    assert "subjectAlternativeNames" not in recording.one("aws:acm/certificate:Certificate").inputs
    records, validated = validation_of(recording)
    assert [r.name for r in records] == ["web-cert-validation"]
    assert validated["validationRecordFqdns"] == [records[0].outputs["fqdn"]]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"public_subnet_ids": ["subnet-1"]}, r"needs two or more AZs"),
        ({"domain": "a.example.com"}, r"hosted_zone is empty"),
        ({"domain": "a.example.org", "hosted_zone": "example.com"}, r"is not in hosted_zone"),
        ({"alternative_names": ["www.example.com"]}, r"alternative_names needs a domain"),
        ({"deregistration_delay": 3601}, r"deregistration_delay is 3601; a target group accepts"),
        (
            {
                "domain": "a.example.com",
                "hosted_zone": "example.com",
                "alternative_names": ["www.example.com", "www.example.org"],
            },
            r"alternative_names 'www.example.org' not in hosted_zone 'example.com'",
        ),
    ],
)
def test_bad_args_say_what_to_change(kwargs, message):
    base = {"vpc_id": "v", "vpc_cidr": "10.0.0.0/16", "public_subnet_ids": ["a", "b"]}
    with pytest.raises(ValueError, match=message):
        PublicEntranceArgs(**{**base, **kwargs})


def test_access_logs_go_to_the_given_bucket_and_prefix():
    from components.entrance.load_balancer import AccessLogTarget

    alb = build(access_logs=AccessLogTarget("tw-logs", "alb")).one(
        "aws:lb/loadBalancer:LoadBalancer"
    )
    assert alb.inputs["accessLogs"] == {"bucket": "tw-logs", "prefix": "alb", "enabled": True}


def test_without_a_target_the_load_balancer_writes_no_access_logs():
    assert "accessLogs" not in build().one("aws:lb/loadBalancer:LoadBalancer").inputs


RULE = "aws:lb/listenerRule:ListenerRule"


def test_https_forwards_only_the_site_s_host_names_and_answers_404_to_the_rest():
    recording = build(
        domain="tw.example.com",
        hosted_zone="example.com",
        alternative_names=["www.example.com"],
    )
    listeners = {lst.inputs["port"]: lst for lst in recording.of_type(LISTENER)}
    (default,) = listeners[443].inputs["defaultActions"]
    assert default["type"] == "fixed-response"
    assert default["fixedResponse"]["statusCode"] == "404"
    (rule,) = recording.of_type(RULE)
    assert rule.inputs["listenerArn"] == listeners[443].outputs["arn"]
    (condition,) = rule.inputs["conditions"]
    assert condition["hostHeader"]["values"] == ["tw.example.com", "www.example.com"]
    (forward,) = rule.inputs["actions"]
    target_group = recording.one("aws:lb/targetGroup:TargetGroup")
    assert (forward["type"], forward["targetGroupArn"]) == ("forward", target_group.outputs["arn"])
    # Port 80 still only redirects; the target group's health check is untouched.
    assert listeners[80].inputs["defaultActions"][0]["type"] == "redirect"
    assert target_group.inputs["healthCheck"]["path"] == "/healthz"


def test_without_domain_every_host_is_forwarded_as_before():
    recording = build()
    assert recording.of_type(RULE) == []
    (listener,) = recording.of_type(LISTENER)
    assert listener.inputs["defaultActions"][0]["type"] == "forward"


def test_more_host_names_than_one_rule_takes_are_refused():
    names = [f"n{i}.example.com" for i in range(5)]
    with pytest.raises(ValueError, match="at most 5: give fewer alternative_names"):
        PublicEntranceArgs(
            vpc_id="vpc-1",
            vpc_cidr="10.0.0.0/16",
            public_subnet_ids=["subnet-pa", "subnet-pc"],
            domain="tw.example.com",
            hosted_zone="example.com",
            alternative_names=names,
        )
