"""The real Rasa server, its actions inside it as `make run` has them, for end-to-end tests (needs a trained model).

`make test` starts them once (python -m tests.e2e.servers) and sets UNTANGLE_SERVER_URL; a plain `pytest` run
starts them here instead.
"""
import os

import pytest

from tests.e2e.servers import MODEL, rasa_server


@pytest.fixture(scope="session")
def assistant_url(tmp_path_factory):
    if os.environ.get("UNTANGLE_SERVER_URL"):
        yield os.environ["UNTANGLE_SERVER_URL"].rstrip("/")
        return
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: run `make train` first")
    with rasa_server(tmp_path_factory.mktemp("rasa")) as url:
        yield url
