"""MustGoNow: "he's here", "he's coming", "he woke up", "I have to go" get the one-line `must_go_now` reply.

Someone who writes that the other person has arrived or woken up, or that they have to go, needs one line: leave
now, Quick exit is at the top, and the emergency number (utter_must_go_now, country-aware), not a card of lines and
a question. Such a short message may well be marked as immediate danger by the DangerDetector ("he's here" is in
the lexicon), so this component runs after it and sets `must_go_now` when the whole message is one of these
signals and no other danger is named; the classifier's own `must_go_now` ("someone's coming, bye") stands only on a
message the detector did not mark: "he's here and he has a knife" keeps the crisis flow. The danger entities and
attribute stay on the message (the slots still record it).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from untangle_nlu.danger_marking import danger_of

WHO = r"(he|she|they|hes|shes|my (ex|husband|wife|boyfriend|girlfriend|partner|bf|gf|dad|mum|mom|stepdad|fiance))"
BE = r"(('s|s|’s| is| has)( just| already| nearly| almost)?)"
# Not "outside" or "at the door": someone waiting outside is a threat of its own and keeps the crisis flow.
ARRIVED = (
    r"(here|home|back|in|up|awake|(coming|comin)( home| back| in| up| upstairs"
    r"| up the stairs)?|on (his|her|their|the) way( home| back| over)?|pulling (up|in)|pulled up)"
)
WOKE = r"((just )?(woke|wakes|waking|woken) up|(just )?(got|came|come|comes) (home|back|in)|(is )?(coming|comin))"
GO = (
    r"((i )?(have|got|need|gotta|must|gonna) (to )?(go|leave)|i('m| am|m) going|gtg|g2g|gotta go|got to go"
    r"|(i )?(cant|can't|cannot) talk)( now| rn| sorry| bye| quick)*"
)
SIGNAL = rf"({WHO}{BE} ?{ARRIVED}|{WHO} {WOKE}|{GO})"
FILLER = r"(oh no|oh god|omg|shit|crap|fuck|sorry|quick|ok|okay|wait|bye|now|rn|x+|gtg|brb|and|so|but|i think)"
WHOLE_MESSAGE = re.compile(rf"^(({FILLER}|{SIGNAL})\s*)*$")


def is_signal(text: Text) -> bool:
    """The whole message says "they're here / awake" or "I have to go" (with fillers), and nothing else."""
    words = re.sub(r"[^\w\s'’]", " ", text.lower()).split()
    if not words or len(words) > 10:
        return False
    joined = " ".join(words)
    return bool(re.search(SIGNAL, joined)) and bool(WHOLE_MESSAGE.match(joined))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MustGoNow(GraphComponent, IntentClassifier):
    """Sets `must_go_now` on "he's here" and the like, unless another danger is named."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent": "must_go_now",
            # danger categories a "must go now" message may carry: being in danger right now, or unnamed
            "allowed_categories": ["immediate_danger", "unspecified"],
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MustGoNow:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if self._must_go(message) and self._no_other_danger(message):
                self._set_intent(message)
        return messages

    def _must_go(self, message: Message) -> bool:
        """The whole message is such a signal; the classifier's own `must_go_now` stands only where the danger
        detector found nothing ("he's here and he has a knife" keeps the crisis flow)."""
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if is_signal(message.get(TEXT) or ""):
            return True
        return intent == self.config["intent"] and danger_of(message) is None

    def _no_other_danger(self, message: Message) -> bool:
        categories = (danger_of(message) or {}).get("categories") or []
        return all(category in self.config["allowed_categories"] for category in categories)

    def _set_intent(self, message: Message) -> None:
        intent = {INTENT_NAME_KEY: self.config["intent"], PREDICTED_CONFIDENCE_KEY: 1.0}
        others = [
            entry
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry.get(INTENT_NAME_KEY) != self.config["intent"]
        ]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent] + others, add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples keep the intents they were written with."""
        return training_data
