"""The Spark engine on a real local Spark (`local[2]`) over real transcripts: its statements are
the local engine's, id for id; it loads into the real PostgreSQL fixture with COPY; a second
run over a grown input adds only what is new.

Skips when PySpark or Java is missing, unless CORROBORATE_REQUIRE_SPARK is set (CI sets it).
"""

from __future__ import annotations

import html
import json
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builders import warc_bytes
from conftest import PostgresCluster
from corroborate import open_ledger

pytestmark = [pytest.mark.spark, pytest.mark.slow]

SAMPLE = Path(__file__).parent / "data" / "wh-sample" / "briefings.jsonl"
ROWS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    missing = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing = "PySpark is not installed (pip install 'corroborate[spark]')"
    if missing is None and shutil.which("java") is None:
        missing = "Java is not installed (PySpark needs Java 17)"
    if missing:
        if os.environ.get("CORROBORATE_REQUIRE_SPARK"):
            pytest.fail(missing)
        pytest.skip(missing)
    from corroborate.engines.spark_job import session

    started = session("local[2]", app="corroborate-tests")
    started.sparkContext.setLogLevel("ERROR")
    yield started
    started.stop()


def inputs(folder: Path, rows: list[dict[str, Any]]) -> list[str]:
    """The rows as JSON Lines (20 in one file, gzip-free; the rest one a file), the first
    five again as HTML pages in a WARC.gz, and one broken file."""
    folder.mkdir(exist_ok=True)
    (folder / "many.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:20]), encoding="utf-8")
    for n, row in enumerate(rows[20:]):
        (folder / f"one{n:02d}.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    pages = [(r["url"] + "page", "text/html", page(r)) for r in rows[:5]]
    (folder / "pages.warc.gz").write_bytes(warc_bytes(pages))
    (folder / "broken.jsonl").write_text('{"text": "cut', encoding="utf-8")
    return sorted(str(p) for p in folder.iterdir())


def page(row: dict[str, Any]) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in row["text"].split("\n\n"))
    return (f"<html><head><title>{html.escape(row['title'])}</title>"
            f"<meta property='article:published_time' content='{row['published']}T12:00:00Z'>"
            f"</head><body><article>{paragraphs}</article></body></html>").encode()


def local_statements(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT id, doc_id, position, data FROM statements"))


def parquet_statements(spark: Any, out: Path) -> list[tuple[Any, ...]]:
    rows = spark.read.parquet(str(out / "statements")).select(
        "id", "doc_id", "position", "data").collect()
    return sorted((r.id, r.doc_id, r.position, r.data) for r in rows)


def postgres_statements(url: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return sorted(conn.execute("SELECT id, doc_id, position, data FROM statements"))


def test_spark_equals_the_local_engine_and_loads_incrementally(
        spark: Any, tmp_path: Path, pg_cluster: PostgresCluster) -> None:
    from corroborate.engines.spark_job import run

    corpus = tmp_path / "in"
    paths = inputs(corpus, ROWS[:26])
    local = tmp_path / "local.db"
    with open_ledger(str(local), tmp_path / "local.archive") as ledger:
        alone = ledger.add(paths)
    expected = local_statements(local)
    assert len(expected) > 300 and alone.added == 31

    out, url = tmp_path / "out", pg_cluster.new_database()
    first = run(spark, paths, str(out), partitions=3, db=url)
    assert (first.files, first.documents, first.statements) == (8, 31, len(expected))
    assert first.failed == alone.failed
    assert parquet_statements(spark, out) == expected
    assert postgres_statements(url) == expected
    assert first.loaded is not None and first.loaded.documents == 31
    months = {p.name for p in (out / "documents").iterdir() if p.is_dir()}
    assert {f"month={r['published'][:7]}" for r in ROWS[:26]} <= months
    segments = list((out / "archive").glob("spark-*.warc.gz"))
    assert segments
    with open_ledger(url, out / "archive") as ledger:
        assert ledger.summary()["documents"] == 31
        assert [p for _, p in ledger.verify() if p] == []  # raw bytes from Spark's segments
        assert ledger.search("president", limit=100)

    # The input grows: four new files. Only they are read, extracted, written and loaded.
    for n, row in enumerate(ROWS[26:]):
        (corpus / f"later{n}.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    paths = sorted(str(p) for p in corpus.iterdir())
    second = run(spark, paths, str(out), partitions=3, db=url)
    assert (second.files, second.files_known, second.documents) == (4, 8, 4)
    with open_ledger(str(local), tmp_path / "local.archive") as ledger:
        assert ledger.add(paths).added == 4
    expected = local_statements(local)
    assert parquet_statements(spark, out) == expected
    assert postgres_statements(url) == expected
    assert second.loaded is not None and second.loaded.documents == 4


def test_spark_reads_parquet_rows_as_documents(spark: Any, tmp_path: Path) -> None:
    """A Parquet table of articles (one a row) gives the statements the same rows give as
    JSON Lines; only the ids differ, since a row's bytes are its canonical JSON."""
    from corroborate.engines.spark_job import run

    rows = ROWS[:8]
    table = tmp_path / "articles.parquet"
    spark.createDataFrame([{k: r[k] for k in ("url", "title", "published", "kind", "text")}
                           for r in rows]).write.parquet(str(table))
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with open_ledger(str(tmp_path / "l.db"), tmp_path / "l.archive") as ledger:
        ledger.add([str(jsonl)])
        expected = Counter((s.content.text, s.stance, s.source.name if s.source else None)
                           for s in ledger.statements())
    done = run(spark, [str(table)], str(tmp_path / "out"), partitions=2)
    assert (done.documents, done.failed) == (8, [])
    got = spark.read.parquet(str(tmp_path / "out" / "statements")).collect()
    assert Counter((r.content_text, r.stance, r.source_name) for r in got) == expected
