"""Where the batch SQL runs: DuckDB on one machine, Spark for cluster scale.

Both engines expose the same operations over the same Parquet files, and the SQL given to them (the
co-activity layers in `layers.py`, the transparency report's counts, the fact-check sweep's word
test) is written in the dialect both accept, so their results are identical. Both read timestamps in
UTC. Spark starts in local mode unless `CIVICSHIELD_SPARK_MASTER` names a cluster; its start-up is
quiet (no UI, warnings only) and bounded by a timeout so a broken Java install fails with a clear error.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterator, Literal, Protocol

import duckdb
import pyarrow as pa

from civicshield.core.errors import CivicShieldError

EngineName = Literal["duckdb", "spark"]
SPARK_START_TIMEOUT = float(os.environ.get("CIVICSHIELD_SPARK_START_TIMEOUT", "120"))


class EngineError(CivicShieldError):
    """The analytics engine could not start or run a query."""


class Engine(Protocol):
    name: str

    def view(self, name: str, parquet: Path) -> None: ...
    def table(self, name: str, sql: str) -> None: ...
    def arrow(self, name: str, data: pa.Table) -> None: ...
    def rows(self, sql: str) -> list[tuple[Any, ...]]: ...
    def fetch(self, sql: str) -> pa.Table: ...
    def close(self) -> None: ...


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        self.con = duckdb.connect()
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET TimeZone = 'UTC'")
        # Joins and groupings larger than memory spill here instead of failing (a 10M-event log's
        # co-share pairs without burst handling run to hundreds of millions of rows). One directory
        # per process: DuckDB creates it, names its files itself and removes it on close.
        spill = Path(tempfile.gettempdir()) / f"civicshield-duckdb-{os.getpid()}"
        self.con.execute(f"SET temp_directory = '{spill}'")
        limit = os.environ.get("CIVICSHIELD_DUCKDB_MEMORY", "").strip()
        if limit:  # e.g. "2GB" on a small worker; DuckDB's default is 80% of the machine's memory
            try:
                self.con.execute("SET memory_limit = ?", [limit])
            except duckdb.Error as exc:
                raise EngineError(f"CIVICSHIELD_DUCKDB_MEMORY={limit!r} is not a memory size DuckDB "
                                  f"accepts (e.g. 2GB, 512MB): {str(exc).splitlines()[0]}") from None

    def view(self, name: str, parquet: Path) -> None:
        self.con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{parquet}')")

    def table(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def arrow(self, name: str, data: pa.Table) -> None:
        self.con.register(f"{name}_arrow", data)
        self.table(name, f"SELECT * FROM {name}_arrow")
        self.con.unregister(f"{name}_arrow")

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def fetch(self, sql: str) -> pa.Table:
        """The result as Arrow: timestamps come back as UTC instants, as from Spark."""
        return self.con.sql(sql).to_arrow_table()

    def close(self) -> None:
        self.con.close()


_spark_lock = threading.Lock()
QUIET_LOG4J = """rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


@contextlib.contextmanager
def _fork_safe_gateway_launch() -> Iterator[None]:
    """Start the Spark JVM without running Python between fork and exec.

    pyspark launches its JVM with a `preexec_fn` (to ignore Ctrl-C), which runs Python code in the forked
    child. In a process with other threads (a web server, a browser driver, a task worker) the child can
    inherit a lock another thread held and hang before exec, holding copies of the parent's pipes. A new
    session (`setsid`, done by the C fork path) keeps terminal Ctrl-C from the JVM just the same."""
    from pyspark import java_gateway

    original = java_gateway.Popen

    def popen(command: Any, **kwargs: Any) -> Any:
        if kwargs.pop("preexec_fn", None) is not None:
            kwargs["start_new_session"] = True
        return original(command, **kwargs)

    java_gateway.Popen = popen
    try:
        yield
    finally:
        java_gateway.Popen = original


def _spark_session() -> Any:
    """One quiet local session per process, started within SPARK_START_TIMEOUT seconds."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - pyspark is a declared dependency
        raise EngineError("the spark engine needs pyspark: pip install pyspark") from exc
    result: dict[str, Any] = {}
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    log_config = Path(tempfile.gettempdir()) / "civicshield-spark-log4j2.properties"
    log_config.write_text(QUIET_LOG4J)

    def start() -> None:
        try:
            result["spark"] = (
                SparkSession.builder.appName("civicshield")
                .master(os.environ.get("CIVICSHIELD_SPARK_MASTER", "local[2]"))
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", os.environ.get("CIVICSHIELD_SPARK_PARTITIONS", "4"))
                .config("spark.driver.memory", os.environ.get("CIVICSHIELD_SPARK_MEMORY", "4g"))
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log_config}")
                .getOrCreate())
            result["spark"].sparkContext.setLogLevel("ERROR")
        except Exception as exc:  # noqa: BLE001 - reported below with the cause
            result["error"] = exc

    with _spark_lock, _fork_safe_gateway_launch():
        thread = threading.Thread(target=start, daemon=True)
        thread.start()
        thread.join(SPARK_START_TIMEOUT)
    if thread.is_alive():
        raise EngineError(f"Spark did not start within {SPARK_START_TIMEOUT:.0f}s; check JAVA_HOME "
                          "(Java 17 is required) or raise CIVICSHIELD_SPARK_START_TIMEOUT")
    if "error" in result:
        raise EngineError(f"Spark could not start: {result['error']}") from result["error"]
    return result["spark"]


class SparkEngine:
    name = "spark"

    def __init__(self) -> None:
        self.spark = _spark_session()
        self._cached: list[Any] = []

    def view(self, name: str, parquet: Path) -> None:
        self.spark.read.parquet(str(parquet)).createOrReplaceTempView(name)

    def table(self, name: str, sql: str) -> None:
        frame = self.spark.sql(sql).cache()
        self._cached.append(frame)
        frame.createOrReplaceTempView(name)

    def arrow(self, name: str, data: pa.Table) -> None:
        if data.num_rows == 0:
            schema = ", ".join(f"CAST(NULL AS {_spark_type(f.type)}) AS {f.name}" for f in data.schema)
            self.table(name, f"SELECT {schema} WHERE 1 = 0")
            return
        frame = self.spark.createDataFrame(data)
        frame.createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    def fetch(self, sql: str) -> pa.Table:
        return self.spark.sql(sql).toArrow()

    def close(self) -> None:
        for frame in self._cached:
            frame.unpersist()
        self._cached.clear()
        self.spark.catalog.clearCache()


def _spark_type(kind: pa.DataType) -> str:
    if pa.types.is_integer(kind):
        return "BIGINT"
    if pa.types.is_floating(kind):
        return "DOUBLE"
    return "STRING"


def open_engine(name: EngineName) -> Engine:
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        return SparkEngine()
    raise EngineError(f"unknown engine {name!r}; use duckdb or spark")
