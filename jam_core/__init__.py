"""What the API, the Connect Lambdas and the local runtime share: one source for each rule.

- `jam_core.schedule`: hours-of-operation arithmetic (open / closed, next opening, spoken times) and
  the one read of a schedule from Amazon Connect;
- `jam_core.tables`: one repository module per table (Prompts, CustomerData, SurveyResults, PINs),
  each with a DynamoDB and a SQLite implementation;
- `jam_core.connect_lambda`: what every Connect-invoked Lambda shares (settings, event access,
  phone numbers, JSON logs, flat string-map responses);
- `jam_core.aws_sdk`: botocore helpers (a slice of botocore's data, per-container clients with
  short timeouts) and the Connect, DynamoDB-independent clients built on them.

Standard library and boto3 only, so it is copied into every function's build (sam/build/Makefile)
and a cold start pays for nothing it does not use.
"""
