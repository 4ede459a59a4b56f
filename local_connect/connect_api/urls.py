"""The REST routes of the Connect operations the twin serves, as botocore's model declares them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    operation: str


def _route(method: str, template: str, operation: str) -> Route:
    # "{InstanceId}" becomes a named group of one path segment, like botocore's URI labels.
    regex = re.sub(r"\{([A-Za-z]+)\}", r"(?P<\1>[^/]+)", template)
    return Route(method, re.compile(f"^{regex}$"), operation)


ROUTES = (
    _route("GET", "/instance", "ListInstances"),
    _route("GET", "/instance/{InstanceId}", "DescribeInstance"),
    _route("GET", "/hours-of-operations/{InstanceId}/{HoursOfOperationId}", "DescribeHoursOfOperation"),
    _route(
        "GET",
        "/hours-of-operations/{InstanceId}/{HoursOfOperationId}/overrides",
        "ListHoursOfOperationOverrides",
    ),
    _route("GET", "/hours-of-operations-summary/{InstanceId}", "ListHoursOfOperations"),
    _route("GET", "/queues-summary/{InstanceId}", "ListQueues"),
    _route("GET", "/queues/{InstanceId}/{QueueId}", "DescribeQueue"),
    _route("GET", "/routing-profiles-summary/{InstanceId}", "ListRoutingProfiles"),
    _route("GET", "/contact-flows-summary/{InstanceId}", "ListContactFlows"),
    _route("GET", "/contact-flow-modules/{InstanceId}/{ContactFlowModuleId}", "DescribeContactFlowModule"),
    _route("PUT", "/contact/outbound-voice", "StartOutboundVoiceContact"),
    _route("POST", "/metrics/current/{InstanceId}", "GetCurrentMetricData"),
    _route("POST", "/metrics/contact", "GetContactMetrics"),
    _route("GET", "/contact/attributes/{InstanceId}/{InitialContactId}", "GetContactAttributes"),
    _route("POST", "/contact/attributes", "UpdateContactAttributes"),
    _route("POST", "/contact/stop", "StopContact"),
    _route("GET", "/contacts/{InstanceId}/{ContactId}", "DescribeContact"),
    _route("POST", "/search-contacts", "SearchContacts"),
)


def match(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    for route in ROUTES:
        if route.method == method:
            found = route.pattern.match(path)
            if found:
                return route.operation, {k: unquote(v) for k, v in found.groupdict().items()}
    return None
