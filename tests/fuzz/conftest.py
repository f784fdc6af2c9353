"""The shared assistant (tests/e2e/conftest.py) and a canary conversation that the fuzz must not disturb."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import assistant_url  # noqa: F401 - the session's real assistant
from tests.fuzz.canary import Canary


@pytest.fixture(scope="session")
def canary(assistant_url) -> Canary:  # noqa: F811
    return Canary(assistant_url)
