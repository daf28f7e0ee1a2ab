"""Attributed-statement extraction on sentences we wrote: one behaviour per test."""

from __future__ import annotations

from datetime import date

from corroborate.extract import extract_statements
from corroborate.model import Statement

PUBLISHED = date(2024, 10, 31)  # a Thursday


def one(text: str, **kwargs: object) -> Statement:
    found = extract_statements(text, PUBLISHED, **kwargs)  # type: ignore[arg-type]
    assert len(found) == 1, [(s.cue and s.cue.text, s.content.text) for s in found]
    return found[0]


def parts(st: Statement) -> list[str]:
    return [p.text for p in (st.content_parts or (st.content,))]


def check_offsets(text: str, st: Statement) -> None:
    for span in (st.content, *st.content_parts, st.cue, st.source):
        if span is not None:
            assert text[span.start:span.end] == span.text


# -- direct quotes ----------------------------------------------------------------------------

def test_direct_quote_with_trailing_attribution() -> None:
    text = "“They are already in Kursk,” the official said."
    st = one(text)
    assert st.kind == "direct"
    assert (st.source.text, st.cue.text) == ("the official", "said")
    assert parts(st) == ["“They are already in Kursk,”"]
    check_offsets(text, st)


def test_split_quote_gives_two_content_parts() -> None:
    text = "“What exactly they are there to do,” he added, “remains to be seen.”"
    st = one(text)
    assert parts(st) == ["“What exactly they are there to do,”", "“remains to be seen.”"]
    assert st.source.text == "he"


def test_multi_sentence_quote_after_colon() -> None:
    text = "Rutte told reporters: “Units are in Kursk. This is a dangerous escalation.”"
    st = one(text)
    assert st.content.text == "“Units are in Kursk. This is a dangerous escalation.”"
    assert st.cue.text.startswith("told")


def test_curly_and_straight_quotes_both_work() -> None:
    assert one('"We have seen the images," said Peskov.').source.text == "Peskov"
    assert one("“We have seen the images,” said Peskov.").source.text == "Peskov"


def test_quote_continues_into_next_paragraph() -> None:
    text = ("“The first group crossed last week,” Budanov said. “More will follow.\n\n"
            "“We expect them in Kursk by Friday.”")
    st = one(text)
    assert st.source.text == "Budanov"
    assert "We expect them in Kursk by Friday" in " ".join(parts(st))


# -- indirect speech --------------------------------------------------------------------------

def test_indirect_speech_with_that_and_full_source_mention() -> None:
    text = ("NATO Secretary-General Mark Rutte said on Monday that North Korean units had been "
            "deployed to the Kursk region.")
    st = one(text)
    assert st.source.text == "NATO Secretary-General Mark Rutte"
    assert st.source.name == "Mark Rutte" and st.source.type == "person"
    assert st.source.affiliation == "NATO"
    assert st.content.text.startswith("that North Korean units")
    assert st.said_on == "2024-10-28"
    check_offsets(text, st)


def test_told_reporters_keeps_the_audience_out_of_the_content() -> None:
    st = one("Sabrina Singh, a Pentagon spokeswoman, told reporters that 10,000 troops were "
             "in eastern Russia.")
    assert st.source.text.startswith("Sabrina Singh, a Pentagon spokeswoman")
    assert st.content.text == "that 10,000 troops were in eastern Russia"


def test_trailing_attribution_with_plural_unnamed_source() -> None:
    st = one("The troops are expected to enter combat within days, Western officials say.")
    assert st.source.text == "Western officials"
    assert st.source.type == "unnamed"
    assert st.content.text == "The troops are expected to enter combat within days"


def test_according_to_before_and_after_the_claim() -> None:
    before = one("According to Ukraine's military intelligence, 11,000 soldiers are training.")
    after = one("About 11,000 soldiers are training, according to Ukraine's military "
                "intelligence.")
    for st in (before, after):
        assert st.kind == "according_to"
        assert st.source.text == "Ukraine's military intelligence"
        assert st.source.affiliation == "Ukraine"
        assert "11,000 soldiers are training" in st.content.text


def test_possessive_claim_noun_is_a_cue() -> None:
    st = extract_statements("Kyiv's claim that the units had crossed was not confirmed.")[0]
    assert st.source.text == "Kyiv" and st.cue.text == "claim"


def test_accused_of_takes_the_charge_as_content() -> None:
    st = one("Seoul accused Pyongyang of selling its soldiers as cannon fodder.")
    assert st.source.text == "Seoul"
    # `of` links the charge to the cue's object; it is neither cue nor content (PolNeAR).
    assert st.content.text == "selling its soldiers as cannon fodder"


def test_passive_report_has_no_source() -> None:
    st = one("It was reported that the first unit had reached the border.")
    assert st.source is None
    assert st.content.text.endswith("the first unit had reached the border")


def test_relay_according_to_outlet_keeps_the_origin_as_source() -> None:
    st = one("According to Yonhap, the NIS said 1,500 troops had left Chongjin.")
    assert st.source.text == "the NIS"
    assert st.via is not None and st.via.text == "Yonhap"
    assert st.via.type == "media"


# -- sources ----------------------------------------------------------------------------------

def test_pronoun_resolves_to_the_nearest_named_person() -> None:
    found = extract_statements(
        "Kremlin spokesman Dmitry Peskov said the reports were fake. He stopped short of "
        "denying that soldiers had arrived.", PUBLISHED)
    assert found[1].source.text == "He"
    assert found[1].source.name == "Dmitry Peskov"
    assert found[1].stance == "uncertain"


def test_transcript_speaker_labels_are_sources() -> None:
    text = ("MR. RYDER: We have seen reports of casualties among North Korean troops.\n\n"
            "Q: Kyiv's own count is far higher than yours. How many were killed?\n\n"
            "MR. RYDER: I'd note that we cannot give a number today.\n\n"
            "Q: And the wounded?\n\n")
    found = extract_statements(text, date(2024, 12, 16), kind="transcript")
    labels = [st.source.text for st in found]
    assert labels[0] == "MR. RYDER" and "Q" in labels
    assert found[0].kind == "label" and found[0].said_on == "2024-12-16"
    question = next(st for st in found if st.source.text == "Q")
    assert question.stance == "uncertain" and question.cue_class == "ask"
    # A pure question asserts nothing: it is no statement (tests/gold/README.md).
    assert [st.content.text for st in found if st.source.text == "Q"] == \
        ["Kyiv's own count is far higher than yours"]
    # "I'd note that ..." is the speaker's own framing: inside the turn, not a report.
    assert not [st for st in found if st.cue.text == "note"]
    assert found[-1].kind == "label" and found[-1].content.text.startswith("I'd note that")


def test_author_claims_in_a_forum_comment() -> None:
    text = ("#2  ivan_takes  (Member, 312 posts)\n\n"
            "its all fake dont believe it. theres nothing but blurry satellite pics and some "
            "guys in a queue")
    found = extract_statements(text, PUBLISHED, kind="comment")
    assert found and all(st.source is not None and st.source.text == "ivan_takes"
                         for st in found)
    assert any(st.stance == "deny" for st in found)


def test_analysis_author_claims_have_no_source() -> None:
    found = extract_statements("The satellite images show ships, not soldiers, and prove "
                               "little on their own.", PUBLISHED, kind="analysis")
    assert found[0].kind == "author" and found[0].source is None
    assert found[0].evidence[0].type == "satellite_imagery"


# -- commitment -------------------------------------------------------------------------------

def test_cue_semantics_set_the_stance() -> None:
    assert one("The Pentagon confirmed that troops had entered combat.").stance == "affirm"
    assert one("Moscow denied that any North Korean soldiers were in Russia.").stance == "deny"
    assert one("Peskov dismissed the reports as fake news.").stance == "deny"
    assert one("The ministry neither confirmed nor denied the reports.").stance == "uncertain"
    assert one("He stopped short of confirming the deployment.").stance == "uncertain"
    assert one("Peskov declined to comment on the reports.").stance == "uncertain"


def test_negated_cue_is_not_an_affirmation_or_denial() -> None:
    st = one("Putin did not deny that North Korean soldiers were in Russia.")
    assert st.stance == "uncertain"
    assert any("negated" in h for h in st.hedges)


def test_modal_hedges_make_the_statement_uncertain() -> None:
    st = one("The official said the troops could be on the battlefield in days.")
    assert st.stance == "uncertain" and "could" in st.hedges
    assert one("Officials said the soldiers were reportedly moved by ship.").stance == \
        "uncertain"


def test_conditional_and_question_are_uncertain() -> None:
    assert one("Austin said that if they fight, they would be legitimate targets.").stance == \
        "uncertain"
    question = extract_statements(
        "Q: North Korean troops are now fighting in Kursk. Does the Pentagon agree?",
        PUBLISHED, kind="transcript")[0]
    assert question.stance == "uncertain"


def test_calling_the_reports_fake_is_a_denial() -> None:
    st = one("North Korea's envoy said the reports were groundless rumours.")
    assert st.stance == "deny"


def test_scare_quotes_and_distance_words_are_recorded() -> None:
    st = one("The blogger wrote that Seoul \"discovered\" the so-called troops.")
    assert any(h.startswith("scare quotes") for h in st.hedges)
    assert any("so-called" in h for h in st.hedges)


# -- time -------------------------------------------------------------------------------------

def test_said_on_from_weekday_and_explicit_date() -> None:
    assert one("Rutte said on Monday that units were in Kursk.").said_on == "2024-10-28"
    assert one("On Oct. 18, the NIS said 1,500 troops had left.").said_on == "2024-10-18"


def test_said_on_from_relative_expressions_keeps_the_period() -> None:
    week = one("Budanov said last week that troops had arrived.")
    assert week.said_on == "2024-10-21"  # Monday of the week before publication
    assert "week" in (week.said_on_how or "")
    assert one("Budanov said yesterday that troops had arrived.").said_on == "2024-10-30"


def test_event_dates_are_kept_apart_from_said_on() -> None:
    st = one("The NIS said on Friday that the first ships left Chongjin on Oct. 8.")
    assert st.said_on == "2024-10-25"
    assert [(d.text, d.value) for d in st.event_dates] == [("Oct. 8", "2024-10-08")]


def test_anaphoric_expression_is_never_resolved_against_publication_date() -> None:
    st = one("Two days later, the ministry said the soldiers had moved.")
    assert st.said_on is None


def test_no_false_dates_from_modal_may_or_march_as_a_verb() -> None:
    st = one("Officials said troops may march toward Kursk.")
    assert st.said_on is None and st.event_dates == ()


# -- evidence ---------------------------------------------------------------------------------

def test_evidence_mentions_are_typed() -> None:
    st = one("Ukraine's intelligence said intercepted radio calls, satellite images, a video "
             "and forged ID cards showed the troops were there.")
    types = {e.type for e in st.evidence}
    assert {"intercepted_communications", "satellite_imagery", "video",
            "documents_ids"} <= types


# -- robustness -------------------------------------------------------------------------------

def test_forum_text_without_capitals_or_apostrophes_still_yields_statements() -> None:
    found = extract_statements("ok so the pentagon said theyre fighting now and kyiv says "
                               "11000 of them are there", PUBLISHED)
    assert {st.cue.text for st in found} >= {"said", "says"}


def test_transcript_without_punctuation_or_with_missing_fragments_does_not_crash() -> None:
    text = ("uh the the radio intercepts [inaudible] they said the koreans [...] could not "
            "under- understand the orders\n\n>> reporter: so they are there [crosstalk]")
    found = extract_statements(text, PUBLISHED, kind="transcript")
    assert any("koreans" in st.content.text for st in found)
    for st in found:
        check_offsets(text, st)


def test_empty_and_odd_inputs_do_not_crash() -> None:
    for text in ("", " ", "“", "said", "According to", "\n\n\n", "He said: “", "''"):
        extract_statements(text, None)


def test_any_world_capital_stands_for_its_government() -> None:
    from corroborate.extract.sources import describe

    for capital, country in (("Hanoi", "Vietnam"), ("Ankara", "Turkey"),
                             ("Buenos Aires", "Argentina"), ("Seoul", "South Korea")):
        mention = describe(capital, 0)
        assert (mention.type, mention.affiliation) == ("government_body", country), capital
    # A capital that is also a first name is not on the list: the person stays a person.
    assert describe("Sofia Perez", 0).type == "person"
