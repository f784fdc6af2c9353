"""Fixtures the end-to-end tests share."""

import uuid

import pytest

from tests.e2e.servers import send


@pytest.fixture
def chat(assistant_url):
    """One new conversation with the trained assistant through the REST channel: text in, the bot's messages out."""
    sender = f"e2e-{uuid.uuid4()}"
    return lambda text, **kw: send(assistant_url, sender, text, **kw)
