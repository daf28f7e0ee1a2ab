"""Briefing transcripts as archived: no-break spaces after labels, a bare `Q`, lines wrapped at
about 72 columns. The briefing below is invented (a harbour spill in a made-up port); each test
checks one convention of tests/gold/README.md for transcripts and fails if it is broken.
"""

from __future__ import annotations

from pathlib import Path

from corroborate.extract import extract_statements
from corroborate.extract.turns import looks_like_transcript, speaker_turns
from corroborate.ingest.pipeline import AddOptions, read_source
from corroborate.model import Statement
from corroborate.text.segment import sentences, soft_line_breaks, tokenize

NB = "\xa0"
BRIEFING = (
    f"MS. ARNDT:{NB} Good afternoon, everybody.\n"
    "\n"
    f"MS. ARNDT:{NB} Well, on the spill at Port Vale. We believe the leak came from the\n"
    "northern pipeline, and crews have contained most of it since Tuesday. The\n"
    "water near the beaches is safe for swimming again, according to our\n"
    "latest tests.\n"
    "\n"
    "I said yesterday that the company will pay for the whole cleanup.\n"
    "\n"
    f"Q{NB}{NB}{NB} Thank you.{NB} When did the ministry first learn about the leak?\n"
    "\n"
    f"MS. ARNDT:{NB} Go ahead.\n"
    "\n"
    f"Q{NB}{NB}{NB} Dead fish have washed up along the harbour wall every morning for\n"
    f"two weeks now.{NB} Why was nobody told?\n"
    "\n"
    f"MS. ARNDT:{NB} I'm not going to get ahead of the inspectors on that. They will\n"
    "report by the end of the month, and we will publish what they find.\n"
)
PUBLISHED = "2031-05-08"  # a Thursday


def _statements() -> list[Statement]:
    return extract_statements(BRIEFING, PUBLISHED, "doc", "transcript")


def _labels(statements: list[Statement]) -> list[Statement]:
    return [st for st in statements if st.kind == "label"]


def test_labels_with_no_break_spaces_and_the_bare_q_are_turns() -> None:
    names = [t.name for t in speaker_turns(BRIEFING, "transcript", ())]
    assert names == ["MS. ARNDT", "MS. ARNDT", "Q", "MS. ARNDT", "Q", "MS. ARNDT"]


def test_a_single_space_q_is_a_label_only_at_a_paragraph_start() -> None:
    text = "Q Minister, is the port open?\n\nMS. ARNDT: It is.\n"
    assert [t.name for t in speaker_turns(text, "transcript", ())] == ["Q", "MS. ARNDT"]
    prose = "The letter Q\nQ marks the spot on the old harbour map, she wrote.\n"
    assert [t.name for t in speaker_turns(prose, "transcript", ())] == []


def test_wrapped_lines_do_not_end_sentences_but_blank_lines_end_paragraphs() -> None:
    soft = soft_line_breaks(BRIEFING)
    tokens = tokenize(BRIEFING)
    sents = sentences(BRIEFING, tokens, soft)
    texts = [BRIEFING[s.start:s.end] for s in sents]
    assert any(t.startswith("We believe the leak came from the\nnorthern pipeline")
               and t.endswith("since Tuesday.") for t in texts)
    lo, hi = BRIEFING.index("We believe"), BRIEFING.index("I said")
    one_paragraph = {s.paragraph for s in sents if s.start >= lo and s.end <= hi}
    assert len(one_paragraph) == 1


def test_unwrapped_news_keeps_every_line_break() -> None:
    news = ("Harbour spill contained\n" + "The ministry said on Tuesday that the spill at Port "
            "Vale had been contained, and that the beaches would reopen within the week. " * 3
            + "\nOfficials declined to say how much oil had leaked.\n")
    assert soft_line_breaks(news) == frozenset()


def test_one_label_per_substantive_paragraph_and_no_pleasantries() -> None:
    labels = _labels(_statements())
    official = [st for st in labels if st.source and st.source.text == "MS. ARNDT"]
    contents = [st.content.text for st in official]
    assert len(official) == 3, contents
    assert contents[0].startswith("on the spill at Port Vale") or \
        contents[0].startswith("We believe")
    assert contents[0].endswith("latest tests")  # the whole paragraph, with its relay inside
    assert not any("Good afternoon" in c or c.startswith("Go ahead") for c in contents)
    assert official[0].cue is not None and official[0].cue.text == "MS. ARNDT"


def test_present_first_person_framing_stays_inside_the_turn() -> None:
    statements = _statements()
    assert not [st for st in statements if st.kind != "label" and st.cue
                and st.cue.text.lower() == "believe"]


def test_reported_earlier_speech_is_its_own_statement_with_its_own_date() -> None:
    said = [st for st in _statements() if st.kind == "indirect" and st.cue
            and st.cue.text == "said"]
    assert len(said) == 1
    assert said[0].content.text.endswith("the company will pay for the whole cleanup")
    assert said[0].said_on == "2031-05-07"


def test_every_turn_is_said_on_the_briefing_date_whatever_it_mentions() -> None:
    labels = _labels(_statements())
    assert labels and {st.said_on for st in labels} == {PUBLISHED}


def test_reporters_count_only_for_what_they_assert_and_only_as_questions() -> None:
    reporter = [st for st in _labels(_statements()) if st.source and st.source.text == "Q"]
    assert len(reporter) == 1
    assert reporter[0].content.text.startswith("Dead fish have washed up along the harbour wall")
    assert reporter[0].cue_class == "ask" and reporter[0].stance == "uncertain"


def test_a_turn_that_opens_with_a_refusal_is_uncertain() -> None:
    last = _labels(_statements())[-1]
    assert last.content.text.startswith("I'm not going to get ahead")
    assert last.stance == "uncertain"


def test_a_transcript_added_without_a_kind_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "briefing.txt"
    path.write_text(BRIEFING, encoding="utf-8")
    (doc,) = read_source(path, path.read_bytes(), AddOptions()).documents
    assert doc.kind == "transcript"
    news = tmp_path / "news.txt"
    news.write_text("PORT VALE — The ministry said the spill was contained.\n\n"
                    "NOTE: This story was updated.\n", encoding="utf-8")
    (other,) = read_source(news, news.read_bytes(), AddOptions()).documents
    assert other.kind == "other"
    assert looks_like_transcript(BRIEFING) and not looks_like_transcript(other.text)


def test_what_a_question_asks_about_is_not_a_report_but_a_report_before_it_is() -> None:
    text = (f"Q{NB}{NB}{NB} Does the ministry believe that the pipeline was sabotaged?\n\n"
            f"MS. ARNDT:{NB} The inspectors will tell us.\n\n"
            f"Q{NB}{NB}{NB} The harbour master says the valve was left open. Is that right?\n")
    found = extract_statements(text, PUBLISHED, "doc", "transcript")
    cues = [st.cue.text for st in found if st.kind != "label" and st.cue]
    assert "believe" not in cues
    assert "says" in cues


def test_a_relayed_claim_ends_where_the_reporters_question_begins() -> None:
    text = (f"Q{NB}{NB}{NB} You said the harbour is safe now, what does the minister think "
            "about the beaches?\n")
    (said,) = [st for st in extract_statements(text, PUBLISHED, "doc", "transcript")
               if st.kind != "label"]
    assert said.content.text == "the harbour is safe now"
    assert said.source is not None and said.source.text == "You"


def test_an_anchors_narration_and_the_briefings_procedure_are_not_statements() -> None:
    text = ("Anchor: Good evening. We go first to Port Vale, where the spill is spreading.\n\n"
            "MS. ARNDT: I have a couple of things to pass along at the top, and then I'll take "
            "your questions. The northern pipeline has been shut since Monday.\n")
    labels = _labels(extract_statements(text, PUBLISHED, "doc", "transcript"))
    assert [st.source.text for st in labels if st.source] == ["MS. ARNDT"]
    assert labels[0].content.text == "The northern pipeline has been shut since Monday"


def test_a_request_or_an_order_in_a_turn_is_not_reported_speech() -> None:
    text = (f"MS. ARNDT:{NB} The minister asked the inspectors to look into the valve. She "
            "said the harbour would reopen on Monday.\n")
    reports = [st for st in extract_statements(text, PUBLISHED, "doc", "transcript")
               if st.kind != "label"]
    assert [st.cue.text for st in reports if st.cue] == ["said"]


def test_a_report_inside_the_speakers_own_framing_is_kept() -> None:
    text = f"Q{NB}{NB}{NB} I believe you said the valve was closed by Friday.\n"
    reports = [st for st in extract_statements(text, PUBLISHED, "doc", "transcript")
               if st.kind != "label"]
    assert [(st.source.text if st.source else None, st.cue.text if st.cue else None)
            for st in reports] == [("you", "said")]


def test_a_bare_yes_or_no_answers_the_question_and_sure_does_not() -> None:
    text = (f"Q{NB}{NB}{NB} Was the valve open?\n\nMS. ARNDT:{NB} Yes.\n\n"
            f"Q{NB}{NB}{NB} And was it sabotage?\n\nMS. ARNDT:{NB} No.\n\n"
            f"Q{NB}{NB}{NB} One more?\n\nMS. ARNDT:{NB} Sure.\n")
    labels = _labels(extract_statements(text, PUBLISHED, "doc", "transcript"))
    assert [(st.content.text.rstrip("."), st.stance) for st in labels] == [
        ("Yes", "affirm"), ("No", "deny")]


def test_news_headings_in_capitals_are_not_speaker_labels() -> None:
    """`BOOM:`, `WATCH:`, `UPDATE:` announce a passage; a lone one-word capital label in a
    news story names nobody. A dialogue's labels (`TAPPER:` then `OKAFOR:`) stay turns."""
    news = ("WATCH: The governor spoke to reporters on Monday about the bridge.\n\n"
            "BOOM: The repairs will take a week, the mayor said.\n\n"
            "UPDATE: Two lanes have reopened.\n")
    assert speaker_turns(news, None, ()) == []
    assert all(st.kind != "label" for st in extract_statements(news, PUBLISHED))
    lone = "SHOCKING: The council voted to close the library on Tuesday.\n"
    assert speaker_turns(lone, None, ()) == []
    dialogue = ("TAPPER: Will you sign the bill?\n\n"
                "OKAFOR: I will sign it next week, because the state needs it.\n")
    assert [t.name for t in speaker_turns(dialogue, None, ())] == ["TAPPER", "OKAFOR"]
