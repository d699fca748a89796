"""The AWS resource type tokens the rules, ``make plan`` and the tests speak of.

pulumi-aws 7 tokens, as the engine hands them to a policy pack and the recording mocks capture
them. The ``aws:alb`` aliases name the same AWS resources as their ``aws:lb`` tokens, and the
``V2`` S3 tokens the same buckets as the old ones, so those come as tuples to match either.
This module imports nothing: every other part of :mod:`policy` builds on it.
"""

# --- ECS, autoscaling --------------------------------------------------------------------------
ECS_CLUSTER = "aws:ecs/cluster:Cluster"
ECS_SERVICE = "aws:ecs/service:Service"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
SCALING_TARGET = "aws:appautoscaling/target:Target"

# --- EFS, AWS Backup ---------------------------------------------------------------------------
EFS_FILE_SYSTEM = "aws:efs/fileSystem:FileSystem"
EFS_BACKUP_POLICY = "aws:efs/backupPolicy:BackupPolicy"
EFS_ACCESS_POINT = "aws:efs/accessPoint:AccessPoint"
EFS_MOUNT_TARGET = "aws:efs/mountTarget:MountTarget"
BACKUP_PLAN = "aws:backup/plan:Plan"
BACKUP_SELECTION = "aws:backup/selection:Selection"

# --- CloudWatch, SNS --------------------------------------------------------------------------
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
SNS_TOPIC = "aws:sns/topic:Topic"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
KMS_KEY = "aws:kms/key:Key"

# --- load balancing ----------------------------------------------------------------------------
LOAD_BALANCERS = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
LISTENERS = ("aws:lb/listener:Listener", "aws:alb/listener:Listener")

# --- S3 ----------------------------------------------------------------------------------------
BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
BUCKET_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_ACLS = ("aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2")

# --- EC2 / VPC ---------------------------------------------------------------------------------
VPC = "aws:ec2/vpc:Vpc"
DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SUBNET = "aws:ec2/subnet:Subnet"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
NAT_GATEWAY = "aws:ec2/natGateway:NatGateway"
ELASTIC_IP = "aws:ec2/eip:Eip"

# --- IAM ---------------------------------------------------------------------------------------
IAM_POLICY = "aws:iam/policy:Policy"
IAM_ROLE = "aws:iam/role:Role"
IAM_INLINE_POLICIES = (
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
)
IAM_ATTACHMENTS = (
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
)

# --- ECR (the awsx component tokens name what the program declares) ----------------------------
ECR_REPOSITORY = "aws:ecr/repository:Repository"
AWSX_ECR_REPOSITORY = "awsx:ecr:Repository"
AWSX_ECR_IMAGE = "awsx:ecr:Image"
ECR_LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
ECR_REGISTRY_SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"

# --- logs, secrets, DNS ------------------------------------------------------------------------
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
KMS_KEY = "aws:kms/key:Key"
SECRET = "aws:secretsmanager/secret:Secret"  # noqa: S105 (a type token)
HOSTED_ZONE = "aws:route53/zone:Zone"
ROUTE53_RECORD = "aws:route53/record:Record"
