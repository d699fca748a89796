"""What PublicEntrance declares, as plain values: rules, settings, actions, records, URLs."""

import pulumi_aws as aws
import pytest

from components.entrance.load_balancer import (
    ANYWHERE,
    TLS_POLICY,
    alias_to,
    balancer_settings,
    egress_rule,
    forward_site_hosts,
    forward_to,
    http_url,
    https_url,
    ingress_rules,
    not_found,
    option_for,
    plain_http_warning,
    redirect_to_https,
    site_host_names,
    target_group_settings,
    target_health_check,
    validated_names,
    validation_record_resource_name,
    validation_record_settings,
)


def test_with_tls_the_internet_may_reach_80_and_443_only():
    rules = ingress_rules(tls=True)
    assert [(r.suffix, r.port, r.cidr_ipv4) for r in rules] == [
        ("in-80", 80, ANYWHERE),
        ("in-443", 443, ANYWHERE),
    ]
    assert ANYWHERE == "0.0.0.0/0"


def test_without_tls_the_internet_may_reach_80_only():
    (rule,) = ingress_rules(tls=False)
    assert (rule.suffix, rule.port, rule.cidr_ipv4) == ("in-80", 80, ANYWHERE)


def test_the_balancer_may_open_connections_only_to_the_target_port_inside_the_vpc():
    rule = egress_rule(8080, "10.0.0.0/16")
    assert (rule.suffix, rule.port, rule.cidr_ipv4) == ("out-targets", 8080, "10.0.0.0/16")


def test_the_balancer_is_public_drops_invalid_headers_and_follows_its_protection_arg():
    for protect in (True, False):
        settings = balancer_settings(deletion_protection=protect, idle_timeout=75)
        assert settings == {
            "load_balancer_type": "application",
            "internal": False,
            "drop_invalid_header_fields": True,
            "enable_deletion_protection": protect,
            "idle_timeout": 75,
        }


def test_targets_are_task_ips_probed_for_200_on_the_readiness_path():
    settings = target_group_settings(8080, "/healthz")
    assert (settings["target_type"], settings["protocol"], settings["port"]) == (
        "ip",
        "HTTP",
        8080,
    )
    assert settings["deregistration_delay"] == 30
    assert target_group_settings(8080, "/healthz", 45)["deregistration_delay"] == 45
    check = settings["health_check"]
    assert (check.path, check.protocol, check.matcher) == ("/healthz", "HTTP", "200")


def test_a_target_is_in_after_two_passes_and_out_after_three_failures():
    check = target_health_check("/ready")
    assert (check.interval, check.timeout) == (15, 5)
    assert (check.healthy_threshold, check.unhealthy_threshold) == (2, 3)


def test_forwarding_goes_to_the_target_group():
    action = forward_to("arn:tg")
    assert (action.type, action.target_group_arn) == ("forward", "arn:tg")


def test_plain_http_is_redirected_permanently_to_https_on_443():
    action = redirect_to_https()
    assert action.type == "redirect"
    assert (action.redirect.protocol, action.redirect.port, action.redirect.status_code) == (
        "HTTPS",
        "443",
        "HTTP_301",
    )


def test_the_validation_record_is_the_one_acm_asks_for():
    option = aws.acm.outputs.CertificateDomainValidationOption(
        domain_name="www.example.com",
        resource_record_name="_abc.www.example.com.",
        resource_record_type="CNAME",
        resource_record_value="_xyz.acm-validations.aws.",
    )
    assert validation_record_settings(option) == {
        "name": "_abc.www.example.com.",
        "type": "CNAME",
        "records": ["_xyz.acm-validations.aws."],
        "ttl": 300,
        "allow_overwrite": True,
    }


def test_the_alias_points_at_the_balancer_and_evaluates_its_health():
    alias = alias_to("web-123.elb.amazonaws.com", "Z14GRHDCWA56QT")
    assert (alias.name, alias.zone_id) == ("web-123.elb.amazonaws.com", "Z14GRHDCWA56QT")
    assert alias.evaluate_target_health is True


def test_urls_name_the_scheme_and_end_with_a_slash():
    assert https_url("www.example.com") == "https://www.example.com/"
    assert http_url("web-123.elb.amazonaws.com") == "http://web-123.elb.amazonaws.com/"


def test_the_plain_http_warning_names_the_entrance_and_the_settings_to_set():
    warning = plain_http_warning("tw-dev-web")
    assert warning.startswith("tw-dev-web: ")
    assert "plain HTTP" in warning
    assert "`domain` and `hostedZone`" in warning


def test_the_tls_policy_allows_tls_1_3_and_1_2_only():
    assert TLS_POLICY == "ELBSecurityPolicy-TLS13-1-2-2021-06"


def option(domain_name: str) -> aws.acm.outputs.CertificateDomainValidationOption:
    return aws.acm.outputs.CertificateDomainValidationOption(domain_name=domain_name)


@pytest.mark.parametrize(
    ("domain", "alternative_names", "validated"),
    [
        ("tw.example.com", [], ["tw.example.com"]),
        ("tw.example.com", ["www.example.com"], ["tw.example.com", "www.example.com"]),
        ("example.com", ["*.example.com"], ["example.com"]),  # one record for both
        ("*.example.com", ["example.com", "a.example.com"], ["*.example.com", "a.example.com"]),
        (
            "tw.example.com",
            ["*.tw.example.com", "www.example.com"],
            ["tw.example.com", "www.example.com"],
        ),
        ("tw.example.com", ["*.example.com"], ["tw.example.com", "*.example.com"]),
    ],
)
def test_names_that_share_a_validation_record_are_validated_once(
    domain, alternative_names, validated
):
    assert validated_names(domain, alternative_names) == validated


def test_the_first_validation_record_keeps_its_name_and_the_others_are_numbered():
    names = [validation_record_resource_name("web", index) for index in range(3)]
    assert names == ["web-cert-validation", "web-cert-validation-1", "web-cert-validation-2"]


def test_each_name_finds_its_own_validation_option():
    options = [option("example.com"), option("*.example.com"), option("www.example.com")]
    assert option_for("www.example.com", options) is options[2]
    assert option_for("*.example.com", options) is options[1]
    with pytest.raises(LookupError, match=r"no validation option for 'api\.example\.com'"):
        option_for("api.example.com", options)


def test_other_hosts_get_a_404_from_the_load_balancer_itself():
    action = not_found()
    assert action.type == "fixed-response"
    assert action.fixed_response.status_code == "404"


def test_the_site_s_names_are_its_domain_and_other_names_once_each():
    names = site_host_names("tw.example.com", ["www.example.com", "tw.example.com"])
    assert names == ["tw.example.com", "www.example.com"]
    with pytest.raises(ValueError, match="at most 5"):
        site_host_names("a.example.com", [f"{c}.example.com" for c in "bcdef"])


def test_the_site_rule_forwards_its_host_names_to_the_targets():
    rule = forward_site_hosts(["tw.example.com"], "arn:tg")
    (condition,) = rule["conditions"]
    assert condition.host_header.values == ["tw.example.com"]
    (action,) = rule["actions"]
    assert (action.type, action.target_group_arn) == ("forward", "arn:tg")
    assert rule["priority"] == 1
