"""Interchange formats other tools read: a proposition's assessment as schema.org
**ClaimReview** (JSON-LD) and statements as **W3C Web Annotations** (JSON-LD).

ClaimReview is made for fact-checks, which end in a verdict. corroborate does not give one: it
counts who affirms and who denies, how independently, and since when. So the review's rating
carries no `ratingValue`; its `alternateName` is the evidence summary and its
`ratingExplanation` says plainly that this is a summary of attributed statements, not a
verdict on the claim.

A Web Annotation's target is the content span of a statement in the *archived* text of its
document (the text the ledger holds, identified by the document's content hash, not the live
page, which may have changed): a TextQuoteSelector (exact, prefix, suffix) and a
TextPositionSelector (start, end, in characters of that text), so that
`text[start:end] == exact`. The bodies say who said it (the source span), how (the cue), how
firmly (the stance) and toward which propositions.

`check_claim_review` and `check_annotation` list what a document lacks of the fields the specs
require (schema.org/Google for ClaimReview, the Web Annotation Data Model for annotations);
tests pin the shapes with them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from corroborate import __version__
from corroborate.assess.entry import Entry
from corroborate.assess.grading import CREDIBILITY
from corroborate.assess.proposition import Assessment
from corroborate.errors import NotFound
from corroborate.link.propositions import Proposition
from corroborate.model import Document, SourceMention, Span, Statement
from corroborate.store import DocumentFilter

if TYPE_CHECKING:
    from corroborate.api import Ledger

SCHEMA_CONTEXT = "https://schema.org"
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32  # characters of prefix and suffix, enough to find the quote again
_PERSON_TYPES = ("person", "unnamed")
NOT_A_VERDICT = ("corroborate summarises attributed statements (who affirms, who denies, how "
                 "independently, since when); it does not judge whether the claim is true. "
                 "This is an evidence summary, not a verdict.")


def document_urn(doc_id: str) -> str:
    """The archived document: its content hash names exactly the text selectors point into."""
    return f"urn:corroborate:document:{doc_id}"


def statement_urn(statement_id: str) -> str:
    return f"urn:corroborate:statement:{statement_id}"


# -- ClaimReview ----------------------------------------------------------------------------
def _creative_work(document: Mapping[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "url": document.get("uri")}
    if document.get("title"):
        work["headline"] = document["title"]
    if document.get("published"):
        work["datePublished"] = document["published"]
    if document.get("publisher"):
        work["publisher"] = {"@type": "Organization", "name": document["publisher"]}
    return work


def _party(name: str, source_type: str | None) -> dict[str, Any]:
    kind = "Person" if (source_type or "person") in _PERSON_TYPES else "Organization"
    return {"@type": kind, "name": name}


def evidence_summary(a: Assessment) -> str:
    """`affirmed by 12 independent origins (Ukraine-aligned 7, neutral 2, ...); denied by 2
    (...)`: the alternateName of the rating."""
    parts = []
    for side, verb in (("affirm", "affirmed"), ("deny", "denied"),
                       ("uncertain", "left uncertain")):
        c = a.corroboration.get(side) or {"independent_origins": 0, "by_alignment": {}}
        by = ", ".join(f"{k} {v}" for k, v in sorted(c["by_alignment"].items(),
                                                      key=lambda kv: (-kv[1], kv[0])))
        parts.append(f"{verb} by {c['independent_origins']} independent origin(s)"
                     + (f" ({by})" if by else ""))
    return "; ".join(parts)


def claim_review(p: Proposition, a: Assessment, author: str, *, url: str | None = None,
                 types: Mapping[str, str] | None = None,
                 published: str | None = None) -> dict[str, Any]:
    """One proposition's assessment as a ClaimReview. `types`: source type by source id
    (Person or Organization for the claimant); `url`: where the review is published."""
    types = types or {}
    affirming = [e for e in a.timeline if e.stance == "affirm"]
    appearances: dict[str, dict[str, Any]] = {}
    for e in affirming:
        uri = str(e.document.get("uri"))
        appearances.setdefault(uri, _creative_work(e.document))
    claim: dict[str, Any] = {"@type": "Claim", "name": p.statement,
                             "appearance": list(appearances.values())}
    first = a.first_claimant
    if first is not None:
        claim["author"] = _party(first.source_name, types.get(first.source_id or ""))
        if first.date:
            claim["datePublished"] = first.date
        claim["firstAppearance"] = _creative_work(first.document)
    credibility = _credibility_counts(a, affirming)
    explanation = (f"{NOT_A_VERDICT} {len(a.timeline)} statement(s) linked to the claim: "
                   f"{evidence_summary(a)}."
                   + (f" First affirmed by {first.source_name} {first.date_phrase}."
                      if first else "")
                   + (f" Credibility of the affirmations (Admiralty 1-6): {credibility}."
                      if credibility else ""))
    review: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT, "@type": "ClaimReview",
        "claimReviewed": p.statement,
        "datePublished": published or datetime.now(UTC).date().isoformat(),
        "author": {"@type": "Person", "name": author},
        "itemReviewed": claim,
        "reviewRating": {"@type": "Rating",
                         "alternateName": f"Evidence summary, no verdict: "
                                          f"{evidence_summary(a)}",
                         "ratingExplanation": explanation},
        "sdPublisher": {"@type": "Organization", "name": f"corroborate {__version__}"},
        "identifier": f"urn:corroborate:proposition:{p.id}",
    }
    if url:
        review["url"] = url
    return review


def _credibility_counts(a: Assessment, affirming: Sequence[Entry]) -> str:
    counts: dict[int, int] = {}
    for e in affirming:
        if (g := a.grades.get(e.statement_id)) is not None:
            counts[g.credibility] = counts.get(g.credibility, 0) + 1
    return ", ".join(f"{n} {CREDIBILITY[v]} ({v})" for v, n in sorted(counts.items()))


def check_claim_review(review: Mapping[str, Any]) -> list[str]:
    """What a ClaimReview lacks of the fields required by Google's ClaimReview structured data
    guidelines (claimReviewed, reviewRating with alternateName, author with a name, url when
    published) and of the schema.org types."""
    problems = []
    if review.get("@context") not in (SCHEMA_CONTEXT, "http://schema.org"):
        problems.append("@context is not schema.org")
    if review.get("@type") != "ClaimReview":
        problems.append("@type is not ClaimReview")
    if not isinstance(review.get("claimReviewed"), str) or not review["claimReviewed"]:
        problems.append("claimReviewed missing")
    rating = review.get("reviewRating") or {}
    if rating.get("@type") != "Rating" or not rating.get("alternateName"):
        problems.append("reviewRating must be a Rating with alternateName")
    author = review.get("author") or {}
    if author.get("@type") not in ("Person", "Organization") or not author.get("name"):
        problems.append("author must be a Person or Organization with a name")
    item = review.get("itemReviewed") or {}
    if item.get("@type") != "Claim":
        problems.append("itemReviewed must be a Claim")
    for work in [*(item.get("appearance") or []), *([item["firstAppearance"]]
                                                     if item.get("firstAppearance") else [])]:
        if work.get("@type") != "CreativeWork" or not work.get("url"):
            problems.append("an appearance is not a CreativeWork with a url")
    if "url" in review and not str(review["url"]).startswith(("http://", "https://")):
        problems.append("url is not an absolute http(s) URL")
    return problems


# -- Web Annotation -------------------------------------------------------------------------
def selectors(text: str, start: int, end: int) -> list[dict[str, Any]]:
    """TextQuoteSelector + TextPositionSelector for text[start:end]."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}-{end} is outside the text ({len(text)} characters)")
    return [{"type": "TextQuoteSelector", "exact": text[start:end],
             "prefix": text[max(0, start - QUOTE_CONTEXT):start],
             "suffix": text[end:end + QUOTE_CONTEXT]},
            {"type": "TextPositionSelector", "start": start, "end": end}]


def _span_body(doc: Document, span: Span | SourceMention, purpose: str) -> dict[str, Any]:
    return {"type": "SpecificResource", "purpose": purpose, "source": document_urn(doc.id),
            "selector": selectors(doc.text, span.start, span.end)}


def annotation(statement: Statement, doc: Document, resolved: Mapping[str, Any] | None = None,
               links: Sequence[Mapping[str, Any]] = (),
               propositions: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One statement as a Web Annotation on its archived document. `resolved`: the ledger's
    source (`id`, `name`); `links`: its propositions (`id`, `stance`, `score`);
    `propositions`: proposition texts by id."""
    resolved = resolved or {}
    source_name = resolved.get("name") or (statement.source.name or statement.source.text
                                           if statement.source else None) or "(author)"
    cue = statement.cue.text if statement.cue else None
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "describing", "format": "text/plain",
         "value": f"{source_name}" + (f" ({cue})" if cue else "") + f": {statement.stance}"},
        {"type": "TextualBody", "purpose": "tagging", "value": f"stance:{statement.stance}"},
    ]
    if statement.source is not None:
        bodies.append(_span_body(doc, statement.source, "identifying"))
    if statement.cue is not None:
        bodies.append(_span_body(doc, statement.cue, "describing"))
    for link in links:
        text = (propositions or {}).get(str(link["id"]), "")
        bodies.append({"type": "TextualBody", "purpose": "classifying",
                       "value": f"{link['id']} {link['stance']}" + (f": {text}" if text else "")})
    return {
        "@context": ANNOTATION_CONTEXT, "id": statement_urn(statement.id), "type": "Annotation",
        "motivation": "describing",
        "generator": {"id": "https://pypi.org/project/corroborate/", "type": "Software",
                      "name": f"corroborate {__version__}"},
        "body": bodies,
        "target": {"type": "SpecificResource", "source": document_urn(doc.id),
                   "scope": doc.uri,
                   "selector": selectors(doc.text, statement.content.start,
                                         statement.content.end)},
    }


def check_annotation(a: Mapping[str, Any], text: str | None = None) -> list[str]:
    """What an annotation lacks of the Web Annotation Data Model's requirements (@context,
    an IRI id, type Annotation, a target; TextualBody value; selector fields), and, given the
    archived text, whether each selector selects what it says."""
    problems = []
    context = a.get("@context")
    if ANNOTATION_CONTEXT not in (context if isinstance(context, list) else [context]):
        problems.append(f"@context must include {ANNOTATION_CONTEXT}")
    if not isinstance(a.get("id"), str) or ":" not in a["id"]:
        problems.append("id must be an IRI")
    if a.get("type") != "Annotation":
        problems.append("type must be Annotation")
    if "target" not in a:
        problems.append("target missing")
    resources = [a.get("target") or {}]
    for body in a.get("body") or []:
        if body.get("type") == "TextualBody" and not isinstance(body.get("value"), str):
            problems.append("a TextualBody has no value")
        if body.get("type") == "SpecificResource":
            resources.append(body)
    for resource in resources:
        if resource.get("type") == "SpecificResource" and not resource.get("source"):
            problems.append("a SpecificResource has no source")
        problems.extend(_check_selectors(resource.get("selector") or [], text))
    return problems


def _check_selectors(found: Sequence[Mapping[str, Any]], text: str | None) -> list[str]:
    problems = []
    quote = next((s for s in found if s.get("type") == "TextQuoteSelector"), None)
    position = next((s for s in found if s.get("type") == "TextPositionSelector"), None)
    if quote is not None and not isinstance(quote.get("exact"), str):
        problems.append("TextQuoteSelector needs exact")
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            problems.append("TextPositionSelector needs 0 <= start <= end")
        elif text is not None:
            if quote is not None and text[start:end] != quote.get("exact"):
                problems.append(f"text[{start}:{end}] is not the quote's exact text")
            if quote is not None and not (text[:start].endswith(quote.get("prefix", ""))
                                          and text[end:].startswith(quote.get("suffix", ""))):
                problems.append(f"prefix/suffix do not surround {start}-{end}")
    return problems


# -- from a ledger --------------------------------------------------------------------------
def claim_review_of(ledger: Ledger, proposition_id: str, author: str,
                    url: str | None = None) -> dict[str, Any]:
    """`claim_review` for a stored proposition (linked first when stale)."""
    a = ledger.assessment(proposition_id)
    p = next(p for p in ledger.links.propositions() if p.id == proposition_id)
    types = {s["id"]: s["type"] for s in ledger.links.sources()}
    return claim_review(p, a, author, url=url, types=types)


def annotations_of(ledger: Ledger, where: DocumentFilter | None = None,
                   proposition: str | None = None) -> Iterator[dict[str, Any]]:
    """Every stored statement (of the filtered documents; only those linked to
    `proposition` when given) as a Web Annotation."""
    ledger.link()
    links = ledger.links.links_by_statement()
    resolved = ledger.links.resolved_sources()
    texts = {p.id: p.statement for p in ledger.links.propositions()}
    if proposition is not None and proposition not in texts:
        raise NotFound(f"proposition {proposition!r}: no such proposition "
                       "(see `corroborate propositions`)")
    for doc in ledger.documents(where, with_text=True):
        for statement in ledger.statements(doc_id=doc.id):
            linked = links.get(statement.id, [])
            if proposition is not None and all(p["id"] != proposition for p in linked):
                continue
            yield annotation(statement, doc, resolved.get(statement.id), linked, texts)
