"""Every flow file is deployed, and every reference inside it resolves on AWS and locally.

The real flow files are checked as they are (whichever exist in flows/); the renderer's own
behaviour is checked on small flows written to a temporary copy of the repository layout.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from local_connect.definitions import REPO_ROOT, TEMPLATE_PATH, load_definitions, load_template
from scripts.render_flows import (
    RenderError,
    check_variable,
    flow_content,
    flow_file,
    main,
    render,
    sub_variables,
)
from tests.iac.template_facts import CONNECT_FUNCTIONS, of_type

FLOWS_DIR = REPO_ROOT / "flows"
FLOW_TYPE = "AWS::Connect::ContactFlow"


def _flows(resources: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return of_type(resources, FLOW_TYPE)


def test_every_contact_flow_names_its_flow_file(resources: Mapping[str, Mapping[str, Any]]) -> None:
    flows = _flows(resources)
    assert set(flows) == {
        "InboundFlow",
        "CustomerQueueFlow",
        "SurveyFlow",
        "WebIngressFlow",
        "CallbackCreationFlow",
    }
    files = {logical_id: flow_file(TEMPLATE_PATH, flow) for logical_id, flow in flows.items()}
    assert all(path is not None and path.parent == FLOWS_DIR for path in files.values()), files
    assert len(set(files.values())) == len(files), "two flows share one file"


def test_every_flow_file_in_flows_is_deployed(resources: Mapping[str, Mapping[str, Any]]) -> None:
    deployed = {flow_file(TEMPLATE_PATH, flow) for flow in _flows(resources).values()}
    on_disk = set(FLOWS_DIR.glob("*.json"))
    assert on_disk <= deployed, f"flow files no ContactFlow deploys: {sorted(on_disk - deployed)}"


def test_flows_wait_for_the_lambda_associations(resources: Mapping[str, Mapping[str, Any]]) -> None:
    associations = sorted(
        logical_id
        for logical_id, r in of_type(resources, "AWS::Connect::IntegrationAssociation").items()
        if r["Properties"]["IntegrationType"] == "LAMBDA_FUNCTION"
    )
    for logical_id, flow in _flows(resources).items():
        assert sorted(flow["DependsOn"]) == associations, logical_id


def _present_flow_files(resources: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, Path]]:
    found = []
    for logical_id, flow in _flows(resources).items():
        path = flow_file(TEMPLATE_PATH, flow)
        if path is not None and path.exists():
            found.append((logical_id, path))
    return found


def test_real_flow_references_resolve_on_aws_and_locally(
    template: Mapping[str, Any], resources: Mapping[str, Mapping[str, Any]]
) -> None:
    definitions = load_definitions()
    for logical_id, path in _present_flow_files(resources):
        content = flow_content(path, template)  # raises on any unresolvable placeholder
        resolved = definitions.resolve(content)
        assert "${" not in resolved, logical_id
        assert json.loads(resolved)["Actions"], logical_id
        # Every Lambda a flow invokes is one Connect may invoke (permission + association).
        for variable in sub_variables(content):
            target = variable.partition(".")[0]
            if resources[target]["Type"] == "AWS::Serverless::Function":
                assert target in CONNECT_FUNCTIONS, (logical_id, target)


# ---------------------------------------------------------------- the renderer itself


def _flow(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2019-10-30", "StartAction": actions[0]["Identifier"], "Actions": list(actions)}


LAMBDA_THEN_SURVEY = _flow(
    {
        "Identifier": "lookup",
        "Type": "InvokeLambdaFunction",
        "Parameters": {
            "LambdaFunctionARN": "${CustomerLookupFunction.Arn}",
            "InvocationTimeLimitSeconds": "3",
        },
        "Transitions": {"NextAction": "survey"},
    },
    {
        "Identifier": "survey",
        "Type": "TransferToFlow",
        "Parameters": {"ContactFlowId": "${SurveyFlow.ContactFlowArn}"},
        "Transitions": {"NextAction": "end"},
    },
    {"Identifier": "end", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
)
QUEUE_FLOW = _flow(
    {
        "Identifier": "queue",
        "Type": "UpdateContactTargetQueue",
        "Parameters": {"QueueId": "${SalesNewOrdersQueue.QueueArn}", "Note": "costs ${!NotAVariable}"},
        "Transitions": {"NextAction": "end"},
    },
    {"Identifier": "end", "Type": "EndFlowExecution", "Parameters": {}, "Transitions": {}},
)


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """A copy of sam/template.yaml with flows/ beside it, as in the repository."""
    (tmp_path / "sam").mkdir()
    (tmp_path / "flows").mkdir()
    shutil.copy(TEMPLATE_PATH, tmp_path / "sam" / "template.yaml")
    names = {
        "inbound": LAMBDA_THEN_SURVEY,
        "customer-queue": QUEUE_FLOW,
        "survey": QUEUE_FLOW,
        "web-ingress": QUEUE_FLOW,
        "callback-creation": QUEUE_FLOW,
    }
    for name, flow in names.items():
        (tmp_path / "flows" / f"{name}.json").write_text(json.dumps(flow, indent=2), encoding="utf-8")
    return tmp_path / "sam" / "template.yaml"


def test_render_inlines_each_flow_file_as_fn_sub(layout: Path) -> None:
    template = load_template(layout)
    rendered = render(template, layout)
    content = rendered["Resources"]["InboundFlow"]["Properties"]["Content"]
    assert set(content) == {"Fn::Sub"}
    assert json.loads(content["Fn::Sub"]) == LAMBDA_THEN_SURVEY
    assert "\n" not in content["Fn::Sub"], "compact JSON"
    queue_content = rendered["Resources"]["CustomerQueueFlow"]["Properties"]["Content"]["Fn::Sub"]
    assert json.loads(queue_content) == QUEUE_FLOW
    # The source template is untouched, everything else is carried over as is.
    assert isinstance(template["Resources"]["InboundFlow"]["Properties"]["Content"], str)
    assert rendered["Resources"]["ApiFunction"] == template["Resources"]["ApiFunction"]


def test_render_refuses_unknown_references_naming_the_flow(layout: Path) -> None:
    broken = json.dumps(LAMBDA_THEN_SURVEY).replace("CustomerLookupFunction.Arn", "CustomerLokupFunction.Arn")
    (layout.parent.parent / "flows" / "inbound.json").write_text(broken, encoding="utf-8")
    with pytest.raises(
        RenderError, match=r"InboundFlow: .*\$\{CustomerLokupFunction.Arn\} names no resource"
    ):
        render(load_template(layout), layout)


def test_render_refuses_attributes_the_resource_does_not_have(layout: Path) -> None:
    broken = json.dumps(QUEUE_FLOW).replace("SalesNewOrdersQueue.QueueArn", "SalesNewOrdersQueue.Arn")
    (layout.parent.parent / "flows" / "survey.json").write_text(broken, encoding="utf-8")
    with pytest.raises(RenderError, match=r"SurveyFlow: .*AWS::Connect::Queue has no attribute 'Arn'"):
        render(load_template(layout), layout)


def test_render_refuses_a_missing_or_malformed_flow_file(layout: Path) -> None:
    flows = layout.parent.parent / "flows"
    (flows / "web-ingress.json").unlink()
    with pytest.raises(RenderError, match=r"WebIngressFlow: .*does not exist"):
        render(load_template(layout), layout)
    (flows / "web-ingress.json").write_text('{"Actions": [', encoding="utf-8")
    with pytest.raises(RenderError, match=r"WebIngressFlow: .*not JSON"):
        render(load_template(layout), layout)
    (flows / "web-ingress.json").write_text('{"Prompts": []}', encoding="utf-8")
    with pytest.raises(RenderError, match="not a Flow Language document"):
        render(load_template(layout), layout)


def test_check_variable_accepts_parameters_pseudo_parameters_and_refs(template: Mapping[str, Any]) -> None:
    assert check_variable("AWS::Region", template) is None
    assert check_variable("Stage", template) is None
    assert check_variable("SurveyFlow", template) is None
    assert check_variable("SalesHours.HoursOfOperationArn", template) is None
    assert check_variable("PromptsTable.Arn", template) is not None  # not something a flow reads
    assert sub_variables('{"a":"${X.Y}","b":"${!Literal}"}') == ["X.Y"]


def test_main_renders_the_sam_build_output_in_place(layout: Path, tmp_path: Path) -> None:
    built = tmp_path / "built.yaml"
    shutil.copy(layout, built)  # stands in for .aws-sam/build/template.yaml
    assert main(["--source", str(layout), "--built", str(built)]) == 0
    written = json.loads(built.read_text(encoding="utf-8"))
    for logical_id in (
        "InboundFlow",
        "CustomerQueueFlow",
        "SurveyFlow",
        "WebIngressFlow",
        "CallbackCreationFlow",
    ):
        assert "Fn::Sub" in written["Resources"][logical_id]["Properties"]["Content"]
    # What was written is a template the project's own reader (and CloudFormation) can parse.
    assert load_template(built)["Resources"].keys() == written["Resources"].keys()
    (layout.parent.parent / "flows" / "survey.json").unlink()
    assert main(["--source", str(layout), "--built", str(built)]) == 1


def test_the_source_template_holds_no_stand_in_flow(resources: Mapping[str, Mapping[str, Any]]) -> None:
    """Deploying sam/template.yaml unrendered must fail at CreateContactFlow, not deploy a stub."""
    for logical_id, flow in _flows(resources).items():
        content = flow["Properties"]["Content"]
        assert isinstance(content, str) and "render_flows" in content, logical_id
        with pytest.raises(json.JSONDecodeError):
            json.loads(content)
