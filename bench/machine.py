"""What the machine is: cores, memory, CPU model, load, Python and Rasa versions."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any, Dict, Optional


def first_value(path: Path, key: str) -> Optional[str]:
    """The value of the first `key: value` line of a /proc file, or None."""
    try:
        for line in path.read_text().splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key:
                return value.strip()
    except OSError:
        pass
    return None


def package_version(name: str) -> Optional[str]:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def describe() -> Dict[str, Any]:
    mem_total = first_value(Path("/proc/meminfo"), "MemTotal")
    return {
        "cpus": os.cpu_count(),
        "cpu_model": first_value(Path("/proc/cpuinfo"), "model name"),
        "memory_gb": round(int(mem_total.split()[0]) / 1024 / 1024, 1) if mem_total else None,
        "python": platform.python_version(),
        "rasa": package_version("rasa"),
        "rasa_sdk": package_version("rasa-sdk"),
        "load_average": os.getloadavg(),
    }
