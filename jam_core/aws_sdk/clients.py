"""A botocore session that reads the Lambdas' slice of botocore's data (sdk_data/).

Creating a client the default way costs more than `import boto3` itself: botocore lists every
service folder it ships and decodes the service's full model and all endpoints (Connect's model
alone is 1.9 MB). The Lambdas' clients read a slice of that data instead: for each service, only
the operations named in SDK_OPERATIONS and the shapes they reach, plus those services' endpoints.
`python -m scripts.sdk_slice` writes it (and the API's slice, api/jam_api/sdk_data, which reads
through this same session) and tests/lambdas/test_sdk_slice.py holds it equal to the installed
botocore; everything else still comes from botocore.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SDK_DATA = Path(__file__).resolve().parent / "sdk_data"
# Per service, the operations the Lambdas' code calls (and, for DynamoDB, what the reports' Scan,
# the seed's --create-tables and the tests need).
SDK_OPERATIONS: dict[str, tuple[str, ...]] = {
    "dynamodb": (
        "GetItem",
        "PutItem",
        "UpdateItem",
        "Scan",
        "CreateTable",
        "DescribeTable",
        "ListTables",
        "DeleteTable",
    ),
    # hours_status reads hours; the call placer (lambdas/call_placer) places queued click-to-calls.
    "connect": ("DescribeHoursOfOperation", "ListHoursOfOperationOverrides", "StartOutboundVoiceContact"),
    "sqs": ("SendMessage",),
    "scheduler": (
        "CreateSchedule",
    ),  # a call at the department's next opening (jam_core.calls.queue)  # the API hands a click-to-call over to the FIFO queue (jam_core.calls.queue)
    "secretsmanager": ("GetSecretValue",),  # the PIN pepper (jam_core.tables.pepper)
    # One-time codes by SMS (lambdas/otp_verification/sms.py): AWS End User Messaging SMS.
    "pinpoint-sms-voice-v2": ("SendTextMessage",),
}


def sliced_session(data_dir: Path = SDK_DATA) -> Any:
    """A boto3 Session whose botocore loader reads `data_dir` first and knows only its services."""
    # Deferred imports: the SQLite backend never pays for boto3.
    import boto3
    import botocore.session
    from botocore.loaders import Loader

    class SlicedDataLoader(Loader):
        """botocore's loader, reading our slice first; only the services we ship are known."""

        def __init__(self) -> None:
            super().__init__(extra_search_paths=[str(data_dir)])

        def list_available_services(self, type_name: str) -> list[str]:
            # botocore asks this only to refuse unknown names; the default lists ~400 folders.
            return sorted(p.name for p in data_dir.iterdir() if p.is_dir())

    session = botocore.session.get_session()
    session.register_component("data_loader", SlicedDataLoader())
    return boto3.Session(botocore_session=session)


def client(
    service: str,
    *,
    connect_timeout: float,
    read_timeout: float,
    total_attempts: int,
    data_dir: Path = SDK_DATA,
    **options: Any,
) -> Any:
    """A client of `service` on the slice in `data_dir`, with these timeouts and standard-mode
    retries (`total_attempts` counts the first try); `options` go to Session.client."""
    from botocore.config import Config

    config = Config(
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"total_max_attempts": total_attempts, "mode": "standard"},
    )
    return sliced_session(data_dir).client(service, config=config, **options)


class ContainerClient:
    """One client of a service per container, created on first use (thread-safe), forgettable.

    Timeouts are short and there is one retry: Amazon Connect waits at most 8 s for a Lambda,
    and botocore's defaults (60 s, several retries) would outlast that, sending the caller down
    the flow's error branch instead of the handler's own fallback.
    """

    CONNECT_TIMEOUT_S = 1.0
    READ_TIMEOUT_S = 1.5
    TOTAL_ATTEMPTS = 2  # the first try and one retry

    def __init__(self, service: str) -> None:
        import threading

        self.service = service
        self._lock = threading.Lock()
        self._client: Any = None

    def get(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = client(
                        self.service,
                        connect_timeout=self.CONNECT_TIMEOUT_S,
                        read_timeout=self.READ_TIMEOUT_S,
                        total_attempts=self.TOTAL_ATTEMPTS,
                    )
        return self._client

    def reset(self) -> None:
        """Forgets the cached client (tests switch between mocked AWS accounts)."""
        with self._lock:
            self._client = None
