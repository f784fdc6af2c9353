"""The scaled set-up for the deploy tests: Redis, nginx, two Rasa replicas and an action server on loopback.

Started once per module (the replicas take the longest); fails when redis-server or nginx is missing.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from dataclasses import dataclass
from typing import Dict, Iterator

import pytest

from deploy import nginx_conf
from tests.deploy.stack import DEPLOY, RedisServer, require_runnable, wait_for_port
from tests.e2e.servers import action_server_command, free_port, rasa_server_command, started, wait_until_up

REPLICAS = 2
# Generous: two replicas load side by side on two shared cores.
REPLICA_START_TIMEOUT_S = 420
# Every request in these tests comes from 127.0.0.1, so the test config allows more than production's 2r/s.
TEST_RATE = "50r/s"
# As deploy/run.sh: a turn takes well under a second, so a ticket left by a killed replica frees its
# conversation after this many seconds instead of Rasa's default 60.
TICKET_LOCK_LIFETIME_S = "10"


@dataclass
class DeployStack:
    url: str
    redis: RedisServer
    replicas: Dict[str, subprocess.Popen]  # address -> process
    start_seconds: float


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    """redis-server alone, for tests that need no Rasa."""
    require_runnable()
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def deploy_stack(tmp_path_factory) -> Iterator[DeployStack]:
    require_runnable()
    began = time.monotonic()
    tmp = tmp_path_factory.mktemp("deploy")
    redis_server = RedisServer(tmp / "redis")
    redis_server.data_dir.mkdir()
    action_port, action_lb_port, nginx_port = free_port(), free_port(), free_port()
    rasa_ports = [free_port() for _ in range(REPLICAS)]
    replica_env = {
        "UNTANGLE_REDIS_HOST": "127.0.0.1",
        "UNTANGLE_REDIS_PORT": str(redis_server.port),
        "UNTANGLE_ACTIONS_HOST": "127.0.0.1",
        "UNTANGLE_ACTIONS_PORT": str(action_lb_port),
        "TICKET_LOCK_LIFETIME": TICKET_LOCK_LIFETIME_S,
    }
    prefix = tmp / "nginx"
    conf = nginx_conf.write(
        prefix,
        listen=f"127.0.0.1:{nginx_port}",
        actions_listen=f"127.0.0.1:{action_lb_port}",
        rasa=[f"127.0.0.1:{port}" for port in rasa_ports],
        actions=[f"127.0.0.1:{action_port}"],
        rate=TEST_RATE,
        burst=100,
        upstream_header=True,
    )
    with contextlib.ExitStack() as stack:
        redis_server.start()
        stack.callback(redis_server.stop)
        actions = stack.enter_context(started(action_server_command(action_port), "deploy-action-server"))
        nginx = stack.enter_context(
            started(
                ["nginx", "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "logs" / "error.log")], "deploy-nginx"
            )
        )
        replicas = {
            f"127.0.0.1:{port}": stack.enter_context(
                started(
                    rasa_server_command(
                        port, DEPLOY / "endpoints.yml", "--credentials", str(DEPLOY / "credentials.yml")
                    ),
                    f"deploy-rasa-{index}",
                    env=replica_env,
                )
            )
            for index, port in enumerate(rasa_ports)
        }
        wait_for_port(nginx_port, nginx, 20)
        wait_until_up(f"http://127.0.0.1:{action_port}/health", actions)
        for address, replica in replicas.items():
            wait_until_up(f"http://{address}/", replica, timeout=REPLICA_START_TIMEOUT_S)
        yield DeployStack(f"http://127.0.0.1:{nginx_port}", redis_server, replicas, time.monotonic() - began)
