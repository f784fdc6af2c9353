"""Rasa's RedisLockStore, fixed so a turn cannot wait forever for a lock left by a replica that died.

A replica killed mid-turn leaves its ticket in Redis until the ticket's lifetime (TICKET_LOCK_LIFETIME) ends. The
next turn of that conversation, on another replica, waits for it. In Rasa 3.6 a waiting turn whose own ticket
expires in the same second as the dead one never sees the lock as free (`now_serving` becomes 0, not its
number) and waits until the client gives up. Here, a waiting turn whose ticket has expired takes the lock when no
other live ticket is left, and fails with LockError (the REST channel answers 503) when newer ones are queued.
"""

from __future__ import annotations

import asyncio
from typing import Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class RedisLockStoreSurvivingDeadReplicas(RedisLockStore):
    """`lock_store: type: deploy.lock_store.RedisLockStoreSurvivingDeadReplicas`, with RedisLockStore's options."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if not lock or not lock.is_locked(ticket):
                return lock or self.create_lock(conversation_id)
            if not lock.tickets:  # every ticket expired, ours too: nobody holds the conversation
                return lock
            if all(queued.number != ticket for queued in lock.tickets):
                raise LockError(f"Ticket {ticket} expired while waiting for the conversation's lock.")
            await asyncio.sleep(wait_time_in_seconds)
            self.update_lock(conversation_id)
