"""Alarms, dashboards, events, the alarm topic and its key, and auto scaling.

Every actions tuple is written out (no ``Describe*``): the policy grants exactly these.
"""

from __future__ import annotations

from tools.plan.deploy_actions.needs import ECS_AUTOSCALING_SERVICE, Needs, _crud, _tagged

NEEDS: dict[str, Needs] = {
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": Needs(
        _tagged("logs", "PutMetricFilter", "DeleteMetricFilter", "DescribeMetricFilters"),
        source=_crud("logs/metric_filter.go", "MetricFilter"),
    ),
    "aws:cloudwatch/metricAlarm:MetricAlarm": Needs(
        _tagged("cloudwatch", "PutMetricAlarm", "DescribeAlarms", "DeleteAlarms", "TagResource",
                "UntagResource", "ListTagsForResource"),
        source=_crud("cloudwatch/metric_alarm.go", "MetricAlarm"),
    ),
    "aws:cloudwatch/dashboard:Dashboard": Needs(
        _tagged("cloudwatch", "PutDashboard", "GetDashboard", "DeleteDashboards"),
        source=_crud("cloudwatch/dashboard.go", "Dashboard"),
    ),
    "aws:cloudwatch/eventRule:EventRule": Needs(
        _tagged("events", "PutRule", "DescribeRule", "DeleteRule", "TagResource",
                "UntagResource", "ListTagsForResource"),
        source=_crud("events/rule.go", "Rule"),
    ),
    "aws:cloudwatch/eventTarget:EventTarget": Needs(
        _tagged("events", "PutTargets", "RemoveTargets", "ListTargetsByRule"),
        source=_crud("events/target.go", "Target"),
    ),
    "aws:sns/topic:Topic": Needs(
        _tagged("sns", "CreateTopic", "DeleteTopic", "GetTopicAttributes", "SetTopicAttributes",
                "TagResource", "UntagResource", "ListTagsForResource"),
        source=_crud("sns/topic.go", "Topic"),
    ),
    "aws:sns/topicPolicy:TopicPolicy": Needs(
        _tagged("sns", "SetTopicAttributes", "GetTopicAttributes"),
        source=_crud("sns/topic_policy.go", "TopicPolicy"),
    ),
    "aws:sns/topicSubscription:TopicSubscription": Needs(
        _tagged("sns", "Subscribe", "Unsubscribe", "GetSubscriptionAttributes",
                "SetSubscriptionAttributes"),
        source=_crud("sns/topic_subscription.go", "TopicSubscription"),
    ),
    "aws:kms/key:Key": Needs(
        _tagged("kms", "CreateKey", "DescribeKey", "GetKeyPolicy", "PutKeyPolicy",
                "GetKeyRotationStatus", "EnableKeyRotation", "ListResourceTags", "TagResource",
                "UntagResource", "ScheduleKeyDeletion"),
        source=_crud("kms/key.go", "Key"),
    ),
    # --- Application Auto Scaling (maxTasks > minTasks) -----------------------------------------
    "aws:appautoscaling/target:Target": Needs(
        # RegisterScalableTarget on an ECS service reads it (ecs:DescribeServices) and, with
        # no role_arn, uses the service-linked role it creates on first use; the ECS and
        # CloudWatch actions are those AWS lists for service auto scaling:
        # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/auto-scaling-IAM.html
        _tagged("application-autoscaling", "RegisterScalableTarget",
                "DescribeScalableTargets", "DeregisterScalableTarget", "TagResource",
                "UntagResource", "ListTagsForResource")
        + _tagged("ecs", "DescribeServices", "UpdateService")
        + _tagged("cloudwatch", "DescribeAlarms", "PutMetricAlarm", "DeleteAlarms"),
        ECS_AUTOSCALING_SERVICE,
        source=_crud("appautoscaling/target.go", "Target", "registerScalableTarget",
                     "FindTargetByThreePartKey",
                     commit="0105d2191ae7e43ba37ba011b916843eddf361ed"),
    ),
    "aws:appautoscaling/policy:Policy": Needs(
        # Target tracking: Application Auto Scaling makes the policy's alarms as the caller.
        _tagged("application-autoscaling", "PutScalingPolicy", "DescribeScalingPolicies",
                "DeleteScalingPolicy")
        + _tagged("cloudwatch", "DescribeAlarms", "PutMetricAlarm", "DeleteAlarms"),
        source=_crud("appautoscaling/policy.go", "Policy", "getPolicy",
                     commit="048320e88399c508ae6481be5d8ef6fd6f71a9f6"),
    ),
}  # fmt: skip
