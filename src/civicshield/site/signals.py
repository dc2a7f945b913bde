"""SQLite tuning applied to every new connection: WAL for concurrent readers, NORMAL sync for speed, and a
64 MB page cache (the default 2 MB keeps too little of a large log's indexes in memory)."""

from django.db.backends.signals import connection_created
from django.dispatch import receiver


@receiver(connection_created)
def tune_sqlite(sender, connection, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL;")
            cursor.execute("PRAGMA synchronous=NORMAL;")
            cursor.execute("PRAGMA busy_timeout=30000;")
            cursor.execute("PRAGMA foreign_keys=ON;")
            cursor.execute("PRAGMA cache_size=-65536;")
