"""Load run: concurrent long conversations, then many short ones while watching the Rasa server's memory.

    python -m tests.load.run_load            # what `make load-test` runs
    python -m tests.load.run_load --help     # sizes, the store's settings, an already running server

It starts its own Rasa server as `make run` has it (the project's endpoints: the custom actions inside it, the
expiring tracker store with this run's settings) and fails on any error, any reply that is wrong or out of order,
or resident memory after the short conversations more than 10 % above what it was after the warm-up. Timings are
reported, never judged. Figures are printed and written to results/load/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import aiohttp

from bench.processes import rss_kb
from tests.e2e.servers import IN_PROCESS, ROOT, free_port, log_path, rasa_server_command, running, write_endpoints
from tests.load.scripts import Turn, short_conversations, twenty_turns

RESULTS_DIR = ROOT / "results" / "load"
MAX_RSS_GROWTH = 0.10
SAMPLE_EVERY_S = 0.5
KEPT_EXAMPLES = 5
PROGRESS_EVERY = 1000


@dataclass
class Tally:
    """What went wrong in a phase, with a few examples of each."""

    conversations: int = 0
    turns: int = 0
    errors: int = 0
    wrong_replies: int = 0
    examples: List[str] = field(default_factory=list)
    latencies_s: List[float] = field(default_factory=list)

    def note(self, kind: str, detail: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if len(self.examples) < KEPT_EXAMPLES:
            self.examples.append(f"{kind}: {detail}")

    def summary(self) -> Dict[str, object]:
        latencies = sorted(self.latencies_s) or [0.0]
        return {
            "conversations": self.conversations,
            "turns": self.turns,
            "errors": self.errors,
            "wrong_or_out_of_order_replies": self.wrong_replies,
            "examples": self.examples,
            "latency_p50_s": round(statistics.median(latencies), 3),
            "latency_p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        }


def rss_kib(pid: int) -> int:
    """Resident memory of the Rasa server (the benchmark's reading of /proc); it must still be running."""
    kib = rss_kb(pid)
    if not kib:
        raise RuntimeError(f"no VmRSS for process {pid}")
    return kib


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used, from /proc/<pid>/stat (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def converse(session: aiohttp.ClientSession, url: str, sender: str, turns: List[Turn], tally: Tally) -> None:
    """One conversation, turn after turn; stops at its first error or wrong reply."""
    for number, turn in enumerate(turns, start=1):
        started = time.monotonic()
        try:
            async with session.post(
                f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": turn.message}
            ) as response:
                if response.status != 200:
                    tally.note("errors", f"{sender} turn {number}: HTTP {response.status}")
                    return
                texts = tuple(message.get("text") for message in await response.json())
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            tally.note("errors", f"{sender} turn {number}: {type(error).__name__} {error}")
            return
        tally.latencies_s.append(time.monotonic() - started)
        tally.turns += 1
        if texts != turn.replies:
            got = [text[:40] if text else text for text in texts]
            tally.note("wrong_replies", f"{sender} turn {number} {turn.message!r}: got {got}")
            return
    tally.conversations += 1


async def concurrent_long_conversations(session: aiohttp.ClientSession, url: str, count: int) -> Tally:
    """`count` conversations of 20 turns, all at once, each with a fresh sender id."""
    tally, turns = Tally(), twenty_turns()
    await asyncio.gather(*(converse(session, url, f"load-long-{uuid.uuid4()}", turns, tally) for _ in range(count)))
    return tally


async def many_short_conversations(
    session: aiohttp.ClientSession, url: str, total: int, concurrency: int, server_pid: int, warm_up: int
) -> Tuple[Tally, Dict[str, object]]:
    """`total` short conversations, `concurrency` at a time, sampling the server's RSS as they complete."""
    tally, scripts = Tally(), short_conversations()
    indexes = iter(range(total))  # shared by the workers: each takes the next conversation
    senders: List[str] = []
    finished = [0]
    samples: List[Tuple[float, int, int]] = []  # (seconds since start, conversations done, RSS KiB)
    begin = time.monotonic()

    async def worker() -> None:
        for index in indexes:
            sender = f"load-short-{index}-{uuid.uuid4()}"
            senders.append(sender)
            await converse(session, url, sender, scripts[index % len(scripts)], tally)
            finished[0] += 1
            if finished[0] % PROGRESS_EVERY == 0:
                print(
                    f"  {finished[0]:>6} done, {time.monotonic() - begin:5.0f} s, "
                    f"Rasa RSS {rss_kib(server_pid) / 1024:.0f} MiB",
                    flush=True,
                )

    async def sampler() -> None:
        while True:
            samples.append((round(time.monotonic() - begin, 1), finished[0], rss_kib(server_pid)))
            await asyncio.sleep(SAMPLE_EVERY_S)

    sampling = asyncio.create_task(sampler())
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    sampling.cancel()
    samples.append((round(time.monotonic() - begin, 1), finished[0], rss_kib(server_pid)))
    after_warm_up = next((rss for _, done, rss in samples if done >= warm_up), samples[0][2])
    end = samples[-1][2]
    memory = {
        "rss_after_warm_up_kib": after_warm_up,
        "rss_end_kib": end,
        "rss_peak_kib": max(rss for _, _, rss in samples),
        "growth": round(end / after_warm_up - 1, 4),
        "within_10_percent": end <= after_warm_up * (1 + MAX_RSS_GROWTH),
        "seconds": round(time.monotonic() - begin, 1),
        "samples": samples[::10],
        "first_sender": senders[0] if senders else None,
        "last_sender": senders[-1] if senders else None,
    }
    return tally, memory


async def user_messages_kept(session: aiohttp.ClientSession, url: str, token: str, sender: str) -> int:
    """How many of the person's messages the server still holds for `sender` (HTTP API)."""
    async with session.get(f"{url}/conversations/{sender}/tracker", params={"token": token}) as response:
        events = (await response.json())["events"]
    return sum(event["event"] == "user" for event in events)


@contextlib.contextmanager
def servers(max_conversations: int, idle_expiry_s: float) -> Iterator[Tuple[str, int, str]]:
    """The Rasa server as `make run` has it (actions inside it; HTTP API on, loopback) with the expiring store;
    (url, pid, token)."""
    token = secrets.token_hex(16)
    with tempfile.TemporaryDirectory() as tmp:
        rasa_port = free_port()
        store = {
            "type": "untangle_server.tracker_store.ExpiringInMemoryTrackerStore",
            "idle_expiry_seconds": idle_expiry_s,
            "max_conversations": max_conversations,
        }
        endpoints = write_endpoints(Path(tmp) / "endpoints.yml", IN_PROCESS, tracker_store=store)
        command = rasa_server_command(rasa_port, endpoints, "--enable-api", "--auth-token", token)
        with running(command, f"http://127.0.0.1:{rasa_port}/", "load-rasa-server") as rasa:
            yield f"http://127.0.0.1:{rasa_port}", rasa.pid, token


async def run(args: argparse.Namespace, url: str, pid: int, token: str) -> Dict[str, object]:
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        print(f"{args.long} concurrent conversations x 20 turns...", flush=True)
        cpu_before = cpu_seconds(pid)
        long_tally = await concurrent_long_conversations(session, url, args.long)
        cpu_between = cpu_seconds(pid)
        print(f"{args.short} short conversations, {args.concurrency} at a time...", flush=True)
        short_tally, memory = await many_short_conversations(
            session, url, args.short, args.concurrency, pid, args.warm_up
        )
        cpu_after = cpu_seconds(pid)
        kept = {
            which: await user_messages_kept(session, url, token, memory[f"{which.split('_')[0]}_sender"])
            for which in ("first_short_conversation", "last_short_conversation")
            if args.short
        }
    return {
        "settings": {
            "long": args.long,
            "short": args.short,
            "concurrency": args.concurrency,
            "warm_up": args.warm_up,
            "max_conversations": args.max_conversations,
            "idle_expiry_seconds": args.idle_expiry,
        },
        "concurrent_long": {
            **long_tally.summary(),
            "rasa_cpu_ms_per_turn": per_turn_ms(cpu_between - cpu_before, long_tally.turns),
        },
        "many_short": {
            **short_tally.summary(),
            "rasa_cpu_ms_per_turn": per_turn_ms(cpu_after - cpu_between, short_tally.turns),
        },
        "memory": memory,
        "user_messages_kept": kept,
    }


def per_turn_ms(cpu_s: float, turns: int) -> float:
    return round(1000 * cpu_s / max(turns, 1), 1)


def verdict(result: Dict[str, object]) -> List[str]:
    """The reasons the run fails: errors, wrong or out-of-order replies, memory growth beyond 10 %."""
    problems = []
    for phase in ("concurrent_long", "many_short"):
        summary = result[phase]
        if summary["errors"] or summary["wrong_or_out_of_order_replies"]:
            problems.append(
                f"{phase}: {summary['errors']} errors, "
                f"{summary['wrong_or_out_of_order_replies']} wrong or out-of-order replies"
            )
    if not result["memory"]["within_10_percent"]:
        problems.append(f"resident memory grew {result['memory']['growth']:.1%} after the warm-up")
    return problems


def report(result: Dict[str, object]) -> None:
    long, short, memory = result["concurrent_long"], result["many_short"], result["memory"]
    print(
        f"concurrent: {long['conversations']} conversations complete, {long['turns']} turns, "
        f"{long['errors']} errors, {long['wrong_or_out_of_order_replies']} wrong/out of order, "
        f"p50 {long['latency_p50_s']} s, p95 {long['latency_p95_s']} s, "
        f"Rasa CPU {long['rasa_cpu_ms_per_turn']} ms/turn"
    )
    print(
        f"short:      {short['conversations']} conversations complete, {short['turns']} turns, "
        f"{short['errors']} errors, {short['wrong_or_out_of_order_replies']} wrong/out of order, "
        f"{memory['seconds']} s, p50 {short['latency_p50_s']} s, p95 {short['latency_p95_s']} s, "
        f"Rasa CPU {short['rasa_cpu_ms_per_turn']} ms/turn"
    )
    print(
        f"Rasa RSS:   {memory['rss_after_warm_up_kib'] / 1024:.0f} MiB after the warm-up, "
        f"{memory['rss_end_kib'] / 1024:.0f} MiB at the end ({memory['growth']:+.1%}), "
        f"peak {memory['rss_peak_kib'] / 1024:.0f} MiB"
    )
    kept = result["user_messages_kept"]
    if kept:
        print(
            f"kept:       first short conversation {kept['first_short_conversation']} user messages, "
            f"last {kept['last_short_conversation']}"
        )
    for example in long["examples"] + short["examples"]:
        print(f"  {example}")


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--long", type=int, default=100, help="concurrent 20-turn conversations (100)")
    parser.add_argument("--short", type=int, default=10_000, help="short conversations (10000)")
    parser.add_argument("--concurrency", type=int, default=20, help="short conversations at a time (20)")
    parser.add_argument("--warm-up", type=int, default=1000, help="short conversations before the baseline")
    parser.add_argument(
        "--max-conversations",
        type=int,
        default=1000,
        help="the store's cap; the default equals the warm-up, so the store is full from then",
    )
    parser.add_argument("--idle-expiry", type=float, default=1800, help="the store's idle expiry in seconds")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    begin = time.monotonic()
    with servers(args.max_conversations, args.idle_expiry) as (url, pid, token):
        print(f"servers up ({time.monotonic() - begin:.0f} s; logs in {log_path('load-rasa-server').parent})")
        result = asyncio.run(run(args, url, pid, token))
    result["problems"] = verdict(result)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    report(result)
    print(f"total {time.monotonic() - begin:.0f} s; figures in {out.relative_to(ROOT)}")
    for problem in result["problems"]:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
