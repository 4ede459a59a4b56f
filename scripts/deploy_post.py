"""After `sam deploy`: the steps CloudFormation cannot do, driven by the stack's outputs.

    python -m scripts.deploy_post                    # stack and region from samconfig.toml
    python -m scripts.deploy_post --stack-name jam-prod --region us-west-2 --skip-data

1. site: upload web/dist to the site bucket, with /config.json generated from the outputs (API
   URL, user pool, client, hours ids...) in the shape local_connect.site_config serves locally;
   then invalidate CloudFront so viewers get the new index.html and config.json at once.
2. data: load data/seed into the DynamoDB tables (scripts.seed, the same loader as `make seed`).
3. phone: point the claimed phone number (if any) at the inbound flow. CloudFormation has no
   resource for that association, so it is done here, idempotently, on every deploy.
"""

from __future__ import annotations

import argparse
import mimetypes
import os
import sys
import time
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from local_connect.cognito.tokens import DEFAULT_SCOPE
from local_connect.definitions import REPO_ROOT, load_definitions
from local_connect.site_config import DEPARTMENTS, departments

SAMCONFIG = REPO_ROOT / "samconfig.toml"
SITE_DIR = REPO_ROOT / "web" / "dist"
# Hashed build assets never change under their name; everything else must be revalidated.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def samconfig_defaults(path: Path = SAMCONFIG, environment: str = "default") -> dict[str, str]:
    """stack_name and region of samconfig.toml's deploy parameters (empty when absent)."""
    if not path.exists():
        return {}
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    section = config.get(environment, {})
    merged = {
        **section.get("global", {}).get("parameters", {}),
        **section.get("deploy", {}).get("parameters", {}),
    }
    return {key: str(merged[key]) for key in ("stack_name", "region") if key in merged}


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    (stack,) = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def site_config(outputs: Mapping[str, str], region: str) -> dict[str, Any]:
    """/config.json for AWS: the local shape (local_connect.site_config) with the stack's values."""
    issuer = f"https://cognito-idp.{region}.amazonaws.com/{outputs['UserPoolId']}"
    listed = departments(load_definitions())
    # Departments, issues and labels are the local module's (one source); only ids differ on AWS.
    for department, (_, hours_logical_id, _, _) in zip(listed, DEPARTMENTS, strict=True):
        department["hoursOfOperationId"] = outputs[f"{hours_logical_id}Id"]
    return {
        "mode": "aws",
        "apiBase": outputs["ApiUrl"].rstrip("/"),
        "auth": {
            "authority": issuer,
            "clientId": outputs["UserPoolClientId"],
            "scope": DEFAULT_SCOPE,
            "hostedUiDomain": outputs["CognitoDomain"],
            "userPoolsApi": f"https://cognito-idp.{region}.amazonaws.com/",
        },
        "webIngressContactFlowId": outputs["WebIngressFlowId"],
        "departments": listed,
        # The agent desktop embeds the instance's CCP (amazon-connect-streams) from this URL.
        "ccpUrl": outputs["CcpUrl"],
    }


def _content_type(path: Path) -> str:
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def upload_site(s3: Any, bucket: str, site_dir: Path, config: Mapping[str, Any]) -> list[str]:
    """Uploads the built site and config.json; removes objects the new build no longer has."""
    import json

    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(f"{site_dir}/index.html is missing: build the site first (make site)")
    keys = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        key = path.relative_to(site_dir).as_posix()
        if key == "config.json":
            continue  # the local build's config never reaches AWS; the generated one does
        cache = IMMUTABLE if key.startswith("assets/") else REVALIDATE
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=path.read_bytes(),
            ContentType=_content_type(path),
            CacheControl=cache,
        )
        keys.append(key)
    body = json.dumps(config, indent=2, ensure_ascii=False).encode("utf-8")
    s3.put_object(
        Bucket=bucket, Key="config.json", Body=body, ContentType="application/json", CacheControl=REVALIDATE
    )
    keys.append("config.json")
    stale = [
        item["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for item in page.get("Contents", [])
        if item["Key"] not in keys
    ]
    for start in range(0, len(stale), 1000):
        s3.delete_objects(
            Bucket=bucket, Delete={"Objects": [{"Key": k} for k in stale[start : start + 1000]]}
        )
    return keys


def invalidate(cloudfront: Any, distribution_id: str) -> str:
    answer = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": 1, "Items": ["/*"]},
            "CallerReference": f"deploy-{time.time_ns()}",
        },
    )
    return str(answer["Invalidation"]["Id"])


def load_data(outputs: Mapping[str, str]) -> dict[str, int]:
    """data/seed into the stack's tables, through the Lambdas' own repositories (scripts.seed)."""
    # scripts.seed puts lambdas/ on the path and re-exports the Lambdas' Settings.
    from scripts.seed import Settings, load, read_seed

    settings = Settings(
        backend="dynamodb",
        customer_table=outputs["CustomerDataTableName"],
        prompts_table=outputs["PromptsTableName"],
        survey_table=outputs["SurveyResultsTableName"],
        pin_table=outputs["PinStateTableName"],
        # The PINs are keyed with the stack's pepper, read with the deployer's credentials.
        pin_pepper_secret_arn=outputs["PinPepperSecretArn"],
    )
    return load(read_seed(), settings)


def point_number_at_inbound(connect: Any, outputs: Mapping[str, str]) -> str | None:
    """The claimed number (if any) runs the inbound flow; returns the number associated."""
    if "PhoneNumberId" not in outputs:
        return None
    connect.associate_phone_number_contact_flow(
        PhoneNumberId=outputs["PhoneNumberId"],
        InstanceId=outputs["ConnectInstanceId"],
        ContactFlowId=outputs["InboundFlowId"],
    )
    return outputs.get("PhoneNumber", outputs["PhoneNumberId"])


def main(argv: list[str] | None = None) -> int:
    defaults = samconfig_defaults()
    parser = argparse.ArgumentParser(
        prog="python -m scripts.deploy_post", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--stack-name", default=defaults.get("stack_name"))
    parser.add_argument("--region", default=defaults.get("region") or os.environ.get("AWS_REGION"))
    parser.add_argument("--site-dir", type=Path, default=SITE_DIR)
    parser.add_argument("--skip-site", action="store_true")
    parser.add_argument("--skip-data", action="store_true")
    args = parser.parse_args(argv)
    if not args.stack_name or not args.region:
        parser.error("--stack-name and --region are needed (or stack_name / region in samconfig.toml)")
    import boto3

    # The seed loader's DynamoDB client follows boto3's default region: make it the stack's.
    os.environ["AWS_DEFAULT_REGION"] = args.region
    session = boto3.Session(region_name=args.region)
    outputs = stack_outputs(session.client("cloudformation"), args.stack_name)
    if not args.skip_site:
        keys = upload_site(
            session.client("s3"), outputs["SiteBucketName"], args.site_dir, site_config(outputs, args.region)
        )
        invalidation = invalidate(session.client("cloudfront"), outputs["SiteDistributionId"])
        print(f"deploy: site uploaded ({len(keys)} files), CloudFront invalidation {invalidation}")
    if not args.skip_data:
        for table, count in load_data(outputs).items():
            print(f"deploy: {count} items loaded into {table}")
    number = point_number_at_inbound(session.client("connect"), outputs)
    print(f"deploy: {number} runs the inbound flow" if number else "deploy: no phone number claimed")
    print(f"deploy: site {outputs['SiteUrl']}  api {outputs['ApiUrl']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
