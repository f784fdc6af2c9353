"""The default run is locked down (scripts/run.sh, started here as `make run` starts it).

Without UNTANGLE_API_TOKEN Rasa's HTTP API (trackers, model, events) is not served at all; with it, every API call
needs the token. CORS answers only the configured origins. The custom actions run inside the Rasa server, so no
action server port is open; with UNTANGLE_ACTION_SERVER=1 the action server listens on loopback only while the Rasa
server still reaches it. Two runs of run.sh in all, each kept for its module's tests.
"""

from __future__ import annotations

import contextlib
import json
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, NamedTuple, Optional

import pytest

from tests.e2e.servers import MODEL, ROOT, free_port, running, send, wait_until_up
from tests.support.actions import step_text

RUN_SH = ROOT / "scripts" / "run.sh"
TOKEN = "lockdown-test-token"
OTHER_ORIGIN = "https://not-configured.example"
# What an attacker would read or change through Rasa's HTTP API.
API_CALLS = [
    ("GET", "/conversations/someone/tracker"),
    ("POST", "/conversations/someone/messages"),
    ("POST", "/conversations/someone/tracker/events"),
    ("GET", "/conversations/someone/story"),
    ("POST", "/conversations/someone/trigger_intent"),
    ("POST", "/model/parse"),
    ("GET", "/status"),
    ("GET", "/domain"),
    ("PUT", "/model"),
    ("DELETE", "/model"),
]


class Run(NamedTuple):
    url: str
    actions_port: int
    web_port: int


class Answer(NamedTuple):
    status: int
    headers: Dict[str, str]
    body: bytes


def call(
    method: str,
    url: str,
    body: Optional[dict] = None,
    origin: Optional[str] = None,
    headers: Optional[Dict[str, str]] = None,
) -> Answer:
    """One HTTP request; an error status is returned, not raised."""
    headers = {"Content-Type": "application/json", **({"Origin": origin} if origin else {}), **(headers or {})}
    data = json.dumps(body).encode() if body is not None else (b"{}" if method in ("POST", "PUT") else None)
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return Answer(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


@contextlib.contextmanager
def run_sh(log_name: str, **env: str) -> Iterator[Run]:
    """scripts/run.sh on free ports, the Rasa server on loopback for the test; SANIC_HOST is set to all interfaces
    so an action server's loopback binding has to come from run.sh itself."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first", pytrace=False)
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    env = {
        "UNTANGLE_INTERFACE": "127.0.0.1",
        "SANIC_HOST": "0.0.0.0",
        "UNTANGLE_ALLOWED_ORIGINS": "",
        "UNTANGLE_API_TOKEN": "",
        "UNTANGLE_ACTION_SERVER": "",
        **env,
    }
    command = ["bash", str(RUN_SH), str(rasa_port), str(actions_port), str(web_port)]
    with running(command, f"http://127.0.0.1:{rasa_port}/", log_name, env=env) as process:
        if env.get("UNTANGLE_ACTION_SERVER") == "1":
            wait_until_up(f"http://127.0.0.1:{actions_port}/health", process)
        yield Run(f"http://127.0.0.1:{rasa_port}", actions_port, web_port)


@pytest.fixture(scope="module")
def default_run() -> Iterator[Run]:
    with run_sh("run-sh-default") as run:
        yield run


@pytest.fixture(scope="module")
def run_with_api() -> Iterator[Run]:
    origins = "https://one.example, https://two.example"
    with run_sh(
        "run-sh-with-api", UNTANGLE_API_TOKEN=TOKEN, UNTANGLE_ALLOWED_ORIGINS=origins, UNTANGLE_ACTION_SERVER="1"
    ) as run:
        yield run


# --- the default run ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method, path", API_CALLS)
def test_the_http_api_is_not_served_by_default(default_run, method, path):
    answer = call(method, default_run.url + path)
    assert answer.status == 404, f"{method} {path} answered {answer.status}"
    assert json.loads(answer.body)["description"] == "Not Found"  # Sanic's own answer: no route at all


def test_the_chat_works_with_its_actions_inside_the_rasa_server(default_run):
    replies = send(default_run.url, "lockdown-chat", '/go_to_step{"step": "stages"}')
    assert replies[0].get("text") == step_text("stages")  # written by a custom action (the opening follows)
    assert listening_addresses(default_run.actions_port) == set()  # with no action server listening


def test_cors_answers_the_demo_page(default_run):
    demo_origin = f"http://localhost:{default_run.web_port}"
    answer = call(
        "POST", default_run.url + "/webhooks/rest/webhook", {"sender": "cors-demo", "message": "hi"}, origin=demo_origin
    )
    assert answer.status == 200
    assert answer.headers.get("access-control-allow-origin") == demo_origin


@pytest.mark.parametrize("method", ["OPTIONS", "POST"])
def test_cors_ignores_an_origin_that_is_not_configured(default_run, method):
    answer = call(
        method,
        default_run.url + "/webhooks/rest/webhook",
        {"sender": "cors-other", "message": "hi"},
        origin=OTHER_ORIGIN,
        headers={"Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in answer.headers


def listening_addresses(port: int) -> set:
    """The local addresses of the listening TCP sockets on `port`, from /proc/net/tcp and tcp6."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                addresses.add(decode_address(address))
    return addresses


def decode_address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    # /proc stores each 32-bit word in host (little-endian) order
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, words)


def non_loopback_address() -> Optional[str]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: no packet is sent for a UDP connect
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


# --- with UNTANGLE_ACTION_SERVER=1 (the run with the API below) -------------------------------------------------


def test_the_chat_works_and_its_actions_reach_the_action_server(run_with_api):
    replies = send(run_with_api.url, "lockdown-chat", '/go_to_step{"step": "stages"}')
    assert replies[0].get("text") == step_text("stages")  # written by a custom action (the opening follows)


def test_the_action_server_listens_on_loopback_only(run_with_api):
    assert listening_addresses(run_with_api.actions_port) == {"127.0.0.1"}


def test_the_action_server_refuses_connections_on_the_machines_address(run_with_api):
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    with pytest.raises(OSError):
        socket.create_connection((address, run_with_api.actions_port), timeout=5).close()


# --- with UNTANGLE_API_TOKEN ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method, path", API_CALLS)
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_the_http_api_refuses_calls_without_the_token(run_with_api, method, path, token):
    answer = call(method, run_with_api.url + path + (f"?token={token}" if token else ""))
    assert answer.status in (401, 403), f"{method} {path} answered {answer.status}"


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", "/conversations/api-user/tracker", None),
        ("POST", "/model/parse", {"text": "hello"}),
        ("GET", "/status", None),
    ],
)
def test_the_http_api_answers_with_the_token(run_with_api, method, path, body):
    answer = call(method, f"{run_with_api.url}{path}?token={TOKEN}", body)
    assert answer.status == 200
    assert json.loads(answer.body)


@pytest.mark.parametrize(
    "origin, allowed", [("https://one.example", True), ("https://two.example", True), (OTHER_ORIGIN, False)]
)
def test_cors_answers_only_the_configured_origins(run_with_api, origin, allowed):
    answer = call(
        "POST", run_with_api.url + "/webhooks/rest/webhook", {"sender": "cors", "message": "hi"}, origin=origin
    )
    assert answer.headers.get("access-control-allow-origin") == (origin if allowed else None)
