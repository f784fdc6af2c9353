"""The checks and limits both channels apply before Rasa sees a message.

Each check returns the cleaned value or raises `InputError` with an HTTP status, a short code for programs and a
sentence for people. The message text is never put into an error or a log line.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional

# Hard cap. Longer than the NLU's soft limit (untangle_nlu/message_length.py), which still lets the danger
# detector read the text and then asks politely for a shorter message.
MAX_MESSAGE_CHARS = 20_000
# A body holding a MAX_MESSAGE_CHARS message, even JSON-escaped ("\ud83d\ude00" is 12 bytes), plus metadata.
MAX_BODY_BYTES = 256 * 1024
MAX_SENDER_CHARS = 128
# Control characters other than tab, line feed and carriage return (C0, DEL, C1).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# spaCy's tokenizer takes quadratic time on a long run without spaces of emoji or punctuation (20,000 emoji: two
# minutes, with every other conversation waiting), so such runs get a space after every RUN_CHARS characters.
RUN_CHARS = 100
LONG_RUN = re.compile(rf"\S{{{RUN_CHARS}}}(?=\S)")


class InputError(ValueError):
    """Input the channel refuses: `status` (400, 413 or 429), `code` and a human-readable `detail`."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail

    def as_json(self) -> Dict[str, Any]:
        body: Dict[str, Any] = {"error": self.code, "message": self.detail}
        if self.code == "message_too_long":
            body["max_chars"] = MAX_MESSAGE_CHARS
        return body


def read_json_object(raw: bytes) -> Dict[str, Any]:
    """The request body as a JSON object, whatever the Content-Type (the widget's quick exit sends text/plain)."""
    if len(raw) > MAX_BODY_BYTES:
        raise InputError(413, "request_too_large", f"The request body is larger than {MAX_BODY_BYTES:,} bytes.")
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested deeper than Python parses
        raise InputError(400, "invalid_json", "The request body must be a JSON object.") from None
    if not isinstance(payload, dict):
        raise InputError(400, "invalid_json", f"The request body must be a JSON object, not {type(payload).__name__}.")
    return payload


def clean_text(text: str) -> str:
    """Lone UTF-16 surrogates become U+FFFD and control characters spaces, so no NLU component trips on them."""
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return CONTROL_CHARACTERS.sub(" ", text)


def check_message(value: Any) -> str:
    """A non-empty string of at most MAX_MESSAGE_CHARS characters, cleaned, long runs broken up."""
    if not isinstance(value, str):
        raise InputError(400, "invalid_message", "`message` must be a string.")
    text = clean_text(value)
    if len(text) > MAX_MESSAGE_CHARS:
        raise InputError(
            413,
            "message_too_long",
            f"The message is longer than {MAX_MESSAGE_CHARS:,} characters. Please send a shorter message.",
        )
    if not text.strip():
        raise InputError(400, "empty_message", "`message` must contain some text.")
    return LONG_RUN.sub(lambda run: run.group(0) + " ", text)


def check_sender(value: Any) -> str:
    """A conversation id: 1 to MAX_SENDER_CHARS printable characters, no surrounding spaces."""
    if value is None:
        raise InputError(400, "missing_sender", "`sender` is required: a conversation id chosen by the client.")
    if (
        not isinstance(value, str)
        or not value
        or len(value) > MAX_SENDER_CHARS
        or value != value.strip()
        or not value.isprintable()
    ):
        raise InputError(
            400,
            "invalid_sender",
            f"`sender` must be a string of 1 to {MAX_SENDER_CHARS} printable characters without surrounding spaces.",
        )
    return value


def check_metadata(value: Any) -> Optional[Dict[str, Any]]:
    """An object, or nothing."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError(400, "invalid_metadata", "`metadata` must be a JSON object.")
    return value


def needs_reply(text: str) -> bool:
    """Every message expects an answer except ending or starting a conversation by its intent."""
    return not text.strip().lower().startswith(("/restart", "/session_start"))
