"""Fixtures for the template tests: the template as data (intrinsics in long form) and helpers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from local_connect.definitions import TEMPLATE_PATH, load_template


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    return load_template(TEMPLATE_PATH)


@pytest.fixture(scope="session")
def resources(template: Mapping[str, Any]) -> Mapping[str, Mapping[str, Any]]:
    return template["Resources"]
