"""Small readers over the template (long-form intrinsics) shared by the iac tests."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

INSTANCE_ARN = {
    "Fn::If": [
        "CreateConnectInstance",
        {"Fn::GetAtt": ["ConnectInstance", "Arn"]},
        {"Ref": "ConnectInstanceArn"},
    ]
}
CONNECT_FUNCTIONS = (
    "CustomerLookupFunction",
    "PromptsFunction",
    "SurveyFunction",
    "PinVerificationFunction",
    "HoursStatusFunction",
    "OtpVerificationFunction",
)
# Functions invoked by a queue (SQS event source mapping), not by Connect.
QUEUE_FUNCTIONS = ("CallPlacerFunction",)
# The Connect Lambdas that read or write a DynamoDB table, and the one that reads Connect's hours.
DATA_FUNCTIONS = tuple(f for f in CONNECT_FUNCTIONS if f != "HoursStatusFunction")


def of_type(resources: Mapping[str, Mapping[str, Any]], kind: str) -> dict[str, Mapping[str, Any]]:
    return {logical_id: r for logical_id, r in resources.items() if r.get("Type") == kind}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def role_statements(role: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for policy in role.get("Properties", {}).get("Policies", []) or []:
        for statement in as_list(policy["PolicyDocument"]["Statement"]):
            if set(statement) == {"Fn::If"}:
                # Granted only when a condition holds ([condition, statement, AWS::NoValue]): the
                # statement as it is granted then.
                _, when, otherwise = statement["Fn::If"]
                assert otherwise == {"Ref": "AWS::NoValue"}, statement
                statement = when
            yield statement


def all_policy_statements(
    resources: Mapping[str, Mapping[str, Any]],
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(logical id, statement) of every identity policy the template creates."""
    for logical_id, resource in resources.items():
        kind = resource.get("Type")
        props = resource.get("Properties", {}) or {}
        if kind == "AWS::IAM::Role":
            for statement in role_statements(resource):
                yield logical_id, statement
        elif kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            for statement in as_list(props["PolicyDocument"]["Statement"]):
                yield logical_id, statement


def function_role(
    resources: Mapping[str, Mapping[str, Any]], function_id: str
) -> tuple[str, Mapping[str, Any]]:
    role_ref = resources[function_id]["Properties"]["Role"]
    assert role_ref == {"Fn::GetAtt": [role_ref["Fn::GetAtt"][0], "Arn"]}, role_ref
    role_id = role_ref["Fn::GetAtt"][0]
    return role_id, resources[role_id]


def granted(role: Mapping[str, Any], service: str) -> dict[str, list[Any]]:
    """action -> resources granted by the role, for one service prefix."""
    grants: dict[str, list[Any]] = {}
    for statement in role_statements(role):
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            if action.startswith(f"{service}:"):
                grants.setdefault(action, []).extend(as_list(statement["Resource"]))
    return grants


def environment(resource: Mapping[str, Any]) -> dict[str, Any]:
    return dict((resource["Properties"].get("Environment") or {}).get("Variables") or {})
