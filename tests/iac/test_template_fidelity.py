"""What CloudFormation and the services need from the template beyond validating it (issue 11):
caller ids on the queues, metrics scoped to the template's queues, an alarm topic CloudWatch can
publish to, and an SMS role that is ready before the user pool uses it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.iac.template_facts import environment, function_role, granted, of_type


def _queue_ids_expression(logical_ids: list[str]) -> dict[str, Any]:
    return {
        "Fn::Join": [
            ",",
            [{"Fn::Select": [3, {"Fn::Split": ["/", {"Fn::GetAtt": [q, "QueueArn"]}]}]} for q in logical_ids],
        ]
    }


def test_every_queue_dials_out_with_the_claimed_number_as_caller_id(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    queues = of_type(resources, "AWS::Connect::Queue")
    assert len(queues) == 6
    for logical_id, queue in queues.items():
        assert queue["Properties"]["OutboundCallerConfig"] == {
            "Fn::If": [
                "ClaimPhoneNumber",
                # The ARN without the instance in its path: what AWS::Connect::PhoneNumber returns.
                {"OutboundCallerIdNumberArn": {"Fn::GetAtt": ["PhoneNumber", "PhoneNumberArn"]}},
                {"Ref": "AWS::NoValue"},
            ]
        }, logical_id
    assert resources["PhoneNumber"]["Condition"] == "ClaimPhoneNumber"


def test_metrics_ask_about_exactly_the_queues_the_role_may_read(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    queues = list(of_type(resources, "AWS::Connect::Queue"))
    assert environment(resources["ApiFunction"])["METRICS_QUEUE_IDS"] == _queue_ids_expression(queues)
    _, role = function_role(resources, "ApiFunction")
    queue_grants = [
        r for r in granted(role, "connect")["connect:GetCurrentMetricData"] if "QueueArn" in str(r)
    ]
    assert queue_grants == [{"Fn::GetAtt": [q, "QueueArn"]} for q in queues]


def test_the_alarm_topic_uses_a_key_cloudwatch_may_use(resources: Mapping[str, Mapping[str, Any]]) -> None:
    topic = resources["AlarmTopic"]["Properties"]
    assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": ["AlarmTopicKey", "Arn"]}
    key = resources["AlarmTopicKey"]
    assert key["Type"] == "AWS::KMS::Key"
    assert key["Properties"]["EnableKeyRotation"] is True
    statements = {s["Sid"]: s for s in key["Properties"]["KeyPolicy"]["Statement"]}
    cloudwatch = statements["CloudWatchAlarmsPublishToTheTopic"]
    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert sorted(cloudwatch["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert cloudwatch["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    # Nobody outside the account: the only other principal is the account itself.
    others = [s for sid, s in statements.items() if sid != "CloudWatchAlarmsPublishToTheTopic"]
    assert [s["Principal"] for s in others] == [
        {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}
    ]
    for alarm_id, alarm in of_type(resources, "AWS::CloudWatch::Alarm").items():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}], alarm_id


def test_the_user_pool_waits_for_its_sms_role_and_policy_and_passes_the_external_id(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    pool = resources["UserPool"]
    # The role by its GetAtt (cfn-lint W3005 refuses a DependsOn that repeats it), the policy explicitly.
    assert pool["DependsOn"] == "CognitoSmsPolicy"
    sms = pool["Properties"]["SmsConfiguration"]
    assert sms["SnsCallerArn"] == {"Fn::GetAtt": ["CognitoSmsRole", "Arn"]}
    (trust,) = resources["CognitoSmsRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "cognito-idp.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["sts:ExternalId"] == sms["ExternalId"]
    policy = resources["CognitoSmsPolicy"]
    assert policy["Type"] == "AWS::IAM::Policy"
    assert policy["Properties"]["Roles"] == [{"Ref": "CognitoSmsRole"}]
    assert "Policies" not in resources["CognitoSmsRole"]["Properties"]
