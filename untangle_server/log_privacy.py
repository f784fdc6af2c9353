"""Keep the person's messages out of the Rasa server's log (docs/privacy.md).

At Rasa's default level (INFO) its own log lines carry no message text, but a few of its warnings and errors do,
whatever the level:
- `rest.message.received.timeout` (ERROR, rasa.core.channels.rest) logs the message of a person who left before
  the reply: the widget's quick exit closes the page mid-request, Sanic cancels the turn, and Rasa logs its text.
  `rest.message.received.failure` logs it too, with the exception's local variables.
- `message.parsing.failed` (WARNING) and the `UserWarning` "Failed to parse arguments in line '...'" quote a
  message that starts with "/" but is not a known intent.
- `interpolator.interpolate.text` (ERROR) prints the local variables of the failing frame, slot values included.

`install()` puts one processor in front of Rasa's structlog chain that replaces those fields with "[withheld]"
and an exception's traceback (with its locals) by the exception's type name, and ignores the UserWarning above.
It changes nothing else; Rasa's DEBUG lines, which quote every message, stay as they are for an operator who
turns them on knowingly.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any, Dict

import structlog

WITHHELD = "[withheld]"
# Rasa 3.6's own list of structlog fields that can hold conversation content (rasa.utils.log_utils._anonymizer).
CONTENT_FIELDS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
        "placeholder_key",
    }
)
UNKNOWN_INTENT_WARNING = r"Failed to parse arguments in line"


def withhold_message_text(_logger: Any, _method_name: str, event_dict: Dict[str, Any]) -> Dict[str, Any]:
    """structlog processor: content fields become WITHHELD, an exception only its type name."""
    for field in CONTENT_FIELDS.intersection(event_dict):
        event_dict[field] = WITHHELD
    exc_info = event_dict.get("exc_info")
    if exc_info:
        error = sys.exc_info()[1] if exc_info is True else exc_info[1] if isinstance(exc_info, tuple) else exc_info
        event_dict["error"] = type(error).__name__ if isinstance(error, BaseException) else "unknown"
    if "exc_info" in event_dict or _method_name == "exception":
        event_dict["exc_info"] = False  # present and false: no traceback, no local variables
    return event_dict


def install() -> None:
    """Withhold message text from Rasa's structured log events and its unknown-intent warning (idempotent).

    Call it after Rasa has configured logging (it does so before it loads endpoints or the model).
    """
    # Inserted into structlog's live processor list, not passed to structlog.configure(): loggers Rasa has
    # already used keep a reference to that list, and would keep logging text with a new one.
    processors = structlog.get_config()["processors"]
    if withhold_message_text not in processors:
        processors.insert(0, withhold_message_text)
    warnings.filterwarnings("ignore", message=UNKNOWN_INTENT_WARNING, category=UserWarning)


def is_installed() -> bool:
    return withhold_message_text in structlog.get_config()["processors"]


def uninstall() -> None:
    """Undo install() (for tests)."""
    processors = structlog.get_config()["processors"]
    while withhold_message_text in processors:
        processors.remove(withhold_message_text)
    warnings.filters[:] = [f for f in warnings.filters if not (f[1] and f[1].pattern == UNKNOWN_INTENT_WARNING)]
