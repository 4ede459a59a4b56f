from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cognito.helpers import Pool, serve


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pool]:
    server, running = serve(tmp_path_factory.mktemp("cognito"))
    yield running
    server.shutdown()
