"""`civicshield serve --workers N` keeps answering while many clients send their requests slowly."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

SLOW_CLIENTS = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, timeout: float = 5.0) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture
def served(tmp_path: Path):
    env = {**os.environ, "CIVICSHIELD_HOME": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    cli = str(Path(sys.executable).parent / "civicshield")
    subprocess.run([cli, "setup", "--quiet"], env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen([cli, "serve", "--workers", "1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if _get(port, "/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("civicshield serve did not answer /healthz within 120 s")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_healthz_answers_while_slow_clients_hold_partial_requests(served):
    slow = []
    for _ in range(SLOW_CLIENTS):
        s = socket.create_connection(("127.0.0.1", served))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        slow.append(s)
    try:
        time.sleep(1)
        for s in slow:
            s.sendall(b"a")
        started = time.monotonic()
        assert _get(served, "/healthz", timeout=5) == 200
        assert _get(served, "/", timeout=5) == 200
        assert time.monotonic() - started < 5
    finally:
        for s in slow:
            s.close()
