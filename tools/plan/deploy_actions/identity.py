"""The provider's credentials check, account and region lookups, and IAM.

Every actions tuple is written out (no ``Describe*``): the policy grants exactly these.
"""

from __future__ import annotations

from tools.plan.deploy_actions.needs import Needs, _crud, _data, _tagged

NEEDS: dict[str, Needs] = {
    "pulumi:providers:aws": Needs(("sts:GetCallerIdentity",),
        source="internal/conns/config.go: (*Config).ConfigureProvider (credentials check)",
    ),
    "aws:index/getCallerIdentity:getCallerIdentity": Needs(("sts:GetCallerIdentity",),
        source=_data("sts/caller_identity_data_source.go", "CallerIdentity"),
    ),
    # the provider's own configuration
    "aws:index/getRegion:getRegion": Needs((),
        source=_data("meta/region_data_source.go", "Region"),
    ),
    # no AWS call
    "random:index/randomPassword:RandomPassword": Needs((),
        source="hashicorp/terraform-provider-random internal/provider/resource_password.go",
    ),
    "aws:iam/role:Role": Needs(
        # Read lists and reads the inline policies; update puts the boundary on a role made
        # before it (PutRolePermissionsBoundary) and changes the description.
        _tagged("iam", "CreateRole", "DeleteRole", "GetRole", "UpdateRole",
                "UpdateRoleDescription", "UpdateAssumeRolePolicy", "PutRolePermissionsBoundary",
                "TagRole", "UntagRole", "ListRolePolicies", "GetRolePolicy",
                "ListAttachedRolePolicies", "ListInstanceProfilesForRole"),
        source=_crud("iam/role.go", "Role", "DeleteRole", "readRoleInlinePolicies",
                     commit="0040ea6911af00bea2cca6dbb14e86829826ad8e"),
    ),
    "aws:iam/rolePolicy:RolePolicy": Needs(
        _tagged("iam", "PutRolePolicy", "GetRolePolicy", "DeleteRolePolicy"),
        source=_crud("iam/role_policy.go", "RolePolicy"),
    ),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": Needs(
        _tagged("iam", "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies"),
        source=_crud("iam/role_policy_attachment.go", "RolePolicyAttachment"),
    ),
    "aws:iam/user:User": Needs(
        _tagged("iam", "CreateUser", "DeleteUser", "GetUser", "UpdateUser",
                "PutUserPermissionsBoundary", "TagUser", "UntagUser", "ListGroupsForUser",
                "ListUserPolicies", "ListAttachedUserPolicies", "ListAccessKeys"),
        source=_crud("iam/user.go", "User"),
    ),
    "aws:iam/userPolicy:UserPolicy": Needs(
        _tagged("iam", "PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy"),
        source=_crud("iam/user_policy.go", "UserPolicy"),
    ),
    "aws:iam/accessKey:AccessKey": Needs(
        _tagged("iam", "CreateAccessKey", "DeleteAccessKey", "ListAccessKeys", "UpdateAccessKey"),
        source=_crud("iam/access_key.go", "AccessKey"),
    ),
}  # fmt: skip
