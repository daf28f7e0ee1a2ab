"""ClaimReview and W3C Web Annotation exports: shapes checked against the specs' required
fields, and every selector slicing the archived text exactly (the bundled Kursk corpus: text,
Markdown, HTML, WebVTT)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import CliRun
from corroborate import Ledger, open_ledger
from corroborate.interchange import (
    NOT_A_VERDICT,
    annotations_of,
    check_annotation,
    check_claim_review,
    claim_review_of,
    selectors,
)
from test_grading import STORY, add_story, write_story

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_every_kursk_annotation_selects_its_statement_in_the_archived_text(
        tmp_path: Path) -> None:
    with open_ledger(str(tmp_path / "k.db"), tmp_path / "archive") as ledger:
        assert ledger.add([str(EXAMPLES / "kursk")]).ok
        texts = {d.id: d.text for d in ledger.documents(with_text=True)}
        contents = {s.id: s.content.text for s in ledger.statements()}
        found = list(annotations_of(ledger))
    assert len(found) == len(contents) > 100
    for a in found:
        source = a["target"]["source"]
        text = texts[source.rsplit(":", 1)[1]]
        assert check_annotation(a, text) == [], a["id"]
        quote, position = a["target"]["selector"]
        assert text[position["start"]:position["end"]] == quote["exact"]
        assert quote["exact"] == contents[a["id"].rsplit(":", 1)[1]]
        assert text[:position["start"]].endswith(quote["prefix"])
        assert text[position["end"]:].startswith(quote["suffix"])
        for body in a["body"]:
            if body["type"] == "SpecificResource":  # the source and cue spans
                q, p = body["selector"]
                assert text[p["start"]:p["end"]] == q["exact"] and body["source"] == source


def test_annotations_of_one_proposition_carry_its_stance(ledger: Ledger,
                                                         tmp_path: Path) -> None:
    add_story(ledger, tmp_path)
    found = list(annotations_of(ledger, proposition="P1"))
    assert len(found) == len(ledger.assessment("P1").timeline) == 3
    peskov = next(a for a in found if "Dmitry Peskov" in a["body"][0]["value"])
    own = {s.id: s.stance for s in ledger.statements()}[peskov["id"].rsplit(":", 1)[1]]
    assert {"type": "TextualBody", "purpose": "tagging", "value": f"stance:{own}"} \
        in peskov["body"]  # the speaker's own commitment to their words
    assert any(b.get("purpose") == "classifying" and b["value"].startswith("P1 deny: ")
               for b in peskov["body"])  # ... which denies the proposition


@given(st.text(max_size=200), st.data())
def test_selectors_slice_any_text_exactly(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote, position = selectors(text, start, end)
    assert text[position["start"]:position["end"]] == quote["exact"]
    assert (quote["prefix"] + quote["exact"] + quote["suffix"]) in text
    assert len(quote["prefix"]) <= 32 and len(quote["suffix"]) <= 32


def test_the_checks_catch_broken_shapes() -> None:
    text = "The minister said troops had left."
    broken = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "nope", "type": "Note",
              "body": [{"type": "TextualBody"}],
              "target": {"type": "SpecificResource", "source": "urn:x",
                         "selector": [{"type": "TextQuoteSelector", "exact": "troops",
                                       "prefix": "", "suffix": ""},
                                      {"type": "TextPositionSelector", "start": 0, "end": 6}]}}
    problems = check_annotation(broken, text)
    assert "id must be an IRI" in problems and "type must be Annotation" in problems
    assert "a TextualBody has no value" in problems
    assert "text[0:6] is not the quote's exact text" in problems
    assert check_claim_review({"@context": "https://schema.org", "@type": "ClaimReview",
                               "reviewRating": {"@type": "Rating"}}) == [
        "claimReviewed missing", "reviewRating must be a Rating with alternateName",
        "author must be a Person or Organization with a name", "itemReviewed must be a Claim"]


def test_claim_review_is_an_evidence_summary_not_a_verdict(ledger: Ledger,
                                                           tmp_path: Path) -> None:
    add_story(ledger, tmp_path)
    review = claim_review_of(ledger, "P1", "Ana Analyst", url="https://example.org/review/p1")
    assert check_claim_review(review) == []
    assert review["claimReviewed"] == "North Korea has sent troops to Russia"
    rating = review["reviewRating"]
    assert "ratingValue" not in rating and NOT_A_VERDICT in rating["ratingExplanation"]
    assert rating["alternateName"].startswith("Evidence summary, no verdict: affirmed by 2 "
                                              "independent origin(s) (Ukraine-aligned 2); "
                                              "denied by 1 independent origin(s) "
                                              "(Russia-aligned 1)")
    claim = review["itemReviewed"]
    a = ledger.assessment("P1")
    affirming = {e.document["uri"] for e in a.timeline if e.stance == "affirm"}
    assert {w["url"] for w in claim["appearance"]} == affirming
    assert claim["firstAppearance"]["datePublished"] == "2024-10-18"
    assert claim["firstAppearance"]["publisher"]["name"] == STORY["a.txt"][1]
    assert claim["author"] == {"@type": "Organization",
                               "name": a.first_claimant.source_name}  # type: ignore[union-attr]
    assert review["author"] == {"@type": "Person", "name": "Ana Analyst"}


def test_cli_exports_claimreview_and_annotations(run: CliRun, tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story")
    assert run("add", str(folder)).exit_code == 0
    assert run("propose", "North Korea has sent troops to Russia").exit_code == 0
    result = run("export", "--what", "claimreview", "--proposition", "P1", "--author", "Ana")
    assert result.exit_code == 0
    review = json.loads(result.output)
    assert check_claim_review(review) == [] and review["author"]["name"] == "Ana"
    lines = run("export", "--what", "annotations").output.splitlines()
    assert len(lines) == 3 and all(check_annotation(json.loads(x)) == [] for x in lines)
    missing = run("export", "--what", "claimreview")
    assert missing.exit_code == 2 and "needs --proposition" in missing.output
    as_csv = run("export", "--what", "annotations", "--format", "csv")
    assert as_csv.exit_code == 2 and "JSON-LD" in as_csv.output
    unknown = run("export", "--what", "claimreview", "--proposition", "P7")
    assert unknown.exit_code == 1 and "proposition 'P7'" in unknown.output
