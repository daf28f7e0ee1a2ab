"""`corroborate spark`: the Spark engine (engines/spark_job.py) from the command line."""

from __future__ import annotations

import sys

import click

from corroborate.cli import render
from corroborate.cli.common import fail
from corroborate.errors import CorroborateError


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, help="Parquet dataset folder or URI (s3a://...).")
@click.option("--archive", help="Folder for the raw-bytes WARC segments (default: OUT/archive "
                                "when OUT is a local folder).")
@click.option("--load", "load_db", metavar="URL",
              help="postgresql:// ledger to load the run into with COPY (default: --db when "
                   "it is a PostgreSQL URL).")
@click.option("--master", envvar="CORROBORATE_SPARK_MASTER",
              help="Spark master, e.g. local[2] (default: local[*]).")
@click.option("--partitions", type=click.IntRange(min=1),
              help="Extraction tasks (default: Spark's default parallelism).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def spark(ctx: click.Context, inputs: tuple[str, ...], out: str, archive: str | None,
          load_db: str | None, master: str | None, partitions: int | None,
          as_json: bool) -> None:
    """Extract JSON Lines, WARC and Parquet inputs on Spark into Parquet (and PostgreSQL)."""
    from corroborate.engines import spark_job

    db = load_db or (ctx.obj["db"] if ctx.obj["db"].startswith(("postgresql://",
                                                                "postgres://")) else None)
    try:
        session = spark_job.session(master or "local[*]")
        try:
            summary = spark_job.run(session, inputs, out, archive=archive,
                                    partitions=partitions, db=db)
        finally:
            session.stop()
    except CorroborateError as exc:
        fail(exc)
    if as_json:
        render.emit_json(summary.to_dict())
    else:
        render.line(f"run {summary.run}: {summary.files} new file(s) ({summary.files_known} "
                    f"known), {summary.documents} new document(s) ({summary.documents_known} "
                    f"known), {summary.statements} statement(s) in {summary.seconds:.1f} s")
        if summary.loaded is not None:
            render.line(f"loaded: {summary.loaded.documents} document(s), "
                        f"{summary.loaded.statements} statement(s) new to the ledger")
        for line in summary.failed:
            render.error(line)
    sys.exit(0 if not summary.failed else 1)
