"""Generated payloads to the socket.io channel (credentials.yml's `user_uttered`): every payload is acknowledged
(no exception in the handler), gets bot messages or one short graceful text, and disturbs no other conversation.
Only a packet larger than the body limit may instead be refused by engine.io, which closes that one connection."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, List

import pytest
import socketio
from hypothesis import HealthCheck, example, given, settings

from tests.fuzz.canary import visible
from tests.fuzz.strategies import socketio_payload
from untangle_server.channels.input_checks import MAX_BODY_BYTES
from untangle_server.channels.replies import TOO_LONG_REPLY, TROUBLE_REPLY, UNREADABLE_REPLY

FUZZ_SOCKETIO_PAYLOADS = 300
CANARY_EVERY = 50
ANSWER_TIMEOUT_S = 120
RESULTS = Path(__file__).resolve().parents[2] / "results" / "fuzz"


class ConnectionClosed(Exception):
    """The server closed the connection instead of acknowledging the event."""


class SocketClient:
    """One socket.io connection (one conversation) driven from synchronous tests on its own event loop.

    Long-polling: the installed engineio's websocket client needs a newer aiohttp than Rasa pins.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.received: List[Any] = []
        self._connect()

    def _connect(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.client.on("bot_uttered", self.received.append)
        self.closed = asyncio.Event()
        self.client.on("disconnect", lambda *reason: self.closed.set())
        self.loop.run_until_complete(self.client.connect(self.url, transports=["polling"]))

    def reconnect(self) -> None:
        """A new connection (a new conversation) after the server closed this one."""
        self.loop.run_until_complete(self._abort())
        self._connect()

    def send(self, payload: Any) -> List[Any]:
        """Emit `user_uttered` and wait for the handler's acknowledgement; the bot messages it sent before it.

        Raises ConnectionClosed when the server closes the connection first.
        """
        self.received.clear()
        self.loop.run_until_complete(self._call(payload))
        return list(self.received)

    async def _call(self, payload: Any) -> None:
        answered = asyncio.ensure_future(self.client.call("user_uttered", payload, timeout=ANSWER_TIMEOUT_S))
        closed = asyncio.ensure_future(self.closed.wait())
        await asyncio.wait([answered, closed], return_when=asyncio.FIRST_COMPLETED)
        if not answered.done():
            answered.cancel()
            raise ConnectionClosed()
        closed.cancel()
        answered.result()
        await asyncio.sleep(0.01)  # let the client's event tasks for the last messages run

    def close(self) -> None:
        """Drop the connection at once (a polite long-polling disconnect waits up to a ping interval)."""
        self.loop.run_until_complete(self._abort())
        self.loop.close()

    async def _abort(self) -> None:
        await self.client.eio.disconnect(abort=True)
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self.client.eio.http is not None:
            await self.client.eio.http.close()


def as_rest_reply(message: Any) -> dict:
    """A socket.io bot message in the REST channel's shape, to compare the two channels."""
    buttons = [{"title": q["title"], "payload": q["payload"]} for q in message.get("quick_replies", [])]
    return {
        "text": message.get("text"),
        **({"buttons": buttons} if buttons else {}),
        **({"custom": message["custom"]} if "custom" in message else {}),
    }


@pytest.fixture(scope="module")
def socket_fuzz(assistant_url, canary):
    client = SocketClient(assistant_url)
    client.counts = {"payloads": 0, "graceful refusals": 0, "trouble replies": 0, "refused by the transport": 0}
    yield client
    client.close()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "socketio.json").write_text(json.dumps(client.counts, indent=1))


def packet_bytes(payload: Any) -> int:
    """The size of the engine.io packet that carries `payload` as a `user_uttered` event."""
    return len(socketio.packet.Packet(socketio.packet.EVENT, data=["user_uttered", payload], id=1).encode().encode())


def readable(payload: Any) -> bool:
    if not isinstance(payload, dict) or not isinstance(payload.get("message"), str):
        return False
    message, metadata = payload["message"], payload.get("metadata")
    return (
        any(c.isalnum() for c in message)
        and len(message) <= 2000
        and isinstance(metadata, (dict, type(None)))
        and not message.lstrip().lower().startswith(("/restart", "/session_start"))
    )


@settings(
    max_examples=FUZZ_SOCKETIO_PAYLOADS,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(payload=socketio_payload)
@example(payload={"message": "🙂" * 100_000})  # JSON-escaped, over the limit: engine.io closes the connection
@example(payload={"message": "ש" * 30_000})  # too long to read, but within the limit: the graceful text
def test_generated_payloads_get_bot_messages_or_a_graceful_text(socket_fuzz, canary, payload):
    socket_fuzz.counts["payloads"] += 1
    try:
        replies = socket_fuzz.send(payload)  # a handler that raised would never acknowledge: TimeoutError
    except ConnectionClosed:
        assert packet_bytes(payload) > MAX_BODY_BYTES, "the server closed the connection on a packet within the limit"
        socket_fuzz.counts["refused by the transport"] += 1
        socket_fuzz.reconnect()
        return
    assert all(isinstance(reply, dict) for reply in replies), replies
    texts = [reply.get("text") for reply in replies]
    socket_fuzz.counts["graceful refusals"] += texts in ([UNREADABLE_REPLY], [TOO_LONG_REPLY])
    socket_fuzz.counts["trouble replies"] += TROUBLE_REPLY in texts
    if not isinstance(payload, dict):
        assert texts == [UNREADABLE_REPLY]
    if readable(payload):
        assert replies and UNREADABLE_REPLY not in texts and TROUBLE_REPLY not in texts
    if socket_fuzz.counts["payloads"] % CANARY_EVERY == 0:
        canary.assert_healthy()
        canary.step()


def test_after_the_fuzz_a_new_socketio_conversation_gets_the_usual_replies(socket_fuzz, canary, assistant_url):
    assert socket_fuzz.counts["payloads"] >= FUZZ_SOCKETIO_PAYLOADS
    fresh = SocketClient(assistant_url)
    try:
        for text, expected in list(zip(canary.script, canary.expected, strict=True))[:3]:
            assert visible([as_rest_reply(m) for m in fresh.send({"message": text})]) == expected
    finally:
        fresh.close()
    canary.check_whole_script()


def test_the_crisis_card_reaches_socketio_clients(assistant_url):
    client = SocketClient(assistant_url)
    try:
        replies = client.send({"message": "/help_now", "metadata": {"country": "GB"}})
    finally:
        client.close()
    assert any(reply.get("custom", {}).get("type") == "crisis_referral" for reply in replies), replies
