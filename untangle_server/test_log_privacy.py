"""log_privacy keeps the person's message out of Rasa's log lines, through Rasa's own logging set-up."""

from __future__ import annotations

import logging
import warnings

import pytest
import structlog
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.log_utils import configure_structlog

from untangle_server import log_privacy

SECRET = "he is coming home zqsecret"
DOMAIN = Domain.from_dict({"intents": ["greet"]})


@pytest.fixture
def rasa_logging(caplog):
    """Rasa's JSON log set-up (as in a server writing to a file), restored afterwards; yields caplog."""
    saved_config, saved_filters = structlog.get_config(), warnings.filters[:]
    caplog.set_level(logging.INFO)
    configure_structlog(logging.INFO)
    yield caplog
    log_privacy.uninstall()
    structlog.configure(**saved_config)
    warnings.filters[:] = saved_filters


def log_like_rasas_rest_channel() -> None:
    """What rasa.core.channels.rest logs when a turn fails or the person leaves before the reply."""
    logger = structlog.get_logger("rasa.core.channels.rest")
    logger.error("rest.message.received.timeout", text=SECRET)
    try:
        text = SECRET  # noqa: F841 - a local variable, as in Rasa's frame
        raise KeyError("boom")
    except KeyError:
        logger.exception("rest.message.received.failure", text=SECRET)


def test_without_it_rasa_logs_the_message_and_the_frame_locals(rasa_logging):
    log_like_rasas_rest_channel()
    assert rasa_logging.text.count(SECRET) >= 3  # both fields and a local variable: what install() prevents


def test_installed_the_events_are_still_logged_without_the_message(rasa_logging):
    log_privacy.install()
    log_like_rasas_rest_channel()
    out = rasa_logging.text
    assert SECRET not in out
    assert "rest.message.received.timeout" in out and "rest.message.received.failure" in out
    assert '"error": "KeyError"' in out


def quoted_when_read_as_an_intent(text: str, rasa_logging, recwarn) -> bool:
    """Whether Rasa quotes `text` while checking it for an "/intent" (a warning or a log line)."""
    YAMLStoryReader.unpack_regex_message(Message({"text": text}), DOMAIN)
    return SECRET in rasa_logging.text + "".join(str(w.message) for w in recwarn)


@pytest.mark.parametrize("text", [f"/{SECRET}", "/@{" + SECRET], ids=["unknown intent", "not an intent"])
def test_a_message_starting_with_a_slash_is_not_quoted(rasa_logging, recwarn, text):
    assert quoted_when_read_as_an_intent(text, rasa_logging, recwarn)  # without install(): quoted
    rasa_logging.clear()
    recwarn.clear()
    log_privacy.install()
    assert not quoted_when_read_as_an_intent(text, rasa_logging, recwarn)


def test_installing_twice_adds_one_processor(rasa_logging):
    log_privacy.install()
    log_privacy.install()
    assert structlog.get_config()["processors"].count(log_privacy.withhold_message_text) == 1
