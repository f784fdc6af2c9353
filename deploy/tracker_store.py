"""Rasa's Redis tracker store, keeping the single server's two privacy promises (docs/privacy.md).

- Quick exit (`/restart`) and "start over" forget the conversation at once: Rasa's `RedisTrackerStore` would keep
  it until its `record_exp` expiry; this subclass deletes the key instead.
- No message text in the log at the default level: like the single server's store, creating this one installs
  untangle_server.log_privacy, unless `withhold_message_text_in_logs: false` is set in endpoints.yml.
"""

from __future__ import annotations

from typing import Any, Optional

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_server import log_privacy
from untangle_server.tracker_store import was_restarted


class RedisTrackerStoreForgettingOnRestart(RedisTrackerStore):
    def __init__(self, *args: Any, withhold_message_text_in_logs: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if withhold_message_text_in_logs:
            log_privacy.install()

    async def save(self, tracker: DialogueStateTracker, timeout: Optional[float] = None) -> None:
        if was_restarted(tracker):
            await self.stream_events(tracker)
            self.red.delete(self.key_prefix + tracker.sender_id)
            return
        await super().save(tracker, timeout)
