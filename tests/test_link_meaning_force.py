"""Stance toward a proposition: a turn's force, a speaker's restarts, rival causes, dates.

Our own sentences about invented stories (a market explosion, a harbour blockade, a border
convoy), one construction each, so only what is read from the proposition text and general
English can decide. Each test also pins the near sentence that keeps the old reading.
"""

from __future__ import annotations

from corroborate.link.frames import _tokens, frames, read_sentence
from corroborate.link.propositions import stance_on
from test_link_meaning import said

GUARDING = "Foreign troops are guarding the harbour entrance"
DELIVERED_SHELLS = "Veltria has delivered artillery shells to the rebels"
BEHIND = "The governor was behind the harbour blockade"
AIR_STRIKE = "The explosion at the market was caused by a government air strike."
CAR_BOMB = "A car bomb planted by militants caused the market explosion."
REBELS = "The rebels were responsible for the market explosion."
CROSSED = "The convoy crossed into the United States on February 4, 2023."


def test_a_refusal_of_numbers_then_a_firm_assertion_affirms() -> None:
    # The extractor calls the turn uncertain for its opening refusal; the second sentence
    # says, and marks as said, what the proposition says.
    turn = said("I'm not going to get into numbers. What I will say is that foreign troops "
                "are guarding the harbour entrance", stance="uncertain", cue="MS. ORLOVA:")
    assert stance_on(GUARDING, turn) == "affirm"
    plain = said("I'm not going to get into numbers. Foreign troops are guarding the harbour "
                 "entrance, we think", stance="uncertain", cue="MS. ORLOVA:")
    assert stance_on(GUARDING, plain) == "uncertain"


def test_certainly_after_a_modal_grades_the_modal() -> None:
    turn = said("I can't confirm it. Veltria will almost certainly deliver artillery shells "
                "to the rebels", stance="uncertain", cue="MR. ORLOV:")
    assert stance_on(DELIVERED_SHELLS, turn) == "uncertain"


def test_a_firm_sentence_about_another_delivery_does_not_affirm() -> None:
    # One shared verb ("deliver") is not the proposition: the shells are not the drones.
    turn = said("I don't have details on shells. They certainly continue to deliver drones",
                stance="uncertain", cue="MR. ORLOV:")
    assert stance_on(DELIVERED_SHELLS, turn) == "uncertain"


def test_a_speakers_restart_is_not_a_clause_break() -> None:
    assert _tokens("the governor is not — is not behind it") == [
        "the", "governor", "is", "not", "behind", "it"]
    assert _tokens("the reports — which were false — said") == [
        "the", "reports", "—", "which", "were", "false", "—", "said"]
    frame = frames([("P", BEHIND)])["P"]
    assert read_sentence(frame, "There's not much that happens in this province that the "
                                "governor is not — is not behind") == "same"


def test_rival_causes_in_different_phrasings_exclude_each_other() -> None:
    read = frames([("air", AIR_STRIKE), ("bomb", CAR_BOMB), ("rebels", REBELS)])
    claim = said("a car bomb caused the blast", cue="the interior minister said")
    assert stance_on(read["air"], claim) == "deny"
    assert stance_on(read["bomb"], claim) == "affirm"
    rocket = said("the explosion was caused by a government air strike")
    assert stance_on(read["air"], rocket) == "affirm"
    assert stance_on(read["bomb"], rocket) == "deny"


def test_a_refined_cause_is_not_a_rival() -> None:
    read = frames([("strike", "An air strike caused the market explosion."),
                   ("government", "A government air strike caused the market explosion.")])
    assert read["strike"].rivals == ()
    assert read["government"].rivals == ()


def test_two_events_with_one_agent_are_not_rivals() -> None:
    read = frames([("a", "The rebels were responsible for the market explosion."),
                   ("b", "The rebels were responsible for the bridge collapse.")])
    assert read["a"].rivals == ()


def test_a_negated_date_does_not_deny_the_event() -> None:
    # The date says when; "not on February 4" quarrels with the day, not the crossing.
    assert stance_on(CROSSED, said("the convoy crossed into the country, though not on "
                                   "February 4")) == "affirm"
    assert stance_on(CROSSED, said("the convoy never crossed into the United States")) == \
        "deny"


def test_a_number_stays_part_of_the_claim() -> None:
    read = frames([("P", "About 5,000 soldiers were sent to the front.")])["P"]
    assert "000" in read.focus and "5" in read.focus


def test_of_course_does_not_name_the_rivals_course() -> None:
    read = frames([("probe", "The drone was a weather probe that drifted off course."),
                   ("craft", "The drone was a military reconnaissance craft.")])
    claim = said("The drone was, of course, different, because we tracked it")
    assert stance_on(read["craft"], claim) != "deny"


def test_a_modal_just_after_the_focus_hedges_it_after_a_comma() -> None:
    # The clause break before "clashes" ends the backward look, not the look after it.
    frame = frames([("P", "Foreign troops have taken part in clashes at the harbour")])["P"]
    assert read_sentence(frame, "the first units are in place, clashes expected within "
                                "days") == "hedged"
    assert read_sentence(frame, "the first units are in place, clashes reported within "
                                "days") == "same"


def test_emphatic_no_does_not_negate_the_claim() -> None:
    frame = frames([("P", "The rebels were responsible for the market explosion.")])["P"]
    for text in ("there is no question the rebels were responsible for the explosion",
                 "make no mistake, the rebels were responsible for the market explosion"):
        assert read_sentence(frame, text) == "same", text
    assert read_sentence(frame, "the rebels were not responsible for the market "
                                "explosion") == "opposite"


def test_an_expectation_is_a_forecast_not_a_demand() -> None:
    # "We expect them to attack" forecasts the attack; "we want them to stop" demands.
    attacked = "The rebels have attacked the harbour"
    assert stance_on(attacked, said("We expect the rebels to attack the harbour in the coming "
                                    "days")) == "uncertain"
    assert stance_on(attacked, said("We expect the rebels to attack the harbour in the coming "
                                    "days", stance="uncertain")) == "uncertain"
