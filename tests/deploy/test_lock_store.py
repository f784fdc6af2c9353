"""The lock store of the scaled set-up: a lock left by a replica that died does not block the conversation."""

from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from deploy.lock_store import RedisLockStoreSurvivingDeadReplicas

pytestmark = pytest.mark.deploy

LIFETIME_S = 1.0
POLL_S = 0.5


def lock_config(redis_server) -> EndpointConfig:
    return EndpointConfig(url="127.0.0.1", port=redis_server.port, db=1, key_prefix="untangle")


async def next_turn_after_a_dead_replica(store: RedisLockStore) -> float:
    """A replica takes a ticket and dies; right after, another replica's turn waits for the same conversation."""
    store.issue_ticket("conversation", LIFETIME_S)
    began = time.monotonic()
    async with store.lock("conversation", LIFETIME_S, wait_time_in_seconds=POLL_S):
        return time.monotonic() - began


async def test_the_next_turn_goes_ahead_once_the_dead_replicas_ticket_expires(redis_server):
    store = RedisLockStoreSurvivingDeadReplicas(lock_config(redis_server))
    waited_s = await asyncio.wait_for(next_turn_after_a_dead_replica(store), timeout=5)
    assert LIFETIME_S <= waited_s < LIFETIME_S + 2 * POLL_S
    assert redis_server.client(db=1).keys("*") == [], "the lock should be gone after the turn"


async def test_rasas_own_redis_lock_store_would_wait_until_the_client_gives_up(redis_server):
    """Why deploy/ has its own lock store: Rasa 3.6's misses the moment both tickets expire."""
    store = RedisLockStore(host="127.0.0.1", port=redis_server.port, db=1, key_prefix="untangle")
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(next_turn_after_a_dead_replica(store), timeout=4)
