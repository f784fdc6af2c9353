"""A flood from one sender: 200 requests at once get no 5xx and are answered or refused at once with a 429, while
another person's conversation, running at the same time, gets exactly its usual replies.

How many are refused depends on how many wait at once: with the actions inside the Rasa server and conversations in
memory, a message is answered without the server waiting on anything, so the flood's requests may never pile up
past the cap and all be answered (the cap itself: tests/fuzz/test_input_checks.py)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from typing import List, Tuple

import aiohttp

from tests.fuzz.canary import visible
from untangle_server.channels.replies import TROUBLE_REPLY
from untangle_server.channels.sender_limit import MAX_PENDING_PER_SENDER

FLOOD_REQUESTS = 200


async def post(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> Tuple[int, object]:
    async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as answer:
        return answer.status, await answer.json(content_type=None)


async def conversation(session: aiohttp.ClientSession, url: str, script: List[str]) -> List[List[tuple]]:
    sender = f"flood-bystander-{uuid.uuid4()}"
    replies = []
    for text in script:
        status, data = await post(session, url, sender, text)
        assert status == 200, (status, data)
        replies.append(visible(data))
    return replies


async def test_a_flood_from_one_sender_leaves_other_conversations_alone(assistant_url, canary):
    flooder = f"flood-{uuid.uuid4()}"
    started = time.monotonic()
    timeout = aiohttp.ClientTimeout(total=180)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=timeout) as session:
        flood = asyncio.gather(*(post(session, assistant_url, flooder, "hello") for _ in range(FLOOD_REQUESTS)))
        bystander = conversation(session, assistant_url, canary.script)
        answers, bystander_replies = await asyncio.gather(flood, bystander)
    statuses = Counter(status for status, _ in answers)
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[200] >= MAX_PENDING_PER_SENDER
    answered = [data for status, data in answers if status == 200]
    assert all(data and TROUBLE_REPLY not in [m.get("text") for m in data] for data in answered)
    refused = [data for status, data in answers if status == 429]
    assert all(data["error"] == "too_many_messages" for data in refused)
    assert bystander_replies == canary.expected
    assert time.monotonic() - started < 120
    canary.assert_healthy()
