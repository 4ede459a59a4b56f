"""The bot on AWS is the definition file: the template's Lex resources are scripts/render_lex.py's
rendering of data/lex/bot.yaml, wired to the fulfillment Lambda and the Connect instance with
least-privilege IAM."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from lex_fulfillment.bot import FALLBACK, LOCALES, load

from local_connect.definitions import TEMPLATE_PATH, load_template
from scripts import render_lex
from tests.iac.template_facts import INSTANCE_ARN, environment, function_role, granted, role_statements

REPO = Path(__file__).resolve().parents[2]
BOT = load()


@pytest.fixture(scope="module")
def resources() -> Mapping[str, Mapping[str, Any]]:
    return load_template()["Resources"]


def test_the_templates_block_is_the_rendering_of_the_definition() -> None:
    assert render_lex.main(["--check"]) == 0, "run: python -m scripts.render_lex"
    text = TEMPLATE_PATH.read_text("utf-8")
    assert render_lex.current_block(text) == render_lex.block_text(BOT)


def test_the_templates_bot_has_every_intent_utterance_and_slot_of_the_definition(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    locales = {loc["LocaleId"]: loc for loc in resources["LexBot"]["Properties"]["BotLocales"]}
    assert set(locales) == set(LOCALES)
    for locale, rendered in locales.items():
        assert rendered["NluConfidenceThreshold"] == BOT.nlu_confidence_threshold
        intents = {i["Name"]: i for i in rendered["Intents"]}
        assert set(intents) == {i.name for i in BOT.intents} | {FALLBACK}
        assert intents[FALLBACK]["ParentIntentSignature"] == "AMAZON.FallbackIntent"
        for intent in BOT.intents:
            assert [u["Utterance"] for u in intents[intent.name]["SampleUtterances"]] == list(
                intent.utterances[locale]
            )
            slots = {s["Name"]: s for s in intents[intent.name].get("Slots", [])}
            assert set(slots) == {s.name for s in intent.slots}
            for slot in intent.slots:
                setting = slots[slot.name]["ValueElicitationSetting"]
                assert setting["SlotConstraint"] == ("Required" if slot.required else "Optional")
        types = {t["Name"]: t for t in rendered["SlotTypes"]}
        for name, slot_type in BOT.slot_types.items():
            values = types[name]["SlotTypeValues"]
            assert [v["SampleValue"]["Value"] for v in values] == [v.value for v in slot_type.values]
            assert [[s["Value"] for s in v["Synonyms"]] for v in values] == [
                list(v.synonyms[locale]) for v in slot_type.values
            ]


def test_the_alias_runs_the_fulfillment_lambda_in_both_locales_of_a_built_version(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    alias = resources["LexBotAlias"]["Properties"]
    assert alias["BotVersion"] == {"Fn::GetAtt": ["LexBotVersion", "BotVersion"]}
    hooks = {s["LocaleId"]: s["BotAliasLocaleSetting"] for s in alias["BotAliasLocaleSettings"]}
    assert set(hooks) == set(LOCALES)
    for setting in hooks.values():
        assert setting["Enabled"] is True
        assert setting["CodeHookSpecification"]["LambdaCodeHook"] == {
            "CodeHookInterfaceVersion": "1.0",
            "LambdaArn": {"Fn::GetAtt": ["LexFulfillmentFunction", "Arn"]},
        }
    version = resources["LexBotVersion"]["Properties"]["BotVersionLocaleSpecification"]
    assert {v["LocaleId"] for v in version} == set(LOCALES)


def test_only_the_alias_may_invoke_the_lambda_and_the_alias_is_on_the_instance(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    function_arn = {"Fn::GetAtt": ["LexFulfillmentFunction", "Arn"]}
    permissions = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::Permission" and r["Properties"]["FunctionName"] == function_arn
    ]
    assert permissions == [
        {
            "FunctionName": function_arn,
            "Action": "lambda:InvokeFunction",
            "Principal": "lexv2.amazonaws.com",
            "SourceAccount": {"Ref": "AWS::AccountId"},
            "SourceArn": {"Fn::GetAtt": ["LexBotAlias", "Arn"]},
        }
    ]
    assert resources["LexBotIntegration"]["Properties"] == {
        "InstanceId": INSTANCE_ARN,
        "IntegrationType": "LEX_BOT",
        "IntegrationArn": {"Fn::GetAtt": ["LexBotAlias", "Arn"]},
    }


def test_the_lambda_role_grants_exactly_what_its_code_calls(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    _, role = function_role(resources, "LexFulfillmentFunction")
    hours = [{"Fn::GetAtt": [d["hours"], "HoursOfOperationArn"]} for d in BOT.departments.values()]
    assert granted(role, "connect") == {
        "connect:DescribeHoursOfOperation": hours,
        "connect:ListHoursOfOperationOverrides": hours,
    }
    assert granted(role, "dynamodb") == {"dynamodb:GetItem": [{"Fn::GetAtt": ["CustomerDataTable", "Arn"]}]}
    services = {a.split(":")[0] for s in role_statements(role) for a in s["Action"]}
    assert services == {"logs", "connect", "dynamodb"}


def test_the_lambda_environment_names_each_departments_hours_and_the_customer_table(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    env = environment(resources["LexFulfillmentFunction"])
    assert env["DATA_BACKEND"] == "dynamodb"
    assert env["CUSTOMER_TABLE"] == {"Ref": "CustomerDataTable"}
    for name, department in BOT.departments.items():
        assert env[f"HOURS_ARN_{name.upper()}"] == {
            "Fn::GetAtt": [department["hours"], "HoursOfOperationArn"]
        }


def _third_party(root: Path) -> set[str]:
    import sys

    local = {p.stem for p in (REPO / "lambdas").iterdir()} | {"jam_core"}
    names: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in local and n != "__future__"}


def test_the_build_ships_every_package_the_lambda_imports_and_its_data() -> None:
    build = REPO / "sam" / "build"
    pins = {
        line.split("==")[0].lower(): line.split("==")[1]
        for line in (build / "requirements-lex-fulfillment.txt").read_text("utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    imports = _third_party(REPO / "lambdas" / "lex_fulfillment") | _third_party(
        REPO / "lambdas" / "hours_status"
    )
    module_to_dist = {"yaml": "pyyaml", "rapidfuzz": "rapidfuzz", "boto3": None, "botocore": None}
    for name in imports:
        assert name in module_to_dist, f"lex_fulfillment imports {name}: add it to the build"
        dist = module_to_dist[name]
        assert dist is None or dist in pins, f"{dist} is not in requirements-lex-fulfillment.txt"
    api_pins = dict(
        line.split("==")
        for line in (build / "requirements-api.txt").read_text("utf-8").splitlines()
        if "==" in line
    )
    assert pins["tzdata"] == api_pins["tzdata"]
    target = (build / "Makefile").read_text("utf-8").split("build-LexFulfillmentFunction:", 1)[1]
    assert re.search(r"data/lex/bot\.yaml", target) and re.search(r"data/kb/\*\.md", target)
    assert "requirements-lex-fulfillment.txt" in target
