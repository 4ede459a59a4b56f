"""The Connect twin's HTTP face: botocore's REST-JSON protocol in, the backend's plain data out.

Requests are matched against the routes botocore's model declares (urls.py), so an unmodified boto3
`connect` client with `endpoint_url` works. Errors carry Connect's exception name in the
`x-amzn-ErrorType` header and `{"message": ...}` in the body, which is what botocore turns into
`client.exceptions.<Name>`. Signatures are not checked: any region and credentials are accepted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from local_connect.connect_api.errors import (
    ConnectError,
    InternalServiceException,
    InvalidParameterException,
    InvalidRequestException,
    ThrottlingException,
    UnknownOperationException,
)
from local_connect.connect_api.models import ConnectBackend
from local_connect.connect_api.throttle import Throttle
from local_connect.connect_api.urls import match

Handler = Callable[[ConnectBackend, dict[str, str], Request, dict[str, Any]], dict[str, Any]]


def _page(items: list[dict[str, Any]], request: Request, key: str, max_cap: int) -> dict[str, Any]:
    """NextToken / MaxResults the way Connect's list operations page (the token is an opaque offset)."""
    token = request.args.get("nextToken")
    try:
        start = int(token) if token else 0
        size = int(request.args.get("maxResults") or max_cap)
    except ValueError:
        raise InvalidParameterException("nextToken or maxResults is not valid") from None
    if start < 0 or not 1 <= size <= max_cap:
        raise InvalidParameterException(f"maxResults must be between 1 and {max_cap}")
    answer: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        answer["NextToken"] = str(start + size)
    return answer


def _list_instances(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return _page(b.list_instances(), r, "InstanceSummaryList", 10)


def _describe_instance(
    b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]
) -> dict[str, Any]:
    return {"Instance": b.describe_instance(p["InstanceId"])}


def _describe_hours(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return {"HoursOfOperation": b.describe_hours(p["InstanceId"], p["HoursOfOperationId"])}


def _list_overrides(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    items = b.list_hours_overrides(p["InstanceId"], p["HoursOfOperationId"])
    return _page(items, r, "HoursOfOperationOverrideList", 100)


def _list_hours(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return _page(b.list_hours(p["InstanceId"]), r, "HoursOfOperationSummaryList", 1000)


def _list_queues(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    items = b.list_queues(p["InstanceId"], r.args.getlist("queueTypes"))
    return _page(items, r, "QueueSummaryList", 1000)


def _describe_queue(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return {"Queue": b.describe_queue(p["InstanceId"], p["QueueId"])}


def _list_profiles(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return _page(b.list_routing_profiles(p["InstanceId"]), r, "RoutingProfileSummaryList", 1000)


def _list_flows(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    items = b.list_contact_flows(p["InstanceId"], r.args.getlist("contactFlowTypes"))
    return _page(items, r, "ContactFlowSummaryList", 1000)


def _start_outbound(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return {"ContactId": b.start_outbound_voice_contact(body)}


def _metrics(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return b.current_metric_data(p["InstanceId"], body)


def _contact_metrics(
    b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]
) -> dict[str, Any]:
    return b.contact_metrics(body)


def _get_attributes(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return {"Attributes": b.get_contact_attributes(p["InstanceId"], p["InitialContactId"])}


def _update_attributes(
    b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]
) -> dict[str, Any]:
    b.update_contact_attributes(body)
    return {}


def _stop_contact(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    b.stop_contact(body)
    return {}


def _describe_contact(
    b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]
) -> dict[str, Any]:
    return {"Contact": b.describe_contact(p["InstanceId"], p["ContactId"])}


def _search_contacts(
    b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]
) -> dict[str, Any]:
    return b.search_contacts(body)


HANDLERS: dict[str, Handler] = {
    "SearchContacts": _search_contacts,
    "ListInstances": _list_instances,
    "DescribeInstance": _describe_instance,
    "DescribeHoursOfOperation": _describe_hours,
    "ListHoursOfOperationOverrides": _list_overrides,
    "ListHoursOfOperations": _list_hours,
    "ListQueues": _list_queues,
    "DescribeQueue": _describe_queue,
    "ListRoutingProfiles": _list_profiles,
    "ListContactFlows": _list_flows,
    "StartOutboundVoiceContact": _start_outbound,
    "GetCurrentMetricData": _metrics,
    "GetContactMetrics": _contact_metrics,
    "GetContactAttributes": _get_attributes,
    "UpdateContactAttributes": _update_attributes,
    "StopContact": _stop_contact,
    "DescribeContact": _describe_contact,
}


def _error(error: ConnectError) -> Response:
    response = Response(
        json.dumps({"message": error.message}), status=error.status, mimetype="application/json"
    )
    response.headers["x-amzn-ErrorType"] = error.code
    return response


def _json_body(request: Request) -> dict[str, Any]:
    if not request.data:
        return {}
    try:
        body = json.loads(request.data)
    except ValueError:
        raise InvalidRequestException("The request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise InvalidRequestException("The request body must be a JSON object")
    return body


def _raw_path(request: Request) -> str:
    """The path as sent, relative to the mount: ARNs in a path arrive with their "/" as %2F, and
    werkzeug's decoded `path` would split them into segments."""
    raw = str(request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or "")
    if not raw:
        return request.path
    path = raw.split("?", 1)[0]
    prefix = request.environ.get("SCRIPT_NAME", "")
    return path[len(prefix) :] if prefix and path.startswith(prefix) else path


# Operations that only read the template's definitions, which never change while the runtime runs.
# They skip the runtime lock, and must: a flow runs under that lock, and its hours_status Lambda
# calls these over HTTP from inside the flow (another server thread answers), so taking the lock
# here would wait for the flow that is waiting for this answer until the Lambda's read timeout.
LOCK_FREE = frozenset({"DescribeHoursOfOperation", "ListHoursOfOperationOverrides", "ListHoursOfOperations"})


def create_app(
    backend: ConnectBackend, lock: threading.RLock, throttle: Throttle | None = None
) -> Callable[..., Any]:
    """The twin as a WSGI app; every operation that touches contacts or queues runs under the
    runtime lock, like every other entry; reads of the fixed definitions (LOCK_FREE) do not."""

    @Request.application
    def app(request: Request) -> Response:
        found = match(request.method, _raw_path(request))
        try:
            if found is None:
                raise UnknownOperationException(f"No Connect operation for {request.method} {request.path}")
            operation, params = found
            if throttle is not None and not throttle.allow(operation):
                raise ThrottlingException("Rate exceeded")
            body = _json_body(request)
            if operation in LOCK_FREE:
                answer = HANDLERS[operation](backend, params, request, body)
            else:
                with lock:
                    answer = HANDLERS[operation](backend, params, request, body)
        except ConnectError as error:
            return _error(error)
        except Exception as error:  # never a stack trace to the client: Connect's 500 shape
            return _error(InternalServiceException(f"{type(error).__name__}: {error}"))
        return Response(json.dumps(answer), status=200, mimetype="application/json")

    return app
