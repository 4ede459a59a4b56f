"""Flow modules: AWS::Connect::ContactFlowModule in the template, InvokeFlowModule runs one as a
sub-flow, EndFlowModuleExecution returns to the invoking action's NextAction; render_flows inlines
module files like flows. The template is left as it is: each test writes its own template copy, flow
file and module file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from local_connect.definitions import MODULE_FLOW_TYPE, TEMPLATE_PATH, load_definitions, load_template
from local_connect.flows.loader import FlowError, FlowLibrary, load_flow
from local_connect.flows.testing import FlowHarness
from local_connect.runtime import Runtime, RuntimeOptions
from scripts.render_flows import RenderError, render
from tests.flows.calls import STRANGER
from tests.flows.test_engine import BYE, action, say
from tests.local_connect.servers import serving

MODULE_RESOURCE = """
  GreetingModule:
    Type: AWS::Connect::ContactFlowModule
    Metadata:
      FlowFile: ../flows/greeting-module.json
    Properties:
      InstanceArn: !GetAtt ConnectInstance.Arn
      Name: Greeting
      Content: "{}"
"""


def document(actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2019-10-30", "StartAction": actions[0]["Identifier"], "Actions": actions}


MODULE = [
    action(
        "set",
        "UpdateFlowAttributes",
        {"FlowAttributes": {"who": {"Value": "module"}}},
        NextAction="hello",
        Errors=[{"ErrorType": "NoMatchingError", "NextAction": "hello"}],
    ),
    say("hello", "hello from the $.FlowAttributes.who for $.Attributes.name", "return"),
    action("return", "EndFlowModuleExecution"),
]


def caller_flow(module_ref: str) -> list[dict[str, Any]]:
    return [
        action(
            "mine",
            "UpdateFlowAttributes",
            {"FlowAttributes": {"who": {"Value": "caller"}}},
            NextAction="invoke",
            Errors=[{"ErrorType": "NoMatchingError", "NextAction": "invoke"}],
        ),
        action(
            "invoke",
            "InvokeFlowModule",
            {"FlowModuleId": module_ref},
            NextAction="after",
            Errors=[{"ErrorType": "NoMatchingError", "NextAction": "failed"}],
        ),
        say("after", "back in the $.FlowAttributes.who", "bye"),
        say("failed", "no module", "bye"),
        BYE,
    ]


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A copy of sam/template.yaml with one flow module, its file beside it as in the repository."""
    (tmp_path / "sam").mkdir()
    (tmp_path / "flows").mkdir()
    source = TEMPLATE_PATH.read_text(encoding="utf-8")
    resources = source.index("\nResources:\n") + len("\nResources:\n")
    path = tmp_path / "sam" / "template.yaml"
    path.write_text(source[:resources] + MODULE_RESOURCE.lstrip("\n") + source[resources:], encoding="utf-8")
    (tmp_path / "flows" / "greeting-module.json").write_text(json.dumps(document(MODULE)), encoding="utf-8")
    for flow in (TEMPLATE_PATH.parent.parent / "flows").glob("*.json"):
        shutil.copy(flow, tmp_path / "flows" / flow.name)
    return path


def test_the_template_module_is_a_definition_with_an_arn(template: Path) -> None:
    definitions = load_definitions(template)
    module = definitions.modules["GreetingModule"]
    assert module.type == MODULE_FLOW_TYPE
    assert module.arn == f"{definitions.instance_arn}/flow-module/{module.id}"
    assert module.flow_file == (template.parent.parent / "flows" / "greeting-module.json").resolve()
    assert definitions.resolve("${GreetingModule.ContactFlowModuleArn}") == module.arn
    assert "GreetingModule" not in definitions.flows  # listing contact flows does not show modules
    library = FlowLibrary.from_definitions(definitions)
    found = library.find(module.arn)
    assert found is not None and found.flow_type == MODULE_FLOW_TYPE
    assert library.find(module.id) is found


def test_a_module_runs_as_a_sub_flow_and_returns_to_next_action(template: Path, tmp_path: Path) -> None:
    definitions = load_definitions(template)
    library = FlowLibrary.from_definitions(definitions)
    flow = document(caller_flow("${GreetingModule.ContactFlowModuleArn}"))
    library.add(load_flow(definitions.resolve(json.dumps(flow)), key="Caller", strict=True).flow)
    tested = FlowHarness(tmp_path / "db.sqlite3", definitions=definitions, library=library)
    call = tested.dial(STRANGER, "Caller", attributes={"name": "Ana"})
    assert [p.text for p in call.prompts] == [
        "hello from the module for Ana",  # the module sees the contact, and its own flow attributes
        "back in the caller",  # NextAction of InvokeFlowModule, with the caller's flow attributes
    ]
    call.expect_disconnected()
    session = tested.engine.session(call.contact_id)
    assert session is not None
    assert [action_id for _, action_id in session.trace] == [
        "mine",
        "invoke",
        "set",
        "hello",
        "return",
        "after",
        "bye",
    ]


def test_an_unknown_module_or_a_flow_that_is_not_a_module_takes_the_error_branch(tmp_path: Path) -> None:
    library = FlowLibrary({})
    library.add(load_flow(document([say("x", "a flow", "bye"), BYE]), key="Plain", arn="arn:flow/Plain").flow)
    for ref in ("arn:nothing", "arn:flow/Plain"):
        library.add(load_flow(document(caller_flow(ref)), key="Caller", strict=True).flow)
        tested = FlowHarness(tmp_path / "db.sqlite3", library=library)
        call = tested.dial(STRANGER, "Caller")
        assert [p.text for p in call.prompts] == ["no module"]
        assert any("no flow module" in p for p in tested.engine.problems)


def test_the_module_actions_belong_in_their_flow_types() -> None:
    with pytest.raises(FlowError, match="EndFlowModuleExecution"):
        load_flow(
            document([action("end", "EndFlowModuleExecution")]),
            key="NotAModule",
            flow_type="CONTACT_FLOW",
            strict=True,
        )
    module = load_flow(
        document(MODULE), key="Module", flow_type=MODULE_FLOW_TYPE, arn="arn:module/M", strict=True
    )
    assert module.report.ok


def test_render_inlines_a_module_file_like_a_flow(template: Path) -> None:
    rendered = render(load_template(template), template)
    content = rendered["Resources"]["GreetingModule"]["Properties"]["Content"]
    assert json.loads(content["Fn::Sub"]) == document(MODULE)
    (template.parent.parent / "flows" / "greeting-module.json").unlink()
    with pytest.raises(RenderError, match=r"GreetingModule: .*does not exist"):
        render(load_template(template), template)


def test_the_connect_twin_describes_the_module(template: Path, tmp_path: Path) -> None:
    definitions = load_definitions(template)
    module = definitions.modules["GreetingModule"]
    runtime = Runtime(RuntimeOptions(db_path=tmp_path / "connect.sqlite3"), definitions)
    try:
        with serving(runtime.connect_app()) as base:
            client = boto3.client(
                "connect",
                region_name="eu-west-2",
                endpoint_url=base,
                aws_access_key_id="local",
                aws_secret_access_key="local",
                config=Config(retries={"max_attempts": 1, "mode": "standard"}),
            )
            for ref in (module.id, module.arn):
                described = client.describe_contact_flow_module(
                    InstanceId=definitions.instance_id, ContactFlowModuleId=ref
                )["ContactFlowModule"]
                assert (described["Id"], described["Arn"], described["Name"]) == (
                    module.id,
                    module.arn,
                    "Greeting",
                )
                assert (described["State"], described["Status"]) == ("ACTIVE", "PUBLISHED")
                assert json.loads(described["Content"]) == document(MODULE)
            with pytest.raises(ClientError) as missing:
                client.describe_contact_flow_module(
                    InstanceId=definitions.instance_id, ContactFlowModuleId="nope"
                )
            assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    finally:
        runtime.stop()
