"""IAM in the template grants exactly the AWS calls the code makes, on named resources.

The API's calls are read from its source (tests/iac/code_facts.py). The Connect Lambdas' calls
are observed: each handler runs, with the environment the template gives it, against a mocked
account (moto) holding the template's tables and its secret, through the paths that touch storage
(found, unknown, duplicate, wrong PIN, right PIN); every DynamoDB request is recorded with its
table, every Secrets Manager request with its secret.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from jam_core.aws_sdk.clients import SDK_OPERATIONS
from local_connect.definitions import load_definitions
from tests.iac.code_facts import REPO, sdk_calls_of
from tests.iac.template_facts import (
    DATA_FUNCTIONS,
    INSTANCE_ARN,
    all_policy_statements,
    as_list,
    environment,
    function_role,
    granted,
    of_type,
    role_statements,
)

# The one statement that cannot name a resource, and why (also said in the template).
RESOURCE_WILDCARD_ALLOWED = {
    ("CognitoSmsPolicy", "SendVerificationSms"): "SMS to a phone number (sns:Publish) has no resource ARN",
    ("LexBotRole", "SpeakPrompts"): "Polly's SynthesizeSpeech has a resource (a lexicon) only if one is used",
}


def test_no_action_wildcards_anywhere(resources: Mapping[str, Mapping[str, Any]]) -> None:
    statements = list(all_policy_statements(resources))
    assert len(statements) >= 10
    for logical_id, statement in statements:
        assert "NotAction" not in statement, logical_id
        for action in as_list(statement["Action"]):
            assert "*" not in action, (logical_id, action)


def test_resources_are_named_except_the_justified_one(resources: Mapping[str, Mapping[str, Any]]) -> None:
    wildcards = set()
    for logical_id, statement in all_policy_statements(resources):
        assert "NotResource" not in statement, logical_id
        if "*" in as_list(statement["Resource"]):
            wildcards.add((logical_id, statement.get("Sid")))
    assert wildcards == set(RESOURCE_WILDCARD_ALLOWED)


def test_functions_use_their_own_roles_not_sam_policy_templates(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    functions = of_type(resources, "AWS::Serverless::Function")
    roles = set()
    for logical_id, function in functions.items():
        assert "Policies" not in function["Properties"], logical_id
        role_id, role = function_role(resources, logical_id)
        roles.add(role_id)
        assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ]
        assert "ManagedPolicyArns" not in role["Properties"], role_id
    assert len(roles) == len(functions), "no role is shared between functions"


@pytest.mark.parametrize(
    "function_id",
    [
        "ApiFunction",
        "CustomerLookupFunction",
        "PromptsFunction",
        "SurveyFunction",
        "PinVerificationFunction",
        "OtpVerificationFunction",
    ],
)
def test_each_function_writes_only_its_own_log_group_with_retention(
    resources: Mapping[str, Mapping[str, Any]], function_id: str
) -> None:
    function = resources[function_id]["Properties"]
    log_group_id = function["LoggingConfig"]["LogGroup"]["Ref"]
    assert resources[log_group_id]["Type"] == "AWS::Logs::LogGroup"
    assert resources[log_group_id]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    _, role = function_role(resources, function_id)
    assert granted(role, "logs") == {
        "logs:CreateLogStream": [{"Fn::GetAtt": [log_group_id, "Arn"]}],
        "logs:PutLogEvents": [{"Fn::GetAtt": [log_group_id, "Arn"]}],
    }


def test_api_role_grants_exactly_the_connect_calls_of_the_api_code(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    # The API's own code and the shared modules it imports (jam_core.schedule.connect_read, ...).
    calls = sdk_calls_of(REPO / "api" / "jam_api", "connect")
    assert "connect:DescribeHoursOfOperation" in calls  # the scan sees the code at all
    _, role = function_role(resources, "ApiFunction")
    grants = granted(role, "connect")
    assert set(grants) == calls
    services = {action.split(":")[0] for s in role_statements(role) for action in as_list(s["Action"])}
    # DynamoDB: the survey summary and the waiting click-to-calls; SQS: their queue; Scheduler and
    # iam:PassRole: calls at the next opening (all below).
    assert services == {"logs", "connect", "dynamodb", "sqs", "scheduler", "iam"}


def test_api_role_schedules_calls_for_the_opening_in_its_group_with_the_schedulers_role_only(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    _, role = function_role(resources, "ApiFunction")
    sliced = {f"scheduler:{name}" for name in SDK_OPERATIONS["scheduler"]}
    assert set(granted(role, "scheduler")) == sdk_calls_of(REPO / "api" / "jam_api", "scheduler") & sliced
    assert granted(role, "scheduler")["scheduler:CreateSchedule"] == [
        {
            "Fn::Sub": "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/${CallScheduleGroup}/*"
        }
    ]
    (pass_role,) = [s for s in role_statements(role) if "iam:PassRole" in as_list(s["Action"])]
    assert pass_role["Resource"] == {"Fn::GetAtt": ["CallSchedulerRole", "Arn"]}
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}
    scheduler_role = resources["CallSchedulerRole"]
    (trust,) = scheduler_role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"} and "aws:SourceAccount" in str(trust)
    assert granted(scheduler_role, "sqs") == {"sqs:SendMessage": [{"Fn::GetAtt": ["CallQueue", "Arn"]}]}


def test_api_role_sends_waiting_click_to_calls_to_their_queue_only(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    _, role = function_role(resources, "ApiFunction")
    # Connect's list_queues has SQS's name too: count only what the SQS client's slice can call.
    sliced = {f"sqs:{name}" for name in SDK_OPERATIONS["sqs"]}
    assert (
        set(granted(role, "sqs"))
        == sdk_calls_of(REPO / "api" / "jam_api", "sqs") & sliced
        == {"sqs:SendMessage"}
    )
    assert granted(role, "sqs")["sqs:SendMessage"] == [{"Fn::GetAtt": ["CallQueue", "Arn"]}]
    dynamodb = granted(role, "dynamodb")
    for action in ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"):
        assert dynamodb[action] == [{"Fn::GetAtt": ["CallRequestsTable", "Arn"]}], action
    assert sdk_calls_of(REPO / "api" / "jam_api", "dynamodb") >= set(dynamodb) - {"dynamodb:Scan"}


def test_call_placer_role_grants_exactly_what_its_code_and_its_queue_need(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    _, role = function_role(resources, "CallPlacerFunction")
    code = REPO / "lambdas" / "call_placer"
    assert (
        set(granted(role, "connect"))
        == sdk_calls_of(code, "connect")
        == {"connect:StartOutboundVoiceContact"}
    )
    assert set(granted(role, "dynamodb")) == {"dynamodb:GetItem", "dynamodb:UpdateItem"}
    assert {"dynamodb:GetItem", "dynamodb:UpdateItem"} <= sdk_calls_of(code, "dynamodb")
    # The event source mapping polls with the function's role (Lambda's SQS event source docs).
    assert set(granted(role, "sqs")) == {
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
    }
    for resources_granted in granted(role, "sqs").values():
        assert resources_granted == [{"Fn::GetAtt": ["CallQueue", "Arn"]}]


def test_api_reads_only_the_templates_hours_and_starts_contacts_on_its_instance(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    _, role = function_role(resources, "ApiFunction")
    grants = granted(role, "connect")
    every_hours = [
        {"Fn::GetAtt": [logical_id, "HoursOfOperationArn"]}
        for logical_id in of_type(resources, "AWS::Connect::HoursOfOperation")
    ]
    assert len(every_hours) == 3
    assert grants["connect:DescribeHoursOfOperation"] == every_hours
    assert grants["connect:ListHoursOfOperationOverrides"] == every_hours
    # Which hours ids exist (unknown ids answer 404 without a call): the instance's list only.
    assert grants["connect:ListHoursOfOperations"] == [INSTANCE_ARN]
    contacts = [{"Fn::Sub": ["${Instance}/contact/*", {"Instance": INSTANCE_ARN}]}]
    assert grants["connect:StartOutboundVoiceContact"] == contacts
    # The call status reads contacts of this instance only, and names the template's queues.
    for action in ("DescribeContact", "GetContactAttributes", "GetContactMetrics"):
        assert grants[f"connect:{action}"] == contacts, action
    every_queue = [
        {"Fn::GetAtt": [logical_id, "QueueArn"]} for logical_id in of_type(resources, "AWS::Connect::Queue")
    ]
    assert len(every_queue) == 6
    assert grants["connect:DescribeQueue"] == every_queue


def test_hours_status_role_reads_exactly_the_templates_hours_with_the_calls_its_code_makes(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    # The handler and the shared schedule read it imports (jam_core.schedule.connect_read).
    calls = sdk_calls_of(REPO / "lambdas" / "hours_status", "connect")
    assert calls == {"connect:DescribeHoursOfOperation", "connect:ListHoursOfOperationOverrides"}
    _, role = function_role(resources, "HoursStatusFunction")
    grants = granted(role, "connect")
    assert set(grants) == calls
    every_hours = [
        {"Fn::GetAtt": [logical_id, "HoursOfOperationArn"]}
        for logical_id in of_type(resources, "AWS::Connect::HoursOfOperation")
    ]
    for action in calls:
        assert grants[action] == every_hours, action
    services = {action.split(":")[0] for s in role_statements(role) for action in as_list(s["Action"])}
    assert services == {"logs", "connect"}


def test_api_reads_metrics_of_its_instance_and_the_templates_queues_only(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    _, role = function_role(resources, "ApiFunction")
    grants = granted(role, "connect")
    every_queue = [
        {"Fn::GetAtt": [logical_id, "QueueArn"]} for logical_id in of_type(resources, "AWS::Connect::Queue")
    ]
    assert len(every_queue) == 6
    assert grants["connect:ListQueues"] == [INSTANCE_ARN]
    assert grants["connect:GetCurrentMetricData"] == [INSTANCE_ARN, *every_queue]
    assert grants["connect:SearchContacts"] == [INSTANCE_ARN]


# ---------------------------------------------------------------- the Connect Lambdas, observed

REGION = "us-east-1"
KNOWN_CUSTOMER = "+12025550100"  # in data/seed/customers.json, with a PIN in pins.json
KNOWN_PIN = "1234"
UNKNOWN_NUMBER = "+13125550199"


def contact_event(
    parameters: Mapping[str, str], number: str = KNOWN_CUSTOMER, contact_id: str = "c-1"
) -> dict[str, Any]:
    """A Connect Lambda invocation event (shape of Amazon Connect's ContactFlowEvent)."""
    definitions = load_definitions()
    return {
        "Name": "ContactFlowEvent",
        "Details": {
            "ContactData": {
                "ContactId": contact_id,
                "InitialContactId": contact_id,
                "PreviousContactId": contact_id,
                "Channel": "VOICE",
                "InitiationMethod": "INBOUND",
                "InstanceARN": definitions.instance_arn,
                "CustomerEndpoint": {"Address": number, "Type": "TELEPHONE_NUMBER"},
                "SystemEndpoint": {"Address": "+18005550199", "Type": "TELEPHONE_NUMBER"},
                "Attributes": {},
                "LanguageCode": "en-US",
                "Queue": {"Name": "Sales - New Orders", "ARN": definitions.queues["SalesNewOrdersQueue"].arn},
                "MediaStreams": {},
            },
            "Parameters": dict(parameters),
        },
    }


# function -> [(event, what the reply must show: the storage path really ran)]
SCENARIOS: dict[str, list[tuple[dict[str, Any], dict[str, str]]]] = {
    "CustomerLookupFunction": [
        (contact_event({}), {"found": "true"}),
        (contact_event({}, number=UNKNOWN_NUMBER), {"found": "false"}),
    ],
    "PromptsFunction": [
        (
            contact_event({"ContactFlowName": "IAM Check", "LanguageCode": "es-US"}),
            {"Welcome": "Hola", "LanguageUsed": "es-US", "PromptCount": "1"},
        ),
    ],
    "SurveyFunction": [
        (
            contact_event({"Q1": "5", "Q2": "4", "Q3": "", "LanguageCode": "en-US"}, contact_id="s-1"),
            {"stored": "true"},
        ),
        (
            contact_event({"Q1": "5", "Q2": "4", "Q3": "", "LanguageCode": "en-US"}, contact_id="s-1"),
            {"duplicate": "true"},
        ),
    ],
    "PinVerificationFunction": [
        (contact_event({"Pin": "0000"}), {"verified": "false", "enrolled": "true"}),
        (contact_event({"Pin": KNOWN_PIN}), {"verified": "true"}),
        (
            contact_event({"Pin": KNOWN_PIN}, number=UNKNOWN_NUMBER),
            {"verified": "false", "enrolled": "false"},
        ),
    ],
}


def _table_value(value: Any) -> str:
    """A table variable's value in the mocked account: the table is named by its logical id."""
    assert isinstance(value, Mapping) and set(value) == {"Ref"}, value
    return str(value["Ref"])


@pytest.fixture
def mocked_account(
    monkeypatch: pytest.MonkeyPatch, resources: Mapping[str, Mapping[str, Any]]
) -> Iterator[Any]:
    """moto with every DynamoDB table and secret of the template (named by logical id), seeded
    from data/seed; yields the DynamoDB client and {secret logical id: ARN}."""
    from moto import mock_aws

    from jam_core.connect_lambda.settings import Settings
    from jam_core.tables import dynamo, pepper, repositories
    from scripts.seed import load, read_seed
    from tests.lambdas.container import forget_container_state

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "SQLITE_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    forget_container_state()
    with mock_aws():
        client = dynamo.client()
        import boto3

        # The template generates its secrets; here any 64 characters do (CreateSecret is not in
        # the Lambdas' SDK slice, so a full client makes them).
        secrets_admin = boto3.client("secretsmanager", region_name=REGION)
        secret_arns = {
            logical_id: str(secrets_admin.create_secret(Name=logical_id, SecretString="p" * 64)["ARN"])
            for logical_id in of_type(resources, "AWS::SecretsManager::Secret")
        }
        for logical_id, table in of_type(resources, "AWS::DynamoDB::Table").items():
            props = table["Properties"]
            client.create_table(
                TableName=logical_id,
                KeySchema=props["KeySchema"],
                AttributeDefinitions=props["AttributeDefinitions"],
                BillingMode=props["BillingMode"],
            )
        seed_settings = Settings(
            backend="dynamodb",
            customer_table="CustomerDataTable",
            prompts_table="PromptsTable",
            survey_table="SurveyResultsTable",
            pin_table="PinStateTable",
            pin_pepper_secret_arn=secret_arns["PinPepperSecret"],
        )
        load(read_seed(), seed_settings)
        # The flows' prompts file may not exist yet; one item of our own makes the read succeed.
        repositories.prompts(seed_settings).put(
            {
                "ContactFlowName": "IAM Check",
                "Prompts": [{"Id": "Welcome", "PromptText": {"en-US": "Hi", "es-US": "Hola"}}],
            }
        )
        repositories.clear()
        pepper.reset()
        yield client, secret_arns
    forget_container_state()


# The one-time codes' function also texts (End User Messaging SMS, which moto does not implement):
# its own test below stubs that one call.
@pytest.mark.parametrize("function_id", [f for f in DATA_FUNCTIONS if f != "OtpVerificationFunction"])
def test_lambda_role_grants_exactly_the_dynamodb_and_secret_calls_its_handler_makes(
    function_id: str,
    resources: Mapping[str, Mapping[str, Any]],
    mocked_account: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jam_core.aws_sdk import secretsmanager

    dynamodb, secret_arns = mocked_account
    function = resources[function_id]["Properties"]
    env = environment(resources[function_id])
    assert env.pop("DATA_BACKEND") == "dynamodb"
    tables = {name: _table_value(value) for name, value in env.items() if name.endswith("_TABLE")}
    assert len(tables) == 1, f"{function_id} reaches exactly one table: {tables}"
    secrets = {name: _table_value(value) for name, value in env.items() if name.endswith("_SECRET_ARN")}
    for name, value in env.items():
        if name in secrets:
            value = secret_arns[secrets[name]]
        monkeypatch.setenv(name, tables.get(name, str(value)))
    monkeypatch.setenv("DATA_BACKEND", "dynamodb")

    calls: set[tuple[str, str]] = set()

    def record(model: Any, params: Mapping[str, Any], **_: Any) -> None:
        calls.add((f"dynamodb:{model.name}", str(params.get("TableName"))))

    def record_secret(model: Any, params: Mapping[str, Any], **_: Any) -> None:
        calls.add((f"secretsmanager:{model.name}", str(params.get("SecretId"))))

    dynamodb.meta.events.register("before-parameter-build.dynamodb", record)
    secretsmanager.client().meta.events.register("before-parameter-build.secretsmanager", record_secret)
    module_name, handler_name = function["Handler"].rsplit(".", 1)
    handler = getattr(importlib.import_module(module_name), handler_name)
    for event, expected in SCENARIOS[function_id]:
        reply = handler(event, None)
        assert "error" not in reply, (function_id, reply)
        assert {k: reply.get(k) for k in expected} == expected, (function_id, reply)

    (table,) = tables.values()
    dynamodb_calls = {(action, t) for action, t in calls if action.startswith("dynamodb:")}
    assert dynamodb_calls, f"{function_id} made no DynamoDB call"
    assert {t for _, t in dynamodb_calls} == {table}
    _, role = function_role(resources, function_id)
    grants = granted(role, "dynamodb")
    assert set(grants) == {action for action, _ in dynamodb_calls}
    for action, granted_resources in grants.items():
        assert granted_resources == [{"Fn::GetAtt": [table, "Arn"]}], action

    # Secrets: exactly the calls made, each on the one secret the function's environment names.
    secret_calls = calls - dynamodb_calls
    assert {arn for _, arn in secret_calls} == {secret_arns[s] for s in secrets.values()}
    secret_grants = granted(role, "secretsmanager")
    assert set(secret_grants) == {action for action, _ in secret_calls}
    for action, granted_resources in secret_grants.items():
        assert granted_resources == [{"Ref": s} for s in secrets.values()], action


def test_api_role_grants_exactly_the_dynamodb_calls_of_the_survey_summary(
    resources: Mapping[str, Mapping[str, Any]], mocked_account: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API's DynamoDB calls are in shared code (jam_core.tables), so they are observed, not read: the
    summary runs with the template's environment against the mocked account."""
    from jam_api.config import Settings as ApiSettings
    from jam_api.supervisor.surveys import SurveySummaryService

    from jam_core.connect_lambda.settings import Settings
    from jam_core.tables import repositories
    from jam_core.tables.surveys import Answer, SurveyResult

    env = environment(resources["ApiFunction"])
    table = _table_value(env["SURVEY_TABLE"])
    assert table == "SurveyResultsTable"
    settings = ApiSettings.from_env({"DATA_BACKEND": env["DATA_BACKEND"], "SURVEY_TABLE": table})
    answers = (Answer.parse("5"), Answer.parse("4"), Answer.parse("3"))
    repositories.surveys(Settings(backend="dynamodb", survey_table=table)).record(
        SurveyResult(
            "c-iam", "2026-11-24T10:00:00.000Z", "Support - Devices", "agent.support", "en-US", answers
        )
    )
    calls: set[tuple[str, str]] = set()

    def record(model: Any, params: Mapping[str, Any], **_: Any) -> None:
        calls.add((f"dynamodb:{model.name}", str(params.get("TableName"))))

    mocked_account[0].meta.events.register("before-parameter-build.dynamodb", record)
    assert SurveySummaryService(settings).summary()["count"] == 1
    assert calls == {("dynamodb:Scan", table)}
    _, role = function_role(resources, "ApiFunction")
    assert granted(role, "dynamodb")["dynamodb:Scan"] == [{"Fn::GetAtt": [table, "Arn"]}]


def test_api_role_grants_exactly_the_calls_of_a_waiting_click_to_call(
    resources: Mapping[str, Mapping[str, Any]], mocked_account: Any
) -> None:
    """Observed: the intake (with the template's environment, moto's DynamoDB and SQS) takes a
    request that Connect throttled, and then reads its status."""
    import boto3
    from botocore.stub import Stubber
    from jam_api.config import Settings as ApiSettings
    from jam_api.contact.intake import intake_for

    env = environment(resources["ApiFunction"])
    table = _table_value(env["CALL_REQUEST_TABLE"])
    queue_url = boto3.client("sqs", region_name=REGION).create_queue(
        QueueName="CallQueue.fifo", Attributes={"FifoQueue": "true"}
    )["QueueUrl"]
    settings = ApiSettings.from_env(
        {"DATA_BACKEND": env["DATA_BACKEND"], "CALL_REQUEST_TABLE": table, "CALL_QUEUE_URL": queue_url}
    )
    connect = boto3.client("connect", region_name=REGION)
    intake = intake_for(settings, connect)
    calls: set[tuple[str, str]] = set()

    def record(model: Any, params: Mapping[str, Any], **_: Any) -> None:
        calls.add(
            (
                f"{model.service_model.service_name}:{model.name}",
                str(params.get("TableName") or params.get("QueueUrl")),
            )
        )

    mocked_account[0].meta.events.register("before-parameter-build.dynamodb", record)
    from jam_core.calls import queue as call_queue

    call_queue._client.get().meta.events.register("before-parameter-build.sqs", record)
    with Stubber(connect) as stub:
        stub.add_client_error("start_outbound_voice_contact", "ThrottlingException", http_status_code=429)
        answer = intake.submit(
            "customer-1",
            {"InstanceId": "i", "ContactFlowId": "f", "DestinationPhoneNumber": "+12025550100"},
            None,
        )
    assert answer["state"] == "scheduled"
    intake.status(answer["contactId"], "customer-1")
    assert {call for call, _ in calls} == {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "sqs:SendMessage",
    }
    assert {target for call, target in calls if call.startswith("dynamodb")} == {table}
    _, role = function_role(resources, "ApiFunction")
    dynamodb = granted(role, "dynamodb")
    for action in ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"):
        assert dynamodb[action] == [{"Fn::GetAtt": [table, "Arn"]}], action


SENDER = "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-0123456789abcdef"


def test_otp_role_grants_exactly_the_calls_its_handler_makes_and_texts_from_our_number_only(
    resources: Mapping[str, Mapping[str, Any]], mocked_account: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.stub import ANY, Stubber
    from otp_verification import sms
    from otp_verification.handler import lambda_handler

    from jam_core.aws_sdk import secretsmanager

    dynamodb, secret_arns = mocked_account
    env = environment(resources["OtpVerificationFunction"])
    assert env["OTP_TABLE"] == {"Ref": "OtpCodesTable"}
    assert env["SMS_ORIGINATION_IDENTITY"] == {"Ref": "SmsOriginationIdentityArn"}
    assert env["PIN_PEPPER_SECRET_ARN"] == {"Ref": "PinPepperSecret"}
    monkeypatch.setenv("DATA_BACKEND", "dynamodb")
    monkeypatch.setenv("OTP_TABLE", "OtpCodesTable")
    monkeypatch.setenv("PIN_PEPPER_SECRET_ARN", secret_arns["PinPepperSecret"])
    monkeypatch.setenv("SMS_ORIGINATION_IDENTITY", SENDER)

    calls: set[tuple[str, str]] = set()
    texts: list[str] = []

    def record(model: Any, params: Mapping[str, Any], **_: Any) -> None:
        calls.add((f"dynamodb:{model.name}", str(params.get("TableName"))))

    def record_secret(model: Any, params: Mapping[str, Any], **_: Any) -> None:
        calls.add((f"secretsmanager:{model.name}", str(params.get("SecretId"))))

    def record_text(model: Any, params: Mapping[str, Any], **_: Any) -> None:
        calls.add((f"sms-voice:{model.name}", str(params.get("OriginationIdentity"))))
        texts.append(str(params["MessageBody"]))

    dynamodb.meta.events.register("before-parameter-build.dynamodb", record)
    secretsmanager.client().meta.events.register("before-parameter-build.secretsmanager", record_secret)
    texting = sms._client.get()
    texting.meta.events.register("before-parameter-build.pinpoint-sms-voice-v2", record_text)
    expected = {
        "DestinationPhoneNumber": KNOWN_CUSTOMER,
        "OriginationIdentity": SENDER,
        "MessageBody": ANY,
        "MessageType": "TRANSACTIONAL",
    }
    with Stubber(texting) as stub:
        stub.add_response("send_text_message", {"MessageId": "m-1"}, expected)
        assert lambda_handler(contact_event({"Action": "send", "LanguageCode": "en-US"}), None) == {
            "sent": "true"
        }
        stub.assert_no_pending_responses()
    code = texts[0].split("code is ")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    assert lambda_handler(contact_event({"Action": "verify", "Code": wrong}), None)["verified"] == "false"
    assert lambda_handler(contact_event({"Action": "verify", "Code": code}), None)["verified"] == "true"

    _, role = function_role(resources, "OtpVerificationFunction")
    for service in ("dynamodb", "secretsmanager", "sms-voice"):
        made = {action for action, _ in calls if action.startswith(f"{service}:")}
        assert set(granted(role, service)) == made, service
    assert {t for a, t in calls if a.startswith("dynamodb:")} == {"OtpCodesTable"}
    for action, granted_resources in granted(role, "dynamodb").items():
        assert granted_resources == [{"Fn::GetAtt": ["OtpCodesTable", "Arn"]}], action
    assert granted(role, "secretsmanager") == {"secretsmanager:GetSecretValue": [{"Ref": "PinPepperSecret"}]}
    # Texts only from the origination identity the deployer names, and only when one is named.
    assert granted(role, "sms-voice") == {"sms-voice:SendTextMessage": [{"Ref": "SmsOriginationIdentityArn"}]}
    policy = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    (conditional,) = [s for s in policy if "Fn::If" in s]
    assert conditional["Fn::If"][0] == "HasSmsOrigination"
