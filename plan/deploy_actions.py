"""What the deploy role may do, per thing the program declares: one table, :data:`NEEDS`.

Each entry is a resource type (``aws:ecs/service:Service``), a remote component (``awsx:...``) or
a data source token (``aws:route53/getZone:getZone``), with the IAM actions the provider calls
to create, read (refresh), update, tag and delete it, and the service-linked role AWS creates
the first time an account uses that service. ``plan.deploy_role`` builds the policy from the
entries the program really uses; a type missing here stops it, so a new resource type cannot
reach `pulumi up` without its permissions.

Action names: the Service Authorization Reference,
https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
"""

from __future__ import annotations

from dataclasses import dataclass

ECS_SERVICE, ELB_SERVICE = "ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com"
EFS_SERVICE, BACKUP_SERVICE = "elasticfilesystem.amazonaws.com", "backup.amazonaws.com"


@dataclass(frozen=True)
class Needs:
    """The actions one declared thing needs, and the service whose linked role it may create."""

    actions: tuple[str, ...]
    service_linked_role: str = ""
    """``ecs.amazonaws.com``...: the service AWS makes a service-linked role for on first use.
    https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html"""


def _tagged(service: str, *actions: str) -> tuple[str, ...]:
    return tuple(f"{service}:{action}" for action in actions)


_EC2_TAGS = ("ec2:CreateTags", "ec2:DeleteTags")
_ELB_TAGS = _tagged("elasticloadbalancing", "AddTags", "RemoveTags", "DescribeTags")
_RULE = _tagged("ec2", "DescribeSecurityGroupRules", "ModifySecurityGroupRules") + _EC2_TAGS

# Every actions tuple is written out (no "Describe*"): the policy grants exactly these.
NEEDS: dict[str, Needs] = {
    # --- the provider itself, on every run (credentials check) --------------------------------
    "pulumi:providers:aws": Needs(("sts:GetCallerIdentity",)),
    # --- data sources ---------------------------------------------------------------------------
    "aws:index/getAvailabilityZones:getAvailabilityZones": Needs(
        ("ec2:DescribeAvailabilityZones",)
    ),
    "aws:index/getCallerIdentity:getCallerIdentity": Needs(("sts:GetCallerIdentity",)),
    "aws:index/getRegion:getRegion": Needs(()),  # the provider's own configuration
    "aws:route53/getZone:getZone": Needs(
        _tagged("route53", "ListHostedZones", "GetHostedZone", "ListTagsForResource")
    ),
    # --- certificates and DNS -----------------------------------------------------------------
    "aws:acm/certificate:Certificate": Needs(
        _tagged(
            "acm", "RequestCertificate", "DescribeCertificate", "DeleteCertificate",
            "UpdateCertificateOptions", "AddTagsToCertificate", "RemoveTagsFromCertificate",
            "ListTagsForCertificate",
        )
    ),
    "aws:acm/certificateValidation:CertificateValidation": Needs(("acm:DescribeCertificate",)),
    "aws:route53/record:Record": Needs(
        _tagged("route53", "ChangeResourceRecordSets", "ListResourceRecordSets", "GetChange",
                "GetHostedZone")
    ),
    # --- network --------------------------------------------------------------------------------
    "aws:ec2/vpc:Vpc": Needs(
        _tagged("ec2", "CreateVpc", "DeleteVpc", "DescribeVpcs", "DescribeVpcAttribute",
                "ModifyVpcAttribute", "DescribeRouteTables", "DescribeNetworkAcls",
                "DescribeSecurityGroups") + _EC2_TAGS
    ),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": Needs(
        _tagged("ec2", "DescribeSecurityGroups", "RevokeSecurityGroupIngress",
                "RevokeSecurityGroupEgress") + _EC2_TAGS
    ),
    "aws:ec2/internetGateway:InternetGateway": Needs(
        _tagged("ec2", "CreateInternetGateway", "AttachInternetGateway", "DetachInternetGateway",
                "DeleteInternetGateway", "DescribeInternetGateways") + _EC2_TAGS
    ),
    "aws:ec2/subnet:Subnet": Needs(
        _tagged("ec2", "CreateSubnet", "DeleteSubnet", "DescribeSubnets", "ModifySubnetAttribute")
        + _EC2_TAGS
    ),
    "aws:ec2/routeTable:RouteTable": Needs(
        _tagged("ec2", "CreateRouteTable", "DeleteRouteTable", "DescribeRouteTables",
                "CreateRoute", "ReplaceRoute", "DeleteRoute") + _EC2_TAGS
    ),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": Needs(
        _tagged("ec2", "AssociateRouteTable", "DisassociateRouteTable",
                "ReplaceRouteTableAssociation", "DescribeRouteTables")
    ),
    "aws:ec2/eip:Eip": Needs(
        _tagged("ec2", "AllocateAddress", "ReleaseAddress", "DescribeAddresses",
                "DescribeAddressesAttribute") + _EC2_TAGS
    ),
    "aws:ec2/natGateway:NatGateway": Needs(
        _tagged("ec2", "CreateNatGateway", "DeleteNatGateway", "DescribeNatGateways") + _EC2_TAGS
    ),
    "aws:ec2/securityGroup:SecurityGroup": Needs(
        # The provider removes the default allow-all egress rule of a new group.
        _tagged("ec2", "CreateSecurityGroup", "DeleteSecurityGroup", "DescribeSecurityGroups",
                "RevokeSecurityGroupEgress", "DescribeNetworkInterfaces") + _EC2_TAGS
    ),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": Needs(
        _tagged("ec2", "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress") + _RULE
    ),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": Needs(
        _tagged("ec2", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupEgress") + _RULE
    ),
    "aws:ec2/vpcEndpoint:VpcEndpoint": Needs(
        # Private DNS associates the endpoint's hidden hosted zone with the VPC.
        _tagged("ec2", "CreateVpcEndpoint", "DeleteVpcEndpoints", "DescribeVpcEndpoints",
                "ModifyVpcEndpoint", "DescribeVpcEndpointServices", "DescribePrefixLists")
        + _EC2_TAGS + ("route53:AssociateVPCWithHostedZone",)
    ),
    # --- load balancer --------------------------------------------------------------------------
    "aws:lb/loadBalancer:LoadBalancer": Needs(
        _tagged("elasticloadbalancing", "CreateLoadBalancer", "DeleteLoadBalancer",
                "DescribeLoadBalancers", "DescribeLoadBalancerAttributes",
                "ModifyLoadBalancerAttributes", "SetSecurityGroups", "SetSubnets") + _ELB_TAGS,
        ELB_SERVICE,
    ),
    "aws:lb/targetGroup:TargetGroup": Needs(
        _tagged("elasticloadbalancing", "CreateTargetGroup", "DeleteTargetGroup",
                "DescribeTargetGroups", "DescribeTargetGroupAttributes", "ModifyTargetGroup",
                "ModifyTargetGroupAttributes") + _ELB_TAGS
    ),
    "aws:lb/listener:Listener": Needs(
        _tagged("elasticloadbalancing", "CreateListener", "DeleteListener", "DescribeListeners",
                "ModifyListener", "DescribeListenerAttributes", "ModifyListenerAttributes",
                "DescribeListenerCertificates") + _ELB_TAGS
    ),
    # --- containers -----------------------------------------------------------------------------
    "awsx:ecr:Repository": Needs(
        _tagged("ecr", "CreateRepository", "DeleteRepository", "DescribeRepositories",
                "PutLifecyclePolicy", "GetLifecyclePolicy", "DeleteLifecyclePolicy",
                "PutImageScanningConfiguration", "PutImageTagMutability", "ListImages",
                "BatchDeleteImage", "TagResource", "UntagResource", "ListTagsForResource")
    ),
    "awsx:ecr:Image": Needs(
        _tagged("ecr", "GetAuthorizationToken", "BatchCheckLayerAvailability",
                "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "PutImage",
                "BatchGetImage", "GetDownloadUrlForLayer", "DescribeImages")
    ),
    "aws:ecs/cluster:Cluster": Needs(
        _tagged("ecs", "CreateCluster", "DeleteCluster", "DescribeClusters", "UpdateCluster",
                "UpdateClusterSettings", "TagResource", "UntagResource", "ListTagsForResource"),
        ECS_SERVICE,
    ),
    "aws:ecs/taskDefinition:TaskDefinition": Needs(
        _tagged("ecs", "RegisterTaskDefinition", "DeregisterTaskDefinition",
                "DescribeTaskDefinition", "TagResource", "ListTagsForResource")
    ),
    "aws:ecs/service:Service": Needs(
        _tagged("ecs", "CreateService", "UpdateService", "DeleteService", "DescribeServices",
                "TagResource", "UntagResource", "ListTagsForResource"),
        ECS_SERVICE,
    ),
    "aws:cloudwatch/logGroup:LogGroup": Needs(
        _tagged("logs", "CreateLogGroup", "DeleteLogGroup", "DescribeLogGroups",
                "PutRetentionPolicy", "DeleteRetentionPolicy", "TagResource", "UntagResource",
                "ListTagsForResource", "TagLogGroup", "ListTagsLogGroup")
    ),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": Needs(
        _tagged("logs", "PutMetricFilter", "DeleteMetricFilter", "DescribeMetricFilters")
    ),
    # --- data -----------------------------------------------------------------------------------
    "aws:efs/fileSystem:FileSystem": Needs(
        _tagged("elasticfilesystem", "CreateFileSystem", "DeleteFileSystem",
                "DescribeFileSystems", "UpdateFileSystem", "UpdateFileSystemProtection",
                "PutLifecycleConfiguration", "DescribeLifecycleConfiguration",
                "PutBackupPolicy", "DescribeBackupPolicy", "TagResource", "UntagResource",
                "ListTagsForResource")
        # Encrypted at rest with the AWS-managed key.
        + _tagged("kms", "DescribeKey", "CreateGrant", "ListAliases"),
        EFS_SERVICE,
    ),
    "aws:efs/mountTarget:MountTarget": Needs(
        # CreateMountTarget also needs these EC2 actions of the caller (its API reference).
        _tagged("elasticfilesystem", "CreateMountTarget", "DeleteMountTarget",
                "DescribeMountTargets", "DescribeMountTargetSecurityGroups",
                "ModifyMountTargetSecurityGroups")
        + _tagged("ec2", "DescribeSubnets", "DescribeNetworkInterfaces",
                  "CreateNetworkInterface", "DescribeNetworkInterfaceAttribute")
    ),
    "aws:efs/accessPoint:AccessPoint": Needs(
        _tagged("elasticfilesystem", "CreateAccessPoint", "DeleteAccessPoint",
                "DescribeAccessPoints", "TagResource", "UntagResource", "ListTagsForResource")
    ),
    "aws:efs/fileSystemPolicy:FileSystemPolicy": Needs(
        _tagged("elasticfilesystem", "PutFileSystemPolicy", "DescribeFileSystemPolicy",
                "DeleteFileSystemPolicy")
    ),
    "aws:backup/vault:Vault": Needs(
        _tagged("backup", "CreateBackupVault", "DeleteBackupVault", "DescribeBackupVault",
                "ListTags", "TagResource", "UntagResource")
        # A vault mounts its storage and takes a grant on the default key.
        + _tagged("backup-storage", "MountCapsule")
        + _tagged("kms", "CreateGrant", "DescribeKey", "GenerateDataKey", "Decrypt",
                  "RetireGrant"),
        BACKUP_SERVICE,
    ),
    "aws:backup/plan:Plan": Needs(
        _tagged("backup", "CreateBackupPlan", "UpdateBackupPlan", "DeleteBackupPlan",
                "GetBackupPlan", "ListTags", "TagResource", "UntagResource")
    ),
    "aws:backup/selection:Selection": Needs(
        _tagged("backup", "CreateBackupSelection", "DeleteBackupSelection", "GetBackupSelection")
    ),
    "aws:s3/bucket:Bucket": Needs(
        # The provider reads every bucket setting on refresh; protected buckets are never
        # emptied, development ones are (forceDestroy).
        _tagged("s3", "CreateBucket", "DeleteBucket", "ListBucket", "ListBucketVersions",
                "DeleteObject", "DeleteObjectVersion", "GetBucketLocation", "GetBucketAcl",
                "GetBucketCORS", "GetBucketWebsite", "GetBucketVersioning",
                "GetAccelerateConfiguration", "GetBucketRequestPayment", "GetBucketLogging",
                "GetLifecycleConfiguration", "GetReplicationConfiguration",
                "GetEncryptionConfiguration", "GetBucketObjectLockConfiguration",
                "GetBucketPolicy", "GetBucketTagging", "PutBucketTagging")
    ),
    "aws:s3/bucketVersioning:BucketVersioning": Needs(
        _tagged("s3", "PutBucketVersioning", "GetBucketVersioning")
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        Needs(_tagged("s3", "PutEncryptionConfiguration", "GetEncryptionConfiguration"))
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": Needs(
        _tagged("s3", "PutBucketPublicAccessBlock", "GetBucketPublicAccessBlock")
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": Needs(
        _tagged("s3", "PutBucketOwnershipControls", "GetBucketOwnershipControls")
    ),
    "aws:s3/bucketPolicy:BucketPolicy": Needs(
        _tagged("s3", "PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy")
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": Needs(
        _tagged("s3", "PutLifecycleConfiguration", "GetLifecycleConfiguration")
    ),
    "aws:secretsmanager/secret:Secret": Needs(
        _tagged("secretsmanager", "CreateSecret", "DeleteSecret", "DescribeSecret",
                "UpdateSecret", "GetResourcePolicy", "TagResource", "UntagResource")
    ),
    "aws:secretsmanager/secretVersion:SecretVersion": Needs(
        _tagged("secretsmanager", "PutSecretValue", "GetSecretValue", "ListSecretVersionIds",
                "UpdateSecretVersionStage", "DescribeSecret")
    ),
    "random:index/randomPassword:RandomPassword": Needs(()),  # no AWS call
    # --- mail -----------------------------------------------------------------------------------
    "aws:ses/domainIdentity:DomainIdentity": Needs(
        _tagged("ses", "VerifyDomainIdentity", "GetIdentityVerificationAttributes",
                "DeleteIdentity")
    ),
    "aws:ses/domainIdentityVerification:DomainIdentityVerification": Needs(
        ("ses:GetIdentityVerificationAttributes",)
    ),
    "aws:ses/domainDkim:DomainDkim": Needs(
        _tagged("ses", "VerifyDomainDkim", "GetIdentityDkimAttributes")
    ),
    # --- alarms, dashboards and the alarm topic ------------------------------------------------
    "aws:cloudwatch/metricAlarm:MetricAlarm": Needs(
        _tagged("cloudwatch", "PutMetricAlarm", "DescribeAlarms", "DeleteAlarms", "TagResource",
                "UntagResource", "ListTagsForResource")
    ),
    "aws:cloudwatch/dashboard:Dashboard": Needs(
        _tagged("cloudwatch", "PutDashboard", "GetDashboard", "DeleteDashboards")
    ),
    "aws:cloudwatch/eventRule:EventRule": Needs(
        _tagged("events", "PutRule", "DescribeRule", "DeleteRule", "TagResource",
                "UntagResource", "ListTagsForResource")
    ),
    "aws:cloudwatch/eventTarget:EventTarget": Needs(
        _tagged("events", "PutTargets", "RemoveTargets", "ListTargetsByRule")
    ),
    "aws:sns/topic:Topic": Needs(
        _tagged("sns", "CreateTopic", "DeleteTopic", "GetTopicAttributes", "SetTopicAttributes",
                "TagResource", "UntagResource", "ListTagsForResource")
    ),
    "aws:sns/topicPolicy:TopicPolicy": Needs(
        _tagged("sns", "SetTopicAttributes", "GetTopicAttributes")
    ),
    "aws:sns/topicSubscription:TopicSubscription": Needs(
        _tagged("sns", "Subscribe", "Unsubscribe", "GetSubscriptionAttributes",
                "SetSubscriptionAttributes")
    ),
    "aws:kms/key:Key": Needs(
        _tagged("kms", "CreateKey", "DescribeKey", "GetKeyPolicy", "PutKeyPolicy",
                "GetKeyRotationStatus", "EnableKeyRotation", "ListResourceTags", "TagResource",
                "UntagResource", "ScheduleKeyDeletion")
    ),
    # --- audit logs and the edge ----------------------------------------------------------------
    "aws:ec2/flowLog:FlowLog": Needs(
        _tagged("ec2", "CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs") + _EC2_TAGS
    ),
    "aws:lb/listenerRule:ListenerRule": Needs(
        _tagged("elasticloadbalancing", "CreateRule", "DescribeRules", "ModifyRule", "DeleteRule")
        + _ELB_TAGS
    ),
    "aws:wafv2/webAcl:WebAcl": Needs(
        _tagged("wafv2", "CreateWebACL", "GetWebACL", "UpdateWebACL", "DeleteWebACL",
                "ListTagsForResource", "TagResource", "UntagResource")
    ),
    "aws:wafv2/webAclAssociation:WebAclAssociation": Needs(
        (*_tagged("wafv2", "AssociateWebACL", "DisassociateWebACL", "GetWebACLForResource"),
         "elasticloadbalancing:SetWebACL")
    ),
    "aws:ses/mailFrom:MailFrom": Needs(
        _tagged("ses", "SetIdentityMailFromDomain", "GetIdentityMailFromDomainAttributes")
    ),
    # --- identities (scoped to the stack's own names by plan.deploy_role) ----------------------
    "aws:iam/role:Role": Needs(
        _tagged("iam", "CreateRole", "DeleteRole", "GetRole", "UpdateRole",
                "UpdateAssumeRolePolicy", "TagRole", "UntagRole", "ListRolePolicies",
                "ListAttachedRolePolicies", "ListInstanceProfilesForRole")
    ),
    "aws:iam/rolePolicy:RolePolicy": Needs(
        _tagged("iam", "PutRolePolicy", "GetRolePolicy", "DeleteRolePolicy")
    ),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": Needs(
        _tagged("iam", "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies")
    ),
    "aws:iam/user:User": Needs(
        _tagged("iam", "CreateUser", "DeleteUser", "GetUser", "TagUser", "UntagUser",
                "ListGroupsForUser", "ListUserPolicies", "ListAttachedUserPolicies",
                "ListAccessKeys")
    ),
    "aws:iam/userPolicy:UserPolicy": Needs(
        _tagged("iam", "PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy")
    ),
    "aws:iam/accessKey:AccessKey": Needs(
        _tagged("iam", "CreateAccessKey", "DeleteAccessKey", "ListAccessKeys", "UpdateAccessKey")
    ),
}  # fmt: skip
