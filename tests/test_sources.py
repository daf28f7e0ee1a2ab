"""Source resolution on stories no data file knows: a mine collapse in an invented country.

Every speaker here is introduced only by the documents themselves (titles, appositions,
transcript labels), so these tests fail if resolution leans on case data. Mentions are read
with the extractor's own `describe` at the place they stand in the text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corroborate import Ledger
from corroborate.extract.sources import describe
from corroborate.link.pack import PackError, load_pack, stored_pack
from corroborate.link.resolve import Mention, Source, resolve_sources

DOCS = {
    "d1": ("Mine collapse in Veloria",
           "Ana Velasco, the Mining Safety Board spokeswoman, said on Monday that 14 miners were "
           "trapped. The Mining Safety Board said the shaft had been inspected in May. "
           "The agency said rescue teams were drilling. Mines Minister Tomas Ferrer said the "
           "company would be fined. Reuters reported that the pumps had failed."),
    "d2": ("Rescue continues",
           "Velasco said on Tuesday that air was reaching the chamber. Ferrer said he would "
           "visit the site. The Ministry of Labour, which said it had warned the company, "
           "called for an inquiry. Ottawa said Canadian engineers would help. The Canadian "
           "government said two pumps were on their way."),
    "d3": ("Press Briefing by Press Secretary Lena Marsh",
           "MS. MARSH:  Good afternoon. I can tell you the rescue team reached the chamber.\n"
           "Q    Did the board warn the owners?\n"
           "MS. MARSH:  The board had warned them, and you will have the report tomorrow.\n"),
    "d5": ("Site visit",
           "Mines Minister Tomas Ferrer visited the shaft on Friday. He said the pumps worked.\n"
           "MS. MARSH:  I spoke to Minister Ferrer this morning, and he said the families "
           "would be told first.\n"),
    "d6": ("Board statement",
           "A Department spokesman said the shaft was sealed. An official at the agency said "
           "the pumps were old.\n"),
    "d4": ("Marsh on the inquiry",
           "Marsh said on Wednesday that the inquiry would be public. President Ivo Dran said "
           "the families would be compensated. The President said the mine would stay shut."),
}


def mention(doc: str, text: str, nth: int = 0) -> Mention:
    body = DOCS[doc][1]
    start = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", body)][nth]
    return Mention(f"{doc}:{text}:{nth}", doc, start, describe(text, start))


def resolve(mentions: list[Mention]) -> tuple[dict[str, str], dict[str, Source]]:
    assignment, sources = resolve_sources(mentions, (), {d: t for d, (_, t) in DOCS.items()},
                                          {d: title for d, (title, _) in DOCS.items()})
    return assignment, {s.id: s for s in sources}


def source(mentions: list[Mention], wanted: Mention) -> Source:
    assignment, sources = resolve(mentions)
    return sources[assignment[wanted.statement_id]]


def test_apposition_and_title_give_the_full_name_a_later_surname_joins() -> None:
    ms = [mention("d1", "Ana Velasco"), mention("d1", "Mines Minister Tomas Ferrer"),
          mention("d2", "Velasco"), mention("d2", "Ferrer")]
    assignment, sources = resolve(ms)
    assert assignment[ms[0].statement_id] == assignment[ms[2].statement_id]
    assert assignment[ms[1].statement_id] == assignment[ms[3].statement_id]
    assert sources[assignment[ms[2].statement_id]].name == "Ana Velasco"
    assert sources[assignment[ms[3].statement_id]].name == "Tomas Ferrer"
    assert assignment[ms[0].statement_id] != assignment[ms[1].statement_id]


def test_transcript_label_joins_the_full_name_from_the_briefing_title() -> None:
    label, again = mention("d3", "MS. MARSH"), mention("d3", "MS. MARSH", 1)
    first_person, elsewhere = mention("d3", "I"), mention("d4", "Marsh")
    assignment, sources = resolve([label, again, first_person, elsewhere])
    ids = {assignment[m.statement_id] for m in (label, again, first_person, elsewhere)}
    assert len(ids) == 1 and sources[ids.pop()].name == "Lena Marsh"


def test_you_in_an_answer_is_the_reporters_and_a_role_alone_is_its_holder() -> None:
    you, question = mention("d3", "you", 1), mention("d3", "Q")
    dran, president = mention("d4", "President Ivo Dran"), mention("d4", "The President")
    assignment, _ = resolve([question, you, dran, president])
    assert assignment[you.statement_id] == assignment[question.statement_id]
    assert assignment[president.statement_id] == assignment[dran.statement_id]


def test_he_is_the_person_the_text_last_named_never_the_turns_own_speaker() -> None:
    ferrer = mention("d5", "Mines Minister Tomas Ferrer")
    he, again, marsh = mention("d5", "He"), mention("d5", "he"), mention("d5", "MS. MARSH")
    assignment, _ = resolve([ferrer, he, marsh, again])
    assert assignment[he.statement_id] == assignment[ferrer.statement_id]
    assert assignment[again.statement_id] == assignment[ferrer.statement_id]
    assert assignment[marsh.statement_id] != assignment[ferrer.statement_id]


def test_the_agency_is_the_last_body_named_in_its_document_and_not_the_ministry() -> None:
    board, agency = mention("d1", "The Mining Safety Board"), mention("d1", "The agency")
    ministry = mention("d2", "The Ministry of Labour")
    assignment, _ = resolve([board, agency, ministry])
    assert assignment[agency.statement_id] == assignment[board.statement_id]
    assert assignment[ministry.statement_id] != assignment[board.statement_id]


def test_capital_and_government_speak_for_the_country() -> None:
    ottawa, government = mention("d2", "Ottawa"), mention("d2", "The Canadian government")
    got = source([ottawa, government], ottawa)
    assert got.name == "Canada" and got.type == "government_body"
    assignment, _ = resolve([ottawa, government])
    assert assignment[ottawa.statement_id] == assignment[government.statement_id]


def test_spokesperson_keeps_her_own_source_linked_to_the_body_she_speaks_for() -> None:
    board = mention("d1", "The Mining Safety Board")
    spokeswoman = Mention("x", "d1", 0, describe("Mining Safety Board spokeswoman Ana Velasco",
                                                 0))
    assignment, sources = resolve([board, spokeswoman])
    person, body = sources[assignment["x"]], sources[assignment[board.statement_id]]
    assert person.id != body.id and person.type == "person"
    assert person.speaks_for == body.id and person.to_dict()["speaks_for"] == body.id


def test_an_outlet_never_merges_into_a_person() -> None:
    outlet = mention("d1", "Reuters")
    person = Mention("p", "d2", 0, describe("Karl Reuters", 0))
    assignment, sources = resolve([outlet, person])
    assert assignment[outlet.statement_id] != assignment["p"]
    assert sources[assignment[outlet.statement_id]].type == "media"


@pytest.mark.parametrize("junk", ["on Monday", "on Tuesday", "May", "## Rescue update",
                                  "effort you ve heard us", "today"])
def test_dates_fragments_and_headings_are_never_a_source(junk: str) -> None:
    item = Mention("junk", "d1", 0, describe(junk, 0))
    assignment, sources = resolve([mention("d1", "Ana Velasco"), item])
    assert "junk" not in assignment
    assert all(junk not in s.aliases for s in sources.values())


def test_a_relative_pronoun_takes_its_antecedent_and_a_fragment_its_pronoun() -> None:
    ministry, which = mention("d2", "The Ministry of Labour"), mention("d2", "which")
    assignment, _ = resolve([ministry, which])
    assert assignment[which.statement_id] == assignment[ministry.statement_id]
    alone = Mention("alone", "d4", 0, describe("who", 0))
    assert "alone" not in resolve([alone])[0]
    board = mention("d1", "The Mining Safety Board")
    contracted = Mention("c", "d1", board.mention.end + 40, describe("they’re", 0))
    assignment, _ = resolve([board, contracted])
    assert assignment["c"] == assignment[board.statement_id]


# -- the story pack: optional, validated, kept in the ledger --------------------------------
PACK = {"story": "Veloria mine collapse",
        "entities": {"Mining Safety Board": {"type": "government_body", "country": "Veloria",
                                             "aliases": ["msb", "the mine regulator"]}},
        "alignment": {"Veloria": "government side"},
        "concepts": {"COLLAPSE": ["collapse", "cave-in"]}}


def test_a_pack_adds_aliases_and_sides(tmp_path: Path) -> None:
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(PACK))
    pack = load_pack(path)
    ms = [Mention("a", "d1", 0, describe("the mine regulator", 0)),
          Mention("b", "d2", 0, describe("MSB", 0))]
    assignment, sources = resolve_sources(ms, (), pack=pack)
    assert assignment["a"] == assignment["b"]
    assert sources[0].name == "Mining Safety Board"
    assert sources[0].alignment == "government side"


@pytest.mark.parametrize(("content", "field"), [
    ({"entities": {"X": {"type": "robot"}}}, "entities.X.type"),
    ({"entities": {"X": {"type": "person", "aliases": "x"}}}, "entities.X.aliases"),
    ({"alignment": ["a"]}, "alignment"), ({"concepts": {"C": "word"}}, "concepts.C"),
    ({"people": {}}, "people")])
def test_a_bad_pack_is_one_line_naming_file_and_field(tmp_path: Path, content: dict,
                                                       field: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(content))
    with pytest.raises(PackError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and field in message


def test_link_with_a_pack_keeps_it_in_the_ledger(ledger: Ledger, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The mine regulator said on Monday that the shaft was safe. "
                                    "MSB said on Tuesday that the cave-in was under review.")
    assert ledger.add([str(tmp_path / "a.txt")]).ok
    (tmp_path / "pack.json").write_text(json.dumps(PACK))
    ledger.link(force=True, pack=tmp_path / "pack.json")
    kept = stored_pack(ledger.store.backend)
    assert kept is not None and kept.story == "Veloria mine collapse"
    names = {s["name"] for s in ledger.links.sources()}
    assert "Mining Safety Board" in names


def test_the_ledger_keeps_a_spokesperson_linked_to_her_body(ledger: Ledger,
                                                            tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "The Mining Safety Board said on Monday that the shaft had been inspected in May. "
        "Mining Safety Board spokeswoman Ana Velasco said on Tuesday that 14 miners were "
        "trapped. Velasco said on Wednesday that air was reaching them.")
    assert ledger.add([str(tmp_path / "a.txt")]).ok
    ledger.link(force=True)
    by_name = {s["name"]: s for s in ledger.links.sources()}
    velasco, board = by_name["Ana Velasco"], by_name["Mining Safety Board"]
    assert velasco["speaks_for"] == board["id"] and velasco["affiliation"] == board["name"]
    assert velasco["statements"] == 2 and board["statements"] == 1


def test_an_affiliation_that_names_no_country_gives_no_country_and_no_side() -> None:
    ms = [mention("d6", "A Department spokesman"), mention("d6", "An official at the agency")]
    assignment, sources = resolve(ms)
    for m in ms:
        found = sources[assignment[m.statement_id]]
        assert found.country is None and found.alignment == "unknown", found


@pytest.mark.parametrize("text", ["the VSB", "Veloria's KMR", "the MSB inspectors' office"])
def test_an_acronym_names_a_body_without_any_list_of_agencies(text: str) -> None:
    found = describe(text, 0)
    assert found.type in ("government_body", "organization"), found


def test_an_all_capital_transcript_label_is_still_a_person() -> None:
    assert describe("MS. MARSH", 0).type == "person"


def test_an_unnamed_spokesman_of_a_known_body_speaks_for_it(tmp_path: Path) -> None:
    """`A Veloria Mining Safety Board spokesman`, `A Mining Safety Board spokesman`: with no
    name of their own, both speak for the body the pack knows, so they are one source."""
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(PACK))
    pack = load_pack(path)
    ms = [Mention("a", "d1", 0, describe("A Veloria Mining Safety Board spokesman", 0)),
          Mention("b", "d2", 0, describe("A Mining Safety Board spokesman", 0)),
          Mention("c", "d2", 40, describe("The Mining Safety Board", 40))]
    assignment, _ = resolve_sources(ms, (), pack=pack)
    assert assignment["a"] == assignment["b"] == assignment["c"]
