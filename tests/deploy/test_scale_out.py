"""Two Rasa replicas behind nginx with conversations in Redis: a replica dies, the conversations go on.

Runs the real deploy/ set-up (see conftest.py). Figures (timings, turns per replica) go to
results/deploy/scale_out.json.
"""

from __future__ import annotations

import json
import signal
import time
import uuid
from collections import Counter
from typing import Dict, List, Tuple

import pytest
import yaml

from actions.guide.path import load_path
from tests.deploy.stack import post_turn, tracker_ttl, user_texts_in_redis
from tests.e2e.servers import ROOT
from tests.replies import DOMAIN_FILE
from tests.support.actions import step_text
from untangle_server.channels.replies import TROUBLE_REPLY

pytestmark = pytest.mark.deploy

CONVERSATIONS = 3  # odd, so nginx's round robin gives each conversation's turns to both replicas in turn
KILL_AFTER_ROUND = 4
RECORD_EXP_S = yaml.safe_load((ROOT / "deploy" / "endpoints.yml").read_text())["tracker_store"]["record_exp"]
REPORT = ROOT / "results" / "deploy" / "scale_out.json"


def reply_text(name: str) -> str:
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"][name][0]["text"]


def guided_script() -> List[Tuple[str, List[str]]]:
    """Each message with the replies the person should read; every "/continue" moves one step on."""
    opening = [reply_text("utter_intro"), reply_text("utter_privacy_short"), reply_text("utter_ask_safe_to_chat")]
    script = [
        ("/greet", opening),
        ("/affirm", [reply_text("utter_topics")]),
        ('/go_to_step{"step": "stages"}', [step_text("stages")]),
    ]
    path, step = load_path(), load_path().get("stages")
    for _ in range(5):
        step = path.next(step)
        script.append(("/continue", [step.text]))
    return script


def write_report(figures: Dict) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    REPORT.write_text(json.dumps({**previous, **figures}, indent=2) + "\n")


def test_conversations_go_on_through_the_other_replica_when_one_is_killed(deploy_stack):
    script = guided_script()
    senders = [f"deploy-{uuid.uuid4()}" for _ in range(CONVERSATIONS)]
    killed, survivor = list(deploy_stack.replicas)
    turns = {sender: [] for sender in senders}
    began = time.monotonic()
    for round_index, (message, _) in enumerate(script):
        if round_index == KILL_AFTER_ROUND:
            deploy_stack.replicas[killed].send_signal(signal.SIGKILL)
            deploy_stack.replicas[killed].wait(timeout=10)
        for sender in senders:  # conversations interleaved, one turn each per round
            turns[sender].append(post_turn(deploy_stack.url, sender, message))
    elapsed = time.monotonic() - began

    all_turns = [turn for sender in senders for turn in turns[sender]]
    assert [turn.status for turn in all_turns] == [200] * len(all_turns), "a message failed"
    for sender in senders:
        for (message, expected), turn in zip(script, turns[sender], strict=True):
            assert turn.texts[: len(expected)] == expected, f"wrong reply to {message!r}: turn lost or repeated?"
        before_kill = {turn.replica for turn in turns[sender][:KILL_AFTER_ROUND]}
        assert before_kill == {killed, survivor}, "each conversation should have been served by both replicas"
        assert {turn.replica for turn in turns[sender][KILL_AFTER_ROUND:]} == {survivor}
        # Redis holds each message once, in order: nothing lost, nothing repeated; it expires record_exp after.
        assert user_texts_in_redis(deploy_stack.redis, sender) == [message for message, _ in script]
        assert 0 < tracker_ttl(deploy_stack.redis, sender) <= RECORD_EXP_S

    first_after_kill = [turns[sender][KILL_AFTER_ROUND] for sender in senders]
    write_report(
        {
            "scale_out": {
                "stack_start_s": round(deploy_stack.start_seconds, 1),
                "turns": len(all_turns),
                "conversation_s": round(elapsed, 2),
                "turns_per_replica": Counter(turn.replica for turn in all_turns),
                "failed_turns": sum(turn.status != 200 for turn in all_turns),
                "turns_nginx_retried_on_the_other_replica": sum("," in turn.upstream for turn in all_turns),
                "first_turn_after_kill_s": [round(turn.seconds, 3) for turn in first_after_kill],
                "slowest_turn_s": round(max(turn.seconds for turn in all_turns), 3),
            }
        }
    )


def test_redis_down_gives_a_clear_error_and_the_assistant_recovers_when_it_returns(deploy_stack):
    sender = f"deploy-redis-{uuid.uuid4()}"
    stages = '/go_to_step{"step": "stages"}'
    assert post_turn(deploy_stack.url, sender, "/greet").status == 200

    deploy_stack.redis.stop()
    during_outage = post_turn(deploy_stack.url, sender, stages)
    assert during_outage.status == 200
    assert during_outage.texts == [TROUBLE_REPLY], "the channel's apology with the emergency numbers"

    began = time.monotonic()
    deploy_stack.redis.start()
    after_restart = post_turn(deploy_stack.url, sender, stages)
    recovery_s = time.monotonic() - began
    assert after_restart.status == 200
    # Redis lost the conversation while it was down, so this is a first message: the step, then the opening
    assert after_restart.texts[0] == step_text("stages")
    # Redis keeps nothing on disk, so the restart forgot the greeting; the failed attempt was never saved.
    assert user_texts_in_redis(deploy_stack.redis, sender) == [stages]
    write_report(
        {
            "redis_down": {
                "status_during_outage": during_outage.status,
                "outage_answer_s": round(during_outage.seconds, 3),
                "body_during_outage": during_outage.body,
                "redis_restart_to_answer_s": round(recovery_s, 3),
            }
        }
    )


def test_quick_exit_forgets_the_conversation_in_redis_at_once(deploy_stack):
    sender = f"deploy-exit-{uuid.uuid4()}"
    stages = '/go_to_step{"step": "stages"}'
    for message in ("/greet", stages):
        assert post_turn(deploy_stack.url, sender, message).status == 200
    assert user_texts_in_redis(deploy_stack.redis, sender) == ["/greet", stages]

    assert post_turn(deploy_stack.url, sender, "/restart").status == 200  # the widget's quick exit
    assert not deploy_stack.redis.client(db=0).exists(f"untangle:tracker:{sender}")
    # The same sender starts afresh: nothing of the earlier conversation is left to go back to.
    assert post_turn(deploy_stack.url, sender, "/greet").texts[0] == reply_text("utter_intro")
    assert user_texts_in_redis(deploy_stack.redis, sender) == ["/greet"]
