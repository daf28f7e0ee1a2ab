"""Linking and assessment on small stories we wrote: sources, propositions, relays, reversals.

These stories are about the Kursk case, so they are linked with the Kursk story pack (as a user
of that story would); resolution without any pack is tested in test_sources.py."""

from __future__ import annotations

import json
from pathlib import Path

from corroborate import Ledger
from corroborate.link.pack import load_pack, store_pack
from corroborate.link.propositions import Proposition
from corroborate.link.resolve import SourceEdit

KURSK_PACK = Path(__file__).resolve().parents[1] / "examples" / "kursk-pack.json"

STORIES = {
    "a.txt": ("2024-10-18", "Seoul Wire",
              "South Korea's National Intelligence Service said on Friday that North Korea had "
              "sent 1,500 special forces troops to Russia. NATO Secretary-General Mark Rutte "
              "said on Friday he could not confirm the reports."),
    "b.txt": ("2024-10-23", "Kyiv Daily",
              "A senior Ukrainian intelligence official said on Wednesday that North Korean "
              "troops were already on the battlefield in the Kursk region. Kremlin spokesman "
              "Dmitry Peskov said on Wednesday that the reports of North Korean troops in Russia "
              "were fake news."),
    "c.txt": ("2024-10-28", "Euro Wire",
              "Rutte said on Monday that North Korean troops had been sent to Russia and that "
              "units were deployed in the Kursk region. According to Yonhap, the NIS said on "
              "Monday that North Korean troops were in the Kursk region. The senior Ukrainian "
              "intelligence official said on Monday that the North Korean troops could be on the "
              "battlefield in days."),
}
PROPOSITIONS = [
    Proposition("P1", "North Korea has sent troops to Russia"),
    Proposition("P2", "North Korean troops are deployed in Russia's Kursk region"),
    Proposition("P3", "North Korean troops are fighting on the battlefield"),
]


def add_stories(ledger: Ledger, folder: Path) -> None:
    for name, (published, publisher, text) in STORIES.items():
        (folder / name).write_text(text)
        (folder / f"{name}.meta.json").write_text(json.dumps(
            {"published": published, "publisher": publisher, "kind": "news"}))
    assert ledger.add([str(folder)]).ok
    ledger.propose(PROPOSITIONS)
    # Kept in the ledger, as `link --pack` does: every later link of these tests uses it.
    store_pack(ledger.store.backend, load_pack(KURSK_PACK))


def source_of(ledger: Ledger, mention: str) -> dict:
    return next(s for s in ledger.links.sources() if mention in s["aliases"])


def test_name_variants_and_roles_resolve_to_one_source(ledger: Ledger, tmp_path: Path) -> None:
    add_stories(ledger, tmp_path)
    ledger.link(force=True)
    rutte = source_of(ledger, "Rutte")
    assert rutte["name"] == "Mark Rutte"
    assert "NATO Secretary-General Mark Rutte" in rutte["aliases"]
    nis = source_of(ledger, "the NIS")
    assert "South Korea's National Intelligence Service" in nis["aliases"]
    assert nis["type"] == "government_body" and nis["alignment"] == "Ukraine-aligned"
    peskov = source_of(ledger, "Kremlin spokesman Dmitry Peskov")
    assert peskov["alignment"] == "Russia-aligned" and peskov["id"] != rutte["id"]


def test_analyst_edits_survive_reingestion(ledger: Ledger, tmp_path: Path) -> None:
    add_stories(ledger, tmp_path)
    ledger.link(force=True)
    official = source_of(ledger, "A senior Ukrainian intelligence official")
    ledger.edit_source(SourceEdit("set", official["key"], field="grade", value="C"))
    ledger.edit_source(SourceEdit("set", official["key"], field="country", value="Ukraine"))
    (tmp_path / "d.txt").write_text("Kyiv said on Tuesday that North Korean troops had "
                                    "arrived in Russia.")
    ledger.add([str(tmp_path / "d.txt")])
    ledger.link()
    again = source_of(ledger, "A senior Ukrainian intelligence official")
    assert (again["grade"], again["alignment"]) == ("C", "Ukraine-aligned")


def test_statements_are_assigned_with_stance_toward_the_proposition(
        ledger: Ledger, tmp_path: Path) -> None:
    add_stories(ledger, tmp_path)
    p1 = ledger.assessment("P1")
    by_source = {e.source_name: e.stance for e in p1.timeline}
    assert by_source["Dmitry Peskov"] == "deny"
    assert by_source["Mark Rutte"] in {"affirm", "uncertain"}
    p3 = ledger.assessment("P3")
    stances = [e.stance for e in p3.timeline]
    assert "uncertain" in stances


def test_reversal_first_claimant_contradiction_and_relays(ledger: Ledger,
                                                         tmp_path: Path) -> None:
    add_stories(ledger, tmp_path)
    p3 = ledger.assessment("P3")
    assert any(a.stance == "affirm" and b.stance == "uncertain"
               for changes in p3.reversals.values() for a, b in changes)
    p1 = ledger.assessment("P1")
    assert p1.first_claimant is not None and p1.first_claimant.date == "2024-10-18"
    assert p1.first_claimant.source_name.startswith("National Intelligence Service")
    assert p1.contradictions, "Peskov's denial contradicts the affirmations"
    p2 = ledger.assessment("P2")
    relayed = [e for e in p2.timeline if e.via_name]
    assert relayed and relayed[0].via_name == "Yonhap"
    assert relayed[0].source_name.startswith("National Intelligence Service")
    affirming = p2.corroboration["affirm"]
    assert affirming["independent_origins"] == len(
        {e.source_id for e in p2.timeline if e.stance == "affirm"})


def test_discovered_propositions_group_statements_nobody_proposed(
        ledger: Ledger, tmp_path: Path) -> None:
    for n, who in enumerate(["The ministry", "The general staff", "A regional governor",
                             "The border guard"]):
        (tmp_path / f"x{n}.txt").write_text(
            f"{who} said on Monday that drones had struck the Belgorod power station overnight.")
    ledger.add([str(tmp_path)])
    ledger.link(force=True)
    discovered = ledger.links.propositions("discovered")
    assert discovered and "Belgorod" in discovered[0].statement


def test_timeline_page_is_in_date_order_and_pages(ledger: Ledger, tmp_path: Path) -> None:
    add_stories(ledger, tmp_path)
    ledger.link(force=True)
    rows = ledger.links.timeline_page("P1", limit=100)
    days = [row[1] for row in rows]
    assert days and days == sorted(days)
    assert ledger.links.timeline_page("P1", limit=1, offset=1) == rows[1:2]
