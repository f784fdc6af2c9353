"""Rasa's socket.io channel with its input checked first, and a polite reply when a turn produced none.

A `user_uttered` payload that is not an object, a message that is not a non-empty string, metadata that is not an
object (or a JSON string of one), a bad `session_id`, or more messages waiting than one conversation may have
(sender_limit.py) gets one `bot_uttered` with a short, friendly text instead of an exception. Custom payloads
(the crisis card) reach the client as `{"custom": {...}}`, where stock Rasa passed their keys to `emit()` as
keyword arguments and failed. A transport packet larger than the REST channel's body limit is refused by engine.io
itself (it closes that one connection), as no message that long could be read anyway.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from untangle_server.channels.input_checks import (
    MAX_BODY_BYTES,
    InputError,
    check_message,
    check_metadata,
    check_sender,
)
from untangle_server.channels.replies import BUSY_REPLY, TOO_LONG_REPLY, UNREADABLE_REPLY
from untangle_server.channels.sender_limit import PendingMessages
from untangle_server.channels.turns import Handler, answer_or_apologise

logger = logging.getLogger(__name__)
EMIT_KEYWORDS = {"data", "to", "room", "skip_sid", "namespace", "callback"}
REPLIES_TO_REFUSALS = {"message_too_long": TOO_LONG_REPLY, "too_many_messages": BUSY_REPLY}


class CountingSocketIOOutput(SocketIOOutput):
    """Socket.io output that counts what it sent and sends custom payloads as `{"custom": ...}`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent = 0

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        if set(json_message) <= EMIT_KEYWORDS:  # Rasa's own form: keyword arguments of emit()
            self.sent += 1
            await super().send_custom_json(recipient_id, json_message, **kwargs)
        else:
            await self._send_message(recipient_id, {"custom": json_message})


class UntangleSocketIOInput(SocketIOInput):
    """socket.io channel whose `user_uttered` handler checks the payload and always answers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = PendingMessages()

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        sio = self.sio
        # engine.io's own default (1 MB) would let it buffer four times what any readable message needs.
        sio.eio.max_http_buffer_size = MAX_BODY_BYTES

        async def handle_message(sid: Text, *payload: Any) -> None:
            output = CountingSocketIOOutput(sio, self.bot_message_evt)
            try:
                sender, text, metadata = self._read(sid, payload[0] if payload else None)
                message = UserMessage(text, output, sender, input_channel=self.name(), metadata=metadata)
                with self.pending.admit(sender):
                    await answer_or_apologise(on_new_message, message, lambda: output.sent)
            except InputError as error:
                logger.info(f"socket.io input refused: {error.code}")
                await output.send_text_message(sid, REPLIES_TO_REFUSALS.get(error.code, UNREADABLE_REPLY))

        # Replaces the handler the parent registered for the same event.
        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return webhook

    def _read(self, sid: Text, data: Any) -> Tuple[Text, Text, Optional[Dict[Text, Any]]]:
        """The sender, the cleaned text and the metadata of a `user_uttered` payload."""
        if not isinstance(data, dict):
            raise InputError(400, "invalid_payload", "The payload must be an object.")
        sender = check_sender(data.get("session_id")) if self.session_persistence else sid
        metadata = data.get(self.metadata_key)
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except (ValueError, RecursionError):
                metadata = ""  # refused below
        return sender, check_message(data.get("message")), check_metadata(metadata)
