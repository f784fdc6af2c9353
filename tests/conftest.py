"""Fixtures the tests share: a dispatcher for the action tests and the session's real assistant.

Helpers that are plain functions live in tests/support/; no test imports a conftest or another test module.
"""

from __future__ import annotations

import os
from typing import Iterator

import pytest
from rasa_sdk.executor import CollectingDispatcher

from tests.e2e.servers import MODEL, rasa_server


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def assistant_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real Rasa server, its actions inside it as `make run` has them (end-to-end, fuzz and live browser tests).

    `make test` starts it once (python -m tests.e2e.servers) and sets UNTANGLE_SERVER_URL; a plain `pytest` run
    starts it here, which needs a trained model."""
    if os.environ.get("UNTANGLE_SERVER_URL"):
        yield os.environ["UNTANGLE_SERVER_URL"].rstrip("/")
        return
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first (`make pytest` trains it)", pytrace=False)
    with rasa_server(tmp_path_factory.mktemp("rasa")) as url:
        yield url
