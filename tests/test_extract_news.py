"""News-prose attribution patterns, on sentences we wrote: clause structure around cues.

Each test names the structure it pins down (adverbial clauses, coordinated verbs, relative
clauses inside sources, headline colons...), so a regression says which rule broke.
"""

from __future__ import annotations

from datetime import date

from corroborate.extract import extract_statements

PUBLISHED = date(2024, 10, 31)


def found(text: str) -> list[tuple[str | None, str | None, list[str]]]:
    """(cue, source, content parts) of every statement, in document order."""
    out = []
    for st in extract_statements(text, PUBLISHED):
        pieces = st.content_parts or (st.content,)
        out.append((st.cue.text if st.cue else None, st.source.text if st.source else None,
                    [p.text for p in pieces]))
    return out


def by_cue(text: str, cue: str) -> tuple[str | None, str | None, list[str]]:
    matches = [f for f in found(text) if f[0] == cue]
    assert len(matches) == 1, found(text)
    return matches[0]


def test_gerund_after_a_preposition_is_not_a_cue() -> None:
    text = "Instead of calling himself a moderate, Mr. Lund said, “I am a builder.”"
    assert found(text) == [("said", "Mr. Lund", ["“I am a builder.”"])]


def test_opening_adverbial_clause_ends_before_the_main_attribution() -> None:
    text = "When the host pointed out that she had dodged, the mayor said the budget was fine."
    assert by_cue(text, "pointed out") == ("pointed out", "the host", ["that she had dodged"])
    assert by_cue(text, "said") == ("said", "the mayor", ["the budget was fine"])


def test_participle_clause_with_a_cue_gives_way_to_the_main_clause() -> None:
    text = "Asked what he wanted, Ortega said, “A fair count.”"
    assert found(text) == [("said", "Ortega", ["“A fair count.”"])]


def test_bare_adverbial_before_a_trailing_attribution_is_not_content() -> None:
    assert found("If the levy passes, the bridge will be rebuilt, the mayor said.") == [
        ("said", "the mayor", ["If the levy passes, the bridge will be rebuilt"])]


def test_introductory_phrase_is_left_out_of_trailing_content() -> None:
    text = "With the audit unfinished, the agency has kept the grants, two officials said."
    assert found(text) == [("said", "two officials", ["the agency has kept the grants"])]


def test_coordinated_verbs_share_the_sentence_subject() -> None:
    text = "The governor toured the flooded towns on Monday and said the dams had held."
    assert found(text) == [("said", "The governor", ["the dams had held"])]


def test_first_cue_content_stops_at_the_and_of_a_second_verb() -> None:
    text = "The senator dismissed the report and said it was a distraction."
    assert by_cue(text, "dismissed") == ("dismissed", "The senator", ["the report"])
    assert by_cue(text, "said") == ("said", "The senator", ["it was a distraction"])


def test_time_phrase_after_the_subject_is_not_source() -> None:
    assert found("Mayor Ruiz on Tuesday said the pool would reopen.") == [
        ("said", "Mayor Ruiz", ["the pool would reopen"])]


def test_relative_clause_with_commas_inside_the_source() -> None:
    text = ("Judge Amara Obi, who was to visit Leeds, England, on Friday, said the court "
            "would sit late.")
    assert found(text) == [("said", "Judge Amara Obi, who was to visit Leeds, England, on "
                            "Friday,", ["the court would sit late"])]


def test_cue_inside_a_relative_clause_ends_with_the_source() -> None:
    text = ("Ms. Tan, who did not say that the plan was dead, said on Friday that talks "
            "would resume.")
    assert by_cue(text, "did not say")[2] == ["that the plan was dead"]
    assert by_cue(text, "said")[2] == ["that talks would resume"]


def test_parenthetical_party_label_stays_in_a_leading_source() -> None:
    text = "“The votes are there,” Rep. Dana Kole (D-Ore.) said."
    assert found(text) == [("said", "Rep. Dana Kole (D-Ore.)", ["“The votes are there,”"])]


def test_trailing_attribution_wins_over_an_earlier_cue() -> None:
    text = "The city did not complain when rates rose, a treasury official said."
    assert found(text) == [("said", "a treasury official",
                            ["The city did not complain when rates rose"])]


def test_parenthetical_said_does_not_become_content_of_the_next_cue() -> None:
    text = "Later, she said, her manager told her the job was gone."
    assert [f[0] for f in found(text)] == ["said"]


def test_intention_cue_takes_an_infinitive() -> None:
    assert found("The council plans to double the bus fleet.") == [
        ("plans", "The council", ["to double the bus fleet"])]


def test_a_wish_is_not_an_attribution() -> None:
    assert found("We want to double the bus fleet.") == []


def test_sentence_initial_according_to_stops_at_the_comma() -> None:
    assert found("According to the survey, turnout fell.") == [
        ("According to", "the survey", ["turnout fell"])]


def test_headline_speaker_before_a_colon() -> None:
    text = "Mayor Lee: Transit Cuts Are ‘Off the Table’ This Year"
    assert found(text) == [(":", "Mayor Lee", ["Transit Cuts Are ‘Off the Table’ This Year"])]


def test_headline_colon_needs_a_speaker_not_a_label() -> None:
    assert found("Update: The Roads Are Closed Today.") == []


def test_list_ending_in_and_is_one_source_not_a_second_clause() -> None:
    text = "The ministry said logs, photos and two witnesses showed the fence was cut."
    cues = [f[0] for f in found(text)]
    assert cues == ["said"]


def test_doubled_apostrophe_quotes_split_and_continue() -> None:
    text = "''The plant will stay open,'' she said. ''We owe the town that much.''"
    assert found(text) == [("said", "she", ["''The plant will stay open,''",
                                            "''We owe the town that much.''"])]


def test_restrictive_who_clause_stays_in_the_source() -> None:
    assert found("Nurses who have worked double shifts say the ward is understaffed.") == [
        ("say", "Nurses who have worked double shifts", ["the ward is understaffed"])]


def test_city_and_state_inside_an_apposition() -> None:
    text = "Lena Park, a delegate from Austin, Texas, said the vote was rushed."
    assert found(text) == [("said", "Lena Park, a delegate from Austin, Texas,",
                            ["the vote was rushed"])]


def test_dateline_is_not_the_subject_of_a_participle_cue() -> None:
    text = "BOSTON — Governor Hale criticized the budget on Monday, saying it cut too deep."
    assert by_cue(text, "saying")[1] == "Governor Hale"


def test_adding_after_a_quote_that_closes_on_a_comma() -> None:
    text = "Ruiz said the deal was “a first step,” adding that more talks were planned."
    assert found(text) == [("said", "Ruiz", ["the deal was “a first step,”"]),
                           ("adding", "Ruiz", ["that more talks were planned"])]


def test_quote_after_a_short_adjunct_is_the_content() -> None:
    assert found("She told the students at Bell High School, “Ask me anything.”") == [
        ("told", "She", ["“Ask me anything.”"])]


def test_said_of_leaves_the_topic_out_of_the_cue() -> None:
    text = "“It is a disgrace,” he said of the ruling."
    assert [f[0] for f in found(text)] == ["said"]


def test_plural_nouns_and_naming_participles_are_not_cues() -> None:
    assert found("The emails were released on Friday.") == []
    assert found("A new group called Safe Streets Now held a rally.") == []


def test_common_noun_recipient_and_time_after_told() -> None:
    text = "Mayor Ito told the paper last week she would run again."
    assert found(text) == [("told", "Mayor Ito", ["she would run again"])]
