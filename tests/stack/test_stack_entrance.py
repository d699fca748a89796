"""The prod stack's entrance, run from __main__.py with Pulumi.prod.yaml's settings: HTTPS on
the load balancer, its target group, its logs and firewall, and a site without a domain."""

from __future__ import annotations

from stack.contract import CONTRACTS
from tests.stack_runs import (
    BUCKET,
    SERVICE,
    containers,
    environment,
    prod_config,
    run_main,
    secrets,
)


def test_https_with_tls13_policy_dns_validated_certificate_and_redirect(prod):
    listeners = {
        listener.inputs["port"]: listener.inputs
        for listener in prod.of_type("aws:lb/listener:Listener")
    }
    assert set(listeners) == {80, 443}
    assert listeners[443]["protocol"] == "HTTPS"
    assert "TLS13" in listeners[443]["sslPolicy"]
    redirect = listeners[80]["defaultActions"][0]
    assert redirect["type"] == "redirect"
    assert redirect["redirect"] == {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}
    certificate = prod.one("aws:acm/certificate:Certificate")
    assert certificate.inputs["validationMethod"] == "DNS"
    assert certificate.inputs["domainName"] == "tw.example.com"
    validation = prod.one("aws:acm/certificateValidation:CertificateValidation")
    assert listeners[443]["certificateArn"] == validation.outputs["certificateArn"]
    alias = next(r for r in prod.of_type("aws:route53/record:Record") if r.inputs.get("aliases"))
    assert alias.inputs["name"] == "tw.example.com"
    assert prod.outputs["url"] == "https://tw.example.com/"


def test_target_group_sends_to_nginx_by_ip_and_checks_healthz(prod):
    group = prod.one("aws:lb/targetGroup:TargetGroup")
    assert group.inputs["targetType"] == "ip"
    assert group.inputs["port"] == 8080
    assert group.inputs["healthCheck"]["path"] == "/healthz"
    (target,) = prod.one(SERVICE).inputs["loadBalancers"]
    assert target["containerName"] == "nginx"
    assert target["containerPort"] == 8080


def test_only_the_site_s_host_name_reaches_the_targets(prod):
    https = next(
        lst for lst in prod.of_type("aws:lb/listener:Listener") if lst.inputs["port"] == 443
    )
    assert https.inputs["defaultActions"][0]["fixedResponse"]["statusCode"] == "404"
    (rule,) = prod.of_type("aws:lb/listenerRule:ListenerRule")
    assert rule.inputs["conditions"][0]["hostHeader"]["values"] == ["tw.example.com"]
    assert (
        rule.inputs["actions"][0]["targetGroupArn"]
        == prod.one("aws:lb/targetGroup:TargetGroup").outputs["arn"]
    )


def test_service_is_created_after_the_listener_that_uses_its_target_group(prod):
    https = next(
        lst for lst in prod.of_type("aws:lb/listener:Listener") if lst.inputs["port"] == 443
    )
    assert https.urn in prod.one(SERVICE).dependencies


def test_a_failed_rollout_fails_pulumi_up_and_rolls_back_on_its_5xx(prod):
    service = prod.one(SERVICE)
    assert service.inputs["waitForSteadyState"] is True
    assert service.inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    (alarm,) = [
        a for a in prod.of_type("aws:cloudwatch/metricAlarm:MetricAlarm") if "deploy" in a.name
    ]
    assert service.inputs["alarms"] == {
        "alarmNames": [alarm.inputs["name"]],
        "enable": True,
        "rollback": True,
    }
    assert alarm.urn in service.dependencies
    command = prod.outputs["deploy_events_command"]
    assert f"--cluster {prod.outputs['cluster_name']}" in command
    assert f"--services {prod.outputs['service_name']}" in command


def test_the_load_balancer_logs_to_its_bucket_once_the_bucket_policy_lets_it(prod):
    alb = prod.one("aws:lb/loadBalancer:LoadBalancer")
    bucket = prod.one(BUCKET, name="tw-prod-access-logs-bucket")
    policy = prod.one("aws:s3/bucketPolicy:BucketPolicy", name="tw-prod-access-logs-policy")
    assert alb.inputs["accessLogs"] == {
        "bucket": bucket.outputs["bucket"],
        "prefix": "alb",
        "enabled": True,
    }
    # ELB checks that it may write when logging is turned on: the policy must exist first.
    assert policy.urn in alb.dependencies
    assert prod.outputs["access_log_bucket"] == bucket.outputs["bucket"]


def test_waf_on_puts_the_web_acl_with_the_sign_in_rate_limit_on_the_load_balancer(prod):
    assert prod.of_type("aws:wafv2/webAcl:WebAcl") == []  # off by default
    recording = run_main(prod_config(waf="on"))
    acl = recording.one("aws:wafv2/webAcl:WebAcl")
    association = recording.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs
    balancer = recording.one("aws:lb/loadBalancer:LoadBalancer")
    assert association == {"resourceArn": balancer.outputs["arn"], "webAclArn": acl.outputs["arn"]}
    rate = acl.inputs["rules"][-1]["statement"]["rateBasedStatement"]
    pattern = rate["scopeDownStatement"]["regexMatchStatement"]["regexString"]
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"):
        assert path in pattern


def test_without_domain_the_site_is_plain_http_with_a_warning():
    recording = run_main(prod_config(domain="", hostedZone="", mailFrom=""))
    listeners = recording.of_type("aws:lb/listener:Listener")
    assert [listener.inputs["port"] for listener in listeners] == [80]
    assert listeners[0].inputs["defaultActions"][0]["type"] == "forward"
    assert not recording.of_type("aws:acm/certificate:Certificate")
    assert recording.outputs["url"].startswith("http://")
    assert any("plain HTTP" in warning for warning in recording.warnings)
    web = containers(recording)["web"]
    env = environment(web)
    assert CONTRACTS["web"].differences(env, secrets(web), in_aws=True) == []
    assert env["DJANGO_ALLOWED_HOSTS"] == recording.outputs["alb_dns_name"]
    assert env["DJANGO_HTTPS"] == "false"
    # no mail: no SES, no email-smtp endpoint (the endpoint set follows the parts)
    assert not recording.of_type("aws:sesv2/emailIdentity:EmailIdentity")
    assert "email-smtp" not in recording.outputs["vpc_endpoints"]
