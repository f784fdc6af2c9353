"""MetadataCountry with Rasa's own storage and message classes: the widget's country becomes an entity, which fills
the `widget_country` slot and chooses the country's variation of the essentials (no action server)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message

from untangle_nlu.metadata_country import MetadataCountry

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"


@pytest.fixture(scope="module")
def component(tmp_path_factory) -> MetadataCountry:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model_storage"))
    context = ExecutionContext(GraphSchema({}), node_name="metadata_country")
    return MetadataCountry.create(MetadataCountry.get_default_config(), storage, Resource("metadata_country"), context)


def countries(component: MetadataCountry, metadata) -> list:
    message = Message({TEXT: "he is here", METADATA: metadata})
    return [e["value"] for e in component.process([message])[0].get(ENTITIES) or [] if e["entity"] == "widget_country"]


@pytest.mark.parametrize("sent, code", [("GB", "GB"), ("gb", "GB"), (" UK ", "GB"), ("NZ", "NZ"), ("de", "DE")])
def test_the_widgets_country_becomes_the_entity(component, sent, code):
    assert countries(component, {"country": sent}) == [code]


@pytest.mark.parametrize(
    "metadata", [None, {}, {"country": ""}, {"country": "Britain"}, {"country": 44}, {"country": "G1"}, "GB"]
)
def test_no_country_or_a_strange_one_adds_nothing(component, metadata):
    assert countries(component, metadata) == []


def test_other_entities_are_kept(component):
    message = Message(
        {
            TEXT: "i'm in australia",
            METADATA: {"country": "GB"},
            ENTITIES: [{"entity": "country", "value": "AU", "start": 8, "end": 17}],
        }
    )
    found = {e["entity"]: e["value"] for e in component.process([message])[0].get(ENTITIES)}
    assert found == {"country": "AU", "widget_country": "GB"}


# --- the essentials, chosen by the slot this entity fills -----------------------------------------------------


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(DOMAIN_FILE))


def test_the_widget_country_slot_is_filled_from_the_entity(domain):
    mappings = domain.slots[[s.name for s in domain.slots].index("widget_country")].mappings
    assert {"type": "from_entity", "entity": "widget_country"} in mappings


async def essentials(domain: Domain, name: str = "utter_crisis_essentials", **slots) -> str:
    tracker = DialogueStateTracker.from_events("t", [SlotSet(k, v) for k, v in slots.items()], domain.slots)
    reply = await TemplatedNaturalLanguageGenerator(domain.responses).generate(name, tracker, "rest")
    return reply["text"]


@pytest.mark.parametrize(
    "country, number, silent",
    [
        ("GB", "999", "55"),
        ("NZ", "111", "55"),
        ("US", "911", None),
        ("CA", "911", None),
        ("AU", "000", None),
        ("IE", "112", None),
    ],
)
async def test_a_known_country_sees_its_call_button_first(domain, country, number, silent):
    text = await essentials(domain, widget_country=country)
    assert text.startswith(f"[Call {number}](tel:{number})")
    assert ("press 55" in text) == bool(silent)
    assert "findahelpline" not in text  # the card with the country's lines follows


async def test_an_unknown_country_sees_the_international_guidance(domain):
    for slots in ({}, {"widget_country": "DE"}):
        text = await essentials(domain, **slots)
        assert "(tel:112)" in text and "(tel:911)" in text and "findahelpline.com" in text


async def test_the_country_the_person_named_wins_over_the_widgets(domain):
    assert (await essentials(domain, country="AU", widget_country="GB")).startswith("[Call 000](tel:000)")
    assert "findahelpline.com" in await essentials(domain, country="DE", widget_country="GB")


@pytest.mark.parametrize("response", ["utter_emergency_guidance", "utter_must_go_now"])
async def test_the_other_urgent_replies_follow_the_country_too(domain, response):
    assert "tel:999" in await essentials(domain, response, widget_country="GB")
    assert "tel:111" in await essentials(domain, response, widget_country="NZ")
