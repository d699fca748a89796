"""A private service built from the django-tw components, the way another project uses them.

One container from an existing ECR repository runs as a Fargate task in private subnets with no
NAT gateway and no way in; it reaches AWS through exactly the VPC endpoints the task needs,
derived from the task's own arguments.
"""

import dataclasses

import pulumi
import pulumi_aws as aws

from components import (
    ContainerSpec,
    EndpointSet,
    EndpointSetArgs,
    FargateService,
    FargateServiceArgs,
    HealthCheck,
    PrivateNetwork,
    PrivateNetworkArgs,
    required_endpoints_of,
)

config = pulumi.Config()
region = pulumi.Config("aws").require("region")
vpc_cidr = config.get("vpcCidr") or "10.1.0.0/16"
port = config.get_int("port") or 8080
repository = aws.ecr.get_repository(name=config.require("repository"))

network = PrivateNetwork("app", PrivateNetworkArgs(cidr_block=vpc_cidr, az_count=2))
task_args = FargateServiceArgs(
    vpc_id=network.vpc_id,
    subnet_ids=network.private_subnet_ids,
    region=region,
    containers=[
        ContainerSpec(
            name="api",
            image=f"{repository.repository_url}:{config.require('imageTag')}",
            port=port,
            health_check=HealthCheck(
                ["CMD-SHELL", f"curl -fsS http://127.0.0.1:{port}/ || exit 1"]
            ),
        )
    ],
    image_repository_arns=[repository.arn],
)
endpoints = EndpointSet(
    "app-endpoints",
    EndpointSetArgs(
        vpc_id=network.vpc_id,
        vpc_cidr=vpc_cidr,
        region=region,
        subnet_ids=network.private_subnet_ids,
        route_table_ids=network.private_route_table_ids,
        services=required_endpoints_of(task_args),  # derived, never hand-listed
    ),
)
# The service waits for the endpoints: a first task that starts before them cannot pull its image.
task = FargateService("app", dataclasses.replace(task_args, ready_after=[network, endpoints]))

pulumi.export("vpcId", network.vpc_id)
pulumi.export("endpoints", sorted(endpoints.services))
pulumi.export("cluster", task.cluster_name)
pulumi.export("service", task.service_name)
