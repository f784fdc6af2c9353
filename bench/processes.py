"""Server processes: start them with their output in a log file, stop them, read their resident memory."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Sequence

PROC = Path("/proc")


def rss_kb(pid: int, proc: Path = PROC) -> int:
    """VmRSS of one process in kB (0 if it has gone)."""
    try:
        status = (proc / str(pid) / "status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0  # a zombie has no VmRSS line


def child_pids(pid: int, proc: Path = PROC) -> List[int]:
    """Direct children of a process, from /proc/<pid>/task/*/children."""
    children: List[int] = []
    for children_file in (proc / str(pid) / "task").glob("*/children"):
        try:
            children.extend(int(child) for child in children_file.read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return children


def tree_rss_mb(pid: int, proc: Path = PROC) -> float:
    """Resident memory of a process and all its descendants in MB (a launcher may fork workers)."""
    total_kb, pending, seen = 0, [pid], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        total_kb += rss_kb(current, proc)
        pending.extend(child_pids(current, proc))
    return total_kb / 1024


def start(command: Sequence[str], cwd: Path, log_file: Path, env: Optional[Dict[str, str]] = None) -> subprocess.Popen:
    """Start a server in its own process group, stdout and stderr to `log_file`."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "wb") as log:
        return subprocess.Popen(
            list(command),
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )


def stop(process: subprocess.Popen, timeout_s: float = 20) -> None:
    """SIGTERM the server's process group (it and any workers it forked), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=timeout_s)
            return
        except subprocess.TimeoutExpired:
            continue
