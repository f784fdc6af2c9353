"""The load client against a tiny in-process REST channel."""

from aiohttp import web

from bench.conversations import Turn
from bench.load import REST_PATH, run_conversations


async def start_fake_channel():
    seen = []

    async def webhook(request):
        body = await request.json()
        seen.append((body["sender"], body["message"]))
        if body["message"] == "fail":
            return web.json_response({"error": "x"}, status=500)
        if body["message"] == "silence":
            return web.json_response([])
        return web.json_response([{"recipient_id": body["sender"], "text": "ok"}])

    app = web.Application()
    app.router.add_post(REST_PATH, webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}", seen


async def test_each_conversation_gets_its_own_sender_and_errors_are_counted_by_kind():
    runner, url, seen = await start_fake_channel()
    try:
        scripts = [[Turn("hi"), Turn("fail")], [Turn("hello"), Turn("silence"), Turn("bye")]]
        result = await run_conversations(url, scripts, concurrency=3, conversations=6)
    finally:
        await runner.cleanup()
    assert len(seen) == 15 == result.messages
    senders = {sender for sender, _ in seen}
    assert len(senders) == 6
    assert result.errors == {"http_500": 3, "empty": 3}
    assert len(result.latencies_s) == 9
    assert result.throughput() > 0


async def test_a_timed_run_stops_sending_at_its_deadline():
    runner, url, seen = await start_fake_channel()
    try:
        result = await run_conversations(url, [[Turn("hi")] * 3], concurrency=2, duration_s=0.3)
    finally:
        await runner.cleanup()
    assert result.error_count == 0 and result.messages == len(seen) > 0
    assert result.elapsed_s < 2


async def test_latencies_are_also_kept_per_message_text():
    runner, url, _seen = await start_fake_channel()
    try:
        result = await run_conversations(url, [[Turn("hi"), Turn("bye")]], concurrency=1, conversations=3)
    finally:
        await runner.cleanup()
    assert {text: len(values) for text, values in result.latencies_by_text_s.items()} == {"hi": 3, "bye": 3}
