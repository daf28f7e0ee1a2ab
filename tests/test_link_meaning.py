"""Stance toward a proposition follows what the proposition means, on any story.

The sentences are ours, about stories no data file of the project knows (a dam failure, a
depot fire, a ferry collision), so only what is read from the proposition text can decide.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.api import Ledger
from corroborate.link.frames import frames, polarity
from corroborate.link.propositions import Claim, Proposition, stance_on

AIRCRAFT = "Government aircraft were flying over the dam"
STRIKE = "An air strike destroyed the depot"
BOMB = "A truck bomb destroyed the depot"
ACKNOWLEDGED = "Veltria has acknowledged that its navy rammed the ferry"
PRETEXT = "The ferry collision story is a pretext for sanctions against Veltria"


def claim(content: str, stance: str = "affirm", names: str = "", dismissal: bool = False
          ) -> Claim:
    return Claim("s1", content, content, stance, None, dismissal,
                 frozenset(names.lower().split()))


@pytest.mark.parametrize(("content", "expected"), [
    ("No government aircraft were flying over the dam", "opposite"),
    ("government aircraft were not flying over the dam that night", "opposite"),
    ("Government jets were flying low over the dam", "same"),
    ("pilots who never trained at night were flying aircraft over the dam", "same"),
    ("it is not clear whether aircraft were flying over the dam", "withheld"),
    ("it has not been confirmed that aircraft were flying there", "withheld"),
])
def test_polarity_reads_the_negation_that_governs_a_shared_word(content: str,
                                                                expected: str) -> None:
    assert polarity(AIRCRAFT, content) == expected


def test_a_negated_assertion_denies_the_proposition() -> None:
    assert stance_on(AIRCRAFT, claim("No government aircraft were flying over the dam")) \
        == "deny"
    assert stance_on(AIRCRAFT, claim("government aircraft were flying over the dam")) \
        == "affirm"
    # A source denying the negation affirms it.
    assert stance_on(AIRCRAFT, claim("no aircraft were flying over the dam", "deny")) \
        == "affirm"


def test_a_withheld_confirmation_is_uncertain_not_affirm() -> None:
    assert stance_on(AIRCRAFT, claim("it is not clear whether aircraft were flying")) \
        == "uncertain"


def test_rival_explanations_deny_each_other_instead_of_affirming() -> None:
    read = frames([("P1", STRIKE), ("P2", BOMB)])
    bomb = claim("a truck bomb destroyed the depot, the minister said")
    assert stance_on(read["P1"], bomb) == "deny"
    assert stance_on(read["P2"], bomb) == "affirm"
    doubted = claim("a truck bomb may have destroyed the depot", "uncertain")
    assert stance_on(read["P1"], doubted) == "uncertain"


def test_refinements_are_not_rivals() -> None:
    read = frames([("P1", "Veltrian troops were sent to Ostrava"),
                   ("P2", "Veltrian troops are deployed in the Ostrava border region")])
    assert read["P1"].rivals == () and read["P2"].rivals == ()


def test_an_acts_proposition_needs_the_actor() -> None:
    read = frames([("P1", ACKNOWLEDGED)])["P1"]
    assert read.actor and read.act_affirms
    # Anyone else saying the navy rammed the ferry does not make Veltria acknowledge it.
    assert stance_on(read, claim("the Veltrian navy rammed the ferry", names="coast guard")) \
        is None
    # Veltria's own words do, with their commitment.
    assert stance_on(read, claim("our navy rammed the ferry", names="veltria ministry")) \
        == "affirm"
    assert stance_on(read, claim("the navy rammed the ferry", "deny",
                                 names="veltrian foreign ministry")) == "deny"
    assert stance_on(read, claim("the navy rammed the ferry", "uncertain",
                                 names="veltria")) == "uncertain"
    # A report that the actor acted is read against the whole proposition.
    assert stance_on(read, claim("Veltria has not acknowledged that its navy rammed the ferry",
                                 names="reporters")) == "deny"


def test_denial_propositions_flip_the_actors_commitment() -> None:
    read = frames([("P1", "Veltria has denied that its navy rammed the ferry")])["P1"]
    assert not read.act_affirms
    assert stance_on(read, claim("the navy rammed the ferry", "deny", names="veltria")) \
        == "affirm"


def test_calling_the_story_a_pretext_affirms_the_pretext_proposition() -> None:
    read = frames([("P1", PRETEXT), ("P2", "Veltria's navy rammed the ferry")])
    dismissal = claim("the whole collision story is a pretext for sanctions", "deny",
                      dismissal=True)
    assert stance_on(read["P1"], dismissal) == "affirm"
    assert stance_on(read["P2"], dismissal) == "deny"


STORY = {
    "wire.txt": "A truck bomb destroyed the fuel depot at Halden on Monday, Interior Minister "
                "Tomas Brek said on Tuesday. No government aircraft were flying over the depot "
                "that night, the defence ministry said.\n",
    "rebels.txt": "An air strike destroyed the fuel depot at Halden, rebel commander Aku Saari "
                  "said on Tuesday. Government aircraft were flying over the depot before the "
                  "blast, he said.\n",
}


def test_ledger_links_rivals_and_negations_with_the_right_stance(ledger: Ledger,
                                                                 tmp_path: Path) -> None:
    for name, text in STORY.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    ledger.add([str(tmp_path / n) for n in STORY], )
    ledger.propose([Proposition("P1", "An air strike destroyed the fuel depot at Halden"),
                    Proposition("P2", "A truck bomb destroyed the fuel depot at Halden"),
                    Proposition("P3", "Government aircraft were flying over the depot")])
    ledger.link(force=True)
    by_content = {st.id: st.content.text for st in ledger.statements()}
    links = {(by_content[sid][:12], pid): stance for sid, pid, stance in
             ledger.store.backend.query(
                 "SELECT statement_id, proposition_id, stance FROM assignments")}
    assert links[("A truck bomb", "P2")] == "affirm"
    assert links[("A truck bomb", "P1")] == "deny"
    assert links[("An air strik", "P1")] == "affirm"
    assert links[("An air strik", "P2")] == "deny"
    assert links[("No governmen", "P3")] == "deny"
    assert links[("Government a", "P3")] == "affirm"


@pytest.mark.parametrize(("cue", "expected"), [
    ("has not acknowledged", "deny"),
    ("again refused to confirm", "deny"),
    ("confirmed", "affirm"),
    ("has neither confirmed nor denied", "uncertain"),
    ("said", None),
])
def test_a_cue_that_is_the_act_itself_decides_an_acts_proposition(cue: str,
                                                                  expected: str | None) -> None:
    from corroborate.link.frames import act_in_cue

    assert act_in_cue(cue) == expected
    read = frames([("P1", ACKNOWLEDGED)])["P1"]
    got = stance_on(read, Claim("s1", "that its navy rammed the ferry", "", "uncertain", None,
                                False, frozenset({"veltria"}), cue))
    assert got == (expected or "uncertain")


# ------------------------------------------------------------ reading the content (issue 8)

DAM = "A bomb caused the failure of the Orlen dam"
CONSENSUS = "The engineers' panel has reached a consensus on why the Orlen dam failed"
INQUIRY = "The first inquiry gave an adequate, well-founded account of the dam failure"
COOPERATED = "The Veltrian ministry has cooperated fully with the dam inspectors"
KITCHEN = "The depot fire most likely started in the kitchen annex"


def said(content: str, stance: str = "affirm", cue: str = "said", names: str = "") -> Claim:
    return Claim("s1", content, content, stance, None, False,
                 frozenset(names.lower().split()), cue)


def test_a_statement_denying_a_negative_proposition() -> None:
    negative = "No government aircraft were flying over the dam"
    assert stance_on(negative, said("government aircraft were flying over the dam")) == "deny"
    assert stance_on(negative, said("no aircraft at all were flying over the dam")) == "affirm"


@pytest.mark.parametrize("content", [
    "a bomb could have caused the failure of the dam",
    "investigators expected to find that a bomb caused the failure",
    "a bomb may be what caused the failure, if the early samples hold up",
])
def test_a_modal_the_proposition_lacks_is_uncertain(content: str) -> None:
    assert stance_on(DAM, said(content)) == "uncertain"


def test_confidence_words_set_the_commitment() -> None:
    low = said("we assess with low confidence that a bomb caused the failure")
    assert stance_on(DAM, low) == "uncertain"
    leaning = said("the panel is leaning toward the view that a bomb caused the failure")
    assert stance_on(DAM, leaning) == "uncertain"
    high = said("we assess with high confidence that a bomb caused the failure", "uncertain")
    assert stance_on(DAM, high) == "affirm"


def test_a_hedge_the_proposition_shares_affirms_it() -> None:
    # "most likely" on both sides: the statement says exactly what the proposition says.
    same = said("the fire most likely started in the kitchen annex", "uncertain")
    assert stance_on(KITCHEN, same) == "affirm"
    # The same hedge against a plain proposition is not a commitment to it.
    assert stance_on("The depot fire started in the kitchen annex", same) == "uncertain"


@pytest.mark.parametrize(("content", "cue"), [
    ("a bomb caused the failure", "declined to comment on whether"),
    ("a bomb caused the failure", "has neither confirmed nor denied"),
    ("a bomb caused the failure", "would not say whether"),
    ("I can't get ahead of the investigation into what caused the failure", "MS. ORLOVA:"),
    ("I'm not going to speculate on whether a bomb caused the failure", "MS. ORLOVA:"),
    ("We don't know yet what caused the failure of the dam", "MS. ORLOVA:"),
])
def test_refusals_and_not_knowing_are_uncertain_never_affirm(content: str, cue: str) -> None:
    assert stance_on(DAM, said(content, cue=cue)) == "uncertain"


def test_a_refusal_followed_by_a_plain_assertion_affirms() -> None:
    turn = said("I'm not going to get into the forensics. What I will say is that a bomb "
                "caused the failure of the dam.", cue="MS. ORLOVA:")
    assert stance_on(DAM, turn) == "affirm"


def test_saying_there_is_no_consensus_denies_a_consensus() -> None:
    turn = said("I'm not going to get ahead of the panel. There is not a consensus on why "
                "the dam failed.", "uncertain", cue="MS. ORLOVA:")
    assert stance_on(CONSENSUS, turn) == "deny"
    assert stance_on(CONSENSUS, said("the panel has not come to a consensus")) == "deny"
    # A reporter's negating question asks; it does not deny.
    question = said("there is not a consensus on why the dam failed", "uncertain", cue="Q")
    assert stance_on(CONSENSUS, question) == "uncertain"


def test_the_contrary_of_an_evaluative_word_denies() -> None:
    assert stance_on(INQUIRY, said("the inquiry's report lacks crucial data and access")) \
        == "deny"
    assert stance_on(INQUIRY, said("the first inquiry was not sufficient")) == "deny"
    # A contrary under a modal is only uncertain.
    assert stance_on(INQUIRY, said("the first inquiry might have been incomplete")) \
        == "uncertain"


def test_a_demand_for_what_the_proposition_says_is_done_denies_it() -> None:
    demand = said("we want the ministry's full cooperation with the inspectors")
    assert stance_on(COOPERATED, demand) == "deny"
    assert stance_on(COOPERATED, said("they have not cooperated with the inspectors")) == "deny"


def test_nothing_suggests_negates_what_follows() -> None:
    program = "The debris found on the shore was part of the Veltrian drone program"
    assert stance_on(program, said("nothing suggests the debris was part of the drone program")) \
        == "deny"


def test_rival_predicates_of_one_subject_exclude_each_other() -> None:
    read = frames([("P1", "The drone that crossed the border on Monday was a military "
                          "reconnaissance craft"),
                   ("P2", "The drone was a civilian mapping aircraft used by a survey company")])
    assert read["P1"].rivals and read["P2"].rivals
    mapping = said("it was a civilian mapping aircraft that lost its link", names="veltria")
    assert stance_on(read["P1"], mapping) == "deny"
    assert stance_on(read["P2"], mapping) == "affirm"
    # One statement never affirms two propositions that exclude each other.
    for content in ("it was a military reconnaissance craft", "a survey company flew it"):
        got = {stance_on(read[p], said(content)) for p in ("P1", "P2")}
        assert got != {"affirm"}


def test_a_government_actor_is_its_countrys_sources_and_no_other() -> None:
    read = frames([("P1", "The U.S. government acknowledged the raid was a mistake")])["P1"]
    spokesman = said("the raid was a tragic mistake", names="john doe pentagon united states")
    assert stance_on(read, spokesman) == "affirm"
    other = said("the raid was a tragic mistake", names="foreign ministry veltria government")
    assert stance_on(read, other) is None


@pytest.mark.parametrize(("cue", "expected"), [
    ("declined to comment", "refuse"), ("has neither confirmed nor denied", "refuse"),
    ("did not deny", "refuse"), ("denied", "deny"), ("dismissed", "deny"),
    ("said", None), ("MR. KIRBY:", None),
])
def test_cue_force(cue: str, expected: str | None) -> None:
    from corroborate.link.frames import cue_force

    assert cue_force(cue) == expected


def test_a_source_denying_a_content_that_negates_affirms() -> None:
    assert stance_on(AIRCRAFT, said("no aircraft were flying over the dam", "deny",
                                    cue="denied")) == "affirm"
    assert stance_on(AIRCRAFT, said("aircraft were flying over the dam", "deny",
                                    cue="denied")) == "deny"


def test_a_predicate_that_negates_its_object_denies() -> None:
    collected = "The drone was able to collect images of value over the harbour"
    assert stance_on(collected, said("we protected against image collection over the harbour")) \
        == "deny"
    assert stance_on(collected, said("it collected images over the harbour")) == "affirm"


def test_what_the_speaker_relays_from_others_is_not_their_assertion() -> None:
    read = frames([("P1", "The drone was a military reconnaissance craft"),
                   ("P2", "The drone was a civilian mapping aircraft")])
    turn = said("It was a military reconnaissance craft. They said it was a civilian mapping "
                "aircraft, which it was not.", cue="MR. HALE:")
    assert stance_on(read["P1"], turn) == "affirm"
    assert stance_on(read["P2"], turn) == "deny"
    relayed = said("They said it was a civilian mapping aircraft.", cue="MR. HALE:")
    assert stance_on(read["P2"], relayed) == "uncertain"


def test_calling_the_reports_a_smear_or_a_lie_in_the_content_denies_and_affirms_a_pretext() -> None:
    read = frames([("P1", PRETEXT), ("P2", "Veltria's navy rammed the ferry")])
    smear = said("the ferry story is a lie spread to justify sanctions", names="veltria")
    assert stance_on(read["P2"], smear) == "deny"
    assert stance_on(read["P1"], smear) == "affirm"
    # "fake documents" describes documents; it dismisses nothing.
    forged = "The crew were issued forged papers"
    assert stance_on(forged, said("the crew were given fake papers to carry")) == "affirm"


def test_refusing_particulars_does_not_withhold_the_claim() -> None:
    # A briefer who will not give numbers or the intelligence behind an assessment still
    # asserts it; one who says they do not know or will not speculate does not.
    for refusal in ("I'm not going to get into the intelligence behind it",
                    "I'm not going to get into specific numbers from here"):
        turn = said(f"Our assessment stands. {refusal}", cue="MS. ORLOVA:")
        assert stance_on(DAM, turn) == "affirm"
    for refusal in ("I'm not going to speculate on it",
                    "I'm not going to get into specifics because we don't know yet"):
        turn = said(f"Our assessment stands. {refusal}", cue="MS. ORLOVA:")
        assert stance_on(DAM, turn) == "uncertain"


def test_a_long_conditional_antecedent_is_uncertain() -> None:
    turn = said("We are consulting our partners, and I'd note that if a bomb planted by the "
                "contractors' own crews caused the failure of the dam, that would change "
                "everything", cue="MS. ORLOVA:")
    assert stance_on(DAM, turn) == "uncertain"
    assert stance_on(DAM, said("a bomb planted by the contractors' own crews caused the "
                               "failure of the dam")) == "affirm"


def test_a_named_partys_claim_relayed_is_not_the_speakers_own() -> None:
    relayed = said("Veltria claims a bomb caused the failure of the dam", cue="MS. ORLOVA:")
    assert stance_on(DAM, relayed) == "uncertain"
    insisted = said("The Veltrian government has insisted that a bomb caused the failure")
    assert stance_on(DAM, insisted) == "uncertain"
    # "As X has said" endorses it: the speaker asserts it.
    endorsed = said("as the ministry has said, a bomb caused the failure of the dam")
    assert stance_on(DAM, endorsed) == "affirm"
