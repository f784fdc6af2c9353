"""Generated input to the REST channel: never a 5xx or a crash, always a clear 4xx or replies, and no other
conversation disturbed. 1,000 generated requests (FUZZ_REST_BODIES + FUZZ_REST_RAW); counts in results/fuzz/."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings

from tests.fuzz.strategies import content_type, raw_body, request_body
from untangle_server.channels.replies import TROUBLE_REPLY

FUZZ_REST_BODIES = 700
FUZZ_REST_RAW = 300
CANARY_EVERY = 50  # requests between two canary steps
RESULTS = Path(__file__).resolve().parents[2] / "results" / "fuzz"
FUZZ_SETTINGS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


class RestFuzz:
    """Posts generated bodies, checks each answer, steps the canary now and then, and counts outcomes."""

    def __init__(self, url: str, canary) -> None:
        self.webhook, self.canary = url + "/webhooks/rest/webhook", canary
        self.session = requests.Session()
        self.outcomes: Counter = Counter()

    def post(self, body: bytes, kind: str = None) -> requests.Response:
        headers = {"Content-Type": kind} if kind else {}
        answer = self.session.post(self.webhook, data=body, headers=headers, timeout=120)
        self.outcomes["requests"] += 1
        self.outcomes[str(answer.status_code)] += 1
        if self.outcomes["requests"] % CANARY_EVERY == 0:
            self.canary.assert_healthy()
            self.canary.step()
        return answer

    def check(self, answer: requests.Response) -> object:
        """No 5xx; a 4xx is a JSON error with a code and a sentence; a 200 is a list of bot messages."""
        assert answer.status_code < 500, answer.text[:300]
        data = answer.json()
        if answer.status_code >= 400:
            assert isinstance(data.get("error"), str) and isinstance(data.get("message"), str), data
            return data
        assert answer.status_code == 200
        assert isinstance(data, list) and all(isinstance(m, dict) and m.get("recipient_id") for m in data), data
        self.outcomes["trouble replies"] += any(m.get("text") == TROUBLE_REPLY for m in data)
        return data

    def save(self, name: str) -> None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{name}.json").write_text(json.dumps(self.outcomes, indent=1, sort_keys=True))


@pytest.fixture(scope="module")
def rest_fuzz(assistant_url, canary):
    fuzz = RestFuzz(assistant_url, canary)
    yield fuzz
    fuzz.save("rest")


def expects_replies(body: dict) -> bool:
    """A well-formed body: a good sender, a message with a letter or digit, within the soft limit, not /restart."""
    message, sender, metadata = body.get("message"), body.get("sender"), body.get("metadata")
    return (
        isinstance(message, str)
        and any(c.isalnum() for c in message)
        and len(message) <= 2000
        and isinstance(sender, str)
        and sender.startswith("fuzz-")
        and isinstance(metadata, (dict, type(None)))
        and not message.lstrip().lower().startswith(("/restart", "/session_start"))
    )


@settings(max_examples=FUZZ_REST_BODIES, **FUZZ_SETTINGS)
@given(body=request_body(), kind=content_type)
def test_generated_bodies_get_replies_or_a_clear_4xx(rest_fuzz, body, kind):
    answer = rest_fuzz.post(json.dumps(body).encode(), kind)
    data = rest_fuzz.check(answer)
    if not isinstance(body.get("message"), str) or "sender" not in body:
        assert 400 <= answer.status_code < 500
    if expects_replies(body):
        assert answer.status_code == 200 and data, "a readable message from a good sender got no reply"


@settings(max_examples=FUZZ_REST_RAW, **FUZZ_SETTINGS)
@given(body=raw_body, kind=content_type)
def test_malformed_bodies_get_a_clear_4xx(rest_fuzz, body, kind):
    answer = rest_fuzz.check(rest_fuzz.post(body, kind))
    assert isinstance(answer, dict), "a body that is not a JSON object with a sender and a message was accepted"


def test_the_fuzz_disturbed_no_other_conversation(rest_fuzz):
    assert rest_fuzz.outcomes["requests"] >= FUZZ_REST_BODIES + FUZZ_REST_RAW
    rest_fuzz.canary.assert_healthy()
    rest_fuzz.canary.check_whole_script()
