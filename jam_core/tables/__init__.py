"""The Lambdas' data: one small repository module per table, each with two implementations.

DynamoDB (boto3, imported only when that backend is chosen) on AWS; SQLite (one WAL-mode file)
for the local, offline default. Both pass the same contract tests (tests/lambdas/test_contract.py).
"""
