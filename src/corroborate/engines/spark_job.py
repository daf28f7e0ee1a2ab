"""The Spark engine: `add` for a cluster, over the same per-document function.

Run it as `corroborate spark INPUT... --out DIR [--db postgresql://...]`, or hand this file to
`spark-submit` (it has a `__main__`):

    spark-submit --master yarn --conf spark.pyspark.python=./venv/bin/python \\
        --archives venv.tar.gz#venv src/corroborate/engines/spark_job.py \\
        s3a://news/2024/*.warc.gz --out s3a://ledger/run --archive /mnt/shared/ledger-archive \\
        --db postgresql://ledger@db/corroborate

Inputs are JSON Lines (.jsonl, .jsonl.gz), WARC (.warc, .warc.gz) and Parquet (.parquet,
one document a row, columns as for JSON Lines) on a local path or any Hadoop-compatible URI
(s3a:// needs the hadoop-aws jar and credentials in the usual `spark.hadoop.fs.s3a.*`
settings). What happens, in two stages:

1. **read** (one task per input file or Parquet split): the bytes are hashed in the JVM and
   files already in an earlier run are dropped before any Python sees them; each new file is
   parsed by `ingest.pipeline.stream_source`, exactly as `add` does, and its raw bytes are
   archived as a WARC record in that task's own segment (`ARCHIVE/spark-RUN-NNNNN.warc.gz`,
   named so that a retried task rewrites its segment instead of adding a second one);
2. **extract** (documents spread over `--partitions` tasks): documents already in the output
   are dropped, and `mapPartitions` runs `engines.document.encode_document` on each of the
   rest, the function `add` runs; rows are encoded by `store.ledger.document_row` /
   `statement_row`, the writer's own encoding.

Documents and statements are written as Parquet, partitioned by publication month
(`month=YYYY-MM`, `month=unknown`), appended per run with a `run` column; the blobs table
(digest to segment and offset) beside them. `--db` then loads the run into a PostgreSQL ledger
with COPY (store/bulk.py), a chunk a transaction, so the documents are visible while it loads;
`--archive` must be a folder the ledger's readers can open (local or mounted), since
`verify` and `show --raw` read the raw bytes from the segments.

A second run over a grown input reads, parses and extracts only what is new: known file hashes
are dropped in stage 1, known document ids in stage 2 (a file that grew is parsed again, but
only its new records are extracted and written).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from corroborate.archive import Archive
from corroborate.engines.document import encode_document
from corroborate.errors import CorroborateError, InputError, StoreError, one_line
from corroborate.ingest.pipeline import MEDIA_TYPES, AddOptions, stream_source
from corroborate.ingest.safety import display
from corroborate.model import Document
from corroborate.store.bulk import BLOB_COLUMNS, DOCUMENT_COLUMNS, BulkSummary
from corroborate.store.ledger import document_row
from corroborate.store.rows import STATEMENT_COLUMNS

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

PARQUET_SUFFIX = ".parquet"
_INTEGER = {"published_estimated", "size", "offset", "position", "content_start",
            "content_end"}


class SparkUnavailable(CorroborateError):
    """PySpark is an optional extra."""


@dataclass
class SparkSummary:
    """What one run did; `failed` holds one line per problem, naming the file."""

    run: str = ""
    files: int = 0
    files_known: int = 0
    documents: int = 0
    documents_known: int = 0
    statements: int = 0
    failed: list[str] = field(default_factory=list)
    loaded: BulkSummary | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "loaded"}
        out["seconds"] = round(self.seconds, 3)
        if self.loaded is not None:
            out["loaded"] = dict(self.loaded.__dict__)
        return out


def session(master: str | None = None, app: str = "corroborate") -> SparkSession:
    """A Spark session; `master` None keeps what spark-submit configured.

    The UI is off and a local driver binds to 127.0.0.1 (no port scans, no DNS surprises);
    workers run this interpreter, so they import the same corroborate."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable("the Spark engine needs PySpark: "
                               "pip install 'corroborate[spark]'") from exc
    # Local workers must be this interpreter (the one with corroborate installed); on a
    # cluster spark-submit's own setting wins.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app).config("spark.ui.enabled", "false") \
        .config("spark.sql.session.timeZone", "UTC") \
        .config("spark.pyspark.python", sys.executable) \
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
    if master is not None:
        builder = builder.master(master)
    if master is not None and master.startswith("local"):
        # Local mode runs the executors inside the driver's JVM: its default 1 GB heap
        # overflowed on the 69 MB wh-briefings JSON Lines file (one file is one task).
        builder = builder.config("spark.driver.host", "127.0.0.1") \
            .config("spark.driver.bindAddress", "127.0.0.1") \
            .config("spark.driver.memory",
                    os.environ.get("CORROBORATE_SPARK_DRIVER_MEMORY", "3g"))
    return builder.getOrCreate()


def _uri(path: str) -> str:
    """A user's path as a URI Spark and our readers agree on (local paths absolute)."""
    return path if "://" in path else Path(path).resolve().as_uri()


def _local(uri: str) -> Path | None:
    parsed = urlparse(uri)
    return Path(unquote(parsed.path)) if parsed.scheme in ("", "file") else None


def _join(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + name


@dataclass(frozen=True)
class _Job:
    """What every task needs (pickled to the executors once)."""

    run: str
    archive: str
    options: AddOptions


def _read_partition(job: _Job, index: int, rows: Iterator[Any]) -> Iterator[tuple[str, Any]]:
    """Stage 1: parse each new file as `add` does and archive its raw bytes in this task's
    segment. Yields ("blob", row), ("doc", Document), ("error", line)."""
    archive = Archive(Path(job.archive), segment=f"spark-{job.run}-{index:05d}.warc.gz")
    try:
        for row in rows:
            yield from _read_one(job, archive, row.path, bytes(row.content), row.digest,
                                 row.fmt)
    finally:
        archive.close()


def _read_one(job: _Job, archive: Archive, name: str, raw: bytes, digest: str,
              fmt: str | None) -> Iterator[tuple[str, Any]]:
    local = _local(name)
    path = local if local is not None else Path(urlparse(name).path)
    # A Parquet row has no file of its own: its URI is the file's plus its content hash.
    uri = f"{name}#sha256={digest[:16]}" if fmt else (None if local is not None else name)
    where = display(local) if local is not None and not fmt else name
    try:
        result, documents = stream_source(path, raw, job.options, sidecars=local is not None
                                          and not fmt, uri=uri, fmt=fmt)
        found = list(documents)
    except InputError as exc:
        yield "error", str(exc)
        return
    except Exception as exc:  # a reader bug costs this file, never the job
        yield "error", f"{where}: unreadable ({type(exc).__name__}: {one_line(exc, 160)})"
        return
    for problem in result.errors:
        yield "error", str(problem)
    if not found:
        if not result.errors:
            yield "error", f"{where}: no documents found (no HTML or text records)"
        return
    media = MEDIA_TYPES.get(result.format, "application/octet-stream")
    at = archive.put(raw, digest, result.uri, media)
    yield "blob", (digest, len(raw), at.segment, at.offset, where, result.format,
                   _now(), job.run)
    for doc in found:
        if where != doc.source_path:
            doc = _with_source(doc, where)
        yield "doc", doc


def _with_source(doc: Document, where: str) -> Document:
    from dataclasses import replace

    return replace(doc, source_path=where)


def _extract_partition(job: _Job, docs: Iterator[tuple[str, Document]]
                       ) -> Iterator[tuple[str, Any]]:
    """Stage 2: the per-document function, and the rows the ledger stores."""
    for _, doc in docs:
        encoded = encode_document(doc)  # the rows `add --jobs N`'s workers hand its writer
        month = _month(doc.published)
        blob = doc.raw_ref.removeprefix("sha256:").split("#")[0]
        yield "doc", (*document_row(doc, None), blob, _now(), month, job.run)
        for row in encoded.rows:
            yield "statement", (*row, month, job.run)
        if encoded.failure:
            yield "error", encoded.failure


def _month(published: str | None) -> str:
    return published[:7] if published and len(published) >= 7 else "unknown"


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def _schema(columns: Sequence[str], extra: Sequence[str]) -> Any:
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    fields = [StructField(c.strip('"'), LongType() if c.strip('"') in _INTEGER
                          else StringType()) for c in (*columns, *extra)]
    return StructType(fields)


def _inputs(spark: SparkSession, paths: Sequence[str], partitions: int) -> DataFrame:
    """(path, content, digest, fmt) for every input file, or every Parquet row."""
    from pyspark.sql import functions as F

    files = [_uri(p) for p in paths if not p.lower().endswith(PARQUET_SUFFIX)]
    tables = [_uri(p) for p in paths if p.lower().endswith(PARQUET_SUFFIX)]
    frames = []
    if files:
        raw = spark.read.format("binaryFile").load(files)
        frames.append(raw.select(F.col("path"), F.col("content"),
                                 F.sha2(F.col("content"), 256).alias("digest"),
                                 F.lit(None).cast("string").alias("fmt")))
    for table in tables:
        rows = spark.read.parquet(table)
        line = F.encode(F.to_json(F.struct(*sorted(rows.columns))), "UTF-8")
        frames.append(rows.select(F.input_file_name().alias("path"), line.alias("content"))
                      .withColumn("digest", F.sha2(F.col("content"), 256))
                      .withColumn("fmt", F.lit("jsonl")))
    if not frames:
        raise InputError("spark", "no inputs given")
    found = frames[0]
    for more in frames[1:]:
        found = found.unionByName(more)
    return found


def _existing(spark: SparkSession, out: str, table: str, column: str) -> DataFrame | None:
    """The keys an earlier run already wrote, or None on a first run."""
    local = _local(out)
    if local is not None and not (local / table).exists():
        return None
    try:
        return spark.read.parquet(_join(out, table)).select(column).distinct()
    except Exception as exc:  # a first run on a remote store: no such path yet
        if "PATH_NOT_FOUND" in str(exc) or "does not exist" in str(exc):
            return None
        raise


def run(spark: SparkSession, inputs: Sequence[str], out: str, *,
        archive: str | None = None, partitions: int | None = None,
        options: AddOptions | None = None, db: str | None = None) -> SparkSummary:
    """One run over `inputs` into the Parquet dataset at `out` (and the ledger at `db`)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    started = time.perf_counter()
    options = options or AddOptions()
    out = _uri(out)
    archive_dir = archive or (str(_local(out) / "archive") if _local(out) else None)
    if archive_dir is None:
        raise InputError(out, "the output is not a local folder: pass --archive, a folder "
                              "(local or mounted) for the raw-bytes WARC segments")
    Path(archive_dir).mkdir(parents=True, exist_ok=True)
    run_id = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:6]
    job = _Job(run_id, str(Path(archive_dir).resolve()), options)
    partitions = partitions or spark.sparkContext.defaultParallelism
    summary = SparkSummary(run=run_id)

    found = _inputs(spark, inputs, partitions)
    known_blobs = _existing(spark, out, "blobs", "sha256")
    total = found.count()
    if known_blobs is not None:
        found = found.join(F.broadcast(known_blobs.withColumnRenamed("sha256", "digest")),
                           "digest", "left_anti")
    read = found.rdd.mapPartitionsWithIndex(
        lambda i, rows: _read_partition(job, i, rows)).persist(StorageLevel.MEMORY_AND_DISK)
    docs = read.filter(lambda kv: kv[0] == "doc").map(lambda kv: (kv[1].id, kv[1]))
    # One document, however many files repeat it: the one from the first path.
    docs = docs.reduceByKey(lambda a, b: a if (a.source_path or "") <= (b.source_path or "")
                            else b)
    known_docs = _existing(spark, out, "documents", "id")
    if known_docs is not None:
        docs = docs.subtractByKey(known_docs.rdd.map(lambda r: (r.id, None)))
    made = docs.repartition(partitions).mapPartitions(
        lambda part: _extract_partition(job, part)).persist(StorageLevel.MEMORY_AND_DISK)

    blob_rows = read.filter(lambda kv: kv[0] == "blob").map(lambda kv: kv[1])
    doc_rows = made.filter(lambda kv: kv[0] == "doc").map(lambda kv: kv[1])
    statement_rows = made.filter(lambda kv: kv[0] == "statement").map(lambda kv: kv[1])
    blobs_df = spark.createDataFrame(blob_rows, _schema(BLOB_COLUMNS, ("run",)))
    docs_df = spark.createDataFrame(doc_rows, _schema(DOCUMENT_COLUMNS, ("month", "run")))
    statements_df = spark.createDataFrame(statement_rows,
                                          _schema(STATEMENT_COLUMNS, ("month", "run")))
    docs_df.write.mode("append").partitionBy("month").parquet(_join(out, "documents"))
    statements_df.write.mode("append").partitionBy("month").parquet(_join(out, "statements"))
    blobs_df.write.mode("append").parquet(_join(out, "blobs"))

    summary.files = blob_rows.count()
    summary.files_known = total - found.count() if known_blobs is not None else 0
    summary.documents = doc_rows.count()
    summary.documents_known = read.filter(lambda kv: kv[0] == "doc").count() \
        - summary.documents
    summary.statements = statement_rows.count()
    summary.failed = _errors(read, made)
    read.unpersist()
    made.unpersist()
    if db is not None:
        summary.loaded = load(spark, out, run_id, db, job.archive)
    summary.seconds = time.perf_counter() - started
    return summary


def _errors(*rdds: Any) -> list[str]:
    lines: list[str] = []
    for rdd in rdds:
        lines.extend(rdd.filter(lambda kv: kv[0] == "error").map(lambda kv: kv[1]).collect())
    return sorted(lines)


def load(spark: SparkSession, out: str, run_id: str, db: str, archive: str) -> BulkSummary:
    """COPY one run's Parquet rows into the PostgreSQL ledger at `db` (see store/bulk.py)."""
    from pyspark.sql import functions as F

    from corroborate.api import open_ledger
    from corroborate.store.bulk import bulk_load

    out = _uri(out)

    def rows(table: str, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        # Streamed a Parquet split at a time, in no particular order: a global sort would
        # cost a shuffle and a job per shuffle partition for nothing the ledger needs.
        frame = spark.read.parquet(_join(out, table)).where(F.col("run") == run_id)
        names = [c.strip('"') for c in columns]
        for row in frame.select(*names).toLocalIterator(prefetchPartitions=True):
            yield tuple(row)

    with open_ledger(db, archive) as ledger:
        if ledger.store.backend.dialect != "postgres":
            raise StoreError(f"{db}: the Spark engine loads a PostgreSQL ledger "
                             "(postgresql://...)")
        return bulk_load(ledger.store, rows("blobs", BLOB_COLUMNS),
                         rows("documents", DOCUMENT_COLUMNS),
                         rows("statements", STATEMENT_COLUMNS))


def main(argv: Sequence[str] | None = None) -> int:
    """The spark-submit entry point (`corroborate spark` takes the same arguments)."""
    parser = argparse.ArgumentParser(prog="spark_job.py", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--out", required=True, help="Parquet dataset folder or URI")
    parser.add_argument("--archive", help="folder for the WARC segments of raw bytes")
    parser.add_argument("--db", help="postgresql:// ledger to load the run into (COPY)")
    parser.add_argument("--master", default=os.environ.get("CORROBORATE_SPARK_MASTER"))
    parser.add_argument("--partitions", type=int)
    args = parser.parse_args(argv)
    spark = session(args.master)
    try:
        summary = run(spark, args.inputs, args.out, archive=args.archive,
                      partitions=args.partitions, db=args.db)
    finally:
        spark.stop()
    import json

    print(json.dumps(summary.to_dict(), indent=1))
    return 0 if not summary.failed else 1


if __name__ == "__main__":
    sys.exit(main())
