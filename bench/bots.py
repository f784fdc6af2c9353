"""Building and training the two bots from scratch, and the commands that serve them.

The stock bot is `rasa init`'s project: Rasa's own scaffold function copies it into a temporary folder (what
`rasa init --no-prompt` does before it trains), then `rasa train` trains it with its default config. Untangle
from scratch is its spaCy pipeline (`python -m untangle_nlu.spacy_pipeline DIR`) plus `rasa train`. Every
training uses an empty Rasa cache (RASA_CACHE_DIRECTORY) in the work folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from tests.e2e import servers

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
RASA = str(Path(PYTHON).with_name("rasa"))
PROJECT_SPACY_DIR = "build/spacy-en-untangle"
SERVER_ENV = servers.SERVER_ENV
SCAFFOLD = "import sys; from rasa.cli.scaffold import create_initial_project; create_initial_project(sys.argv[1])"


@dataclass
class Bot:
    """One bot to measure: `kind` picks its conversations ("stock" or "untangle")."""

    name: str
    kind: str
    project_dir: Path
    model: Optional[Path] = None  # None: what the server picks by default
    workers: int = 1  # more than one: Sanic workers sharing conversations and locks in Redis (deploy/endpoints.yml)
    training_s: Optional[float] = None
    training_steps_s: Dict[str, float] = field(default_factory=dict)


def timed_run(command: Sequence[str], cwd: Path, log_file: Path, env: Optional[Dict[str, str]] = None) -> float:
    """Run a command to completion (output to `log_file`); its wall time in seconds. Raises if it fails."""
    started = time.perf_counter()
    with open(log_file, "wb") as log:
        status = subprocess.call(
            list(command),
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **SERVER_ENV, **(env or {})},
        )
    if status != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed with {status}; see {log_file}")
    return time.perf_counter() - started


def build_stock(work_dir: Path, log_dir: Path) -> Bot:
    """Scaffold the `rasa init` project in `work_dir/stock` and train it with its own config."""
    project = work_dir / "stock"
    bot = Bot("stock", "stock", project)
    bot.training_steps_s["scaffold"] = timed_run(
        [PYTHON, "-c", SCAFFOLD, str(project)], work_dir, log_dir / "stock-scaffold.log"
    )
    bot.training_steps_s["rasa_train"] = timed_run(
        [RASA, "train"], project, log_dir / "stock-train.log", {"RASA_CACHE_DIRECTORY": str(work_dir / "stock-cache")}
    )
    bot.training_s = bot.training_steps_s["rasa_train"]
    bot.model = latest_model(project / "models")
    return bot


def latest_model(models_dir: Path) -> Path:
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no trained model in {models_dir}")
    return models[-1]


def config_with_spacy_dir(config_text: str, spacy_dir: Path) -> str:
    """An Untangle config whose SpacyNLP loads the pipeline in `spacy_dir` instead of the project's."""
    if PROJECT_SPACY_DIR not in config_text:
        raise ValueError(f"the config does not load {PROJECT_SPACY_DIR}")
    return config_text.replace(PROJECT_SPACY_DIR, str(spacy_dir))


def merged_config(base_text: str, variant_text: Optional[str]) -> str:
    """The project's config with a variant's top-level keys (e.g. `policies`) put in place of its own."""
    if variant_text is None:
        return base_text
    import yaml

    base, variant = yaml.safe_load(base_text), yaml.safe_load(variant_text) or {}
    return yaml.safe_dump({**base, **variant}, sort_keys=False)


def needs_action_server(endpoints_file: Path) -> bool:
    """Whether Rasa calls an action server with these endpoints (no `actions_module` to run the actions itself)."""
    import yaml

    endpoints = yaml.safe_load(endpoints_file.read_text(encoding="utf-8")) or {}
    action_endpoint = endpoints.get("action_endpoint") or {}
    return bool(action_endpoint.get("url")) and not action_endpoint.get("actions_module")


def endpoints_text(action_url: str) -> str:
    """The project's endpoints.yml (tracker store and all) with this run's action server URL."""
    import yaml

    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8")) or {}
    endpoints.setdefault("action_endpoint", {})["url"] = action_url
    return yaml.safe_dump(endpoints, sort_keys=False)


def train_untangle(work_dir: Path, log_dir: Path, name: str, variant: Optional[Path] = None) -> Bot:
    """Build the spaCy pipeline and train Untangle (config.yml, overridden by `variant`), into `work_dir`."""
    folder = work_dir / name
    folder.mkdir(parents=True)
    spacy_dir = folder / "spacy"
    bot = Bot(name, "untangle", ROOT)
    bot.training_steps_s["spacy_pipeline"] = timed_run(
        [PYTHON, "-m", "untangle_nlu.spacy_pipeline", str(spacy_dir)], ROOT, log_dir / f"{name}-spacy.log"
    )
    config_copy = folder / "config.yml"
    config_text = merged_config((ROOT / "config.yml").read_text(), variant.read_text() if variant else None)
    config_copy.write_text(config_with_spacy_dir(config_text, spacy_dir))
    bot.training_steps_s["rasa_train"] = timed_run(
        [
            RASA,
            "train",
            "--config",
            str(config_copy),
            "--domain",
            "domain.yml",
            "--data",
            "data",
            "--out",
            str(folder / "models"),
            "--fixed-model-name",
            "untangle",
        ],
        ROOT,
        log_dir / f"{name}-train.log",
        {"RASA_CACHE_DIRECTORY": str(folder / "cache")},
    )
    bot.training_s = sum(bot.training_steps_s.values())
    bot.model = folder / "models" / "untangle.tar.gz"
    return bot


def stock_server_command(port: int) -> List[str]:
    """Plain `rasa run` from the stock project's folder (its credentials.yml has the REST channel)."""
    return [RASA, "run", "--port", str(port), "--interface", "127.0.0.1"]


def with_option(command: Sequence[str], option: str, value: str) -> List[str]:
    """`command` with every `option VALUE` set to `value` (appended if absent), so no launcher sees two."""
    result, replaced = list(command), False
    for index, arg in enumerate(result[:-1]):
        if arg == option:
            result[index + 1], replaced = value, True
    return result if replaced else [*result, option, value]


def untangle_server_command(port: int, endpoints: Path, model: Optional[Path]) -> List[str]:
    """The project's own Rasa server command (tests/e2e/servers.py), serving `model` when given."""
    command = servers.rasa_server_command(port, endpoints)
    return with_option(command, "--model", str(model)) if model is not None else command


def action_server_command(port: int) -> List[str]:
    return servers.action_server_command(port)


def redis_command(port: int, data_dir: Path) -> List[str]:
    """redis-server with the scaled set-up's settings (deploy/redis.conf: loopback, nothing on disk)."""
    return ["redis-server", str(ROOT / "deploy" / "redis.conf"), "--port", str(port), "--dir", str(data_dir)]


def workers_env(workers: int, action_port: int, redis_port: int) -> Dict[str, str]:
    """What deploy/endpoints.yml reads from the environment, and Rasa's number of Sanic workers."""
    return {
        "SANIC_WORKERS": str(workers),
        "TICKET_LOCK_LIFETIME": "10",
        "UNTANGLE_ACTIONS_HOST": "127.0.0.1",
        "UNTANGLE_ACTIONS_PORT": str(action_port),
        "UNTANGLE_REDIS_HOST": "127.0.0.1",
        "UNTANGLE_REDIS_PORT": str(redis_port),
    }
