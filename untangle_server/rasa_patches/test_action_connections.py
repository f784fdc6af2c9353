"""Calls to an endpoint share one kept connection, fail as Rasa's do, and survive idle connections being closed."""
import asyncio

import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from untangle_server.rasa_patches import action_connections


@pytest.fixture
def shared_sessions(monkeypatch):
    monkeypatch.setattr(EndpointConfig, "session", action_connections._rasa_session)
    monkeypatch.setattr(action_connections, "_sessions", {})
    action_connections.install()


async def start_server(keepalive_s: float = 75.0):
    """A stand-in action server on loopback that answers with the connection's client port."""
    async def webhook(request: web.Request) -> web.Response:
        if (await request.json()).get("fail"):
            return web.json_response({"error": "no such action"}, status=404)
        return web.json_response({"port": request.transport.get_extra_info("peername")[1]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app, keepalive_timeout=keepalive_s)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, EndpointConfig(f"http://127.0.0.1:{port}/webhook")


async def test_calls_share_one_connection(shared_sessions):
    runner, endpoint = await start_server()
    try:
        ports = {(await endpoint.request(json={"next_action": "a"}))["port"] for _ in range(5)}
        assert len(ports) == 1
    finally:
        await action_connections.close_all()
        await runner.cleanup()


async def test_each_call_had_its_own_connection_before(monkeypatch):
    monkeypatch.setattr(EndpointConfig, "session", action_connections._rasa_session)
    runner, endpoint = await start_server()
    try:
        ports = {(await endpoint.request(json={"next_action": "a"}))["port"] for _ in range(3)}
        assert len(ports) == 3  # what the shared session saves
    finally:
        await runner.cleanup()


async def test_an_error_answer_still_raises_rasas_error(shared_sessions):
    runner, endpoint = await start_server()
    try:
        with pytest.raises(ClientResponseError) as error:
            await endpoint.request(json={"fail": True})
        assert error.value.status == 404
        assert (await endpoint.request(json={"next_action": "a"}))["port"]  # the session is still usable
    finally:
        await action_connections.close_all()
        await runner.cleanup()


async def test_a_connection_closed_while_idle_is_never_reused(shared_sessions, monkeypatch):
    monkeypatch.setattr(action_connections, "IDLE_SECONDS", 0.2)
    runner, endpoint = await start_server(keepalive_s=0.5)
    try:
        first = (await endpoint.request(json={}))["port"]
        await asyncio.sleep(0.3)  # the client has let its idle connection go
        second = (await endpoint.request(json={}))["port"]
        await asyncio.sleep(0.8)  # both sides have closed it
        third = (await endpoint.request(json={}))["port"]
        assert len({first, second, third}) == 3
    finally:
        await action_connections.close_all()
        await runner.cleanup()


async def test_stopping_closes_the_shared_sessions(shared_sessions):
    runner, endpoint = await start_server()
    try:
        await endpoint.request(json={})
        sessions = [session for _, session in action_connections._sessions.values()]
        await action_connections.close_all()
        assert sessions and all(session.closed for session in sessions) and not action_connections._sessions
    finally:
        await runner.cleanup()
