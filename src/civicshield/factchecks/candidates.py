"""Which stored posts could repeat a fact-checked claim: the sweep's cheap word test, in two places.

A post is a candidate when its text contains enough of the claim's distinctive words. The database
answers this for one claim at a time (the default, nothing to set up). At platform scale the posts
are exported once to Parquet (`export_posts`) and DuckDB or Spark answers it for every changed
fact-check in one pass over the file (`in_parquet`), with the same words and the same case folding,
so both find the same posts. Either way the candidates then go through the intake pipeline (`sweep.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, Mapping

import bm25s
import pyarrow as pa
import pyarrow.parquet as pq
from django.db.models import Q

from civicshield.core.errors import CivicShieldError
from civicshield.influence.engines import EngineName, open_engine
from civicshield.intake.models import Content

DISTINCTIVE_WORDS = 4
MIN_SHARED = 2
BATCH = 50_000
POSTS = pa.schema([("id", pa.string()), ("folded_text", pa.string())])
# `position` keeps the caller's fact-check order; `needed` is how many of its words a post must contain.
WORDS = pa.schema([("position", pa.int64()), ("fact_check", pa.int64()), ("word", pa.string()),
                   ("needed", pa.int64())])


def distinctive_words(claim: str, n: int = DISTINCTIVE_WORDS) -> list[str]:
    """The claim's longest non-stop-words: names, places and numbers are what copies keep."""
    words = bm25s.tokenize([claim], stopwords="en", return_ids=False, show_progress=False)[0]
    unique = list(dict.fromkeys(w for w in words if len(w) >= 4 or w.isdigit()))
    return sorted(unique, key=lambda w: (-len(w), unique.index(w)))[:n]


def _needed(words: list[str]) -> int:
    return min(MIN_SHARED, len(words))


def in_database(claims: Mapping[int, str], chunk_size: int = 2000) -> Iterator[tuple[int, str]]:
    """(fact-check id, content id) for stored posts sharing enough of each claim's distinctive words."""
    for fact_check, claim in claims.items():
        words = distinctive_words(claim)
        if not words:
            continue
        query = Q()
        for w in words:
            query |= Q(text__icontains=w)
        for content_id, text in Content.objects.filter(query).values_list("id", "text").iterator(chunk_size=chunk_size):
            folded = text.casefold()
            if sum(w in folded for w in words) >= _needed(words):
                yield fact_check, content_id


def export_posts(path: str | Path) -> int:
    """Write every stored post's id and case-folded text to Parquet (folded here, by Python's rules,
    so that every engine compares words exactly as the database sweep does); returns the row count."""
    written = 0
    with pq.ParquetWriter(str(path), POSTS) as writer:
        batch: list[tuple[str, str]] = []
        for content_id, text in Content.objects.order_by("pk").values_list("id", "text").iterator(chunk_size=BATCH):
            batch.append((content_id, (text or "").casefold()))
            if len(batch) == BATCH:
                writer.write_table(_posts(batch))
                written, batch = written + len(batch), []
        if batch or not written:
            writer.write_table(_posts(batch))
            written += len(batch)
    return written


def _posts(batch: list[tuple[str, str]]) -> pa.Table:
    return pa.table([pa.array([b[0] for b in batch], pa.string()), pa.array([b[1] for b in batch], pa.string())],
                    schema=POSTS)


# A post is a candidate for every fact-check whose words it contains often enough; one pass for all of them.
MATCH_SQL = """
    SELECT w.fact_check, p.id FROM fc_posts p JOIN fc_words w ON instr(p.folded_text, w.word) > 0
    GROUP BY w.position, w.fact_check, w.needed, p.id HAVING count(*) >= w.needed
    ORDER BY w.position, p.id"""


def in_parquet(claims: Mapping[int, str], posts: str | Path, engine: EngineName) -> Iterator[tuple[int, str]]:
    """The same candidates as `in_database`, found by DuckDB or Spark in a Parquet export of the posts."""
    path = Path(posts)
    if not path.is_file():
        raise CivicShieldError(f"{path} does not exist; write it with `civicshield factchecks export-posts --out FILE`")
    words = [(position, fact_check, word, _needed(found)) for position, (fact_check, claim) in enumerate(claims.items())
             for found in [distinctive_words(claim)] for word in found]
    if not words:
        return
    runner = open_engine(engine)
    try:
        runner.view("fc_posts", path)
        columns = set(runner.fetch("SELECT * FROM fc_posts LIMIT 0").schema.names)
        if not set(POSTS.names) <= columns:
            raise CivicShieldError(f"{path} is not a posts export (columns {', '.join(sorted(columns))}); "
                                   "write it with `civicshield factchecks export-posts --out FILE`")
        runner.arrow("fc_words", pa.Table.from_pylist([dict(zip(WORDS.names, w)) for w in words], schema=WORDS))
        pairs = runner.rows(MATCH_SQL)
    finally:
        runner.close()
    for fact_check, content_id in pairs:
        yield int(fact_check), content_id
