"""The engine Untangle ships gives stock Rasa's replies, message for message, on every test story.

`make run` serves `python -m untangle_server.serve run` with Rasa's internals patched for speed
(untangle_server/rasa_patches/, docs/patches.md); the gates run that engine. This plays the user turns of every
story in tests/stories/ (an `intent:` step as its `/intent{entities}` payload, a `user:` step as its text, a fresh
sender per story) over the REST channel to three servers started here on free loopback ports, and compares each
turn's reply list with the shipped engine's:

- the shipped engine, patched;
- the same launcher with `UNTANGLE_STOCK_RASA=1` (Rasa's own code paths, actions still inside the server);
- Rasa's own `rasa run` CLI (it imports TensorFlow) with `rasa run actions` beside it, as Rasa ships.

The model is $UNTANGLE_MODEL, else models/untangle.tar.gz. 2 min 9 s to 2 min 19 s on two shared cores.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
import yaml

from tests.e2e.servers import (
    IN_PROCESS,
    ROOT,
    SERVED_LAUNCHER,
    action_server_command,
    free_port,
    rasa_server_command,
    send,
    started,
    wait_until_up,
    write_endpoints,
)

MODEL = Path(os.environ.get("UNTANGLE_MODEL", ROOT / "models" / "untangle.tar.gz"))
RASA = str(Path(sys.executable).with_name("rasa"))
STORIES = sorted((ROOT / "tests" / "stories").glob("*.yml"))
SHIPPED, STOCK_SWITCH, STOCK_CLI = "shipped engine", "UNTANGLE_STOCK_RASA=1", "stock rasa run"

# (story file, story name) -> the messages its person sends, in order.
Story = Tuple[str, str]


def user_message(step: dict) -> str:
    """What a story's user step sends: its text, else its intent as a payload with its entities."""
    if step.get("user"):
        return step["user"].strip()
    entities = {name: value for entity in step.get("entities", []) for name, value in entity.items()}
    return f"/{step['intent']}" + (json.dumps(entities) if entities else "")


def story_turns() -> Dict[Story, List[str]]:
    turns = {}
    for path in STORIES:
        for story in yaml.safe_load(path.read_text(encoding="utf-8")).get("stories", []):
            messages = [user_message(step) for step in story["steps"] if "intent" in step or "user" in step]
            turns[path.name, story["story"]] = messages
    return turns


def served_command(port: int, endpoints: Path, launcher: Tuple[str, ...] = SERVED_LAUNCHER) -> List[str]:
    return rasa_server_command(port, endpoints, launcher=launcher, model=MODEL)


@contextlib.contextmanager
def servers(tmp_dir: Path) -> Iterator[Dict[str, str]]:
    """The three engines (and the stock CLI's action server), started side by side; their URLs once all answer."""
    ports = {name: free_port() for name in (SHIPPED, STOCK_SWITCH, STOCK_CLI, "actions")}
    in_process = write_endpoints(tmp_dir / "in-process.yml", IN_PROCESS)
    action_server = write_endpoints(tmp_dir / "action-server.yml", f"http://127.0.0.1:{ports['actions']}/webhook")
    commands = {  # name -> (command, extra environment, health URL)
        SHIPPED: (served_command(ports[SHIPPED], in_process), {"UNTANGLE_STOCK_RASA": ""}, "/"),
        STOCK_SWITCH: (served_command(ports[STOCK_SWITCH], in_process), {"UNTANGLE_STOCK_RASA": "1"}, "/"),
        STOCK_CLI: (served_command(ports[STOCK_CLI], action_server, launcher=(RASA,)), {}, "/"),
        "actions": (action_server_command(ports["actions"]), {}, "/health"),
    }
    with contextlib.ExitStack() as stack:
        processes = {
            name: stack.enter_context(started(command, f"equivalence-{name.replace(' ', '-')}", env))
            for name, (command, env, _) in commands.items()
        }
        for name, (_, _, health) in commands.items():
            wait_until_up(f"http://127.0.0.1:{ports[name]}{health}", processes[name])
        yield {name: f"http://127.0.0.1:{ports[name]}" for name in (SHIPPED, STOCK_SWITCH, STOCK_CLI)}


def play(url: str, turns: Dict[Story, List[str]]) -> Dict[Story, List[List[dict]]]:
    """Every story's reply lists, one per user turn, each story from a fresh sender."""
    return {
        story: [send(url, f"equivalence-{number}", message) for message in messages]
        for number, (story, messages) in enumerate(turns.items())
    }


@pytest.fixture(scope="module")
def replies(tmp_path_factory) -> Dict[str, Dict[Story, List[List[dict]]]]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` or set UNTANGLE_MODEL", pytrace=False)
    turns = story_turns()
    with servers(tmp_path_factory.mktemp("engines")) as urls, ThreadPoolExecutor(len(urls)) as pool:
        played = {name: pool.submit(play, url, turns) for name, url in urls.items()}
        return {name: future.result() for name, future in played.items()}


def test_every_story_is_played_and_answered(replies):
    shipped = replies[SHIPPED]
    assert len(shipped) == len(story_turns()) > 100
    assert all(any(turn_replies for turn_replies in story) for story in shipped.values())


@pytest.mark.parametrize("engine", [STOCK_SWITCH, STOCK_CLI])
def test_stock_rasa_gives_the_shipped_engines_replies(replies, engine):
    different = [story for story, story_replies in replies[SHIPPED].items() if replies[engine][story] != story_replies]
    first = different[0] if different else None
    assert not different, (
        f"{len(different)} stories differ, first {first}:\n"
        f"{SHIPPED}: {replies[SHIPPED][first]}\n{engine}: {replies[engine][first]}"
    )
