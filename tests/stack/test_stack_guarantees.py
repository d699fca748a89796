"""What holds across the whole prod stack, run from __main__.py with Pulumi.prod.yaml's
settings: its data protected from deletion (and a development stack's not), its outputs, every
resource inside a component, the mail domain's DNS."""

from __future__ import annotations

from policy.aws_types import SUBNET
from tests.stack_runs import (
    BUCKET,
    prod_config,
    run_main,
)


def test_data_is_protected_from_deletion_on_prod(prod):
    kept = [prod.one("aws:efs/fileSystem:FileSystem"), prod.one("aws:backup/vault:Vault")]
    kept += prod.of_type(BUCKET)
    assert len(kept) == 5  # file system, vault, media, backup and access log buckets
    for resource in kept:
        assert resource.protect, resource.name
        assert resource.retain_on_delete, resource.name
    assert prod.one("aws:lb/loadBalancer:LoadBalancer").inputs["enableDeletionProtection"] is True


def test_development_stack_is_unprotected_and_may_use_one_az():
    recording = run_main(prod_config(environment="development", azCount=1))
    assert len([s for s in recording.of_type(SUBNET) if "private" in s.name]) == 1
    assert len([s for s in recording.of_type(SUBNET) if "public" in s.name]) == 2
    assert not recording.one("aws:efs/fileSystem:FileSystem").protect
    assert len(recording.of_type(BUCKET)) == 3
    assert not any(bucket.protect for bucket in recording.of_type(BUCKET))
    assert (
        recording.one("aws:lb/loadBalancer:LoadBalancer").inputs["enableDeletionProtection"]
        is False
    )


def test_outputs_name_everything_an_operator_needs(prod):
    assert set(prod.outputs) >= {
        "url",
        "alb_dns_name",
        "cluster_name",
        "service_name",
        "log_group_names",
        "exec_command",
        "deploy_events_command",
        "media_bucket_name",
        "repository_urls",
        "backup_bucket_name",
        "backup_destination_url",
        "backup_failure_metric",
    }
    assert set(prod.outputs["repository_urls"]) == {"nginx", "web", "db", "django-fargate"}
    assert prod.outputs["alb_dns_name"].endswith(".elb.amazonaws.com")


def test_every_resource_belongs_to_a_component(prod):
    components = {r.urn for r in prod.resources if not r.custom}
    for resource in prod.resources:
        if resource.custom or resource.remote:
            assert resource.parent in components, (
                f"{resource.type} {resource.name} has no component"
            )


def test_by_default_the_mail_domain_s_existing_dns_is_left_alone(prod):
    """prod sends mail but sets neither dmarcPolicy nor mailFromSubdomain: only the DKIM
    CNAMEs of the SES v2 identity are created in the zone."""
    identity = prod.one("aws:sesv2/emailIdentity:EmailIdentity")
    assert identity.inputs["emailIdentity"] == "example.com"
    records = [r for r in prod.of_type("aws:route53/record:Record") if "mail" in r.name]
    assert sorted(r.inputs["type"] for r in records) == ["CNAME"] * 3
    assert not prod.of_type(
        "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes"
    )


def test_dmarc_policy_and_mail_from_subdomain_settings_reach_the_mail_records():
    recording = run_main(prod_config(dmarcPolicy="reject", mailFromSubdomain="bounce"))
    records = {
        (r.inputs["name"], r.inputs["type"]): r.inputs.get("records")
        for r in recording.of_type("aws:route53/record:Record")
    }
    assert records["_dmarc.example.com", "TXT"] == ["v=DMARC1; p=reject"]
    assert ("bounce.example.com", "MX") in records
    mail_from = recording.one(
        "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes"
    )
    assert mail_from.inputs["mailFromDomain"] == "bounce.example.com"
