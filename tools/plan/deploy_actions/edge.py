"""What faces the internet: certificates, DNS, the load balancer and its firewall.

Every actions tuple is written out (no ``Describe*``): the policy grants exactly these.
"""

from __future__ import annotations

from tools.plan.deploy_actions.needs import ELB_SERVICE, ELB_TAGS, Needs, _crud, _data, _tagged

NEEDS: dict[str, Needs] = {
    "aws:route53/getZone:getZone": Needs(
        _tagged("route53", "ListHostedZones", "GetHostedZone", "ListTagsForResource"),
        source=_data("route53/zone_data_source.go", "Zone"),
    ),
    "aws:acm/certificate:Certificate": Needs(
        _tagged(
            "acm", "RequestCertificate", "DescribeCertificate", "DeleteCertificate",
            "UpdateCertificateOptions", "AddTagsToCertificate", "RemoveTagsFromCertificate",
            "ListTagsForCertificate",
        ),
        source=_crud("acm/certificate.go", "Certificate"),
    ),
    "aws:acm/certificateValidation:CertificateValidation": Needs(("acm:DescribeCertificate",),
        source=_crud("acm/certificate_validation.go", "CertificateValidation"),
    ),
    "aws:route53/record:Record": Needs(
        _tagged("route53", "ChangeResourceRecordSets", "ListResourceRecordSets", "GetChange",
                "GetHostedZone"),
        source=_crud("route53/record.go", "Record"),
    ),
    "aws:lb/loadBalancer:LoadBalancer": Needs(
        _tagged("elasticloadbalancing", "CreateLoadBalancer", "DeleteLoadBalancer",
                "DescribeLoadBalancers", "DescribeLoadBalancerAttributes",
                "ModifyLoadBalancerAttributes", "SetSecurityGroups", "SetSubnets") + ELB_TAGS,
        ELB_SERVICE,
        source=_crud("elbv2/load_balancer.go", "LoadBalancer"),
    ),
    "aws:lb/targetGroup:TargetGroup": Needs(
        _tagged("elasticloadbalancing", "CreateTargetGroup", "DeleteTargetGroup",
                "DescribeTargetGroups", "DescribeTargetGroupAttributes", "ModifyTargetGroup",
                "ModifyTargetGroupAttributes") + ELB_TAGS,
        source=_crud("elbv2/target_group.go", "TargetGroup"),
    ),
    "aws:lb/listener:Listener": Needs(
        _tagged("elasticloadbalancing", "CreateListener", "DeleteListener", "DescribeListeners",
                "ModifyListener", "DescribeListenerAttributes", "ModifyListenerAttributes",
                "DescribeListenerCertificates") + ELB_TAGS,
        source=_crud("elbv2/listener.go", "Listener"),
    ),
    "aws:lb/listenerRule:ListenerRule": Needs(
        _tagged("elasticloadbalancing", "CreateRule", "DescribeRules", "ModifyRule", "DeleteRule")
        + ELB_TAGS,
        source=_crud("elbv2/listener_rule.go", "ListenerRule"),
    ),
    "aws:wafv2/webAcl:WebAcl": Needs(
        _tagged("wafv2", "CreateWebACL", "GetWebACL", "UpdateWebACL", "DeleteWebACL",
                "ListTagsForResource", "TagResource", "UntagResource"),
        source=_crud("wafv2/web_acl.go", "WebACL"),
    ),
    "aws:wafv2/webAclAssociation:WebAclAssociation": Needs(
        (*_tagged("wafv2", "AssociateWebACL", "DisassociateWebACL", "GetWebACLForResource"),
         "elasticloadbalancing:SetWebACL"),
        source=_crud("wafv2/web_acl_association.go", "WebACLAssociation"),
    ),
}  # fmt: skip
