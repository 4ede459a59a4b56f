"""The Connect twin's HTTP face: botocore's REST-JSON protocol in, Connect's shapes out.

As in moto, this module parses and validates every request (params.py reads the fields; the
parse_* functions build the typed requests models.py takes) and renders what the backend returns
(resources render themselves with summary() / to_dict()).

Requests are matched against the routes botocore's model declares (urls.py), so an unmodified boto3
`connect` client with `endpoint_url` works. Errors carry Connect's exception name in the
`x-amzn-ErrorType` header and `{"message": ...}` in the body, which is what botocore turns into
`client.exceptions.<Name>`. Signatures are not checked: any region and credentials are accepted.
"""

from __future__ import annotations

import hashlib
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
from local_connect.connect_api.models import (
    CONTACT_METRICS,
    COUNT_METRICS,
    SEARCH_TIME_FIELDS,
    SECONDS_METRICS,
    ConnectBackend,
    ContactSearch,
    CurrentMetricsQuery,
    OutboundCall,
)
from local_connect.connect_api.params import Params, e164, json_body, offset_token
from local_connect.connect_api.throttle import Throttle
from local_connect.connect_api.urls import match

Handler = Callable[[ConnectBackend, dict[str, str], Request, dict[str, Any]], dict[str, Any]]


# ---------------------------------------------------------------------- parsing the requests
def parse_outbound_call(body: dict[str, Any]) -> OutboundCall:
    """StartOutboundVoiceContact: required ids, E.164 numbers, a queue or a source number, and
    Attributes as Connect bounds them (strings to strings, 32 KB)."""
    params = Params(body)
    for required in ("DestinationPhoneNumber", "ContactFlowId", "InstanceId"):
        params.required_str(required)
    destination = e164(params.required_str("DestinationPhoneNumber"), "DestinationPhoneNumber")
    queue_id = params.optional_str("QueueId")
    source = params.optional_str("SourcePhoneNumber")
    source = e164(source, "SourcePhoneNumber") if source is not None else None
    if source is None and queue_id is None:
        raise InvalidRequestException("Either QueueId or SourcePhoneNumber is required")
    attributes = params.string_map("Attributes", "Attributes must map strings to strings")
    if len(json.dumps(attributes)) > 32_768:
        raise InvalidParameterException("Attributes exceed 32 KB")
    # A repeated ClientToken must come with the same request: its fingerprint is the whole body
    # without the token (kept in the contact store, so it must not change between versions).
    fingerprint = hashlib.sha256(
        json.dumps({k: v for k, v in body.items() if k != "ClientToken"}, sort_keys=True).encode()
    ).hexdigest()
    return OutboundCall(
        instance_id=params.required_str("InstanceId"),
        contact_flow_id=params.required_str("ContactFlowId"),
        destination=destination,
        queue_id=queue_id,
        source=source,
        related_contact_id=params.optional_str("RelatedContactId"),
        attributes=attributes,
        name=params.optional_str("Name"),
        description=params.optional_str("Description"),
        client_token=params.optional_str("ClientToken"),
        fingerprint=fingerprint,
    )


def parse_contact_search(body: dict[str, Any]) -> tuple[ContactSearch, int, int]:
    """SearchContacts: the search, and the page (offset from NextToken, MaxResults 1-100)."""
    params = Params(body)
    time_range = params.optional_object("TimeRange")
    field = SEARCH_TIME_FIELDS.get(time_range.optional_str("Type") or "")
    start, end = time_range.optional_number("StartTime"), time_range.optional_number("EndTime")
    if field is None or start is None or end is None:
        raise InvalidParameterException("TimeRange needs a supported Type, StartTime and EndTime")
    if end < start:
        raise InvalidParameterException("TimeRange.EndTime is before StartTime")
    size = params.int_in_range("MaxResults", 100, 1, 100)
    offset = offset_token(params.optional_str("NextToken"))
    criteria = params.optional_object("SearchCriteria")
    sort = params.optional_object("Sort")
    search = ContactSearch(
        instance_id=params.required_str("InstanceId"),
        time_field=field,
        start=start,
        end=end,
        agent_ids=frozenset(criteria.string_list("AgentIds")),
        queue_ids=frozenset(criteria.string_list("QueueIds")),
        channels=frozenset(criteria.string_list("Channels")),
        initiation_methods=frozenset(criteria.string_list("InitiationMethods")),
        # Sorting by a field the records do not have (INITIATION_METHOD, CHANNEL, SCHEDULED_TIMESTAMP)
        # falls back to the initiation time: not settled from Connect's reference, which lists the
        # fields but not how they order.
        sort_field=SEARCH_TIME_FIELDS.get(sort.optional_str("FieldName") or "", "initiated_at"),
        newest_first=(sort.optional_str("Order") or "DESCENDING") == "DESCENDING",
    )
    return search, offset, size


def parse_contact_metrics(body: dict[str, Any]) -> tuple[str, str, list[str]]:
    """GetContactMetrics: instance, contact and the metric names (only those Connect has for a contact)."""
    params = Params(body)
    instance_id, contact_id = params.required_str("InstanceId"), params.required_str("ContactId")
    metrics = params.object_list("Metrics")
    if not metrics:
        raise InvalidParameterException("Metrics is required")
    names = [m.optional_str("Name") or "" for m in metrics]
    for name in names:
        if name not in CONTACT_METRICS:
            raise InvalidParameterException(f"Unsupported contact metric {name or None}")
    return instance_id, contact_id, names


def parse_current_metrics(instance_id: str, body: dict[str, Any]) -> CurrentMetricsQuery:
    """GetCurrentMetricData: metric names Connect knows, 1-100 queues, channels and groupings."""
    params = Params(body)
    filters = params.optional_object("Filters")
    metrics = params.object_list("CurrentMetrics")
    if not metrics:
        raise InvalidParameterException("CurrentMetrics is required")
    queue_refs = filters.string_list("Queues")
    if not queue_refs:
        raise InvalidParameterException("Filters.Queues must name at least one queue")
    if len(queue_refs) > 100:
        raise InvalidParameterException("Filters.Queues takes at most 100 queues")
    names = [m.optional_str("Name") or "" for m in metrics]
    for name in names:
        if name not in COUNT_METRICS | SECONDS_METRICS:
            raise InvalidParameterException(f"Unsupported metric {name or None}")
    return CurrentMetricsQuery(
        instance_id=instance_id,
        metric_names=tuple(names),
        queue_refs=tuple(queue_refs),
        channels=tuple(filters.string_list("Channels") or ["VOICE"]),
        groupings=tuple(params.string_list("Groupings")),
    )


# ---------------------------------------------------------------------- answering
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
    return _page([i.summary() for i in b.list_instances()], r, "InstanceSummaryList", 10)


def _describe_instance(
    b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]
) -> dict[str, Any]:
    return {"Instance": b.describe_instance(p["InstanceId"]).to_dict()}


def _describe_hours(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return {"HoursOfOperation": b.describe_hours(p["InstanceId"], p["HoursOfOperationId"]).to_dict()}


def _list_overrides(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    items = b.list_hours_overrides(p["InstanceId"], p["HoursOfOperationId"])
    return _page(items, r, "HoursOfOperationOverrideList", 100)


def _list_hours(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    items = [h.summary() for h in b.list_hours(p["InstanceId"])]
    return _page(items, r, "HoursOfOperationSummaryList", 1000)


def _list_queues(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    items = [q.summary() for q in b.list_queues(p["InstanceId"], r.args.getlist("queueTypes"))]
    return _page(items, r, "QueueSummaryList", 1000)


def _describe_queue(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return {"Queue": b.describe_queue(p["InstanceId"], p["QueueId"]).to_dict()}


def _list_profiles(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    items = [rp.summary() for rp in b.list_routing_profiles(p["InstanceId"])]
    return _page(items, r, "RoutingProfileSummaryList", 1000)


def _list_flows(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    items = [f.summary() for f in b.list_contact_flows(p["InstanceId"], r.args.getlist("contactFlowTypes"))]
    return _page(items, r, "ContactFlowSummaryList", 1000)


def _start_outbound(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return {"ContactId": b.start_outbound_voice_contact(parse_outbound_call(body))}


def _metrics(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return b.current_metric_data(parse_current_metrics(p["InstanceId"], body))


def _contact_metrics(
    b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]
) -> dict[str, Any]:
    return b.contact_metrics(*parse_contact_metrics(body))


def _get_attributes(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    return {"Attributes": b.get_contact_attributes(p["InstanceId"], p["InitialContactId"])}


def _update_attributes(
    b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]
) -> dict[str, Any]:
    params = Params(body)
    for required in ("InitialContactId", "InstanceId", "Attributes"):
        if required not in body:
            raise InvalidParameterException(f"{required} is required")
    b.update_contact_attributes(
        params.required_str("InstanceId"),
        params.required_str("InitialContactId"),
        params.string_map("Attributes", "Attributes must map strings to strings"),
    )
    return {}


def _stop_contact(b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]) -> dict[str, Any]:
    params = Params(body)
    for required in ("ContactId", "InstanceId"):
        params.required_str(required)
    reason = params.optional_object("DisconnectReason").optional_str("Code") or "API"
    b.stop_contact(params.required_str("InstanceId"), params.required_str("ContactId"), reason)
    return {}


def _describe_contact(
    b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]
) -> dict[str, Any]:
    return {"Contact": b.describe_contact(p["InstanceId"], p["ContactId"]).to_dict()}


def _search_contacts(
    b: ConnectBackend, p: dict[str, str], r: Request, body: dict[str, Any]
) -> dict[str, Any]:
    search, offset, size = parse_contact_search(body)
    found = b.search_contacts(search)
    answer: dict[str, Any] = {
        "Contacts": [c.summary() for c in found[offset : offset + size]],
        "TotalCount": len(found),
    }
    if offset + size < len(found):
        answer["NextToken"] = str(offset + size)
    return answer


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
            body = json_body(request)
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
