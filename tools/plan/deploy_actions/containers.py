"""Images, the ECS cluster, task definition and service, and their log groups.

Every actions tuple is written out (no ``Describe*``): the policy grants exactly these.
"""

from __future__ import annotations

from tools.plan.deploy_actions.needs import ECS_SERVICE, Needs, _crud, _tagged

NEEDS: dict[str, Needs] = {
    "awsx:ecr:Repository": Needs(
        _tagged("ecr", "CreateRepository", "DeleteRepository", "DescribeRepositories",
                "PutLifecyclePolicy", "GetLifecyclePolicy", "DeleteLifecyclePolicy",
                "PutImageScanningConfiguration", "PutImageTagMutability", "ListImages",
                "BatchDeleteImage", "TagResource", "UntagResource", "ListTagsForResource"),
        source="pulumi/pulumi-awsx awsx/ecr/repository.ts (aws:ecr/repository, lifecyclePolicy): "
               "internal/service/ecr/repository.go, lifecycle_policy.go",
    ),
    "awsx:ecr:Image": Needs(
        _tagged("ecr", "GetAuthorizationToken", "BatchCheckLayerAvailability",
                "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "PutImage",
                "BatchGetImage", "GetDownloadUrlForLayer", "DescribeImages"),
        source="pulumi/pulumi-awsx awsx/ecr/image.ts: docker build, login and push",
    ),
    "aws:ecs/cluster:Cluster": Needs(
        _tagged("ecs", "CreateCluster", "DeleteCluster", "DescribeClusters", "UpdateCluster",
                "UpdateClusterSettings", "TagResource", "UntagResource", "ListTagsForResource"),
        ECS_SERVICE,
        source=_crud("ecs/cluster.go", "Cluster"),
    ),
    "aws:ecs/taskDefinition:TaskDefinition": Needs(
        _tagged("ecs", "RegisterTaskDefinition", "DeregisterTaskDefinition",
                "DescribeTaskDefinition", "TagResource", "ListTagsForResource"),
        source=_crud("ecs/task_definition.go", "TaskDefinition"),
    ),
    "aws:cloudwatch/logGroup:LogGroup": Needs(
        _tagged("logs", "CreateLogGroup", "DeleteLogGroup", "DescribeLogGroups",
                "PutRetentionPolicy", "DeleteRetentionPolicy", "TagResource", "UntagResource",
                "ListTagsForResource", "TagLogGroup", "ListTagsLogGroup"),
        source=_crud("logs/group.go", "Group"),
    ),
    "aws:ecs/service:Service": Needs(
        # waitForSteadyState: the waiter finds the new deployment (ListServiceDeployments)
        # and polls its status (DescribeServiceDeployments). AWS's list of both:
        # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment-permissions.html
        _tagged("ecs", "CreateService", "UpdateService", "DeleteService", "DescribeServices",
                "ListServiceDeployments", "DescribeServiceDeployments", "TagResource",
                "UntagResource", "ListTagsForResource"),
        ECS_SERVICE,
        source=_crud("ecs/service.go", "Service", "waitServiceStable",
                     "statusServiceWaitForStable", "findPrimaryDeploymentARN",
                     "findDeploymentStatus", commit="8a0b630aa00be415497be382fed4294db03af6c3"),
    ),
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": Needs(
        # Put on create, update and delete (an empty list), then waitClusterAvailable.
        _tagged("ecs", "PutClusterCapacityProviders", "DescribeClusters"),
        source="internal/service/ecs/cluster_capacity_providers.go"
               "@0619e62a2f25aefdfc36b5c74a98d9f6dcc6d794: resourceClusterCapacityProvidersPut/"
               "Read/Delete, retryClusterCapacityProvidersPut",
    ),
}  # fmt: skip
