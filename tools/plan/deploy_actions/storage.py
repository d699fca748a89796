"""Data: EFS, S3, AWS Backup, Secrets Manager, RDS, and generated values.

Every actions tuple is written out (no ``Describe*``): the policy grants exactly these.
"""

from __future__ import annotations

from tools.plan.deploy_actions.needs import (
    BACKUP_SERVICE,
    EFS_SERVICE,
    RDS_SERVICE,
    Needs,
    _crud,
    _tagged,
)

NEEDS: dict[str, Needs] = {
    "aws:efs/fileSystem:FileSystem": Needs(
        _tagged("elasticfilesystem", "CreateFileSystem", "DeleteFileSystem",
                "DescribeFileSystems", "UpdateFileSystem", "UpdateFileSystemProtection",
                "PutLifecycleConfiguration", "DescribeLifecycleConfiguration",
                "PutBackupPolicy", "DescribeBackupPolicy", "TagResource", "UntagResource",
                "ListTagsForResource")
        # Encrypted at rest with the AWS-managed key.
        + _tagged("kms", "DescribeKey", "CreateGrant", "ListAliases"),
        EFS_SERVICE,
        source=_crud("efs/file_system.go", "FileSystem"),
    ),
    "aws:efs/mountTarget:MountTarget": Needs(
        # CreateMountTarget also needs these EC2 actions of the caller (its API reference).
        _tagged("elasticfilesystem", "CreateMountTarget", "DeleteMountTarget",
                "DescribeMountTargets", "DescribeMountTargetSecurityGroups",
                "ModifyMountTargetSecurityGroups")
        + _tagged("ec2", "DescribeSubnets", "DescribeNetworkInterfaces",
                  "CreateNetworkInterface", "DescribeNetworkInterfaceAttribute"),
        source=_crud("efs/mount_target.go", "MountTarget"),
    ),
    "aws:efs/accessPoint:AccessPoint": Needs(
        _tagged("elasticfilesystem", "CreateAccessPoint", "DeleteAccessPoint",
                "DescribeAccessPoints", "TagResource", "UntagResource", "ListTagsForResource"),
        source=_crud("efs/access_point.go", "AccessPoint"),
    ),
    "aws:efs/fileSystemPolicy:FileSystemPolicy": Needs(
        _tagged("elasticfilesystem", "PutFileSystemPolicy", "DescribeFileSystemPolicy",
                "DeleteFileSystemPolicy"),
        source=_crud("efs/file_system_policy.go", "FileSystemPolicy"),
    ),
    "aws:backup/vault:Vault": Needs(
        _tagged("backup", "CreateBackupVault", "DeleteBackupVault", "DescribeBackupVault",
                "ListTags", "TagResource", "UntagResource")
        # force_destroy (development stacks): resourceVaultDelete lists the recovery points,
        # deletes each and waits for it (waitRecoveryPointDeleted: DescribeRecoveryPoint).
        + _tagged("backup", "ListRecoveryPointsByBackupVault", "DeleteRecoveryPoint",
                  "DescribeRecoveryPoint")
        # A vault mounts its storage and takes a grant on the default key.
        + _tagged("backup-storage", "MountCapsule")
        + _tagged("kms", "CreateGrant", "DescribeKey", "GenerateDataKey", "Decrypt",
                  "RetireGrant"),
        BACKUP_SERVICE,
        source=_crud("backup/vault.go", "Vault"),
    ),
    "aws:backup/plan:Plan": Needs(
        _tagged("backup", "CreateBackupPlan", "UpdateBackupPlan", "DeleteBackupPlan",
                "GetBackupPlan", "ListTags", "TagResource", "UntagResource"),
        source=_crud("backup/plan.go", "Plan"),
    ),
    "aws:backup/selection:Selection": Needs(
        _tagged("backup", "CreateBackupSelection", "DeleteBackupSelection", "GetBackupSelection"),
        source=_crud("backup/selection.go", "Selection"),
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
                "GetBucketPolicy", "GetBucketTagging", "PutBucketTagging"),
        source=_crud("s3/bucket.go", "Bucket"),
    ),
    "aws:s3/bucketVersioning:BucketVersioning": Needs(
        _tagged("s3", "PutBucketVersioning", "GetBucketVersioning"),
        source=_crud("s3/bucket_versioning.go", "BucketVersioning"),
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": Needs(
        _tagged("s3", "PutEncryptionConfiguration", "GetEncryptionConfiguration"),
        source=_crud("s3/bucket_server_side_encryption_configuration.go",
                     "BucketServerSideEncryptionConfiguration"),
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": Needs(
        _tagged("s3", "PutBucketPublicAccessBlock", "GetBucketPublicAccessBlock"),
        source=_crud("s3/bucket_public_access_block.go", "BucketPublicAccessBlock"),
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": Needs(
        _tagged("s3", "PutBucketOwnershipControls", "GetBucketOwnershipControls"),
        source=_crud("s3/bucket_ownership_controls.go", "BucketOwnershipControls"),
    ),
    "aws:s3/bucketPolicy:BucketPolicy": Needs(
        _tagged("s3", "PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy"),
        source=_crud("s3/bucket_policy.go", "BucketPolicy"),
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": Needs(
        _tagged("s3", "PutLifecycleConfiguration", "GetLifecycleConfiguration"),
        source="internal/service/s3/bucket_lifecycle_configuration.go: "
               "bucketLifecycleConfigurationResource Create/Read/Update/Delete",
    ),
    "aws:secretsmanager/secret:Secret": Needs(
        _tagged("secretsmanager", "CreateSecret", "DeleteSecret", "DescribeSecret",
                "UpdateSecret", "GetResourcePolicy", "TagResource", "UntagResource"),
        source=_crud("secretsmanager/secret.go", "Secret"),
    ),
    "aws:secretsmanager/secretVersion:SecretVersion": Needs(
        _tagged("secretsmanager", "PutSecretValue", "GetSecretValue", "ListSecretVersionIds",
                "UpdateSecretVersionStage", "DescribeSecret"),
        source=_crud("secretsmanager/secret_version.go", "SecretVersion"),
    ),
    "random:index/randomId:RandomId": Needs(
        (), source="hashicorp/terraform-provider-random internal/provider/resource_id.go: local"
    ),
    # --- RDS (database: rds) ------------------------------------------------------------------
    "aws:rds/instance:Instance": Needs(
        _tagged("rds", "CreateDBInstance", "DescribeDBInstances", "ModifyDBInstance",
                "DeleteDBInstance", "AddTagsToResource", "RemoveTagsFromResource",
                "ListTagsForResource")
        # manage_master_user_password: RDS creates and rotates the master secret with the
        # caller's permissions ("Required permissions for Secrets Manager integration"):
        # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
        + _tagged("secretsmanager", "CreateSecret", "TagResource", "RotateSecret")
        + ("kms:DescribeKey",),
        RDS_SERVICE,
        # The stored revision predates manage_master_user_password; its calls are the same
        # (CreateDBInstance with ManageMasterUserPassword), the secret is RDS's doing.
        source=_crud("rds/instance.go", "Instance", "FindDBInstanceByID",
                     "waitUntilDBInstanceAvailableAfterUpdate",
                     commit="552c04685ba292dfddee527549fd43a1fd5db195"),
    ),
    "aws:rds/parameterGroup:ParameterGroup": Needs(
        _tagged("rds", "CreateDBParameterGroup", "DescribeDBParameterGroups",
                "DescribeDBParameters", "ModifyDBParameterGroup", "ResetDBParameterGroup",
                "DeleteDBParameterGroup", "AddTagsToResource", "RemoveTagsFromResource",
                "ListTagsForResource"),
        source=_crud("rds/parameter_group.go", "ParameterGroup", "findDBParameters",
                     commit="01606926a0c0ab9174aec440f976a48b0baee722"),
    ),
    "aws:rds/subnetGroup:SubnetGroup": Needs(
        _tagged("rds", "CreateDBSubnetGroup", "DescribeDBSubnetGroups", "ModifyDBSubnetGroup",
                "DeleteDBSubnetGroup", "AddTagsToResource", "RemoveTagsFromResource",
                "ListTagsForResource"),
        source=_crud("rds/subnet_group.go", "SubnetGroup", "FindDBSubnetGroupByName",
                     commit="01c08000ddb14181b5bd19201d8fca311dc570e4"),
    ),
}  # fmt: skip
