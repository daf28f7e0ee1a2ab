"""Clause-level cuts over one sentence's resolved attributions: where one content must end
because another attribution starts (an opening adverbial clause, a second verb of the same
subject, a relative clause inside a source, a relay's own source). Without them the univocal
rule (one role per token) would keep the wrong attribution of a nested pair."""

from __future__ import annotations

from corroborate.extract.sentence_view import (
    _INTRODUCTORY,
    _NOT_PARTICIPLES,
    _SUBORDINATORS,
    Attribution,
    _Sentence,
)


def _cut_at_sources(s: _Sentence, resolved: list[Attribution]) -> None:
    """`Clinton, who did not say that he was unfit, said ...`: a cue inside another
    attribution's source has its content end with that source."""
    for outer in resolved:
        if outer.source is None:
            continue
        a, b = outer.source
        for att in resolved:
            if att is not outer and a <= att.cue[0] and att.cue[1] <= b and att.content:
                c, d = att.content[-1]
                if c < b < d:
                    end = b
                    while end > c and s.text(end - 1) == ",":
                        end -= 1
                    att.content[-1] = (c, end)
                # `Barkley, who said he votes Democratic, said ...`: the relative clause is an
                # attribution of its own, so (one role per token) the source is the head.
                opening = next((x for x in range(att.cue[0] - 1, a, -1) if s.text(x) == ","
                                and s.low(x + 1) in {"who", "which"}), None)
                if opening is not None and outer.source is not None:
                    outer.source = (a, opening)


def _cut_at_absolutes(s: _Sentence, resolved: list[Attribution]) -> None:
    """`X denied sending troops, with its envoy calling the reports groundless`: the absolute
    `with` clause is an attribution of its own, so a content running into it ends at the comma
    before `with` (one role per token; otherwise the univocal rule drops the envoy)."""
    commas = [att.source[0] - 2 for att in resolved if att.source is not None
              and att.source[0] - 2 >= s.first and s.low(att.source[0] - 1) == "with"
              and s.text(att.source[0] - 2) == "," and att.cue[0] > att.source[0]]
    for comma in commas:
        for att in resolved:
            if not att.content or att.cue[1] > comma:
                continue
            c, d = att.content[-1]
            if c < comma < d:
                att.content[-1] = (c, comma)


def cut_at_joins(s: _Sentence, resolved: list[Attribution]) -> None:
    """`X downplayed the attack and said Y`: a content running into a second verb of the
    same subject ends before the `and` that joins them."""
    for join in (att.joined_at for att in resolved if att.joined_at is not None):
        for att in resolved:
            if att.content and att.cue[1] <= join and att.content[-1][0] < join \
                    < att.content[-1][1]:
                a, _ = att.content[-1]
                end = join
                while end > a and s.text(end - 1) == ",":
                    end -= 1
                att.content[-1] = (a, end)


def cut_at_main_clause(s: _Sentence, resolved: list[Attribution]) -> None:
    """`Asked what he wanted, Adelson said ...`, `When the moderator pointed out that X, the
    candidate said Y`: a cue inside an opening adverbial clause has its content end at the
    comma that closes that clause, when the main clause after it has an attribution of its own
    (its source starting right after the comma). Otherwise the adverbial cue's content would
    swallow the main attribution and the univocal rule would then drop the wrong one."""
    cut_at_joins(s, resolved)
    _cut_at_sources(s, resolved)
    _cut_at_absolutes(s, resolved)
    # `according to exit polling reported by CNN`: a cue inside a relay's source describes it.
    relay_sources = [att.source for att in resolved
                     if att.kind == "according_to" and att.source is not None]
    if relay_sources:
        resolved[:] = [att for att in resolved if not any(
            a <= att.cue[0] and att.cue[1] <= b for a, b in relay_sources)]
    lead = s.first + 1 if s.low(s.first) in {"and", "but", "so"} else s.first
    first = s.low(lead)
    if not (first in _SUBORDINATORS or first in _INTRODUCTORY
            or (first.endswith(("ing", "ed")) and first not in _NOT_PARTICIPLES)):
        return
    comma = next((j for j in range(lead + 1, s.last)
                  if s.text(j) == "," and s.inside[j] == -1), None)
    if comma is None:
        return
    if not any(att.source is not None and att.source[0] == comma + 1 and att.cue[0] > comma
               for att in resolved):
        return
    for att in resolved:
        if att.cue[1] > comma or not att.content or att.content[-1][1] <= comma \
                or att.kind == "according_to":
            continue
        a, _ = att.content[-1]
        if a < comma:
            att.content[-1] = (a, comma)
        else:  # `Asked what he wanted, Adelson said`: nothing of its own is left
            att.content.pop()
    resolved[:] = [att for att in resolved if att.content]
