"""A local twin of the Amazon Connect API for boto3: models (backend), responses (HTTP), urls (routes)."""

from local_connect.connect_api.models import ConnectBackend, Telephony
from local_connect.connect_api.responses import create_app
from local_connect.connect_api.throttle import Throttle

__all__ = ["ConnectBackend", "Telephony", "Throttle", "create_app"]
