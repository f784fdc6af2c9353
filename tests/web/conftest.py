"""Fixtures for the web widget's browser tests: Debian's Chromium through Playwright, loopback servers, axe-core.

The Rasa server is UNTANGLE_SERVER_URL when set (the real assistant); otherwise a fake REST server with scripted
replies (the unit layer), except for the tests marked `live`, which always talk to the real assistant. Chromium is
/usr/bin/chromium (UNTANGLE_CHROMIUM overrides); Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any, Dict, Iterator, List
from urllib.parse import urlencode

import pytest

from tests.web.untangle_web_servers import LIVE_URL, FakeRasa, StaticSite

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("UNTANGLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "live: talks to the real trained assistant (UNTANGLE_SERVER_URL, or started for the session)"
    )


@pytest.fixture(scope="session")
def fake_rasa() -> Iterator[FakeRasa]:
    """The scripted REST server (always there: hostile replies and errors only it can give)."""
    server = FakeRasa().start()
    yield server
    server.stop()


@pytest.fixture
def rasa_url(request: pytest.FixtureRequest, fake_rasa: FakeRasa) -> str:
    """The Rasa server the conversation tests talk to: the real assistant when UNTANGLE_SERVER_URL is set, and for
    tests marked `live` always (started for the session if need be: tests/conftest.py); otherwise the fake."""
    if LIVE_URL or request.node.get_closest_marker("live"):
        return request.getfixturevalue("assistant_url")
    return fake_rasa.url


@pytest.fixture(scope="session")
def site() -> Iterator[StaticSite]:
    server = StaticSite(WEB).start()
    yield server
    server.stop()


@pytest.fixture
def dead_url() -> str:
    """A loopback URL with nothing listening: the Rasa server is stopped."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# One Chromium per test module, not per session: while Playwright's sync API is started, it marks its own event loop
# as the thread's running loop, so an asyncio test run while it is up could not start its own. Each module stops it
# at its end, so the browser tests and the asyncio tests pass in any order.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium (never `playwright install`)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageWatch:
    """What a page did that it should not: uncaught errors and JavaScript dialogs."""

    def __init__(self) -> None:
        self.errors: List[str] = []
        self.dialogs: List[str] = []


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any, watch: PageWatch) -> Any:
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page


@pytest.fixture
def embed_url(site: StaticSite, rasa_url: str):
    """URL of a test page embedding the widget with the given data- attributes (server defaults to rasa_url)."""

    def build(**attributes: str) -> str:
        params: Dict[str, str] = {"server": rasa_url}
        params.update({key.replace("_", "-"): value for key, value in attributes.items()})
        return f"{site.url}/__embed__.html?{urlencode(params)}"

    return build


@pytest.fixture
def demo_url(site: StaticSite, rasa_url: str) -> str:
    return f"{site.url}/demo/?server={rasa_url}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe():
    """run(page) injects axe-core from npm (web/node_modules) and returns its violations for the whole page."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in web/")

    def run(page: Any) -> List[Dict[str, Any]]:
        page.add_script_tag(path=str(AXE))
        return page.evaluate("async () => (await axe.run(document)).violations")

    return run
