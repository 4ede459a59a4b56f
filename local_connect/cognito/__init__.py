"""A local stand-in for Amazon Cognito: a user pool with Cognito's OIDC endpoints and token claims.

The website and the API use it exactly as they use Cognito on AWS (authorization code + PKCE,
RS256 ID/access tokens, JWKS, the Hosted UI's /login and /logout), so their code has one mode.
"""

from __future__ import annotations

from local_connect.definitions import REPO_ROOT

# The one app client of the local pool (the website). Cognito client ids are opaque strings.
LOCAL_CLIENT_ID = "jamlocalwebclient0000000000"
MOUNT_PATH = "/cognito"
STATE_DIR = REPO_ROOT / "var" / "cognito"
SEED_USERS = REPO_ROOT / "data" / "seed" / "users.json"


def issuer_for(base_url: str) -> str:
    """The issuer (and OIDC authority) of the pool when the stack is served at `base_url`."""
    return base_url.rstrip("/") + MOUNT_PATH


def api_environment(base_url: str) -> dict[str, str]:
    """What the API needs to trust this pool's tokens (COGNITO_* settings of api/jam_api/config.py)."""
    issuer = issuer_for(base_url)
    return {
        "COGNITO_ISSUER": issuer,
        "COGNITO_CLIENT_IDS": LOCAL_CLIENT_ID,
        "JWKS_URL": f"{issuer}/.well-known/jwks.json",
    }
