"""The template holds together with the code it deploys: handlers, build, environment, API routes."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from local_connect.definitions import TEMPLATE_PATH, load_definitions
from tests.iac.code_facts import REPO, environment_reads, python_files
from tests.iac.template_facts import (
    CONNECT_FUNCTIONS,
    DATA_FUNCTIONS,
    INSTANCE_ARN,
    QUEUE_FUNCTIONS,
    environment,
    of_type,
)

BUILD_DIR = TEMPLATE_PATH.parent / "build"

# API variables the template leaves unset on purpose, and why.
API_DEFAULTS_ON_AWS = {
    "AWS_REGION": "set by the Lambda runtime",
    "AWS_DEFAULT_REGION": "set by the Lambda runtime",
    "ALLOWED_COUNTRIES": "the code's default (US, CA, MX, PR) is the policy",
    "ALLOWED_ATTRIBUTE_KEYS": "the code's default is the contract with the web ingress flow",
    "STAFF_GROUPS": "the code's default (supervisor) matches the user pool's groups",
    "STAFF_MAY_DIAL_ANY_NUMBER": "off unless an operator decides otherwise",
    "HOURS_CACHE_TTL_SECONDS": "tuning knob with a sound default",
    "JWKS_CACHE_TTL_SECONDS": "tuning knob with a sound default",
    "CALL_RATE_LIMIT": "tuning knob with a sound default",
    "REFUSED_NUMBER_TYPES": "the code's default (premium rate, toll free, shared cost...) is the policy",
    "OWN_PHONE_NUMBERS": "the instance's numbers are claimed outside the template; SOURCE_PHONE_NUMBER is added",
    "HOURS_RATE_LIMIT": "tuning knob with a sound default",
    "HOURS_IDS_TTL_SECONDS": "tuning knob with a sound default",
}
# Declared empty on AWS (the code's AWS default) only so `sam local start-api --env-vars` can set
# them: SAM CLI overrides only variables the template declares (tests/iac/test_sam_local.py).
API_EMPTY_ON_AWS = {
    "CONNECT_ENDPOINT_URL": "only the local twin overrides the Connect endpoint",
    "JWKS_URL": "derived from COGNITO_ISSUER",
    "OUTBOUND_QUEUE_ID": "the web ingress flow sets the queue; SOURCE_PHONE_NUMBER is the caller id",
    "SQLITE_PATH": "the SQLite backend is the local stack's; on AWS DATA_BACKEND is dynamodb",
}
# Lambda variables the template leaves unset on purpose, and why.
LAMBDA_DEFAULTS_ON_AWS = {
    "SQLITE_PATH": "the SQLite backend is the local twin's; AWS uses DynamoDB",
    "PIN_PEPPER_FILE": "the local pepper file; on AWS PIN_PEPPER_SECRET_ARN names the secret instead",
    "DEFAULT_COUNTRY_CODE": "the code's default (1) is the center's country",
    "LOG_LEVEL": "INFO by default",
    "CONNECT_ENDPOINT_URL": "only the local twin overrides the Connect endpoint",
    "LOCAL_CONNECT_NOW": "the local runtime's movable clock; on AWS the real time is the time",
    "AWS_REGION": "set by the Lambda runtime (hours_status's fallback when an ARN has no region)",
}


def _functions(resources: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return of_type(resources, "AWS::Serverless::Function")


def _code_dir(function: Mapping[str, Any]) -> Path:
    return (TEMPLATE_PATH.parent / function["Properties"]["CodeUri"]).resolve()


def test_every_handler_resolves_to_a_function_of_its_code_uri(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    functions = _functions(resources)
    assert set(functions) == {"ApiFunction", "LexFulfillmentFunction", *CONNECT_FUNCTIONS, *QUEUE_FUNCTIONS}
    for logical_id, function in functions.items():
        code_dir = _code_dir(function)
        module_name, attribute = function["Properties"]["Handler"].rsplit(".", 1)
        module_file = code_dir / (module_name.replace(".", "/") + ".py")
        assert module_file.is_file(), (logical_id, module_file)
        module = importlib.import_module(module_name)
        assert Path(module.__file__ or "").resolve() == module_file.resolve(), logical_id
        handler = getattr(module, attribute)
        assert callable(handler), logical_id
        assert len(inspect.signature(handler).parameters) == 2, (
            f"{logical_id}: Lambda calls handler(event, context)"
        )


def test_every_built_resource_has_a_target_in_the_build_makefile(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    makefile = (BUILD_DIR / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"build-([A-Za-z0-9]+)", makefile))
    built = {
        logical_id
        for logical_id, resource in resources.items()
        if (resource.get("Metadata") or {}).get("BuildMethod") == "makefile"
    }
    assert built == set(_functions(resources)) | {"ApiDependenciesLayer"}
    assert built <= targets
    for logical_id in built:
        assert resources[logical_id]["Metadata"]["ContextPath"] == "build"


def _third_party_imports(root: Path) -> set[str]:
    # The code root's own packages and modules, and those beside it (one import root).
    local = {p.stem for folder in (root, root.parent) for p in folder.iterdir()}
    names: set[str] = set()
    for path in python_files(root):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in local and n != "__future__"}


def _requirement_names() -> set[str]:
    lines = (BUILD_DIR / "requirements-api.txt").read_text(encoding="utf-8").splitlines()
    return {
        re.split(r"[\[=<>~ ]", line.strip())[0].lower()
        for line in lines
        if line.strip() and not line.startswith("#")
    }


def _with_dependencies(names: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # a requirement for other Python versions (environment marker)
        for requirement in requires:
            if "extra ==" not in requirement:
                todo.append(re.split(r"[\[=<>~ ;!(]", requirement.strip())[0].lower())
    return seen


SHARED_PACKAGE = "jam_core"


def _build_target(makefile: str, logical_id: str) -> str:
    """The recipe of the build target that names `logical_id` (targets may share one recipe)."""
    for block in makefile.split("\n\n"):
        header = next((line for line in block.splitlines() if line.startswith("build-")), "")
        if f"build-{logical_id}" in header.split(":")[0].split():
            return block
    raise AssertionError(f"no build target for {logical_id}")


def _build(logical_id: str, code_dir: Path, artifact: Path) -> None:
    artifact.mkdir()
    subprocess.run(
        ["make", "-s", "-f", str(BUILD_DIR / "Makefile"), f"build-{logical_id}", f"ARTIFACTS_DIR={artifact}"],
        cwd=code_dir,
        check=True,
    )


def _imports(root: Path) -> set[str]:
    names: set[str] = set()
    for path in python_files(root):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_the_shared_package_imports_only_itself_the_standard_library_and_the_runtime() -> None:
    # What the runtime has (boto3) and what is imported for type checking only.
    runtime = {"boto3", "botocore", "mypy_boto3_dynamodb", "mypy_boto3_connect", "__future__"}
    outside = {n for n in _imports(REPO / SHARED_PACKAGE) if n not in sys.stdlib_module_names}
    assert outside <= {SHARED_PACKAGE} | runtime, outside - {SHARED_PACKAGE} - runtime


def test_every_function_build_copies_the_shared_package(resources: Mapping[str, Mapping[str, Any]]) -> None:
    makefile = (BUILD_DIR / "Makefile").read_text(encoding="utf-8")
    for logical_id in _functions(resources):
        assert "$(copy_core)" in _build_target(makefile, logical_id), logical_id


def test_a_built_connect_lambda_runs_from_its_own_artifact(tmp_path: Path) -> None:
    """Build one Connect Lambda and answer a sample event from the artifact alone (no repository)."""
    artifact = tmp_path / "CustomerLookupFunction"
    _build("CustomerLookupFunction", REPO / "lambdas", artifact)
    assert {"customer_lookup", SHARED_PACKAGE} <= {p.name for p in artifact.iterdir()}
    probe = (
        "import sys, os; sys.path[:0] = [sys.argv[1]]; os.environ['SQLITE_PATH'] = sys.argv[2];"
        "import customer_lookup.handler as h, jam_core.tables.customers as c;"
        "assert c.__file__.startswith(sys.argv[1]);"
        "print(h.lambda_handler({'Details': {'ContactData': {'CustomerEndpoint': {'Address': '+12025550100'}}}}, None))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(artifact), str(tmp_path / "jam.sqlite3")],
        check=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    # An empty database: the lookup answers "not found" as a flat string map, from the artifact's code.
    assert result.stdout.splitlines()[-1] == (
        "{'found': 'false', 'PhoneNumber': '+12025550100', 'PhoneNational': '202-555-0100'}"
    )


def test_the_built_api_imports_the_shared_code_from_its_own_artifact(tmp_path: Path) -> None:
    """Run the API's build target and import the survey read path from the artifact alone."""
    artifact = tmp_path / "ApiFunction"
    _build("ApiFunction", REPO / "api", artifact)
    assert {"jam_api", SHARED_PACKAGE} <= {p.name for p in artifact.iterdir()}
    probe = (
        "import sys; sys.path[:0] = [sys.argv[1]];"
        "import jam_api.supervisor.surveys, jam_core.tables.survey_report, jam_core.tables.dynamo, jam_core.schedule.arithmetic;"
        "assert all(m.__file__.startswith(sys.argv[1]) for m in (jam_core.tables.survey_report, jam_core.schedule.arithmetic))"
    )
    # -I: no repository paths (PYTHONPATH, cwd) leak in; only the artifact and site-packages.
    subprocess.run([sys.executable, "-I", "-c", probe, str(artifact)], check=True, cwd=tmp_path)


def test_the_api_layer_carries_every_package_the_api_imports() -> None:
    imports = _third_party_imports(REPO / "api" / "jam_api")
    assert {"flask", "awsgi", "jwt"} <= imports
    distributions = metadata.packages_distributions()
    available = _with_dependencies(_requirement_names()) | {"boto3", "botocore"}  # boto3: the runtime's
    type_only = {"mypy_boto3_connect", "mypy_boto3_dynamodb"}  # imported under TYPE_CHECKING only
    for name in imports - type_only - {SHARED_PACKAGE}:
        dists = {d.lower() for d in distributions.get(name, [name])}
        assert dists & available, (
            f"api/jam_api imports {name} ({dists}); add it to sam/build/requirements-api.txt"
        )


def test_the_connect_lambdas_need_nothing_beyond_the_runtime() -> None:
    # The Lex code hook (lex_fulfillment) ships its own packages: tests/lex/test_template.py.
    packages = [p for p in (REPO / "lambdas").iterdir() if p.is_dir() and p.name != "lex_fulfillment"]
    imports = set().union(*(_third_party_imports(p) for p in packages)) - {SHARED_PACKAGE}
    assert imports <= {"boto3", "botocore", "mypy_boto3_dynamodb", "mypy_boto3_connect"}, imports


def test_api_environment_sets_every_variable_the_api_reads_without_a_default(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    reads = environment_reads(REPO / "api" / "jam_api")
    env = environment(resources["ApiFunction"])
    assert set(env) <= reads, f"set but never read: {set(env) - reads}"
    assert reads - set(env) <= set(API_DEFAULTS_ON_AWS), (
        f"read but not set: {reads - set(env) - set(API_DEFAULTS_ON_AWS)}"
    )
    assert env["CONNECT_INSTANCE_ID"] == {"Fn::Select": [1, {"Fn::Split": ["/", INSTANCE_ARN]}]}
    assert env["COGNITO_CLIENT_IDS"] == {"Ref": "UserPoolClient"}
    assert (env["DATA_BACKEND"], env["SURVEY_TABLE"]) == ("dynamodb", {"Ref": "SurveyResultsTable"})
    assert env["ALLOWED_CONTACT_FLOW_IDS"] == {
        "Fn::Select": [3, {"Fn::Split": ["/", {"Fn::GetAtt": ["WebIngressFlow", "ContactFlowArn"]}]}]
    }
    for name in API_EMPTY_ON_AWS:
        assert env[name] == "", name


def test_the_api_starts_with_the_templates_environment(resources: Mapping[str, Mapping[str, Any]]) -> None:
    from jam_api import create_app
    from jam_api.config import Settings

    values = {
        "CONNECT_INSTANCE_ID": "11111111-2222-3333-4444-555555555555",
        "COGNITO_ISSUER": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC",
        "COGNITO_CLIENT_IDS": "client123",
        "ALLOWED_ORIGINS": "https://d123.cloudfront.net",
        "ALLOWED_CONTACT_FLOW_IDS": "flow-1",
        "SOURCE_PHONE_NUMBER": "+12025550199",
        "DATA_BACKEND": "dynamodb",
        "SURVEY_TABLE": "jam-SurveyResultsTable-1",
        "CALL_REQUEST_TABLE": "jam-CallRequestsTable-1",
        "CALL_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/jam-call-requests.fifo",
        "CONNECT_CALL_RATE": "2",
        "METRICS_QUEUE_IDS": "q-1,q-2,q-3,q-4,q-5,q-6",
        **dict.fromkeys(API_EMPTY_ON_AWS, ""),
        "DEPARTMENT_HOURS": "sales=h-1,accounts=h-2,support=h-3",
        "CALL_SCHEDULE_GROUP": "jam-calls-when-open",
        "CALL_SCHEDULER_ROLE_ARN": "arn:aws:iam::123456789012:role/jam-CallSchedulerRole-1",
        "CALL_QUEUE_ARN": "arn:aws:sqs:us-east-1:123456789012:jam-call-requests.fifo",
    }
    env = environment(resources["ApiFunction"])
    assert set(env) == set(values), "update the stand-in values with the template"
    settings = Settings.from_env(values)
    assert (
        settings.jwks_url == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC/.well-known/jwks.json"
    )
    assert (settings.connect_endpoint_url, settings.outbound_queue_id, settings.sqlite_path) == (None,) * 3
    assert len(settings.metrics_queue_ids) == 6
    app = create_app(settings, connect_client=object())
    assert app.test_client().get("/openapi.json").status_code == 200


def test_a_failing_connect_call_ends_before_the_api_function_times_out(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    """A timed-out function answers API Gateway's bare 502: the API's own error must come first."""
    from jam_api.config import Settings
    from jam_api.connect_client import make_connect_client

    config = make_connect_client(Settings()).meta.config
    attempts = config.retries["total_max_attempts"]
    # Each attempt may time out connecting and reading; standard-mode backoff before a retry is < 1 s.
    worst_case = (config.connect_timeout + config.read_timeout) * attempts + (attempts - 1)
    assert worst_case < resources["ApiFunction"]["Properties"]["Timeout"], worst_case


def test_a_hung_jwks_fetch_ends_before_the_api_function_times_out(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    from jam_api.auth import TokenVerifier
    from jam_api.config import Settings

    settings = Settings(cognito_issuer="https://issuer.example", jwks_url="https://issuer.example/jwks")
    jwks = TokenVerifier(settings)._jwks_client()
    assert jwks.timeout < resources["ApiFunction"]["Properties"]["Timeout"], jwks.timeout


@pytest.mark.parametrize("function_id", DATA_FUNCTIONS)
def test_lambda_environment_is_read_by_the_code_and_uses_dynamodb(
    resources: Mapping[str, Mapping[str, Any]], function_id: str
) -> None:
    reads = environment_reads(REPO / "lambdas") | environment_reads(REPO / SHARED_PACKAGE)
    env = environment(resources[function_id])
    assert env["DATA_BACKEND"] == "dynamodb", "Lambda's file system is read-only: no SQLite there"
    assert set(env) <= reads, f"set but never read: {set(env) - reads}"
    # Which table, and that the code finds it there, is what test_iam.py runs the handler for.


def test_hours_status_needs_no_environment_on_aws(resources: Mapping[str, Mapping[str, Any]]) -> None:
    # Instance, region and hours all come from the hours ARN the flow passes; no table, no backend.
    assert environment(resources["HoursStatusFunction"]) == {}


def test_hours_status_build_ships_the_time_zone_database_pinned_like_the_api() -> None:
    def pins(name: str) -> dict[str, str]:
        lines = (BUILD_DIR / name).read_text(encoding="utf-8").splitlines()
        return dict(line.split("==") for line in lines if "==" in line and not line.startswith("#"))

    assert pins("requirements-hours-status.txt") == {"tzdata": pins("requirements-api.txt")["tzdata"]}
    makefile = (BUILD_DIR / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("build-HoursStatusFunction:", 1)[1].split("\n\n", 1)[0]
    assert "requirements-hours-status.txt" in target and "$(copy_sources)" in target


def test_every_variable_the_lambdas_read_is_set_or_defaults_rightly(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    reads = environment_reads(REPO / "lambdas") | environment_reads(REPO / SHARED_PACKAGE)
    assert {"DATA_BACKEND", "CUSTOMER_TABLE", "PIN_TABLE"} <= reads  # the scan sees the code at all
    set_somewhere = {
        name
        for function_id in (*CONNECT_FUNCTIONS, *QUEUE_FUNCTIONS)
        for name in environment(resources[function_id])
    }
    unset = reads - set_somewhere
    assert unset <= set(LAMBDA_DEFAULTS_ON_AWS), f"read but never set: {unset - set(LAMBDA_DEFAULTS_ON_AWS)}"


def _api_events(resources: Mapping[str, Mapping[str, Any]]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for name, event in resources["ApiFunction"]["Properties"]["Events"].items():
        assert event["Type"] == "Api", name
        assert event["Properties"]["RestApiId"] == {"Ref": "JamApi"}, name
        yield name, event["Properties"]


def test_api_events_match_the_flask_routes(resources: Mapping[str, Mapping[str, Any]]) -> None:
    """`sam local start-api` and API Gateway route exactly what the Flask app serves."""
    from jam_api import create_app
    from jam_api.config import Settings

    app = create_app(Settings(), connect_client=object())
    routes = {
        # Flask's /a/<name> is API Gateway's /a/{name}.
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    events = {(props["Path"], props["Method"].upper()) for _, props in _api_events(resources)}
    assert events == routes
    assert ("/connect/contact", "POST") in events


def test_only_click_to_call_needs_the_cognito_authorizer(resources: Mapping[str, Mapping[str, Any]]) -> None:
    api = resources["JamApi"]["Properties"]
    assert api["Auth"]["Authorizers"]["CognitoAuthorizer"]["UserPoolArn"] == {
        "Fn::GetAtt": ["UserPool", "Arn"]
    }
    assert "DefaultAuthorizer" not in api["Auth"]
    protected = {props["Path"] for _, props in _api_events(resources) if props.get("Auth")}
    assert {
        "/connect/contact",
        "/connect/contact/{contactId}",
        "/connect/metrics/queues",
        "/connect/contacts/search",
        "/surveys/summary",
    } <= protected
    # Everything but the opening hours and the OpenAPI document needs a signed-in user.
    public = {props["Path"] for _, props in _api_events(resources) if not props.get("Auth")}
    assert public == {"/connect/hours", "/openapi.json"}
    assert {
        props.get("Auth", {}).get("Authorizer") for _, props in _api_events(resources) if props.get("Auth")
    } == {"CognitoAuthorizer"}


def test_api_stage_has_throttling_access_logs_and_site_only_cors(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    api = resources["JamApi"]["Properties"]
    (settings,) = api["MethodSettings"]
    assert settings["ThrottlingRateLimit"] > 0 and settings["ThrottlingBurstLimit"] > 0
    assert settings["DataTraceEnabled"] is False  # request bodies (phone numbers) stay out of logs
    assert api["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    assert "$context.requestId" in api["AccessLogSetting"]["Format"]
    origin = api["Cors"]["AllowOrigin"]
    assert "*" not in str(origin)
    # The site's origin, unless ApiCorsOrigin names another (sam local start-api's dev server).
    assert origin == {
        "Fn::If": [
            "HasApiCorsOrigin",
            {"Fn::Sub": "'${ApiCorsOrigin}'"},
            {
                "Fn::If": [
                    "HasSiteDomain",
                    {"Fn::Sub": "'https://${SiteDomainName}'"},
                    {"Fn::Sub": "'https://${SiteDistribution.DomainName}'"},
                ]
            },
        ]
    }
    for response in api["GatewayResponses"].values():
        assert response["ResponseParameters"]["Headers"]["Access-Control-Allow-Origin"] == origin


@pytest.mark.parametrize("function_id", CONNECT_FUNCTIONS)
def test_connect_may_invoke_each_flow_lambda_from_this_instance_only(
    resources: Mapping[str, Mapping[str, Any]], function_id: str
) -> None:
    function_arn = {"Fn::GetAtt": [function_id, "Arn"]}
    permissions = [
        r["Properties"]
        for r in of_type(resources, "AWS::Lambda::Permission").values()
        if r["Properties"]["FunctionName"] == function_arn
    ]
    assert permissions == [
        {
            "FunctionName": function_arn,
            "Action": "lambda:InvokeFunction",
            "Principal": "connect.amazonaws.com",
            "SourceAccount": {"Ref": "AWS::AccountId"},
            "SourceArn": INSTANCE_ARN,
        }
    ]
    associations = [
        r["Properties"]
        for r in of_type(resources, "AWS::Connect::IntegrationAssociation").values()
        if r["Properties"]["IntegrationArn"] == function_arn
    ]
    assert associations == [
        {"InstanceId": INSTANCE_ARN, "IntegrationType": "LAMBDA_FUNCTION", "IntegrationArn": function_arn}
    ]


def test_the_local_runtime_reads_the_same_definitions(resources: Mapping[str, Mapping[str, Any]]) -> None:
    definitions = load_definitions()
    kinds: dict[str, Mapping[str, Any]] = {
        "AWS::Connect::HoursOfOperation": definitions.hours,
        "AWS::Connect::Queue": definitions.queues,
        "AWS::Connect::RoutingProfile": definitions.routing_profiles,
        "AWS::Connect::ContactFlow": definitions.flows,
        "AWS::Serverless::Function": definitions.functions,
    }
    for kind, local in kinds.items():
        deployed = of_type(resources, kind)
        assert set(local) == set(deployed), kind
        for logical_id, resource in deployed.items():
            name = resource["Properties"].get("Name")
            if name is not None:
                assert getattr(local[logical_id], "name", None) == name, logical_id
    for logical_id, hours in definitions.hours.items():
        config = resources[logical_id]["Properties"]["Config"]
        assert [
            (c.day, c.start.hours, c.start.minutes, c.end.hours, c.end.minutes) for c in hours.config
        ] == [
            (
                c["Day"],
                c["StartTime"]["Hours"],
                c["StartTime"]["Minutes"],
                c["EndTime"]["Hours"],
                c["EndTime"]["Minutes"],
            )
            for c in config
        ]
    for logical_id, profile in definitions.routing_profiles.items():
        configs = resources[logical_id]["Properties"]["QueueConfigs"]
        assert [(q.queue_logical_id, q.priority, q.delay) for q in profile.queue_configs] == [
            (c["QueueReference"]["QueueArn"]["Fn::GetAtt"][0], c["Priority"], c["Delay"]) for c in configs
        ]
    for logical_id, function in definitions.functions.items():
        assert function.code_dir == _code_dir(resources[logical_id])
        assert function.handler == resources[logical_id]["Properties"]["Handler"]


@pytest.mark.parametrize(
    "table_id", ["PromptsTable", "CustomerDataTable", "SurveyResultsTable", "PinStateTable"]
)
def test_tables_are_on_demand_recoverable_encrypted_and_kept(
    resources: Mapping[str, Mapping[str, Any]], table_id: str
) -> None:
    table = resources[table_id]
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"


def test_site_bucket_is_private_and_served_only_through_cloudfront_https(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    bucket = resources["SiteBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    distribution = resources["SiteDistribution"]["Properties"]["DistributionConfig"]
    (origin,) = distribution["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    assert distribution["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert distribution["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == {"Ref": "SiteSecurityHeaders"}
    assert {(e["ErrorCode"], e["ResponsePagePath"]) for e in distribution["CustomErrorResponses"]} == {
        (403, "/index.html"),
        (404, "/index.html"),
    }
    statements = resources["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert [s["Principal"] for s in allows] == [{"Service": "cloudfront.amazonaws.com"}]
    headers = resources["SiteSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"
    ]
    assert {"StrictTransportSecurity", "ContentTypeOptions", "FrameOptions", "ContentSecurityPolicy"} <= set(
        headers
    )


def test_user_pool_client_is_code_with_pkce_only(resources: Mapping[str, Mapping[str, Any]]) -> None:
    client = resources["UserPoolClient"]["Properties"]
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["GenerateSecret"] is False  # a public client: PKCE is its proof
    assert client["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]  # no password grants
    assert "phone_number_verified" not in client["WriteAttributes"]
    groups = {
        r["Properties"]["GroupName"] for r in of_type(resources, "AWS::Cognito::UserPoolGroup").values()
    }
    assert groups == {"customer", "agent", "supervisor"}


def test_every_function_and_the_api_have_alarms(resources: Mapping[str, Mapping[str, Any]]) -> None:
    alarms = of_type(resources, "AWS::CloudWatch::Alarm").values()
    watched = {
        (a["Properties"]["MetricName"], a["Properties"]["Dimensions"][0]["Value"].get("Ref"))
        for a in alarms
        if a["Properties"]["Namespace"] == "AWS/Lambda"
    }
    for function_id in _functions(resources):
        assert ("Errors", function_id) in watched
        if function_id not in QUEUE_FUNCTIONS:  # a throttled poll just leaves messages in the queue
            assert ("Throttles", function_id) in watched
    # Requests no retry could place end in the dead-letter queue, which pages the operators.
    dead_letters = [a["Properties"] for a in alarms if a["Properties"]["Namespace"] == "AWS/SQS"]
    assert [a["Dimensions"][0]["Value"] for a in dead_letters] == [
        {"Fn::GetAtt": ["CallDeadLetterQueue", "QueueName"]}
    ]
    assert any(a["Properties"]["MetricName"] == "5XXError" for a in alarms)


def test_outputs_give_what_the_site_and_operators_need(template: Mapping[str, Any]) -> None:
    needed = {
        "SiteUrl",
        "ApiUrl",
        "UserPoolId",
        "UserPoolClientId",
        "CognitoDomain",
        "ConnectInstanceId",
        "ConnectInstanceArn",
        "InboundFlowId",
        "WebIngressFlowId",
        "SalesHoursId",
        "AccountsHoursId",
        "SupportHoursId",
        "SiteBucketName",
        "SiteDistributionId",
        "CcpUrl",
    }
    assert needed <= set(template["Outputs"])


def test_every_checkov_skip_says_why(resources: Mapping[str, Mapping[str, Any]]) -> None:
    skips = [
        (logical_id, skip)
        for logical_id, resource in resources.items()
        for skip in ((resource.get("Metadata") or {}).get("checkov") or {}).get("skip", [])
    ]
    assert skips, "the template's checkov skips are read from resource Metadata"
    for logical_id, skip in skips:
        assert re.fullmatch(r"CKV2?_AWS_\d+", skip["id"]), (logical_id, skip)
        assert len(skip.get("comment", "")) >= 40, f"{logical_id} skips {skip['id']} without a reason"


def test_api_5xx_alarm_watches_this_api(resources: Mapping[str, Mapping[str, Any]]) -> None:
    alarm = resources["Api5xxAlarm"]["Properties"]
    dimensions = {d["Name"]: d["Value"] for d in alarm["Dimensions"]}
    assert dimensions == {"ApiName": resources["JamApi"]["Properties"]["Name"], "Stage": {"Ref": "Stage"}}


def test_one_site_origin_for_api_cors_cognito_and_the_ccp(
    template: Mapping[str, Any], resources: Mapping[str, Mapping[str, Any]]
) -> None:
    origin = template["Outputs"]["SiteUrl"]["Value"]
    assert template["Parameters"]["ApiCorsOrigin"]["Default"] == ""  # deployed: the site's origin
    assert environment(resources["ApiFunction"])["ALLOWED_ORIGINS"] == {
        "Fn::If": ["HasApiCorsOrigin", {"Ref": "ApiCorsOrigin"}, origin]
    }
    assert resources["SiteApprovedOrigin"]["Properties"]["Origin"] == origin
    assert resources["SiteApprovedOrigin"]["Properties"]["InstanceId"] == INSTANCE_ARN
    condition, custom, default = origin["Fn::If"]
    root = {
        "Fn::If": [condition, {"Fn::Sub": custom["Fn::Sub"] + "/"}, {"Fn::Sub": default["Fn::Sub"] + "/"}]
    }
    client = resources["UserPoolClient"]["Properties"]
    assert client["CallbackURLs"] == client["LogoutURLs"] == [root]


def test_every_log_group_has_the_stacks_retention(resources: Mapping[str, Mapping[str, Any]]) -> None:
    groups = of_type(resources, "AWS::Logs::LogGroup")
    assert len(groups) == 11  # nine functions, API access logs, API execution logs
    for logical_id, group in groups.items():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, logical_id
