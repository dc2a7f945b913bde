"""Loopback load on /api/v1/assess and /api/v1/events with wrk, plus an optional soak with memory samples.

Starts `civicshield serve --workers N` (gunicorn) on a fresh SQLite database under a temporary
CIVICSHIELD_HOME, drives it from wrk on 127.0.0.1 only, and records throughput, latency percentiles
and errors. `BENCH_SOAK_SECONDS=600` adds the 10-minute soak on /api/v1/events with the server's
resident memory sampled every 10 s. Requests per run are bounded by wrk's duration.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULT = ROOT / "bench" / "results" / "load_api.json"
DURATION = os.environ.get("BENCH_LOAD_DURATION", "20s")
SOAK = int(os.environ.get("BENCH_SOAK_SECONDS", "0"))
WORKERS = int(os.environ.get("BENCH_SERVER_WORKERS", "2"))
FIXED_RATE = int(os.environ.get("BENCH_FIXED_RATE", "200"))
FIXED_SECONDS = int(os.environ.get("BENCH_FIXED_SECONDS", "30"))

LUA = r"""
counter = 0
request = function()
  counter = counter + 1
  local id = string.format("%s-%d-%d", kind, math.random(1, 1e9), counter)
  local body = '{"events": [{"id": "' .. id .. '", "type": "content.created", "occurred_at": "2026-10-20T11:00:00Z", ' ..
    '"content": {"id": "p-' .. id .. '", "account_id": "a1", "text": "Find your polling place before election day", ' ..
    '"region": "US-CA", "views": 1200}}]}'
  return wrk.format("POST", path, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kb(pid: int) -> int:
    total = 0
    for child in [pid, *_children(pid)]:
        try:
            total += int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{child}/status").read_text()).group(1))
        except (OSError, AttributeError):
            pass
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _wrk(url: str, path: str, key: str, kind: str, duration: str, lua_dir: Path) -> dict:
    script = lua_dir / f"{kind}.lua"
    script.write_text(f'path = "{path}"\nkey = "{key}"\nkind = "{kind}"\n' + LUA)
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{duration}", "--latency", "-s", str(script), url + path],
                         capture_output=True, text=True, timeout=3600).stdout

    def ms(label: str) -> float:
        m = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors:.*?timeout)\D+(\d+)", out))
    return {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": ms("50%"), "p99_ms": ms("99%"), "errors": errors}


def _fixed_rate(port: int, path: str, key: str, rate: int, seconds: int, connections: int = 32) -> dict:
    """Open-loop load: requests are scheduled at a fixed rate whatever the server does, and latency is
    measured from each request's scheduled time, so a slow server cannot hide its queueing.
    One asyncio loop with keep-alive connections keeps the generator itself light."""
    import asyncio

    run_id = time.time_ns()
    total = rate * seconds
    requests = []
    for i in range(total):  # built before the clock starts
        body = json.dumps({"events": [{"id": f"fixed-{run_id}-{i}", "type": "content.created",
                                       "occurred_at": "2026-10-20T11:00:00Z",
                                       "content": {"id": f"p-{run_id}-{i}", "account_id": "a1", "region": "US-CA",
                                                   "text": "Find your polling place before election day",
                                                   "views": 1200}}]}).encode()
        requests.append((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         f"Authorization: Bearer {key}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
                        + body)
    latencies: list[float] = []
    errors = 0

    async def send(queue: asyncio.Queue) -> None:
        # One request per connection (`Connection: close`), so reading to the end of the stream ends with
        # the response whatever the worker class's keep-alive.
        nonlocal errors
        while True:
            item = await queue.get()
            if item is None:
                return
            scheduled, raw = item
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(raw)
                response = await reader.read()
                writer.close()
                ok = response.startswith(b"HTTP/1.1 200 ")
            except OSError:
                ok = False
            latencies.append((time.perf_counter() - scheduled) * 1000)
            errors += not ok

    async def run() -> float:
        queue: asyncio.Queue = asyncio.Queue()
        workers = [asyncio.create_task(send(queue)) for _ in range(connections)]
        start = time.perf_counter()
        for i, raw in enumerate(requests):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            queue.put_nowait((due, raw))
        for _ in workers:
            queue.put_nowait(None)
        await asyncio.gather(*workers)
        return time.perf_counter() - start

    elapsed = asyncio.run(run())
    ordered = sorted(latencies)
    return {"rate": rate, "sent": total, "achieved_per_s": round(len(ordered) / elapsed, 1), "errors": errors,
            "p50_ms": round(ordered[len(ordered) // 2], 2), "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 2)}


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk); skipping the load benchmark", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "CIVICSHIELD_HOME": home, "CIVICSHIELD_API_RATE": "100000000/m"}
        env.pop("DATABASE_URL", None)
        subprocess.run([BIN / "civicshield", "setup", "--quiet"], env=env, check=True)
        key = subprocess.run([BIN / "civicshield", "apikey", "create", "load"], env=env, check=True,
                             capture_output=True, text=True).stdout.strip()
        port = _free_port()
        server = subprocess.Popen([BIN / "civicshield", "serve", "--workers", str(WORKERS), "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(60):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.5)
            _fixed_rate(port, "/api/v1/assess?store=false", key, 20, 3)  # warm every worker
            figures: dict[str, float | int] = {}
            lua_dir = Path(home)
            for kind, path in (("assess", "/api/v1/assess?store=false"), ("events", "/api/v1/events")):
                r = _wrk(url, path, key, kind, DURATION, lua_dir)
                figures.update({f"{kind}: requests/s": round(r["requests_per_s"], 1), f"{kind}: p50 ms": r["p50_ms"],
                                f"{kind}: p99 ms": r["p99_ms"], f"{kind}: errors": r["errors"]})
            fixed = _fixed_rate(port, "/api/v1/assess?store=false", key, FIXED_RATE, FIXED_SECONDS)
            figures.update({f"assess at {FIXED_RATE}/s fixed rate: p50 ms": fixed["p50_ms"],
                            f"assess at {FIXED_RATE}/s fixed rate: p99 ms": fixed["p99_ms"],
                            f"assess at {FIXED_RATE}/s fixed rate: errors": fixed["errors"],
                            f"assess at {FIXED_RATE}/s fixed rate: achieved req/s": fixed["achieved_per_s"]})
            if SOAK:
                samples = [_rss_kb(server.pid)]
                soak = subprocess.Popen(["wrk", "-t1", "-c4", f"-d{SOAK}s", "-s", str(lua_dir / "events.lua"),
                                         url + "/api/v1/events"], stdout=subprocess.PIPE, text=True)
                while soak.poll() is None:
                    time.sleep(10)
                    samples.append(_rss_kb(server.pid))
                figures.update({"soak seconds": SOAK, "soak RSS start MB": round(samples[0] / 1024, 1),
                                "soak RSS end MB": round(samples[-1] / 1024, 1),
                                "soak RSS max MB": round(max(samples) / 1024, 1)})
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    RESULT.write_text(json.dumps({
        "title": "API under loopback load (wrk, gunicorn, SQLite)",
        "command": "make bench  (or: .venv/bin/python bench/load_api.py; BENCH_SOAK_SECONDS=600 for the soak)",
        "measured_at": dt.date.today().isoformat(), "figures": figures,
        "notes": f"{WORKERS} gunicorn workers, wrk -t2 -c8 for {DURATION} per endpoint, one event per request, "
                 "every request a new event id (so /events stores and assesses each one). Fixed rate: an open-loop "
                 f"generator schedules {FIXED_RATE} requests/s for {FIXED_SECONDS} s and measures latency from each "
                 "request's scheduled time (goal: p99 ≤ 50 ms, 0 errors). Load generator and server share the "
                 "machine's 2 cores.",
    }, indent=2))
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
