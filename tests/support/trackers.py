"""Conversations as Rasa 3.6 stores them, for the tracker store tests (the project's domain, a few turns, a restart)."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))
EXPIRY_S = 60.0


def conversation(sender_id: str, *texts: str) -> DialogueStateTracker:
    """A tracker where the person wrote `texts`, each answered by the bot."""
    tracker = DialogueStateTracker(sender_id, DOMAIN.slots)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    for text in texts:
        tracker.update(UserUttered(text, {"name": "share_feeling", "confidence": 1.0}))
        tracker.update(ActionExecuted("utter_feel_ashamed"))
        tracker.update(BotUttered("That feeling makes sense."))
        tracker.update(ActionExecuted("action_listen"))
    return tracker


def restarted(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """What Rasa 3.6 saves after /restart: action_restart, Restarted, then a new session (see ActionRestart)."""
    tracker.update(UserUttered("/restart", {"name": "restart", "confidence": 1.0}))
    for event in (
        ActionExecuted("action_restart"),
        Restarted(),
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ):
        tracker.update(event)
    return tracker
