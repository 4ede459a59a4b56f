"""The one read of an hours of operation from Amazon Connect: the schedule and all its overrides.

Used by the API's /connect/hours (jam_api.hours.service) and the hours_status Lambda, so both ask
Connect the same two things: DescribeHoursOfOperation, then ListHoursOfOperationOverrides page by
page. A plain NextToken loop rather than a paginator: a paginator would make the client load
botocore's paginator data too, which the functions' botocore slice (jam_core.aws_sdk) leaves out.
"""

from __future__ import annotations

from typing import Any


def read_schedule(client: Any, instance_id: str, hours_id: str) -> dict[str, Any]:
    """DescribeHoursOfOperation's HoursOfOperation (Name, TimeZone, Config, ...) with "Overrides":
    every ListHoursOfOperationOverrides entry. ClientErrors (not found, access denied, throttling)
    are the caller's to judge."""
    hours: dict[str, Any] = client.describe_hours_of_operation(
        InstanceId=instance_id, HoursOfOperationId=hours_id
    )["HoursOfOperation"]
    overrides: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        request: dict[str, Any] = {"InstanceId": instance_id, "HoursOfOperationId": hours_id}
        if token:
            request["NextToken"] = token
        page = client.list_hours_of_operation_overrides(**request)
        overrides += page.get("HoursOfOperationOverrideList", [])
        token = page.get("NextToken")
        if not token:
            break
    return {**hours, "Overrides": overrides}
