"""ExperienceThemes with Rasa's own storage and message classes, on docs made by SpacyNLP."""

from __future__ import annotations

from typing import List

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from tests.support.components import make_component
from untangle_nlu.danger_patterns import LexiconError
from untangle_nlu.experience_themes import ENTITY, ExperienceThemes


@pytest.fixture(scope="module")
def themes_of(spacy_nlp, storage):
    component = make_component(ExperienceThemes, {}, storage, "experience_themes")

    def run(text: str) -> List[str]:
        message = Message({TEXT: text})
        spacy_nlp.process([message], spacy_nlp.provide())
        component.process([message], spacy_nlp.provide())
        return [entity["value"] for entity in message.get(ENTITIES) or [] if entity["entity"] == ENTITY]

    return run


@pytest.mark.parametrize(
    "text, expected",
    [
        ("one minute he's lovely and the next he won't even look at me", ["hot_and_cold"]),
        ("she called me pathetic in front of everyone at the party", ["put_downs"]),
        ("he keeps all the money and I get an allowance for food", ["money_control"]),
        ("my boyfriend goes through my phone when I'm in the shower", ["watched"]),
        ("I stopped seeing my friends because it always caused a row", ["isolated"]),
        ("i used to sing in a choir, now i don't know what i like", ["lost_self"]),
        ("honestly maybe I'm overreacting, he says it never happened", ["self_doubt"]),
        ("he texted me saying he has changed and wants to try again", ["reaching_out"]),
        ("I walk on eggshells all evening until she's asleep", ["on_edge"]),
        ("I can't stop thinking about him even though he left me", ["longing"]),
        ("he keeps showing up outside my flat after i blocked him", ["turning_up"]),
    ],
)
def test_a_description_gets_the_theme_it_describes(themes_of, text, expected):
    assert themes_of(text) == expected


def test_themes_come_in_the_order_the_message_describes_them(themes_of):
    found = themes_of("My manager shouts at me in meetings, then takes me for lunch and is all nice again")
    assert found[0] == "work" and found.index("put_downs") < found.index("hot_and_cold")


def test_a_question_about_the_topic_describes_nothing(themes_of):
    assert themes_of("what does intermittent reinforcement mean") == []
    assert themes_of("thanks, that helped") == []


def test_a_table_that_cannot_compile_names_its_theme(tmp_path, storage):
    broken = tmp_path / "themes.yml"
    broken.write_text('themes:\n  watched:\n    - "read my @no_such_list"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="theme watched"):
        make_component(ExperienceThemes, {"themes": str(broken)}, storage, "broken_themes")


def test_turning_up_at_a_relatives_house_is_reflected_before_the_relative(themes_of):
    # trial 12: "turning up at my mums house asking where i am" got the line about how a parent treats us
    assert themes_of("hes started turning up at my mums house asking where i am")[0] == "turning_up"
