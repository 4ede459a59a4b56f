"""The website's runtime configuration (`/config.json`): what differs between local and AWS.

The built site is the same files everywhere; at start-up it fetches /config.json for the API base,
the OpenID provider, the web ingress flow and the hours of operation per department. On AWS the
deploy writes it from the stack outputs; locally the stack serves `site_config(definitions, url)`.
Departments and issues live here once: each issue maps to one queue of the template, and the web
ingress flow routes on the same `department` / `issue` attribute values.
"""

from __future__ import annotations

from typing import Any

from local_connect.cognito import LOCAL_CLIENT_ID, issuer_for
from local_connect.cognito.tokens import DEFAULT_SCOPE
from local_connect.definitions import Definitions

# (department id, hours logical id, labels, [(issue id, queue logical id, labels)])
DEPARTMENTS: tuple[tuple[str, str, dict[str, str], tuple[tuple[str, str, dict[str, str]], ...]], ...] = (
    (
        "sales",
        "SalesHours",
        {"en": "Sales", "es": "Ventas"},
        (
            (
                "new-order",
                "SalesNewOrdersQueue",
                {"en": "A new order or a quote", "es": "Un pedido nuevo o un presupuesto"},
            ),
            (
                "upgrade",
                "SalesUpgradesQueue",
                {"en": "Change or upgrade my plan", "es": "Cambiar o mejorar mi plan"},
            ),
        ),
    ),
    (
        "accounts",
        "AccountsHours",
        {"en": "Accounts", "es": "Cuentas"},
        (
            (
                "billing",
                "AccountsBillingQueue",
                {"en": "Bills, payments and refunds", "es": "Facturas, pagos y reembolsos"},
            ),
            (
                "profile",
                "AccountsProfileQueue",
                {"en": "Change my account details", "es": "Cambiar los datos de mi cuenta"},
            ),
        ),
    ),
    (
        "support",
        "SupportHours",
        {"en": "Support", "es": "Soporte"},
        (
            (
                "technical",
                "SupportTechnicalQueue",
                {"en": "Service outage or technical problem", "es": "Corte de servicio o problema técnico"},
            ),
            (
                "devices",
                "SupportDevicesQueue",
                {"en": "Device setup or repair", "es": "Configurar o reparar un equipo"},
            ),
        ),
    ),
)


def departments(definitions: Definitions) -> list[dict[str, Any]]:
    listed = []
    for department_id, hours_logical_id, labels, issues in DEPARTMENTS:
        hours = definitions.hours[hours_logical_id]
        listed.append(
            {
                "id": department_id,
                "label": labels,
                "hoursOfOperationId": hours.id,
                "timeZone": hours.time_zone,
                "issues": [
                    {"id": issue_id, "label": issue_labels, "queueName": definitions.queues[queue].name}
                    for issue_id, queue, issue_labels in issues
                ],
            }
        )
    return listed


def site_config(definitions: Definitions, base_url: str) -> dict[str, Any]:
    """/config.json for a local stack served at `base_url` (e.g. http://127.0.0.1:8000)."""
    base = base_url.rstrip("/")
    issuer = issuer_for(base)
    return {
        "mode": "local",
        "apiBase": f"{base}/api",
        "auth": {
            "authority": issuer,
            "clientId": LOCAL_CLIENT_ID,
            "scope": DEFAULT_SCOPE,
            # Cognito's Hosted UI domain (logout) and user pools API (phone verification).
            "hostedUiDomain": issuer,
            "userPoolsApi": f"{issuer}/",
        },
        "webIngressContactFlowId": definitions.flows["WebIngressFlow"].id,
        "localRuntime": f"{base}/local",
        "departments": departments(definitions),
    }
