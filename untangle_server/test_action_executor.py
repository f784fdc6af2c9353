"""Actions run in the Rasa process answer as the action server does, and fail as its HTTP errors do."""

import json
import logging
from pathlib import Path

import pytest
from rasa.core.actions.action import ActionExecutionRejection as RasaRejection
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk import Action
from rasa_sdk.interfaces import ActionExecutionRejection

from untangle_server import action_executor
from untangle_server.action_executor import InProcessActions

ROOT = Path(__file__).resolve().parents[1]
SECRET = "a message only the person typed"


class ActionThatRaises(Action):
    def name(self):
        return "test_action_that_raises"

    def run(self, dispatcher, tracker, domain):
        raise ValueError(tracker.latest_message["text"])


class ActionThatRejects(Action):
    def name(self):
        return "test_action_that_rejects"

    def run(self, dispatcher, tracker, domain):
        raise ActionExecutionRejection(self.name(), "not now")


class ActionThatEditsWhatItIsGiven(Action):
    def name(self):
        return "test_action_that_edits"

    def run(self, dispatcher, tracker, domain):
        tracker.latest_message["intent"]["name"] = "edited"
        tracker.latest_message["entities"].append({"entity": "edited"})
        for event in tracker.events:
            event.get("parse_data", {}).get("intent", {})["name"] = "edited"
            event.get("parse_data", {}).get("entities", []).append({"entity": "edited"})
        dispatcher.utter_message(text="edited")
        return []


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(scope="module")
def in_process():
    return InProcessActions(EndpointConfig("http://127.0.0.1:9/webhook", enable_selective_domain=True), "actions")


def danger_tracker(domain, country="GB"):
    message = UserUttered(
        SECRET,
        {"name": "danger", "confidence": 1.0},
        [{"entity": "danger_category", "value": "violence"}],
        metadata={"country": country},
    )
    return DialogueStateTracker.from_events(
        "person",
        [
            ActionExecuted(ACTION_LISTEN_NAME),
            message,
            SlotSet("widget_country", country),
            ActionExecuted("utter_crisis_essentials"),
        ],
        domain.slots,
    )


async def run(action_name, endpoint, domain, tracker):
    return await RemoteAction(action_name, endpoint).run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain
    )


def comparable(events):
    """Events without their creation times."""
    return [{key: value for key, value in event.as_dict().items() if key != "timestamp"} for event in events]


async def test_the_crisis_referral_is_the_action_servers_own_answer(domain, in_process):
    from tests.e2e.servers import action_server

    with action_server() as url:
        over_http = await run(
            "action_crisis_referral", EndpointConfig(url, enable_selective_domain=True), domain, danger_tracker(domain)
        )
    here = await run("action_crisis_referral", in_process, domain, danger_tracker(domain))
    assert comparable(here) == comparable(over_http)
    assert any(isinstance(event, BotUttered) and event.text for event in here)


async def test_an_action_that_raises_fails_as_an_action_server_error_without_logging_the_message(
    domain, in_process, caplog
):
    with caplog.at_level(logging.DEBUG), pytest.raises(RasaException, match="Failed to execute custom action"):
        await run("test_action_that_raises", in_process, domain, danger_tracker(domain))
    assert "test_action_that_raises" in caplog.text and "ValueError" in caplog.text
    assert SECRET not in caplog.text


async def test_a_rejection_lets_rasa_predict_another_action(domain, in_process):
    with pytest.raises(RasaRejection, match="not now"):
        await run("test_action_that_rejects", in_process, domain, danger_tracker(domain))


async def test_an_unknown_action_fails_as_the_action_servers_404(domain, in_process):
    with pytest.raises(RasaException, match="Failed to execute custom action 'action_nobody_wrote'"):
        await run("action_nobody_wrote", in_process, domain, danger_tracker(domain))


async def test_an_action_cannot_change_rasas_conversation(domain, in_process):
    tracker = danger_tracker(domain)
    before = json.dumps(tracker.current_state(EventVerbosity.ALL), sort_keys=True)
    events = await run("test_action_that_edits", in_process, domain, tracker)
    assert [event.text for event in events] == ["edited"]
    assert json.dumps(tracker.current_state(EventVerbosity.ALL), sort_keys=True) == before


@pytest.fixture
def installed(monkeypatch):
    monkeypatch.setattr(AvailableEndpoints, "read_endpoints", AvailableEndpoints.__dict__["read_endpoints"])
    action_executor.install()


def test_endpoints_naming_an_actions_module_run_it_here(tmp_path, installed):
    endpoints_file = tmp_path / "endpoints.yml"
    endpoints_file.write_text(
        'action_endpoint:\n  url: "http://127.0.0.1:5055/webhook"\n'
        '  enable_selective_domain: true\n  actions_module: "actions"\n'
    )
    endpoint = AvailableEndpoints.read_endpoints(str(endpoints_file)).action
    assert isinstance(endpoint, InProcessActions) and endpoint.package == "actions"
    assert endpoint.url == "http://127.0.0.1:5055/webhook" and endpoint.kwargs["enable_selective_domain"] is True
    assert "action_crisis_referral" in endpoint.executor.actions


def test_endpoints_without_an_actions_module_still_call_the_action_server(tmp_path, installed):
    endpoints_file = tmp_path / "endpoints.yml"
    endpoints_file.write_text('action_endpoint:\n  url: "http://127.0.0.1:5055/webhook"\n')
    endpoint = AvailableEndpoints.read_endpoints(str(endpoints_file)).action
    assert type(endpoint) is EndpointConfig and endpoint.url == "http://127.0.0.1:5055/webhook"
    assert action_executor.in_process(None) is None


def test_the_actions_are_registered_once_however_often_the_endpoints_are_read(tmp_path, installed):
    endpoints_file = tmp_path / "endpoints.yml"
    endpoints_file.write_text('action_endpoint:\n  url: "http://127.0.0.1:5055/webhook"\n  actions_module: "actions"\n')
    first, second = (AvailableEndpoints.read_endpoints(str(endpoints_file)).action for _ in range(2))
    assert first.executor is second.executor
