"""Serve one bot alone and measure it: cold start, memory, latency at each concurrency, crisis path, throughput."""

from __future__ import annotations

import asyncio
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bench import bots, processes
from bench.conversations import scripts_for
from bench.load import LoadResult, run_conversations, seconds_until_reply, seconds_until_up
from bench.stats import latency_summary
from tests.e2e.servers import free_port

COLD_START_TIMEOUT_S = 300


@dataclass(frozen=True)
class Plan:
    """How much load each measurement gets."""

    warmup_conversations: int
    conversations_by_concurrency: Tuple[Tuple[int, int], ...]  # (concurrent conversations, conversations)
    crisis_conversations: int
    throughput_concurrency: int
    throughput_duration_s: float


FULL_PLAN = Plan(
    warmup_conversations=6,
    conversations_by_concurrency=((1, 40), (10, 150), (50, 300)),
    crisis_conversations=60,
    throughput_concurrency=20,
    throughput_duration_s=30,
)
SMOKE_PLAN = Plan(
    warmup_conversations=1,
    conversations_by_concurrency=((1, 2), (10, 10), (50, 50)),
    crisis_conversations=3,
    throughput_concurrency=20,
    throughput_duration_s=2,
)


def load_figures(result: LoadResult, by_message: bool = False) -> Dict[str, Any]:
    """The summary of one measurement; with `by_message`, also the median latency of each scripted message."""
    figures = {
        **latency_summary(result.latencies_s),
        "messages": result.messages,
        "errors": result.error_count,
        "errors_by_kind": dict(result.errors),
        "elapsed_s": result.elapsed_s,
        "messages_per_s": result.throughput(),
    }
    if by_message:
        figures["p50_ms_by_message"] = {
            text: latency_summary(values)["p50_ms"] for text, values in sorted(result.latencies_by_text_s.items())
        }
    return figures


def memory_figures(rasa_pid: int, action_pid: Optional[int], redis_pid: Optional[int] = None) -> Dict[str, Any]:
    """The Rasa server's memory (with any workers it forked), the action server's, Redis's, and their total."""
    rasa_mb = processes.tree_rss_mb(rasa_pid)
    action_mb = processes.tree_rss_mb(action_pid) if action_pid else None
    redis_mb = processes.tree_rss_mb(redis_pid) if redis_pid else None
    return {
        "rasa_server_mb": rasa_mb,
        "action_server_mb": action_mb,
        "redis_mb": redis_mb,
        "total_mb": rasa_mb + (action_mb or 0) + (redis_mb or 0),
    }


async def measure_served(
    rasa_url: str,
    scripts: Dict[str, Any],
    plan: Plan,
    started: float,
    rasa: Any,
    action: Optional[Any],
    action_health_url: Optional[str],
    redis: Optional[Any] = None,
) -> Dict[str, Any]:
    """Everything measured against servers started at `started` (perf_counter), in order."""
    first_turn = scripts["multi_turn"][0][0]
    waits = [seconds_until_reply(rasa_url, first_turn, started, COLD_START_TIMEOUT_S, lambda: rasa.poll() is None)]
    if action is not None:
        waits.append(seconds_until_up(action_health_url, started, COLD_START_TIMEOUT_S, lambda: action.poll() is None))
    ready = await asyncio.gather(*waits)
    figures: Dict[str, Any] = {"cold_start_s": ready[0], "action_server_up_s": ready[1] if action else None}

    warmup = await run_conversations(
        rasa_url, scripts["multi_turn"] + scripts["crisis"], 1, conversations=plan.warmup_conversations, label="warmup"
    )
    figures["warmup"] = load_figures(warmup)
    pids = (rasa.pid, action.pid if action else None, redis.pid if redis else None)
    figures["memory_after_warmup"] = memory_figures(*pids)

    figures["latency"] = {}
    for concurrency, conversations in plan.conversations_by_concurrency:
        result = await run_conversations(
            rasa_url, scripts["multi_turn"], concurrency, conversations=conversations, label=f"c{concurrency}"
        )
        figures["latency"][str(concurrency)] = load_figures(result, by_message=concurrency == 1)
    crisis = await run_conversations(
        rasa_url, scripts["crisis"], 1, conversations=plan.crisis_conversations, label="crisis"
    )
    figures["crisis"] = load_figures(crisis)
    throughput = await run_conversations(
        rasa_url,
        scripts["multi_turn"],
        plan.throughput_concurrency,
        duration_s=plan.throughput_duration_s,
        label="throughput",
    )
    figures["throughput"] = {**load_figures(throughput), "concurrency": plan.throughput_concurrency}
    figures["memory_after_load"] = memory_figures(*pids)
    return figures


def wait_for_port(port: int, process: Any, timeout_s: float = 30) -> None:
    """Until something accepts connections on the loopback port (Redis, before the Rasa server needs it)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} during start-up")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listened on port {port} within {timeout_s} s")


def measure_bot(bot: bots.Bot, plan: Plan, log_dir: Path) -> Dict[str, Any]:
    """Start the bot's servers (for Untangle the Rasa server, with Redis first when it runs several workers, and
    an action server at the same time when its endpoints call one), measure, stop them; the figures."""
    rasa_port = free_port()
    rasa_url = f"http://127.0.0.1:{rasa_port}"
    with tempfile.TemporaryDirectory(prefix="untangle-bench-") as tmp:
        action, action_health_url, redis, rasa_env = None, None, None, dict(bots.SERVER_ENV)
        servers: List[Any] = []
        try:
            action_port = free_port()
            if bot.kind == "untangle":
                if bot.workers > 1:  # the scaled set-up's endpoints: Redis stores, addresses from the environment
                    redis_port = free_port()
                    redis = processes.start(
                        bots.redis_command(redis_port, Path(tmp)), bots.ROOT, log_dir / f"{bot.name}-redis.log"
                    )
                    servers.append(redis)
                    wait_for_port(redis_port, redis)
                    endpoints = bots.ROOT / "deploy" / "endpoints.yml"
                    rasa_env.update(bots.workers_env(bot.workers, action_port, redis_port))
                else:
                    endpoints = Path(tmp) / "endpoints.yml"
                    endpoints.write_text(bots.endpoints_text(f"http://127.0.0.1:{action_port}/webhook"))
                rasa_command = bots.untangle_server_command(rasa_port, endpoints, bot.model)
            else:
                rasa_command = bots.stock_server_command(rasa_port)
            started = time.perf_counter()
            if bot.kind == "untangle" and bots.needs_action_server(endpoints):
                action_health_url = f"http://127.0.0.1:{action_port}/health"
                action = processes.start(
                    bots.action_server_command(action_port),
                    bots.ROOT,
                    log_dir / f"{bot.name}-action-server.log",
                    bots.SERVER_ENV,
                )
                servers.append(action)
            rasa = processes.start(rasa_command, bot.project_dir, log_dir / f"{bot.name}-rasa-server.log", rasa_env)
            servers.append(rasa)
            scripts = scripts_for(bot.kind, bot.project_dir / "domain.yml")
            figures = asyncio.run(
                measure_served(rasa_url, scripts, plan, started, rasa, action, action_health_url, redis)
            )
        finally:
            for server in reversed(servers):
                processes.stop(server)
    figures["command"] = rasa_command
    figures["workers"] = bot.workers
    return figures
