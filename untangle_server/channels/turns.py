"""Running one turn for a channel: any failure, or silence where a reply was due, becomes a polite reply."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage

from untangle_server.channels.input_checks import needs_reply
from untangle_server.channels.replies import TROUBLE_REPLY

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


async def answer_or_apologise(on_new_message: Handler, message: UserMessage, replies_sent: Callable[[], int]) -> None:
    """Let Rasa answer `message`; if that failed or sent nothing, send TROUBLE_REPLY (not after /restart).

    Rasa carries on without a custom action's messages when the action server is down, so a turn can end in
    silence; the domain responses it did send (the crisis essentials) are kept. A failure is logged without the
    message text.
    """
    try:
        await on_new_message(message)
    except Exception as error:  # noqa: BLE001 - any failure still gets a polite reply
        logger.error(f"Handling a message failed ({type(error).__name__}); the sender gets a polite reply.")
        logger.debug("Failure details", exc_info=True)
    if replies_sent() == 0 and needs_reply(message.text or ""):
        await message.output_channel.send_text_message(message.sender_id, TROUBLE_REPLY)
