"""Rasa's REST channel with its input checked first, and a polite reply when a turn produced none.

POST /webhooks/rest/webhook as before. A body that is not a JSON object, a `message` that is not a non-empty
string, a missing or odd `sender` or a `metadata` that is not an object get 400, a body or message over the hard
cap 413, a sender with too many messages waiting 429, each with `{"error": code, "message": text}` (stock Rasa
answered some of these with 500, and put messages without a sender into one shared "default" conversation).
`input_channel` is always "rest", and `?stream=true` is not offered: the answer is always the list of replies.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from untangle_server.channels.input_checks import (
    MAX_BODY_BYTES,
    InputError,
    check_message,
    check_metadata,
    check_sender,
    read_json_object,
)
from untangle_server.channels.sender_limit import PendingMessages
from untangle_server.channels.turns import Handler, answer_or_apologise

logger = logging.getLogger(__name__)


class UntangleRestInput(RestInput):
    """REST channel that refuses malformed input with a clear 4xx and never leaves a message unanswered."""

    def __init__(self) -> None:
        self.pending = PendingMessages()

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        # Streamed, so a body over the cap is never held in memory (Sanic itself would read up to 100 MB).
        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            collector = CollectingOutputChannel()
            try:
                sender, text, metadata = read_request(await read_capped_body(request))
                message = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
                with self.pending.admit(sender):
                    await answer_or_apologise(on_new_message, message, lambda: len(collector.messages))
            except InputError as error:
                logger.info(f"REST input refused: {error.code}")
                return response.json(error.as_json(), status=error.status)
            return response.json(collector.messages)

        return webhook


async def read_capped_body(request: Request) -> bytes:
    """The request body, or InputError 413 as soon as it is longer than MAX_BODY_BYTES."""
    too_large = InputError(413, "request_too_large", f"The request body is larger than {MAX_BODY_BYTES:,} bytes.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks, size = [], 0
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)


def read_request(body: bytes) -> Tuple[Text, Text, Optional[Dict[Text, Any]]]:
    """The checked sender, message text and metadata of a request body; InputError if any is wrong."""
    payload = read_json_object(body)
    return (
        check_sender(payload.get("sender")),
        check_message(payload.get("message")),
        check_metadata(payload.get("metadata")),
    )
