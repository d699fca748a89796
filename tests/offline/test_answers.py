"""The made-up AWS answers: shaped like AWS's, for the configured region and account."""

import pulumi
import pulumi_aws as aws

from offline import run_program


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
