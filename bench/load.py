"""The aiohttp load client: plays scripted conversations over Rasa's REST channel and times every message."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

import aiohttp

from bench.conversations import Turn, reply_problem

REST_PATH = "/webhooks/rest/webhook"
REQUEST_TIMEOUT_S = 30


@dataclass
class LoadResult:
    """What one measurement saw: latencies of good replies, error counts by kind, wall time."""

    latencies_s: List[float] = field(default_factory=list)
    latencies_by_text_s: Dict[str, List[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    elapsed_s: float = 0.0

    @property
    def messages(self) -> int:
        return len(self.latencies_s) + sum(self.errors.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def throughput(self) -> Optional[float]:
        """Good replies per second of wall time."""
        return len(self.latencies_s) / self.elapsed_s if self.elapsed_s > 0 else None


async def send_turn(
    session: aiohttp.ClientSession, server_url: str, sender: str, turn: Turn, result: LoadResult
) -> None:
    """POST one message; record its latency if the reply is good, else the kind of error."""
    started = time.perf_counter()
    try:
        async with session.post(server_url + REST_PATH, json={"sender": sender, "message": turn.text}) as response:
            if response.status != 200:
                await response.read()
                result.errors[f"http_{response.status}"] += 1
                return
            body = await response.json(content_type=None)
    except asyncio.TimeoutError:
        result.errors["timeout"] += 1
        return
    except (aiohttp.ClientError, ValueError):
        result.errors["connection_or_body"] += 1
        return
    elapsed = time.perf_counter() - started
    problem = reply_problem(turn, body)
    if problem:
        result.errors[problem] += 1
    else:
        result.latencies_s.append(elapsed)
        result.latencies_by_text_s[turn.text].append(elapsed)


def new_sender(label: str) -> str:
    return f"bench-{label}-{uuid.uuid4().hex[:12]}"


async def run_conversations(
    server_url: str,
    scripts: Sequence[List[Turn]],
    concurrency: int,
    conversations: Optional[int] = None,
    duration_s: Optional[float] = None,
    label: str = "load",
) -> LoadResult:
    """`concurrency` workers play the scripts in turn, each conversation with a fresh sender id, until
    `conversations` have been played or `duration_s` has passed (no new message is sent after it)."""
    if conversations is None and duration_s is None:
        raise ValueError("give a number of conversations or a duration")
    result = LoadResult()
    numbers = itertools.count()
    started = time.perf_counter()
    deadline = started + duration_s if duration_s is not None else None

    def out_of_time() -> bool:
        return deadline is not None and time.perf_counter() >= deadline

    async def worker(session: aiohttp.ClientSession) -> None:
        while not out_of_time():
            number = next(numbers)
            if conversations is not None and number >= conversations:
                return
            sender = new_sender(label)
            for turn in scripts[number % len(scripts)]:
                if out_of_time():
                    return
                await send_turn(session, server_url, sender, turn, result)

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    result.elapsed_s = time.perf_counter() - started
    return result


async def seconds_until_reply(
    server_url: str, turn: Turn, started: float, timeout_s: float, still_running: Callable[[], bool]
) -> float:
    """Poll the REST channel from `started` (a perf_counter value) until `turn` gets a good reply; the seconds."""
    sender = new_sender("cold")
    probe = LoadResult()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)) as session:
        while time.perf_counter() - started < timeout_s:
            if not still_running():
                raise RuntimeError("the server exited before its first reply")
            await send_turn(session, server_url, sender, turn, probe)
            if probe.latencies_s:
                return time.perf_counter() - started
            await asyncio.sleep(0.05)
    raise TimeoutError(f"no reply from {server_url} within {timeout_s} s")


async def seconds_until_up(
    health_url: str, started: float, timeout_s: float, still_running: Callable[[], bool]
) -> float:
    """Poll a health URL from `started` until it answers 200; the seconds."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        while time.perf_counter() - started < timeout_s:
            if not still_running():
                raise RuntimeError(f"the server behind {health_url} exited during start-up")
            try:
                async with session.get(health_url) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.05)
    raise TimeoutError(f"{health_url} did not answer within {timeout_s} s")
