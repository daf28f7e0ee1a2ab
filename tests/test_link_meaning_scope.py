"""Stance toward a proposition: scope of hedges, negations and acts, on sentences of our own.

The stories are invented (a pipeline sabotage, a harbour blockade, a dam failure), so only what
is read from the proposition text and general English can decide. Each case is one reading
rule of `link/frames.py`; each asserts the stance the rule gives and, where it matters, the
stance a near sentence without the construction keeps.
"""

from __future__ import annotations

import pytest

from corroborate.link.frames import frames, read_sentence, sentences
from corroborate.link.propositions import stance_on
from test_link_meaning import said

SHIPPED = "Veltria has shipped artillery shells to the rebels for use in the siege"
INVOLVED = "Foreign governments were involved in the harbour blockade"
NOT_CHANGE = "The new shells will not fundamentally change the course of the siege"
AIMED = "The blockade aimed to seize control of the harbour, not merely to protest"
BEHIND = "The governor was behind the sabotage of the pipeline"
AFFECTED = "The blockade significantly affected the grain exports"
ADMITTED = "Veltria has acknowledged shipping artillery shells to the rebels"


def test_an_abbreviation_does_not_end_the_sentence() -> None:
    assert sentences("There was no U.S. involvement here. We said so.") == [
        "There was no U.S. involvement here.", "We said so."]
    assert sentences("We told Mr. Orlov the same. He agreed.") == [
        "We told Mr. Orlov the same.", "He agreed."]


def test_a_negation_reaches_through_an_abbreviation_to_its_noun() -> None:
    # "U.S." stands between "no" and the word the proposition has.
    turn = said("I can tell you there was no U.S. involvement in the blockade whatsoever",
                cue="MR. ORLOV:")
    assert stance_on(INVOLVED, turn) == "deny"


def test_the_subject_of_a_planned_act_is_hedged_with_it() -> None:
    # "Veltria" is before the prospective verb, "shells" in its scope: a plan, not a shipment.
    assert stance_on(SHIPPED, said("Veltria was planning to ship artillery shells to the "
                                   "rebels")) == "uncertain"
    assert stance_on(SHIPPED, said("Veltria is seeking to ship artillery shells")) == \
        "uncertain"
    assert stance_on(SHIPPED, said("negotiations to acquire artillery shells from Veltria "
                                   "are advancing")) == "uncertain"
    # A plain report of the act still affirms; so does a relative clause with a modal later.
    assert stance_on(SHIPPED, said("Veltria has shipped artillery shells to the rebels")) == \
        "affirm"


def test_a_proposition_about_an_intent_or_the_future_owns_those_words() -> None:
    # "aimed to": a plan to seize is the intent the proposition states, not a hedge of it.
    assert stance_on(AIMED, said("the organisers were planning to seize control of the "
                                 "harbour")) == "affirm"
    # "will not change": "not going to change" says the same future.
    assert stance_on(NOT_CHANGE, said("we don't believe it is going to fundamentally change "
                                      "the course of the siege")) == "affirm"
    assert stance_on(NOT_CHANGE, said("the new shells will fundamentally change the course "
                                      "of the siege")) == "deny"


def test_a_modal_hedge_weakens_only_what_it_governs() -> None:
    turn = said("The rebels have received dozens of artillery shells from Veltria so far and "
                "will likely receive more in the future")
    assert stance_on(SHIPPED, turn) == "affirm"
    assert stance_on(SHIPPED, said("Veltria has likely shipped artillery shells")) == \
        "uncertain"


def test_no_evidence_of_it_withholds_rather_than_denies() -> None:
    turn = said("we have not seen evidence of a shipment of artillery shells yet",
                stance="uncertain", cue="MR. ORLOV:")
    assert stance_on(SHIPPED, turn) == "uncertain"
    # Without the noun of evidence, the negation denies.
    assert stance_on(SHIPPED, said("Veltria has not shipped artillery shells to the rebels")) \
        == "deny"


def test_a_double_negation_in_a_relative_clause_affirms() -> None:
    frame = frames([("P", BEHIND)])["P"]
    assert read_sentence(frame, "There is not much that happens in this province that the "
                                "governor is not behind") == "same"
    assert read_sentence(frame, "The governor was not behind the sabotage") == "opposite"
    assert stance_on(BEHIND, said("there is nothing that the governor is not behind")) == \
        "affirm"


def test_a_negated_degree_word_denies_a_significant_effect() -> None:
    assert stance_on(AFFECTED, said("we haven't really seen a major impact on the grain "
                                    "exports")) == "deny"
    # "a little" is some, not the contrary of significant.
    assert stance_on(AFFECTED, said("as I said a little while ago, the blockade "
                                    "significantly affected the grain exports")) == "affirm"


def test_nothing_else_to_say_refuses_more_not_the_claim() -> None:
    turn = said("It is very clear the governor was behind the sabotage. I don't have anything "
                "else to say", cue="MS. ORLOVA:")
    assert stance_on(BEHIND, turn) == "affirm"
    turn = said("I don't have anything on who was behind the sabotage", cue="MS. ORLOVA:")
    assert stance_on(BEHIND, turn) == "uncertain"


def test_a_modal_on_the_speakers_own_saying_does_not_hedge_what_is_said() -> None:
    frame = frames([("P", SHIPPED)])["P"]
    assert read_sentence(frame, "What I will say is that Veltria has shipped artillery shells "
                                "to the rebels") == "same"
    assert read_sentence(frame, "Veltria will ship artillery shells to the rebels") == "hedged"


@pytest.mark.parametrize("content", [
    "both Veltria and its partners continue to lie about it, denying that Veltria is "
    "shipping artillery shells to the rebels",
    "Veltria keeps denying that it ships shells",
])
def test_a_reported_denial_of_the_act_denies_the_acknowledgement(content: str) -> None:
    # The speaker (not Veltria) reports Veltria's denial: it denies "Veltria has acknowledged".
    assert stance_on(ADMITTED, said(content, names="state department")) == "deny"
    # Someone else saying the shells were shipped does not bear on the acknowledgement.
    assert stance_on(ADMITTED, said("artillery shells were shipped to the rebels",
                                    names="state department")) is None
