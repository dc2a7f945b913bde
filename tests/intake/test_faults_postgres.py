"""PostgreSQL restarted in the middle of broker intake: intake recovers on its own.

The drill needs a database server it may stop, so it starts a throwaway PostgreSQL server of its own
(`initdb` + `pg_ctl` in a temporary directory, on a free port) instead of restarting the shared one
the rest of the suite uses. Its outcome does not depend on the suite's DATABASE_URL; it runs in both
passes anyway: it is self-contained, so running it twice costs time only, and a skip in one pass would
read as missing coverage. `bench/faults_postgres.py` is the larger version (thousands of events on
the local cluster) that records its figures in docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from civicshield.intake.simulate import Simulation

from .test_consumer import CLI, NATS_URL, _nats_up, publish, run_async

pytestmark = [pytest.mark.broker, pytest.mark.slow]


def _server_bindir() -> Path | None:
    """The newest PostgreSQL server binaries: Debian's versioned folders first, then the PATH."""
    def version(bindir: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in bindir.parent.name.split(".") if part.isdigit())

    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    return next((d for d in candidates if (d / "initdb").exists() and (d / "pg_ctl").exists()), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayServer:
    """A PostgreSQL server in a temporary directory, trusted local connections, user `postgres`.

    PostgreSQL refuses to run as root; as root it runs as the `postgres` system user instead.
    """

    def __init__(self, bindir: Path, root: Path, run_as: list[str]) -> None:
        self.bindir, self.root, self.run_as = bindir, root, run_as
        self.data, self.log = root / "data", root / "server.log"
        self.port = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.run_as, *args], capture_output=True, text=True, timeout=120)

    def _pg_ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), *args)

    def init(self) -> None:
        done = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                         "-E", "UTF8", "--no-sync")
        assert done.returncode == 0, f"initdb failed: {done.stderr}"
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nunix_socket_directories = '{self.root}'\n")

    def start(self) -> None:
        """Start on the chosen port; on first start, pick another port if this one was taken meanwhile."""
        for _ in range(3 if not self.port else 1):
            port = self.port or _free_port()
            done = self._pg_ctl("-l", str(self.log), "-w", "-t", "60", "-o", f"-p {port}", "start")
            if done.returncode == 0:
                self.port = port
                return
        raise AssertionError(f"PostgreSQL did not start: {done.stdout}{done.stderr}\n{self.log_tail()}")

    def stop(self, mode: str) -> None:
        done = self._pg_ctl("-m", mode, "-w", "-t", "60", "stop")
        assert done.returncode == 0, f"PostgreSQL did not stop: {done.stderr}\n{self.log_tail()}"

    def discard(self) -> None:
        """Stop the server if it runs (even half-way through the test) and delete its files."""
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("-m", "immediate", "-w", "-t", "60", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def query(self, database: str, sql: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database).replace("postgres://", "postgresql://", 1), autocommit=True,
                             connect_timeout=10) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture
def throwaway_postgres() -> Iterator[ThrowawayServer]:
    bindir = _server_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or "
                    "on the PATH; install the postgresql package to run the restart drill")
    run_as: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="civicshield-pgfault-"))
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root)
            pytest.fail("running as root, and PostgreSQL will not: create a `postgres` user to run it as")
        os.chown(root, owner.pw_uid, owner.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    server = ThrowawayServer(bindir, root, run_as)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.discard()


@pytest.fixture
def fault_stream() -> Iterator[tuple[str, str, str]]:
    if not _nats_up():
        pytest.fail(f"NATS is not reachable at {NATS_URL}; .ci/run starts it")
    name = "PGFAULT" + uuid.uuid4().hex[:10].upper()
    subjects = [f"{name.lower()}.events", f"{name.lower()}.rejected"]

    async def on_stream(action: str) -> None:
        import nats

        nc = await nats.connect(NATS_URL)
        try:
            if action == "create":
                await nc.jetstream().add_stream(name=name, subjects=subjects)
            else:
                await nc.jetstream().delete_stream(name)
        finally:
            await nc.close()

    run_async(on_stream("create"))  # created here, so the teardown finds it however early the test fails
    yield name, *subjects
    run_async(on_stream("delete"))


def test_postgres_restart_mid_stream_loses_nothing_and_duplicates_nothing(throwaway_postgres, fault_stream,
                                                                          tmp_path):
    server, (stream, subject, dead) = throwaway_postgres, fault_stream
    server.query("postgres", "CREATE DATABASE civicshield")
    env = {**os.environ, "DATABASE_URL": server.url("civicshield"), "CIVICSHIELD_HOME": str(tmp_path),
           "CIVICSHIELD_NATS_URL": NATS_URL}
    setup = subprocess.run([CLI, "setup", "--quiet"], env=env, capture_output=True, text=True, timeout=300)
    assert setup.returncode == 0, setup.stderr

    published = list(Simulation(seed=33, days=1, posts_per_day=150, accounts_n=50).events())
    publish(subject, stream, [json.dumps(e).encode() for e in published])

    def stored() -> int:
        return server.query("civicshield", "SELECT count(*) FROM intake_event")[0][0]

    command = [CLI, "consume", "--stream", stream, "--subject", subject, "--dead-letter", dead,
               "--durable", "intake", "--batch-size", "20", "--ack-wait", "4", "--idle-exit", "8"]
    with open(tmp_path / "consume.out", "w") as out, open(tmp_path / "consume.err", "w") as err:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        try:
            deadline = time.monotonic() + 180
            while stored() < len(published) // 3:
                assert proc.poll() is None, "consume exited early: " + (tmp_path / "consume.err").read_text()
                assert time.monotonic() < deadline, "consume stored too little to restart mid-stream"
                time.sleep(0.2)
            stored_before_restart = stored()
            # Immediate stop, as in a crash: open transactions are cut off and the server runs crash
            # recovery when it comes back a second later.
            server.stop("immediate")
            time.sleep(1)
            server.start()
            proc.wait(timeout=300)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    stderr = (tmp_path / "consume.err").read_text()
    assert proc.returncode == 0, stderr
    stats = json.loads((tmp_path / "consume.out").read_text().strip().splitlines()[-1])

    assert stored_before_restart < len(published), "the restart came after the stream was stored"
    assert stats["database_retries"] >= 1, "the consumer never noticed the restart"
    # A batch whose commit landed as the server went down is retried (or redelivered) and found stored:
    # those events count as duplicates, not accepted. What must hold is below: every event stored once.
    assert stats["rejected"] == 0 and stats["accepted"] <= len(published), stats
    assert stats["accepted"] + stats["duplicates"] >= len(published), stats
    stored_ids = [row[0] for row in server.query("civicshield", "SELECT event_id FROM intake_event")]
    assert sorted(stored_ids) == sorted(e["id"] for e in published), "events lost or stored twice"
    duplicates = server.query("civicshield", "SELECT subject_key, rule_id, action FROM decisions_decision "
                              "WHERE mode = 'enforce' AND effect = 'apply' "
                              "GROUP BY 1, 2, 3 HAVING count(*) > 1")
    assert duplicates == [], "a redelivered event produced a duplicate decision"
    assert server.query("civicshield", "SELECT count(*) FROM decisions_decision")[0][0] > 0
    audit = subprocess.run([CLI, "audit", "verify"], env=env, capture_output=True, text=True, timeout=300)
    assert audit.returncode == 0 and "chain intact" in audit.stdout, audit.stdout + audit.stderr
