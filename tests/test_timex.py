"""Behavioural tests for the rule-based temporal expression tagger.

All texts are invented for these tests.  The anchor is a Wednesday
(2024-10-23) so that weekday arithmetic is easy to check by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from corroborate.extract.timex import TimeExpression, find_time_expressions

ANCHOR = dt.date(2024, 10, 23)  # a Wednesday


def tag(text: str, anchor: dt.date | None = ANCHOR) -> list[TimeExpression]:
    return find_time_expressions(text, anchor)


def only(text: str, anchor: dt.date | None = ANCHOR) -> TimeExpression:
    found = tag(text, anchor)
    assert len(found) == 1, found
    return found[0]


def values(text: str, anchor: dt.date | None = ANCHOR) -> dict[str, str | None]:
    return {t.text: t.value for t in tag(text, anchor)}


# --------------------------------------------------------------------------- absolute dates


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        (
            "The vote took place on October 18, 2024, in the capital.",
            "October 18, 2024",
            "2024-10-18",
        ),
        ("The vote took place on 18 October 2024 in the capital.", "18 October 2024", "2024-10-18"),
        ("Filed 2024-10-18 with the regulator.", "2024-10-18", "2024-10-18"),
        ("The letter is dated 10/18/2024 and signed.", "10/18/2024", "2024-10-18"),
        ("The letter is dated 18/10/2024 and signed.", "18/10/2024", "2024-10-18"),
        ("The mill closed in March 2021 after a fire.", "March 2021", "2021-03"),
        ("The bridge opened in 1998.", "1998", "1998"),
    ],
)
def test_absolute_dates_are_normalised_without_the_anchor(text: str, span: str, value: str) -> None:
    t = only(text)
    assert (t.text, t.type, t.value, t.how, t.anchored) == (span, "DATE", value, "absolute", False)


def test_offsets_point_at_the_expression_in_the_input() -> None:
    text = "Shares fell on Oct. 18 and again on Friday."
    for t in tag(text):
        assert text[t.start : t.end] == t.text


def test_abbreviated_month_day_takes_the_anchor_year() -> None:
    t = only("Police said the attack happened on Oct. 18.")
    assert (t.text, t.value, t.granularity, t.how) == (
        "Oct. 18",
        "2024-10-18",
        "day",
        "relative_to_anchor",
    )


def test_yearless_date_after_the_anchor_with_a_past_cue_goes_to_last_year() -> None:
    assert only("He said the plant was sold on Dec. 5.").value == "2023-12-05"


def test_yearless_deadline_is_read_as_upcoming() -> None:
    assert only("The dividend is payable Jan. 15 to holders, the firm said.").value == "2025-01-15"


def test_month_modifiers_keep_the_month_value() -> None:
    v = values("Talks stalled in mid-October and may resume in early November.")
    assert v == {"mid-October": "2024-10", "early November": "2024-11"}


def test_decade_year_fiscal_year_and_quarter() -> None:
    v = values(
        "Output peaked in the 1990s, fell in fiscal 1999 and recovered in the third quarter."
    )
    assert v == {"the 1990s": "199", "fiscal 1999": "1999", "the third quarter": "2024-Q3"}


def test_spelled_out_year_from_broadcast_transcripts() -> None:
    assert only("The law was passed in nineteen ninety-six.").value == "1996"


# --------------------------------------------------------------------------- weekdays


def test_bare_weekday_in_past_tense_news_is_the_most_recent_one() -> None:
    t = only("The minister resigned on Monday.")
    assert (t.value, t.how, t.anchored) == ("2024-10-21", "relative_to_anchor", True)


def test_weekday_equal_to_the_anchor_day_is_the_anchor() -> None:
    assert only("The minister said Wednesday that she would stay.").value == "2024-10-23"


def test_weekday_with_future_cue_is_the_next_one() -> None:
    assert only("The committee will meet on Friday to vote.").value == "2024-10-25"


def test_last_and_next_weekday_never_mean_the_anchor_day() -> None:
    v = values("They met last Wednesday and meet again next Wednesday.")
    assert v == {"last Wednesday": "2024-10-16", "next Wednesday": "2024-10-30"}


def test_weekday_with_part_of_day_is_a_time() -> None:
    t = only("Troops crossed the border on Sunday night.")
    assert (t.type, t.value) == ("TIME", "2024-10-20TNI")


def test_newspaper_name_is_not_a_weekday() -> None:
    assert tag("According to the Sunday Times, the deal collapsed.") == []


# --------------------------------------------------------------------------- relative to the anchor


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Prices rose yesterday.", "yesterday", "2024-10-22"),
        ("Prices rose today.", "today", "2024-10-23"),
        ("Prices rose last week.", "last week", "2024-W42"),
        ("Prices will rise next month.", "next month", "2024-11"),
        ("Prices rose a week ago.", "a week ago", "2024-W42"),
        ("Prices rose two days ago.", "two days ago", "2024-10-21"),
        ("Prices rose earlier this month.", "earlier this month", "2024-10"),
        ("Prices rose this year.", "this year", "2024"),
        ("Prices rose last year.", "last year", "2023"),
    ],
)
def test_deictic_expressions_resolve_against_the_anchor(text: str, span: str, value: str) -> None:
    t = only(text)
    assert (t.text, t.type, t.value, t.how, t.anchored) == (
        span,
        "DATE",
        value,
        "relative_to_anchor",
        True,
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Prices are now falling.", "PRESENT_REF"),
        ("Prices are currently falling.", "PRESENT_REF"),
        ("Prices have recently fallen.", "PAST_REF"),
    ],
)
def test_vague_present_and_past_references(text: str, value: str) -> None:
    t = only(text)
    assert (t.type, t.value, t.anchored) == ("DATE", value, False)


def test_relative_expressions_without_anchor_are_unresolved_not_guessed() -> None:
    t = only("Prices rose yesterday.", anchor=None)
    assert (t.value, t.how, t.anchored) == (None, "unresolved", False)


def test_datetime_anchor_is_accepted() -> None:
    t = only("Prices rose yesterday.", anchor=dt.datetime(2024, 10, 23, 18, 30))
    assert t.value == "2024-10-22"


# --------------------------------------------------------------------------- durations, times, sets


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The siege lasted three years.", "three years", "P3Y"),
        ("The siege lasted 10 days.", "10 days", "P10D"),
        ("The siege lasted several months.", "several months", "PXM"),
        ("The siege lasted two and a half years.", "two and a half years", "P2Y6M"),
        ("The siege lasted 36 hours.", "36 hours", "PT36H"),
        ("Unemployment rose over the past three years.", "the past three years", "P3Y"),
    ],
)
def test_durations(text: str, span: str, value: str) -> None:
    t = only(text)
    assert (t.text, t.type, t.value) == (span, "DURATION", value)


def test_clock_times_take_the_anchor_date() -> None:
    v = values("Polls close at 2 p.m. and results come at noon tomorrow.")
    assert v == {"2 p.m.": "2024-10-23T14:00", "noon tomorrow": "2024-10-24T12:00"}
    assert {t.type for t in tag("Polls close at 2 p.m.")} == {"TIME"}


def test_clock_time_with_weekday_uses_that_day() -> None:
    assert only("The strike began at 6 a.m. Monday.").value == "2024-10-21T06:00"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Inspectors visit every week.", "P1W"),
        ("The report is published annually.", "P1Y"),
        ("The council meets twice a year.", "P1Y"),
        ("Fees rise 3% a year.", "P1Y"),
    ],
)
def test_recurring_expressions_are_sets(text: str, value: str) -> None:
    t = only(text)
    assert (t.type, t.value) == ("SET", value)


# --------------------------------------------------------------------------- anaphora


def test_anaphoric_expression_without_narrative_date_stays_unresolved() -> None:
    t = only("Two days later, the army withdrew.")
    assert (t.value, t.how) == (None, "anaphoric")


def test_anaphoric_expression_uses_the_last_date_in_the_text_not_the_anchor() -> None:
    text = (
        "The fire began on March 3, 2019. Two days later, troops withdrew. The next day it rained."
    )
    found = tag(text)
    got = [(t.text, t.value, t.how) for t in found]
    assert got == [
        ("March 3, 2019", "2019-03-03", "absolute"),
        ("Two days later", "2019-03-05", "anaphoric"),
        ("The next day", "2019-03-06", "anaphoric"),
    ]


def test_that_week_refers_back_to_the_narrative_week() -> None:
    found = tag("Riots broke out on June 4, 2020. Shops stayed shut that week.")
    assert [(t.text, t.value, t.how) for t in found][1] == ("that week", "2020-W23", "anaphoric")


# --------------------------------------------------------------------------- false friends


@pytest.mark.parametrize(
    "text",
    [
        "The court may rule against the company.",
        "May I ask a question?",
        "May the best team win.",
        "Thousands will march on the capital.",
        "March organisers expect thousands.",
        "We expect a decision soon-ish, said the spokesman.",
        "Turnout rose 12% in the region.",
        "The project cost $5 million.",
        "The army sent 1,500 troops to the border.",
        "The army sent 2000 troops to the border.",
        "The firm sold 1999 cars in the region.",
        "Flight 2013 landed safely after the storm.",
        "June Carter sang at the festival.",
        "A 6-year-old boy was rescued.",
    ],
)
def test_false_friends_are_not_tagged(text: str) -> None:
    assert tag(text) == []


def test_modal_may_is_not_a_date_but_the_month_is() -> None:
    v = values("The minister may resign in May.")
    assert v == {"May": "2025-05"}  # the modal also marks the month as upcoming


def test_month_name_after_a_preposition_at_sentence_start_is_a_date() -> None:
    assert only("In March, the mill closed.").value == "2024-03"


# --------------------------------------------------------------------------- robustness


def test_empty_and_dateless_text() -> None:
    assert tag("") == []
    assert tag("No temporal information here at all.") == []


def test_large_input_is_processed_quickly() -> None:
    text = (
        "Officials said on Monday that 1,500 troops arrived last week, two days after the vote. "
        * 2000
    )
    found = tag(text)
    assert len(found) == 3 * 2000


def test_a_shift_before_year_one_is_unresolved_not_an_error() -> None:
    """'Twenty-five centuries ago' from 2022 lands before year 1: no date, and no crash that
    would cost the whole document its statements."""
    import datetime as dt

    from corroborate.extract.timex import find_time_expressions

    text = "Twenty-five centuries ago, in 478 BC, the Greeks met. 30 centuries ago too."
    found = find_time_expressions(text, dt.date(2022, 5, 16))
    assert all(t.value is None or not t.value.startswith("-") for t in found)
