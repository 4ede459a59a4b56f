"""Who may see the supervisor views: a verified token whose `cognito:groups` has `supervisor`.

API Gateway's Cognito authorizer only proves the token is valid; it knows nothing of groups, so the
group is checked here (customers and agents get 403, never another team's numbers).
"""

from __future__ import annotations

from flask import current_app

from jam_api.auth import Customer, TokenVerifier, bearer_token
from jam_api.problems import forbidden

SUPERVISOR_GROUP = "supervisor"


def require_supervisor() -> Customer:
    verifier: TokenVerifier = current_app.extensions["jam.verifier"]
    user = Customer.from_claims(verifier.verify(bearer_token()))
    if SUPERVISOR_GROUP not in user.groups:
        raise forbidden("supervisors-only", "Only members of the supervisor group may see this.")
    return user
