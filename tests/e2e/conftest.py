"""A real Rasa server with its action server, started once for all end-to-end tests (needs a trained model)."""
import pytest

from tests.e2e.servers import MODEL, action_server, rasa_server


@pytest.fixture(scope="session")
def assistant_url(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: run `make train` first")
    with action_server() as action_url, rasa_server(tmp_path_factory.mktemp("rasa"), action_url) as url:
        yield url
