"""The boto3 `connect` client: AWS by default, the local runtime when CONNECT_ENDPOINT_URL is set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.loaders import Loader

from jam_api.config import Settings

# botocore's standard retry mode already backs off on throttling; we map what is left to 429.
_RETRIES = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=8)

# The slice of botocore's data for the operations we call (scripts/trim_sdk_data.py writes it and a
# test holds it equal to the installed botocore). Decoding Connect's full 1.9 MB model and listing
# ~400 service folders was two thirds of the API's cold start.
SDK_DATA = Path(__file__).resolve().parent / "sdk_data"


class _SlicedDataLoader(Loader):
    """botocore's loader, searching our slice first; only the services we ship are known."""

    def __init__(self) -> None:
        super().__init__(extra_search_paths=[str(SDK_DATA)])

    def list_available_services(self, type_name: str) -> list[str]:
        # botocore only asks this to refuse unknown service names; the default lists every folder.
        return sorted(p.name for p in SDK_DATA.iterdir() if p.is_dir())


def make_connect_client(settings: Settings) -> Any:
    session = botocore.session.get_session()
    session.register_component("data_loader", _SlicedDataLoader())
    return boto3.Session(botocore_session=session).client(
        "connect", region_name=settings.region, endpoint_url=settings.connect_endpoint_url, config=_RETRIES
    )
