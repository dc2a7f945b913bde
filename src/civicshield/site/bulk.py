"""Plain multi-row INSERTs for the highest-volume tables (events, interactions, the decision log).

Values are stored exactly as the ORM would store them on either backend: each goes through its
field's `get_db_prep_save`, except strings into text columns and integers into integer columns,
which the ORM passes through unchanged anyway. What is skipped is building a model instance and
compiling SQL per row, which was most of the time of a large `bulk_create`.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from django.db import connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

CHUNK = 500
_TEXT = {"CharField", "TextField", "SlugField", "EmailField"}
_INTEGER = {"BigIntegerField", "IntegerField", "SmallIntegerField", "PositiveIntegerField", "BigAutoField",
            "AutoField", "ForeignKey"}


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], *,
                upsert_on: Sequence[str] = ()) -> None:
    """Insert `rows` (tuples in the order of `fields`: field names or attnames).

    With `upsert_on` (the columns of a unique constraint), a row that conflicts replaces the stored
    row's other given fields instead.
    """
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(f) for f in fields]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c.column) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    if upsert_on:
        keys = {meta.get_field(f).column for f in upsert_on}
        updates = ", ".join(f"{quote(c.column)} = EXCLUDED.{quote(c.column)}" for c in columns if c.column not in keys)
        sql += f" ON CONFLICT ({', '.join(quote(k) for k in sorted(keys))}) DO UPDATE SET {updates}"
    db = connections[connection.alias]  # the wrapper itself, not the per-attribute proxy
    convert = [_converter(c, db) for c in columns]
    prepared = [tuple(f(v) for f, v in zip(convert, row)) for row in rows]
    with db.cursor() as cursor:
        for i in range(0, len(prepared), CHUNK):
            cursor.executemany(sql, prepared[i:i + CHUNK])


def _converter(field: models.Field, db: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    kind = field.get_internal_type()

    def prep(value: Any) -> Any:
        return field.get_db_prep_save(value, db)

    if kind in _TEXT:
        return lambda v: v if type(v) is str else prep(v)
    if kind in _INTEGER:
        return lambda v: v if v is None or type(v) is int else prep(v)
    return prep
