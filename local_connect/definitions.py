"""The contact center's definitions, read from the SAM template: one source for AWS and local.

The template is the deployable truth for hours of operation, queues, routing profiles and the
Lambda functions. The local runtime reads it here, so nothing is declared twice. Ids are derived
from logical ids (uuid5), so they are stable across restarts and machines.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = REPO_ROOT / "sam" / "template.yaml"

LOCAL_REGION = "us-east-1"
LOCAL_ACCOUNT = "123456789012"
_NAMESPACE = uuid.UUID("5f0c2d4e-9a51-4c47-8a4b-6a1d3c7e0b21")

# `${LogicalId.Attribute}` or `${LogicalId}`: the Fn::Sub syntax flow files use for references.
PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}")


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that keeps CloudFormation short-form tags as {"Fn::X": value} / {"Ref": value}."""


def _construct_tag(loader: _CfnLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The template as plain data, intrinsic functions kept as their long form."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_CfnLoader)
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a CloudFormation template")
    return data


def stable_id(kind: str, logical_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{logical_id}"))


@dataclass(frozen=True)
class TimeOfDay:
    hours: int
    minutes: int


@dataclass(frozen=True)
class HoursConfig:
    day: str
    start: TimeOfDay
    end: TimeOfDay


@dataclass(frozen=True)
class HoursOfOperation:
    logical_id: str
    id: str
    arn: str
    name: str
    description: str
    time_zone: str
    config: tuple[HoursConfig, ...]
    overrides: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Queue:
    logical_id: str
    id: str
    arn: str
    name: str
    description: str
    hours_logical_id: str
    max_contacts: int | None


@dataclass(frozen=True)
class QueueConfig:
    queue_logical_id: str
    priority: int
    delay: int
    channel: str = "VOICE"  # QueueReference.Channel: the channel this queue serves for the profile


@dataclass(frozen=True)
class RoutingProfile:
    logical_id: str
    id: str
    arn: str
    name: str
    default_outbound_queue_logical_id: str
    queue_configs: tuple[QueueConfig, ...]
    # MediaConcurrencies' channels: what its agents take (VOICE, CHAT, TASK, EMAIL).
    channels: frozenset[str] = frozenset({"VOICE"})


@dataclass(frozen=True)
class Function:
    logical_id: str
    arn: str
    code_dir: Path
    handler: str
    environment: Mapping[str, Any]


MODULE_FLOW_TYPE = "FLOW_MODULE"  # the catalog's flow type for a flow module's document


@dataclass(frozen=True)
class ContactFlowDef:
    logical_id: str
    id: str
    arn: str
    name: str
    type: str
    flow_file: Path | None


@dataclass
class Definitions:
    instance_id: str
    instance_arn: str
    hours: dict[str, HoursOfOperation] = field(default_factory=dict)
    queues: dict[str, Queue] = field(default_factory=dict)
    routing_profiles: dict[str, RoutingProfile] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    flows: dict[str, ContactFlowDef] = field(default_factory=dict)
    # AWS::Connect::ContactFlowModule: flow documents an InvokeFlowModule runs as a sub-flow (type
    # FLOW_MODULE), kept apart from the flows so nothing that lists contact flows sees them.
    modules: dict[str, ContactFlowDef] = field(default_factory=dict)
    resources: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    def attribute(self, logical_id: str, attribute: str | None) -> str:
        """What `${LogicalId.Attribute}` resolves to locally (the same shape as on AWS)."""
        if logical_id in self.hours:
            hours = self.hours[logical_id]
            return hours.arn if attribute in (None, "HoursOfOperationArn") else hours.id
        if logical_id in self.queues:
            queue = self.queues[logical_id]
            return queue.arn if attribute in (None, "QueueArn") else queue.id
        if logical_id in self.routing_profiles:
            return self.routing_profiles[logical_id].arn
        if logical_id in self.functions:
            return self.functions[logical_id].arn
        if logical_id in self.flows:
            return self.flows[logical_id].arn
        if logical_id in self.modules:  # Ref and ContactFlowModuleArn are the module's ARN
            return self.modules[logical_id].arn
        if logical_id == "ConnectInstance":
            return self.instance_arn if attribute in (None, "Arn") else self.instance_id
        raise KeyError(f"unknown reference ${{{logical_id}{'.' + attribute if attribute else ''}}}")

    def resolve(self, text: str) -> str:
        """Replace every `${LogicalId.Attribute}` placeholder, as Fn::Sub does on deploy."""
        return PLACEHOLDER.sub(lambda m: self.attribute(m.group(1), m.group(2)), text)

    def queue_by_arn(self, arn: str) -> Queue | None:
        return next((q for q in self.queues.values() if q.arn == arn or q.id == arn), None)

    def hours_by_arn(self, arn: str) -> HoursOfOperation | None:
        """Hours of operation by ARN or id."""
        return next((h for h in self.hours.values() if arn in (h.arn, h.id)), None)

    def function_by_arn(self, arn: str) -> Function | None:
        return next((f for f in self.functions.values() if f.arn == arn), None)


def _logical_of(value: Any) -> str:
    """The logical id an intrinsic like !GetAtt X.Arn / !Ref X points at."""
    if isinstance(value, Mapping):
        if "Fn::GetAtt" in value:
            return str(value["Fn::GetAtt"][0])
        if "Ref" in value:
            return str(value["Ref"])
    raise ValueError(f"expected a !GetAtt or !Ref, got {value!r}")


def _time(value: Mapping[str, Any]) -> TimeOfDay:
    return TimeOfDay(int(value["Hours"]), int(value["Minutes"]))


def _plain_env(variables: Mapping[str, Any]) -> dict[str, Any]:
    return dict(variables)


def _flow_file(template_path: Path, resource: Mapping[str, Any]) -> Path | None:
    name = (resource.get("Metadata") or {}).get("FlowFile")
    return (template_path.parent / name).resolve() if name else None


@cache
def load_definitions(path: Path = TEMPLATE_PATH) -> Definitions:
    template = load_template(path)
    instance_id = stable_id("instance", "ConnectInstance")
    instance_arn = f"arn:aws:connect:{LOCAL_REGION}:{LOCAL_ACCOUNT}:instance/{instance_id}"
    defs = Definitions(instance_id=instance_id, instance_arn=instance_arn)
    globals_env = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    for logical_id, resource in template.get("Resources", {}).items():
        kind = resource.get("Type")
        props = resource.get("Properties", {}) or {}
        defs.resources[logical_id] = resource
        if kind == "AWS::Connect::HoursOfOperation":
            hid = stable_id("hours", logical_id)
            defs.hours[logical_id] = HoursOfOperation(
                logical_id=logical_id,
                id=hid,
                arn=f"{instance_arn}/operating-hours/{hid}",
                name=props["Name"],
                description=props.get("Description", ""),
                time_zone=props["TimeZone"],
                config=tuple(
                    HoursConfig(c["Day"], _time(c["StartTime"]), _time(c["EndTime"])) for c in props["Config"]
                ),
                overrides=tuple(props.get("HoursOfOperationOverrides", []) or []),
            )
        elif kind == "AWS::Connect::Queue":
            qid = stable_id("queue", logical_id)
            defs.queues[logical_id] = Queue(
                logical_id=logical_id,
                id=qid,
                arn=f"{instance_arn}/queue/{qid}",
                name=props["Name"],
                description=props.get("Description", ""),
                hours_logical_id=_logical_of(props["HoursOfOperationArn"]),
                max_contacts=props.get("MaxContacts"),
            )
        elif kind == "AWS::Connect::RoutingProfile":
            rid = stable_id("routing-profile", logical_id)
            defs.routing_profiles[logical_id] = RoutingProfile(
                logical_id=logical_id,
                id=rid,
                arn=f"{instance_arn}/routing-profile/{rid}",
                name=props["Name"],
                default_outbound_queue_logical_id=_logical_of(props["DefaultOutboundQueueArn"]),
                queue_configs=tuple(
                    QueueConfig(
                        _logical_of(c["QueueReference"]["QueueArn"]),
                        int(c["Priority"]),
                        int(c["Delay"]),
                        str(c["QueueReference"].get("Channel") or "VOICE"),
                    )
                    for c in props.get("QueueConfigs", [])
                ),
                channels=frozenset(
                    str(m["Channel"]) for m in props.get("MediaConcurrencies", [{"Channel": "VOICE"}])
                ),
            )
        elif kind == "AWS::Serverless::Function":
            env = {**globals_env, **(props.get("Environment", {}) or {}).get("Variables", {})}
            defs.functions[logical_id] = Function(
                logical_id=logical_id,
                arn=f"arn:aws:lambda:{LOCAL_REGION}:{LOCAL_ACCOUNT}:function:{logical_id}",
                code_dir=(path.parent / props["CodeUri"]).resolve(),
                handler=props["Handler"],
                environment=_plain_env(env),
            )
        elif kind == "AWS::Connect::ContactFlow":
            fid = stable_id("contact-flow", logical_id)
            defs.flows[logical_id] = ContactFlowDef(
                logical_id=logical_id,
                id=fid,
                arn=f"{instance_arn}/contact-flow/{fid}",
                name=str(props.get("Name", logical_id)),
                type=str(props.get("Type", "CONTACT_FLOW")),
                flow_file=_flow_file(path, resource),
            )
        elif kind == "AWS::Connect::ContactFlowModule":
            # Read like a contact flow (Metadata.FlowFile names its Flow Language document); the ARN
            # has Connect's shape for modules: <instance ARN>/flow-module/<id>.
            mid = stable_id("flow-module", logical_id)
            defs.modules[logical_id] = ContactFlowDef(
                logical_id=logical_id,
                id=mid,
                arn=f"{instance_arn}/flow-module/{mid}",
                name=str(props.get("Name", logical_id)),
                type=MODULE_FLOW_TYPE,
                flow_file=_flow_file(path, resource),
            )
    return defs
