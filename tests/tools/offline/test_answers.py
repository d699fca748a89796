"""The made-up AWS answers: shaped like AWS's, for the configured region and account."""

import pulumi
import pulumi_aws as aws

from tools.offline import run_program


def test_an_ecr_repository_is_found_by_name_in_the_configured_region():
    def program() -> None:
        repository = aws.ecr.get_repository(name="api")
        pulumi.export("url", repository.repository_url)
        pulumi.export("arn", repository.arn)

    outputs = run_program(program, config={"aws:region": "eu-west-1"}).outputs
    assert outputs == {
        "url": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api",
        "arn": "arn:aws:ecr:eu-west-1:123456789012:repository/api",
    }


def test_a_certificate_validates_a_wildcard_with_the_record_of_its_apex():
    def program() -> None:
        aws.acm.Certificate(
            "cert",
            domain_name="example.com",
            subject_alternative_names=["*.example.com", "www.example.com"],
            validation_method="DNS",
        )

    recording = run_program(program, config={"aws:region": "ap-northeast-1"})
    options = recording.one("aws:acm/certificate:Certificate").outputs["domainValidationOptions"]
    names = {o["domainName"]: o["resourceRecordName"] for o in options}
    assert names["*.example.com"] == names["example.com"]
    assert names["www.example.com"] != names["example.com"]
    assert names["www.example.com"].endswith(".www.example.com.")
