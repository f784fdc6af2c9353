"""A canary conversation that the fuzz must not disturb, on the session's real assistant (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.fuzz.canary import Canary


@pytest.fixture(scope="session")
def canary(assistant_url) -> Canary:
    return Canary(assistant_url)
