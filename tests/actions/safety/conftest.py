"""Fixtures of the safety action tests."""

import pytest

from actions.safety import table as table_module
from actions.safety.table import OVERRIDE_ENV


@pytest.fixture(autouse=True)
def shipped_table(monkeypatch):
    """Every test reads the shipped crisis-line table, freshly: no organisation's override file, no cached copy."""
    monkeypatch.delenv(OVERRIDE_ENV, raising=False)
    table_module._load.cache_clear()
