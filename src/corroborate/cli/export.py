"""`corroborate export`: the ledger as JSON Lines or CSV that other tools can join.

Every statement row carries its own id, its document's id and kind, the resolved source
(`source_id`, the key of `sources`) and its propositions with stance and score, so a statement
file joins the document file on `document_id` and a `sources` or `links` export on the ids.
`--what links` gives the statement–proposition pairs in long form (one row per link), which is
what a spreadsheet pivot or a SQL join wants. Each link carries the Admiralty grade of the
statement on that proposition (`reliability` of the source, `credibility` in force and
`credibility_suggested`, assess/grading.py). Linking runs first when it is stale, as `report`
does, so the resolved sources and propositions are those of the current statements.

CSV cells that a spreadsheet would evaluate as a formula (`= + - @`, tab, CR first) are
prefixed with `'`, the OWASP recommendation, in every CSV we write: a scraped headline such as
`=HYPERLINK("http://evil","click")` must stay text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

import click

from corroborate.api import Ledger
from corroborate.cli.common import fail, filter_options, ledger_from
from corroborate.curate import default_author
from corroborate.interchange import annotations_of, claim_review_of
from corroborate.model import Document, Statement
from corroborate.store import DocumentFilter

DOCUMENT_FIELDS = ("id", "uri", "title", "publisher", "author", "published",
                   "published_estimated", "published_from", "captured", "kind", "language",
                   "format", "version_of", "raw_ref", "text")
# CSV names say whose field it is: a statement's `kind` (direct, indirect...) is not a
# document's `kind` (news, statement...), which is what `docs --kind` filters on.
DOCUMENT_CSV_FIELDS = tuple({"id": "document_id", "kind": "document_kind"}.get(f, f)
                            for f in DOCUMENT_FIELDS)
STATEMENT_CSV_FIELDS = (
    "statement_id", "document_id", "document_uri", "document_title", "document_published",
    "document_publisher", "document_kind", "statement_kind", "source_text", "source_name",
    "source_type", "source_id", "resolved_source_name", "resolved_source_type", "via_text",
    "via_source_id", "cue", "content", "content_start", "content_end", "stance", "hedges",
    "said_on", "said_on_granularity", "event_dates", "evidence", "proposition_ids",
    "propositions")
LINK_CSV_FIELDS = ("statement_id", "document_id", "proposition_id", "proposition_origin",
                   "stance", "score", "reliability", "credibility", "credibility_suggested")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: formula-like strings get a leading `'`."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def document_ref(doc: Document) -> dict[str, Any]:
    """The document object of an exported statement (DESIGN.md, plus title and kind)."""
    return {"id": doc.id, "uri": doc.uri, "published": doc.published,
            "publisher": doc.publisher, "title": doc.title, "kind": doc.kind}


def statement_record(statement: Statement, document: dict[str, Any],
                     resolved: dict[str, Any] | None,
                     links: list[dict[str, Any]]) -> dict[str, Any]:
    """A stored statement in the DESIGN.md JSON contract, with its resolved source filled in."""
    resolved = resolved or {}
    return {"document": document, **statement.to_dict(),
            "source_id": resolved.get("id"),
            "resolved_source": ({"id": resolved["id"], "name": resolved.get("name"),
                                 "type": resolved.get("type")} if resolved.get("id") else None),
            "via_source_id": resolved.get("via_id"),
            "propositions": links}


def statement_records(ledger: Ledger, where: DocumentFilter) -> Iterator[dict[str, Any]]:
    """Every statement of the filtered documents, linked first when linking is stale."""
    ledger.link()
    links = ledger.links.links_by_statement()
    resolved = ledger.links.resolved_sources()
    grades = ledger.judge.all_grades()
    for doc in ledger.documents(where):
        document = document_ref(doc)
        for statement in ledger.statements(doc_id=doc.id):
            graded = grades.get(statement.id, {})
            yield statement_record(statement, document, resolved.get(statement.id),
                                   [{**p, **graded[p["id"]].fields()} if p["id"] in graded
                                    else p for p in links.get(statement.id, [])])


def statement_csv_row(row: dict[str, Any]) -> dict[str, Any]:
    source = row.get("source") or {}
    doc = row["document"]
    resolved = row.get("resolved_source") or {}
    links = row["propositions"]
    return {
        "statement_id": row["id"], "document_id": doc["id"], "document_uri": doc["uri"],
        "document_title": doc.get("title"), "document_published": doc["published"],
        "document_publisher": doc["publisher"], "document_kind": doc.get("kind"),
        "statement_kind": row["kind"], "source_text": source.get("text"),
        "source_name": source.get("name"), "source_type": source.get("type"),
        "source_id": row.get("source_id"), "resolved_source_name": resolved.get("name"),
        "resolved_source_type": resolved.get("type"),
        "via_text": (row.get("via") or {}).get("text"), "via_source_id": row.get("via_source_id"),
        "cue": (row.get("cue") or {}).get("text"), "content": row["content"]["text"],
        "content_start": row["content"]["start"], "content_end": row["content"]["end"],
        "stance": row["stance"], "hedges": "; ".join(row["hedges"]), "said_on": row["said_on"],
        "said_on_granularity": row.get("said_on_granularity"),
        "event_dates": "; ".join(str(d.get("value") or d.get("text"))
                                 for d in row.get("event_dates") or []),
        "evidence": "; ".join(dict.fromkeys(e["type"] for e in row["evidence"])),
        "proposition_ids": "; ".join(p["id"] for p in links),
        "propositions": "; ".join(f"{p['id']}:{p['stance']}:{p['score']:.3f}" for p in links)}


def link_records(ledger: Ledger, where: DocumentFilter) -> Iterator[dict[str, Any]]:
    origins = {p.id: p.origin for p in ledger.links.propositions()}
    for row in statement_records(ledger, where):
        for p in row["propositions"]:
            yield {"statement_id": row["id"], "document_id": row["document"]["id"],
                   "proposition_id": p["id"], "proposition_origin": origins.get(p["id"]),
                   "stance": p["stance"], "score": p["score"],
                   **{k: p.get(k) for k in ("reliability", "credibility",
                                             "credibility_suggested")}}


def document_record(doc: Document, with_text: bool = True) -> dict[str, Any]:
    return {k: getattr(doc, k) for k in DOCUMENT_FIELDS if with_text or k != "text"}


def write_csv(output: IO[str], fields: Iterable[str], rows: Iterable[dict[str, Any]]) -> None:
    writer = csv.DictWriter(output, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--what", type=click.Choice(["statements", "documents", "links", "corrections",
                                           "claimreview", "annotations"]),
              default="statements", show_default=True,
              help="links: one row per statement-proposition link (long form); corrections: "
                   "analyst corrections as training data (JSON Lines only); claimreview: "
                   "a proposition's assessment as schema.org ClaimReview JSON-LD; "
                   "annotations: statements as W3C Web Annotations (JSON Lines).")
@click.option("--proposition", help="claimreview: the proposition; annotations: only "
                                    "statements linked to it.")
@click.option("--author", envvar="CORROBORATE_AUTHOR", default=None,
              help="claimreview: who publishes the review (default: env CORROBORATE_AUTHOR, "
                   "else the OS user).")
@click.option("--url", help="claimreview: where the review is published.")
@filter_options
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=False),
              default="-", help="File to write (default: standard output).")
@click.pass_context
def export(ctx: click.Context, fmt: str, what: str, output: IO[str], proposition: str | None,
           author: str | None, url: str | None, **where: Any) -> None:
    """Export statements (the ledger), documents or links as JSON Lines or CSV; a
    proposition as ClaimReview, statements as Web Annotations (JSON-LD)."""
    if what in ("claimreview", "annotations") and fmt == "csv":
        raise click.UsageError(f"--what {what} is JSON-LD: drop --format csv")
    if what == "claimreview" and not proposition:
        raise click.UsageError("--what claimreview needs --proposition P (see "
                               "`corroborate propositions`)")
    with ledger_from(ctx) as ledger:
        found = DocumentFilter(**where)
        if what == "claimreview":
            review = claim_review_of(ledger, str(proposition), default_author(author), url)
            output.write(json.dumps(review, ensure_ascii=False, indent=2) + "\n")
            return
        if what == "annotations":
            for item in annotations_of(ledger, found, proposition):
                output.write(json.dumps(item, ensure_ascii=False) + "\n")
            return
        records: Iterator[dict[str, Any]]
        fields: tuple[str, ...]
        if what == "corrections":
            if fmt != "jsonl":
                fail("--what corrections: JSON Lines only (nested before/after values)")
            records, fields = ledger.curate.export(), ()
        elif what == "statements":
            records = statement_records(ledger, found)
            fields = STATEMENT_CSV_FIELDS
            if fmt == "csv":
                records = (statement_csv_row(r) for r in records)
        elif what == "links":
            records, fields = link_records(ledger, found), LINK_CSV_FIELDS
        else:
            records = (document_record(d) for d in ledger.documents(found, with_text=True))
            fields = DOCUMENT_FIELDS
            if fmt == "csv":
                records = ({csv_name: r[name] for name, csv_name
                            in zip(DOCUMENT_FIELDS, DOCUMENT_CSV_FIELDS, strict=True)}
                           for r in records)
                fields = DOCUMENT_CSV_FIELDS
        if fmt == "jsonl":
            for record in records:
                output.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            write_csv(output, fields, records)
