"""First-deploy smoke test: does the deployed stack answer like the local one? (docs/DEPLOY.md)

    make smoke [STACK=jam-prod] [REGION=us-west-2] [NUMBER=+12025550100 TOKEN=<ID token>]
    python -m scripts.smoke --stack-name jam-prod --region us-west-2 [--number +1...]

1. the stack's outputs (CloudFormation DescribeStacks) name every flow, hours and the API URL;
2. every flow of the template is PUBLISHED and ACTIVE in Connect with the type the template gives
   it (DescribeContactFlow): what `make deploy` cannot tell from CloudFormation's success alone;
3. POST /connect/hours through the real API URL answers each department's hours;
4. with --number (and an ID token in $TOKEN, never on the command line), one click-to-call to that
   number through POST /connect/contact: the API only calls the token's own verified number, so it
   must be the signed-in test customer's.

Prints a table of what passed and exits 1 when anything failed. Read-only except check 4.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from botocore.exceptions import BotoCoreError, ClientError

from local_connect.definitions import TEMPLATE_PATH, load_template
from local_connect.site_config import DEPARTMENTS
from scripts.deploy_post import samconfig_defaults, stack_outputs

HTTP_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def expected_flows(template: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Output name of each flow's id -> the flow type the template deploys it as."""
    resources = (template or load_template(TEMPLATE_PATH))["Resources"]
    return {
        f"{logical_id}Id": str(resource["Properties"]["Type"])
        for logical_id, resource in resources.items()
        if resource.get("Type") == "AWS::Connect::ContactFlow"
    }


def hours_outputs() -> dict[str, str]:
    """Department -> the output holding its hours id (the site's departments, one source)."""
    return {department: f"{hours_logical_id}Id" for department, hours_logical_id, _, _ in DEPARTMENTS}


def check_outputs(outputs: Mapping[str, str], flows: Mapping[str, str]) -> Check:
    needed = {"ApiUrl", "ConnectInstanceId", *flows, *hours_outputs().values()}
    missing = sorted(needed - set(outputs))
    if missing:
        return Check("stack outputs", False, f"missing: {', '.join(missing)}")
    return Check("stack outputs", True, f"{len(needed)} outputs present")


def check_flows(connect: Any, outputs: Mapping[str, str], flows: Mapping[str, str]) -> list[Check]:
    checks = []
    for output, flow_type in flows.items():
        name = f"flow {output.removesuffix('Id')}"
        try:
            flow = connect.describe_contact_flow(
                InstanceId=outputs["ConnectInstanceId"], ContactFlowId=outputs[output]
            )["ContactFlow"]
        except (BotoCoreError, ClientError) as exc:
            checks.append(Check(name, False, f"DescribeContactFlow failed: {exc}"))
            continue
        # ContactFlow.State ACTIVE|ARCHIVED, Status PUBLISHED|SAVED (a SAVED flow is a draft no
        # number or transfer runs): https://docs.aws.amazon.com/connect/latest/APIReference/API_ContactFlow.html
        seen = (flow.get("Type"), flow.get("State"), flow.get("Status"))
        wanted = (flow_type, "ACTIVE", "PUBLISHED")
        detail = f"{flow.get('Name')}: type {seen[0]}, state {seen[1]}, status {seen[2]}"
        checks.append(Check(name, seen == wanted, detail if seen == wanted else f"{detail}; want {wanted}"))
    return checks


def _post(session: requests.Session, url: str, body: Mapping[str, Any], **headers: str) -> requests.Response:
    return session.post(url, json=body, headers=headers, timeout=HTTP_TIMEOUT_S)


def check_hours(session: requests.Session, outputs: Mapping[str, str]) -> list[Check]:
    checks = []
    url = outputs["ApiUrl"].rstrip("/") + "/connect/hours"
    for department, output in hours_outputs().items():
        name = f"hours {department}"
        hours_id = outputs[output]
        try:
            response = _post(session, url, {"hoursOfOperationId": hours_id})
            answer = response.json() if response.content else {}
        except (requests.RequestException, ValueError) as exc:
            checks.append(Check(name, False, f"POST /connect/hours failed: {exc}"))
            continue
        ok = (
            response.status_code == 200
            and answer.get("hoursOfOperationId") == hours_id
            and isinstance(answer.get("isOpen"), bool)
        )
        detail = (
            f"{answer.get('name')}: {'open' if answer.get('isOpen') else 'closed'} now"
            if ok
            else f"HTTP {response.status_code}: {answer.get('detail') or answer.get('title') or response.text[:200]}"
        )
        checks.append(Check(name, ok, detail))
    return checks


def check_click_to_call(
    session: requests.Session, outputs: Mapping[str, str], number: str, token: str | None
) -> Check:
    name = f"click-to-call {number}"
    if not token:
        return Check(name, False, "no ID token: set TOKEN (docs/DEPLOY.md, 'First-deploy smoke')")
    department, _, _, issues = DEPARTMENTS[-1]
    body = {
        "destinationPhoneNumber": number,
        "contactFlowId": outputs["WebIngressFlowId"],
        "attributes": {"department": department, "issue": issues[0][0], "language": "en-US"},
    }
    try:
        response = _post(
            session,
            outputs["ApiUrl"].rstrip("/") + "/connect/contact",
            body,
            Authorization=f"Bearer {token}",
            **{"Idempotency-Key": f"smoke-{uuid.uuid4()}"},
        )
        answer = response.json() if response.content else {}
    except (requests.RequestException, ValueError) as exc:
        return Check(name, False, f"POST /connect/contact failed: {exc}")
    if response.status_code == 202 and answer.get("contactId"):
        return Check(name, True, f"contact {answer['contactId']}: the phone should ring")
    problem = answer.get("detail") or answer.get("title") or response.text[:200]
    return Check(name, False, f"HTTP {response.status_code}: {problem}")


def run(
    cloudformation: Any,
    connect: Any,
    session: requests.Session,
    stack_name: str,
    number: str | None = None,
    token: str | None = None,
) -> list[Check]:
    try:
        outputs = stack_outputs(cloudformation, stack_name)
    except (BotoCoreError, ClientError, ValueError) as exc:  # nothing else can run without outputs
        return [Check("stack outputs", False, f"DescribeStacks {stack_name}: {exc}")]
    flows = expected_flows()
    first = check_outputs(outputs, flows)
    if not first.passed:
        return [first]
    checks = [first, *check_flows(connect, outputs, flows), *check_hours(session, outputs)]
    if number:
        checks.append(check_click_to_call(session, outputs, number, token))
    return checks


def table(checks: Iterable[Check]) -> str:
    rows = [(("PASS" if c.passed else "FAIL"), c.name, c.detail) for c in checks]
    width = max((len(name) for _, name, _ in rows), default=0)
    return "\n".join(f"{mark}  {name.ljust(width)}  {detail}" for mark, name, detail in rows)


def main(
    argv: list[str] | None = None, clients: Callable[[str | None], tuple[Any, Any]] | None = None
) -> int:
    defaults = samconfig_defaults()
    parser = argparse.ArgumentParser(prog="python -m scripts.smoke", description=__doc__.splitlines()[0])
    parser.add_argument("--stack-name", default=defaults.get("stack_name"))
    parser.add_argument("--region", default=defaults.get("region"))
    parser.add_argument("--number", help="place one click-to-call to this number (E.164); needs $TOKEN")
    args = parser.parse_args(argv)
    if not args.stack_name:
        parser.error("--stack-name is required (none in samconfig.toml)")

    def aws_clients(region: str | None) -> tuple[Any, Any]:
        import boto3

        session = boto3.Session(region_name=region)
        return session.client("cloudformation"), session.client("connect")

    cloudformation, connect = (clients or aws_clients)(args.region)
    with requests.Session() as session:
        checks = run(cloudformation, connect, session, args.stack_name, args.number, os.environ.get("TOKEN"))
    print(table(checks))
    failed = [c for c in checks if not c.passed]
    print(f"\n{len(checks) - len(failed)} passed, {len(failed)} failed ({args.stack_name})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
