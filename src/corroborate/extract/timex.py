"""Rule-based English temporal expression tagger and TIMEX3 normaliser.

Why rules: statement attribution needs *when* something was said or happened,
cheaply, deterministically and without model downloads.  The design follows
HeidelTime: precompiled patterns propose candidate spans, cheap context checks
veto the classic false friends (modal "may", "Sunday Times", head counts),
the longest non-overlapping candidates win, and the normaliser
(:mod:`corroborate.extract.timex_normalise`) resolves them in document order
so anaphoric expressions ("two days later") lean on the most recent explicit
date rather than on the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from corroborate.extract import timex_normalise as tn

__all__ = ["TimeExpression", "find_time_expressions"]


@dataclass(frozen=True)
class TimeExpression:
    """One temporal expression with its TimeML TIMEX3 type and value.

    ``granularity`` is day, week, month, year, quarter, half, season, decade,
    century, time or None.  ``how`` says what the value rests on (absolute,
    relative_to_anchor, anaphoric, unresolved) so callers can discount values
    that depend on a guessed anchor or on the narrative.
    """

    start: int
    end: int
    text: str
    type: str
    value: str | None
    granularity: str | None
    anchored: bool
    how: str


# --------------------------------------------------------------------------- pattern atoms


def _alt(words: list[str] | set[str], flags: str = "") -> str:
    """Alternation, longest first so that "Sept" beats "Sep"; spaces match any run of blanks."""
    parts = sorted(set(words), key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]") for w in parts)
    return f"(?{flags}:{body})" if flags else f"(?:{body})"


def _cased(words: list[str], lower_ok: bool = True) -> list[str]:
    """Proper nouns in news are Capitalised or SHOUTED; lower case only where harmless."""
    out: list[str] = []
    for w in words:
        out += [w.capitalize(), w.upper()] + ([w] if lower_ok else [])
    return out


def _atoms() -> dict[str, str]:
    lex = tn.lexicon()
    months: dict[str, int] = lex["months"]
    ambiguous = set(lex["ambiguous_months"]) | {"august"}
    full = [m for m in months if len(m) > 4 or m in ("may", "june", "july")]
    abbr = [m for m in months if m not in full]
    full_rx = "|".join(_alt(_cased([m], lower_ok=m not in ambiguous))[3:-1] for m in full)
    abbr_rx = _alt(_cased(abbr, lower_ok=False))
    wd = _alt(_cased(list(lex["weekdays"])))
    nums = [n for n in lex["numbers"] if n not in ("a", "an")]
    quant = (
        r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+\d/\d)?"
        r"|(?i:(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]"
        r"(?:one|two|three|four|five|six|seven|eight|nine))"
        rf"|{_alt(nums)[3:-1]}|{_alt(lex['vague_numbers'])[3:-1]})(?:\s+and\s+a\s+half)?"
        r"|(?i:an?)(?:\s+and\s+a\s+half)?(?=[\s-])"
    )
    units = _alt(list(lex["units"]), "i")
    ordinal_day = _alt(
        [o for o in lex["ordinals"] if lex["ordinals"][o] > 0 and not o[0].isdigit()], "i"
    )
    modpre = _alt(
        [
            "early",
            "earlier",
            "late",
            "later",
            "mid",
            "the end of",
            "the beginning of",
            "the start of",
            "the middle of",
            "the rest of",
            "the remainder of",
            "the first half of",
            "the second half of",
            "the last half of",
            "sometime",
            "some time",
            "earlier in",
            "later in",
            "late in",
            "early in",
            "the turn of",
            "the close of",
            "the first part of",
            "the latter part of",
            "the early part of",
            "the end of the",
            "the first week of",
            "the last week of",
            "the second week of",
        ],
        "i",
    )
    return {
        "MONTH": rf"(?:(?:{full_rx})(?![\w-])|{abbr_rx}\.|{abbr_rx}(?=\s*\d))",
        "WD": wd,
        "DAY": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|[:.]\d|\s*(?:%|percent))",
        "ORDDAY": ordinal_day,
        "YEAR": r"(?<![\d$£€#./:,])(?:1[6-9]\d\d|20\d\d)(?!\d|,\d|\.\d|\s?%|\s?(?i:percent))",
        "QUANT": f"(?:{quant})",
        "UNIT": units,
        "MODPRE": modpre,
        "MODS": _alt(
            [
                "about",
                "around",
                "approximately",
                "roughly",
                "some",
                "nearly",
                "almost",
                "more than",
                "less than",
                "fewer than",
                "at least",
                "at most",
                "up to",
                "no more than",
                "no less than",
                "just",
                "only",
                "barely",
                "exactly",
                "well over",
                "just over",
                "just under",
                "close to",
                "the better part of",
                "a little over",
                "a little more than",
                "as many as",
                "as long as",
                "as much as",
                "the",
                "past",
                "last",
                "next",
                "another",
                "an additional",
                "the past",
                "the last",
                "the next",
                "the first",
                "the final",
                "the previous",
                "the following",
                "the coming",
                "the latest",
                "the full",
                "the entire",
                "the whole",
                "the remaining",
                "the initial",
                "the preceding",
                "the ensuing",
                "the subsequent",
                "the same",
                "the other",
                "the most recent",
                "a period of",
                "each of the past",
                "each of the last",
                "the first two",
                "the first three",
                "the first",
                "all",
            ],
            "i",
        ),
        "SEASON": _alt(list(lex["seasons"]), "i"),
        "HOLIDAY": "(?=[A-Z])" + _alt(list(lex["holidays"]), "i"),
        "TZ": _alt(lex["timezones"]),
        "SETW": _alt(list(lex["sets"]), "i"),
        "REF": _alt([r for r in lex["refs"] if r not in lex["ref_disabled"]], "i"),
        "POD": _alt([p for p in lex["parts_of_day"] if p != "overnight"], "i"),
    }


def _rules() -> list[tuple[str, str]]:
    """Pattern templates; order breaks ties between equally long candidates."""
    a = _atoms()
    rel = (
        r"(?i:this\s+past|this\s+coming|the\s+full|the\s+coming|the\s+current|the\s+past|the\s+last|"
        r"the\s+next|the\s+previous|the\s+following|the\s+same|the\s+latest|the\s+prior|"
        r"the\s+most\s+recent|this|last|next|past|previous|coming|current|that|the)"
    )
    year_tail = (
        r"(?:(?:\s*,\s*|\s+(?:(?i:of)\s+)?)(?P<y>{YEAR})|\s+(?:(?i:of)\s+)?(?P<ry>(?i:last|this|next))"
        r"\s+(?i:year)|\s+(?P<ya>(?i:a\s+year\s+(?:ago|earlier))))?"
    )
    rules = [
        (
            "iso",
            r"\b(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T\s](?P<H>[0-2]\d):(?P<M>[0-5]\d))?\b",
        ),
        ("slash", r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"),
        (
            "mdy",
            r"\b(?:(?P<wd>{WD})\.?,?\s+)?(?:(?P<mod>(?i:early|late|mid|around|about|the\s+night\s+of|"
            r"the\s+morning\s+of))[\s-]+)?(?P<mon>{MONTH})\s*(?P<d>{DAY}|{ORDDAY})(?!\s*-\s*\d)\b"
            r"(?:(?:\s*,\s*|\s+)(?P<y>{YEAR}))?",
        ),
        (
            "dmy",
            r"\b(?:(?P<wd>{WD}),?\s+)?(?:(?i:the)\s+)?(?P<d>{DAY}|{ORDDAY})\s+(?:(?i:of)\s+)?"
            r"(?P<mon>{MONTH})(?:,?\s+(?P<y>{YEAR}))?",
        ),
        (
            "quarter",
            r"\b(?:(?P<det>(?i:the|its|this\s+year's|last\s+year's|next\s+year's|a))\s+)?"
            r"(?:(?P<py>{YEAR})\s+)?(?:(?i:fiscal|calendar)[\s-]+)?"
            r"(?P<q>(?i:first|second|third|fourth|1st|2nd|3rd|4th))[\s-]+(?:(?i:fiscal|calendar)[\s-]+)?"
            r"(?P<unit>(?i:quarter|half))(?P<pl>s)?\b(?:\s+(?i:of)\s+(?:(?i:fiscal\s+|the\s+fiscal\s+"
            r"year\s+|the\s+year\s+)?(?P<y>{YEAR})|(?P<ry>(?i:this|last|next|the\s+current|the\s+previous)"
            r"\s+(?:(?i:fiscal)\s+)?(?i:year))))?",
        ),
        ("qcode", r"\b(?P<q>[QH][1-4])(?:\s+(?P<y>{YEAR})|\s*'(?P<y2>\d\d))?\b"),
        (
            "yearago",
            r"\b(?:(?i:the|a)\s+)?(?:(?i:comparable|same|corresponding)\s+)?(?i:year)[\s-](?i:earlier|ago)"
            r"(?:\s+(?:(?i:first|second|third|fourth|fiscal)[\s-]+)?(?P<unit>(?i:quarter|period|nine\s+months|"
            r"six\s+months|month|three\s+months)))?\b",
        ),
        (
            "sameper",
            r"\b(?i:the\s+(?:same|comparable|corresponding|year-earlier|like)\s+(?:period|quarter|time|month|week)"
            r"\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+(?:the\s+)?(?:last|previous)\s+year|"
            r"the\s+previous\s+year|a\s+year\s+before))\b",
        ),
        (
            "month",
            r"\b(?:(?P<rel>(?i:last|this|next|this\s+past|this\s+coming|past|"
            r"previous|coming|the\s+month\s+of))\s+)?(?P<mon>{MONTH})" + year_tail,
        ),
        (
            "decade",
            r"(?:\b(?P<the>(?i:the))\s+)?(?:(?P<mod2>(?i:early|late|mid))[\s-]+)?"
            r"(?:(?P<d4>(?<![\d$£€#.,])1[5-9]\d0|(?<![\d$£€#.,])20\d0)['’]?s|['’](?P<d2>\d0)['’]?s|"
            r"(?P<dw>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)))\b",
        ),
        (
            "century",
            r"\b(?:(?i:the)\s+)?(?:(?P<mod>(?i:early|late|mid))[\s-]+)?(?:(?P<c>\d{1,2})(?:st|nd|rd|th)|"
            r"(?P<cw>{ORDDAY}))[\s-]+(?i:century)\b",
        ),
        (
            "year",
            r"(?:(?P<fy>(?i:fiscal\s+year|fiscal|the\s+year|calendar\s+year|"
            r"calendar|financial\s+year|model\s+year)\s+|FY\s?|(?i:mid|pre|post)-))?(?P<y>{YEAR})"
            r"(?:(?P<tail>\s+(?i:and\s+beyond|or\s+later|or\s+earlier)))?",
        ),
        (
            "wordyear",
            r"\b(?P<c>(?i:nineteen|two\s+thousand(?:\s+and)?))\s+(?P<r>(?i:(?:twenty|thirty|forty|fifty|"
            r"sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|"
            r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
            r"one|two|three|four|five|six|seven|eight|nine))\b|\b(?P<c2>(?i:the\s+year\s+)?(?i:two\s+"
            r"thousand))\b(?!\s+(?:and\s+)?[a-z]+\s+(?:dollars|people|troops|years))",
        ),
        (
            "yearend",
            r"\b(?:(?i:around|by|at)\s+)?(?:(?i:the)\s+)?(?i:year)(?:['’]s\s+|[\s-])(?i:end)\b",
        ),
        (
            "holiday",
            r"\b(?:(?P<rel>(?i:last|this|next|this\s+past|this\s+coming))\s+)?(?P<h>{HOLIDAY})"
            r"(?:(?:,?\s+|\s+(?i:of)\s+)(?P<y>{YEAR}))?(?![\w'’])",
        ),
        (
            "season",
            r"\b(?:(?P<rel>(?i:last|this|next|this\s+past|this\s+coming|past|"
            r"coming|the|that|the\s+past|the\s+last|the\s+coming|the\s+next))\s+)?(?P<s>{SEASON})"
            r"(?:(?:\s+(?i:of))?\s+(?P<y>{YEAR}))?\b",
        ),
        (
            "today",
            r"\b(?:(?P<mod>(?i:early|earlier|late|later|mid-?afternoon|mid-?morning|noon|midnight|midday))"
            r"\s+)?(?P<w>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight|"
            r"yesterday|tomorrow))(?:\s+(?P<pod>{POD}))?\b",
        ),
        (
            "weekday",
            r"\b(?:(?P<mod>(?i:early|late|earlier|later|mid-?afternoon|mid-?morning|noon|midnight|midday))"
            r"\s+)?(?:(?P<rel>(?i:last|this|next|this\s+past|this\s+coming|coming|past|previous|"
            r"the\s+previous|the\s+following|each|every))\s+)?(?P<wd>{WD})(?P<pl>s)?\b"
            r"(?:\s+(?P<pod>{POD}|(?i:nights|noon|midnight)))?\b",
        ),
        (
            "clock",
            r"\b(?:(?P<mod>(?i:about|around|approximately|shortly\s+(?:before|after)|just\s+(?:before|"
            r"after)|exactly))\s+)?(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>(?i:a\.m\.?|"
            r"p\.m\.?|am|pm)(?!\w))(?:\s*(?P<tz>{TZ}|\((?:GMT|UTC)\s*[+-]\s*\d{1,2}\))\.?)?"
            r"(?:,?\s+(?:(?i:on)\s+)?(?P<day>{WD}|(?i:today|tonight|yesterday|tomorrow)|"
            r"(?P<mon>{MONTH})\s*(?P<d>{DAY})))?",
        ),
        (
            "clock24",
            r"(?<![\d:.,])(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?![\d:])(?:\s*(?P<tz>{TZ})\b)?"
            r"(?:,?\s+(?P<day>{WD}|(?i:today|tonight|yesterday|tomorrow)))?",
        ),
        (
            "named",
            r"\b(?P<w>(?i:noon|midnight|midday))(?:\s+(?P<day>{WD}|(?i:today|yesterday|tomorrow)))?\b",
        ),
        (
            "oclock",
            r"\b(?P<h>(?i:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))"
            r"(?:\s+(?i:o['’]clock)|\s+(?i:in\s+the)\s+(?P<pod>(?i:morning|afternoon|evening)))\b",
        ),
        (
            "this",
            r"\b(?P<rel>" + rel + r")\s+(?:(?P<fis>(?i:fiscal|calendar|financial))\s+)?"
            r"(?P<unit>(?i:week|weekend|month|year|quarter|decade|century|morning|afternoon|evening|night|"
            r"day|period))\b(?!-)",
        ),
        (
            "anaph",
            r"\b(?P<w>(?i:the\s+day\s+before|the\s+day\s+after|the\s+night\s+before|"
            r"that\s+time))\b",
        ),
        (
            "set",
            r"\b(?P<q>(?i:every|each|per))\s+(?:(?i:other|single)\s+)?(?:(?P<n>{QUANT})\s+)?"
            r"(?P<u>{UNIT}|{WD}|{MONTH}|{SEASON}|(?i:morning|afternoon|evening))\b",
        ),
        ("setw", r"\b(?P<w>{SETW})\b"),
        (
            "times",
            r"\b(?P<tm>(?i:once|twice|thrice|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
            r"several|many|a\s+few)\s+times))\s+(?i:a|an|per|each|every)\s+(?P<u>{UNIT})\b",
        ),
        (
            "duration",
            r"\b(?P<n>{QUANT})[\s-]+"
            r"(?:(?i:more|additional|consecutive|straight|full|long|extra|trading|business)[\s-]+)?"
            r"(?P<unit>{UNIT})\b(?P<adj>-(?i:long|old))?(?:\s+(?P<dir>(?i:ago|earlier|later|"
            r"from\s+now|hence|previously|before\s+that|after\s+that|or\s+so(?:\s+ago)?)))?",
        ),
        (
            "bare",
            r"(?:(?<=\b[Ff]or\s)|(?<=\b[Oo]ver\s)|(?<=\b[Ii]n\s)|(?<=\bwithin\s))(?:(?P<det>(?i:recent|"
            r"coming|past|the\s+past|the\s+coming|the\s+last|the\s+next|the\s+following|the\s+ensuing|"
            r"upcoming))\s+)?(?P<unit>(?i:hours|days|weeks|months|years|decades|centuries|quarters))\b"
            r"|\b(?P<det2>(?i:recent|coming|upcoming))\s+(?P<unit2>(?i:hours|days|weeks|months|years|"
            r"decades|quarters))\b",
        ),
        ("ref", r"\b(?P<r>{REF})(?![\w-])"),
    ]
    return [(name, _fill(pattern, a)) for name, pattern in rules]


def _fill(pattern: str, atoms: dict[str, str]) -> str:
    for key, val in atoms.items():
        pattern = pattern.replace("{" + key + "}", val)
    return pattern


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Compile once per process; the first call pays a few tens of milliseconds."""
    return tuple((name, re.compile(pattern)) for name, pattern in _rules())


#: how far (chars) a rule's match may reach left/right of the start of its trigger token,
#: not counting the modifier prefixes that _extend_left adds afterwards.
_MARGINS = {
    "iso": (1, 20),
    "slash": (7, 12),
    "mdy": (32, 40),
    "dmy": (34, 24),
    "quarter": (45, 40),
    "qcode": (1, 12),
    "yearago": (25, 40),
    "sameper": (30, 50),
    "month": (22, 36),
    "decade": (14, 14),
    "century": (16, 12),
    "year": (20, 20),
    "wordyear": (24, 40),
    "yearend": (22, 12),
    "holiday": (32, 40),
    "season": (20, 20),
    "today": (34, 30),
    "weekday": (32, 30),
    "clock": (36, 60),
    "clock24": (1, 30),
    "named": (1, 30),
    "oclock": (20, 24),
    "this": (32, 20),
    "anaph": (22, 22),
    "set": (30, 50),
    "setw": (1, 20),
    "times": (24, 30),
    "duration": (45, 44),
    "bare": (32, 16),
    "ref": (16, 24),
}
# `(?:fy)?\d\w*`, written to open with a character class: the regex engine then skips to the
# next digit or `f` in C instead of trying the pattern at every position (three times faster
# on briefings). At a digit the look-behind `(?<!f)` holds and `\d\w*` follows; at an `f`,
# only `fy` and a digit go on; the matches are the same.
_NUMBER_TOKEN = re.compile(r"[\df](?:(?<=f)y\d|(?<!f))\w*")
_ALPHA_TOKEN = re.compile(r"[^\W\d_]\w*")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_YEARISH = re.compile(r"(?:fy)?(?:1[5-9]|20)\d\ds?")


@lru_cache(maxsize=1)
def _triggers() -> dict[str, tuple[int, ...]]:
    """Which rules each token can start, so a rule only runs near its trigger words.

    Running ~30 patterns over the whole text costs ~0.3 MB/s; scanning windows
    around sparse trigger tokens is an order of magnitude faster.  Every match
    of a rule contains one of its triggers, so no match is lost.
    """
    lex = tn.lexicon()
    months, weekdays = set(lex["months"]), set(lex["weekdays"])
    unit_words = {k.split()[-1] for k in lex["units"]}
    words_of = lambda phrases: {w for p in phrases for w in re.findall(r"\w+", p.lower())}  # noqa: E731
    spec: dict[str, set[str]] = {
        "iso": {"#year"},
        "slash": {"#slash"},
        "mdy": months,
        "dmy": months,
        "quarter": {"quarter", "quarters", "half"},
        "qcode": {f"{a}{n}" for a in "qh" for n in "1234"},
        "yearago": {"year"},
        "sameper": {"period", "quarter", "time", "month", "week"},
        "month": months,
        "decade": {
            "#year",
            "20s",
            "30s",
            "40s",
            "50s",
            "60s",
            "70s",
            "80s",
            "90s",
            "00s",
            "twenties",
            "thirties",
            "forties",
            "fifties",
            "sixties",
            "seventies",
            "eighties",
            "nineties",
        },
        "century": {"century"},
        "year": {"#year"},
        "wordyear": {"nineteen", "thousand"},
        "yearend": {"end"},
        "holiday": words_of(lex["holidays"]) - {"the", "of", "s", "st", "day"} | {"day"},
        "season": set(lex["seasons"]),
        "today": {"today", "tonight", "yesterday", "tomorrow"},
        "weekday": weekdays,
        "clock": {"#ampm", "#colon", "m", "am", "pm"},
        "clock24": {"#colon"},
        "named": {"noon", "midnight", "midday"},
        "oclock": {"clock", "morning", "afternoon", "evening"},
        "this": {
            "week",
            "weekend",
            "period",
            "month",
            "year",
            "quarter",
            "decade",
            "century",
            "morning",
            "afternoon",
            "evening",
            "night",
            "day",
        },
        "anaph": {"day", "night", "time"},
        "set": {"every", "each", "per"},
        "setw": words_of(lex["sets"]),
        "times": {"once", "twice", "thrice", "times"},
        "duration": unit_words,
        "bare": {"hours", "days", "weeks", "months", "years", "decades", "centuries", "quarters"},
        "ref": words_of(lex["refs"])
        - {"the", "at", "just", "right", "more", "most", "near", "short"},
    }
    table: dict[str, list[int]] = {}
    for idx, (name, _) in enumerate(_compiled()):
        for word in spec[name]:
            table.setdefault(word, []).append(idx)
    return {w: tuple(sorted(ids)) for w, ids in table.items()}


def _windows(text: str, start: int, end: int) -> dict[int, list[tuple[int, int]]]:
    """Merged text windows, per rule index, around that rule's trigger tokens in
    `text[start:end]` (offsets into `text`).

    One pass over the lower-cased words (a dict lookup each) and one over
    the numbers; this is about a quarter of the total tagging time.
    """
    table = _triggers()
    year_rules = table.get("#year", ())
    by_next = {":": table.get("#colon", ()), "/": table.get("#slash", ())}
    ampm = table.get("#ampm", ())
    low = text[start:end].lower()
    hits: dict[int, list[int]] = {}
    get = table.get
    for m in _ALPHA_TOKEN.finditer(low):
        rules = get(m.group())
        if rules:
            i = m.start() + start
            for r in rules:
                hits.setdefault(r, []).append(i)
    for m in _NUMBER_TOKEN.finditer(low):
        i = m.start()
        if (i and _is_word_char(low[i - 1])) or (i == 0 and start and _is_word_char(
                text[start - 1])):
            continue
        w = m.group()
        if _YEARISH.fullmatch(w):
            rules = year_rules
        elif w.endswith(("am", "pm")):
            rules = ampm
        else:
            rules = by_next.get(low[m.end() : m.end() + 1], ())
        for r in rules + get(w, ()):
            hits.setdefault(r, []).append(i + start)
    out: dict[int, list[tuple[int, int]]] = {}
    compiled = _compiled()
    for r, positions in hits.items():
        left, right = _MARGINS[compiled[r][0]]
        merged: list[tuple[int, int]] = []
        positions.sort()
        for p in positions:
            s, e = max(start, p - left), min(end, p + right)
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        out[r] = merged
    return out


@lru_cache(maxsize=1)
def _extenders() -> dict[str, tuple[frozenset[str], re.Pattern[str]]]:
    """Modifier prefixes ("the past", "early", "nearly") matched right-to-left from a hit.

    Keeping them out of the main patterns matters for speed: an optional
    70-way alternation in front of a pattern is tried at every word boundary.
    """
    a = _atoms()
    lex_mods = re.findall(r"[a-z-]+", a["MODS"].replace("\\s+", " ").lower())
    lex_pre = re.findall(r"[a-z-]+", a["MODPRE"].replace("\\s+", " ").lower())
    mods = (frozenset(lex_mods), re.compile(rf"\b(?:{a['MODS']})(?:\s+(?:{a['MODS']}))?\s+$"))
    pre = (frozenset(lex_pre), re.compile(rf"\b(?:{a['MODPRE']})[\s-]+$"))
    return {"duration": mods, "month": pre, "season": pre, "year": pre, "decade": pre, "this": pre}


def _extend_left(rule: str, text: str, start: int) -> int:
    ext = _extenders().get(rule)
    if ext is None or start == 0:
        return start
    words, rx = ext
    if _prev_word(text, start).rstrip("-") not in words:
        return start
    m = rx.search(text, max(0, start - 40), start)
    return m.start() if m else start


# --------------------------------------------------------------------------- vetoes

_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
# The word run is possessive (speed only): when the longest run is not followed by at most
# three non-word characters and the end, no shorter run is (the characters it gives back
# are either word characters or among the three), so giving back only cost time.
_PREV_WORD = re.compile(r"([A-Za-z][\w'’-]*+)\W{0,3}$")
_MONTH_PREPS = frozenset(
    {
        "in",
        "of",
        "since",
        "until",
        "till",
        "by",
        "from",
        "during",
        "through",
        "before",
        "after",
        "late",
        "early",
        "mid",
        "last",
        "next",
        "this",
        "between",
        "and",
        "to",
        "end",
        "or",
        "beginning",
        "start",
        "middle",
        "throughout",
        "around",
        "for",
        "past",
        "each",
        "every",
        "on",
    }
)


def _prev_word(text: str, start: int) -> str:
    m = _PREV_WORD.search(text, max(0, start - 40), start)
    return m.group(1).lower() if m else ""


def _next_word(text: str, end: int) -> str:
    m = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    return m.group(0) if m else ""


@lru_cache(maxsize=1)
def _word_sets() -> tuple[frozenset[str], ...]:
    lex = tn.lexicon()
    names = frozenset(lex["months"]) | frozenset(lex["weekdays"])
    return (
        frozenset(lex["year_blockers"]),
        frozenset(lex["year_cues_before"]),
        frozenset(lex["weekday_blockers"]),
        names,
        frozenset(lex["year_blockers_before"]),
    )


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start]
    return start == 0 or not before.strip() or before.rstrip()[-1:] in ".!?\"'“”:"


_OLD = re.compile(r"\s+old\b")  # matched in place: slicing the rest of the text is O(n)
_PERIOD_RELS = frozenset({"the latest", "the most recent", "the current", "this"})


def reject(rule: str, m: re.Match[str], text: str, extended: bool = False) -> bool:
    """Context vetoes that a regular expression cannot express cheaply.

    These carry most of the precision: "May" the modal, "March" the verb,
    "the Sunday Times", "2,000 troops" and friends all look like dates locally.
    """
    blockers, cues, wd_blockers, names, blockers_before = _word_sets()
    g = m.groupdict()
    if rule == "month" and not (extended or g.get("rel") or g.get("y") or g.get("ry")):
        mon = g["mon"].lower().rstrip(".")
        prev = _prev_word(text, m.start())
        nxt = _next_word(text, m.end())
        if mon in ("may", "march") and prev not in _MONTH_PREPS:
            return True
        if nxt[:1].isupper() and nxt.lower().rstrip(".") not in names and prev not in _MONTH_PREPS:
            return True  # "June Carter", "April Fools"
        if mon in ("may", "march") and _sentence_start(text, m.start()):
            return True
    elif rule == "year" and not (g.get("fy") or extended or g.get("tail")):
        nxt = _next_word(text, m.end()).lower()
        if nxt in blockers:
            return True
        prev = _prev_word(text, m.start())
        if prev in blockers_before:
            return True  # "Flight 2013", "No. 1999", "about 2000"
        after = text[m.end() : m.end() + 1]
        if prev in cues or after in (
            "",
            ".",
            ",",
            ";",
            ":",
            ")",
            "!",
            "?",
            "'",
            "’",
            "\n",
            "-",
            '"',
            "”",
        ):
            return False
        if nxt.rstrip(".") in names or nxt.startswith(("season", "election", "budget", "census")):
            return False
        return not 1900 <= int(g["y"]) <= 2100 or prev in (
            "to",
            "than",
            "about",
            "of",
            "with",
            "by",
        )
    elif rule == "weekday" and not g.get("pod"):
        nxt = _next_word(text, m.end())
        if nxt[:1].isupper() and nxt.lower() in wd_blockers:
            return True
        if _prev_word(text, m.start()) in ("the", "a") and nxt[:1].isupper() and not g.get("rel"):
            return True  # "the Sunday Telegraph"
    elif rule == "season" and not (g.get("y") or extended):
        rel = (g.get("rel") or "").lower()
        season = g["s"].lower()
        if not rel:
            return _prev_word(text, m.start()) not in (
                "in",
                "during",
                "by",
                "until",
                "since",
                "through",
                "this",
                "last",
                "next",
                "early",
                "late",
                "over",
            )
        if (
            rel in ("the", "that")
            and season in ("fall", "spring")
            and text.startswith(" of", m.end())
        ):
            return True
    elif rule == "clock24":
        if not g.get("tz") and not g.get("day"):
            prev = _prev_word(text, m.start())
            return prev not in (
                "at",
                "by",
                "until",
                "from",
                "around",
                "before",
                "after",
                "about",
                "till",
            )
    elif rule == "slash":
        a, b = int(g["a"]), int(g["b"])
        return not ((1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31))
    elif rule == "duration":
        unit = g["unit"].lower()
        if (g.get("adj") or "").lower() == "-old" or _OLD.match(text, m.end()):
            return True  # ages ("a 6-year-old") are not annotated as durations
        if re.fullmatch(r"(?:1[5-9]|20)\d\d", g["n"]):
            return True  # "the 1988 quarter"
        n = g["n"].lower()
        nxt = text[m.end() : m.end() + 4]
        if (
            unit in ("second", "quarter", "minute", "day", "night")
            and n in ("a", "an", "one")
            and not g["dir"]
            and not extended
            and re.match(r"\s+(?:of\b|[a-z])", nxt)
            and unit != "day"
        ):
            return True  # "a second time", "a quarter of"
        if unit in ("quarter", "quarters", "half") and text.startswith(" of", m.end()):
            return True
        if n in ("the", "past", "recent", "coming", "more") and not unit.endswith("s"):
            return True
    elif rule == "this":
        rel = g["rel"].lower().split()[-1]
        unit = g["unit"].lower()
        if unit == "period" and " ".join(g["rel"].lower().split()) not in _PERIOD_RELS:
            return True  # only "the latest period" reliably means the reporting quarter
        if rel == "the" or g["rel"].lower() == "that":
            if unit in ("decade", "century", "night", "afternoon", "evening") and rel == "the":
                return True
            nxt = text[m.end() : m.end() + 12].lower()
            if re.match(
                r"\s+(?:of|when|that|in\s+which|before|after|on\s+which|he|she|they|it|i|we)\b", nxt
            ):
                return True
    elif rule == "ref":
        r = g["r"].lower()
        if r == "the past" and re.match(
            r"\s+(?:\d|[a-z]+\s+(?:years|months|weeks|days))", text[m.end() : m.end() + 20]
        ):
            return True
    elif rule == "dmy" and not g.get("y") and not g.get("wd"):
        return (
            g["mon"].lower() in ("may", "march")
            and not g["d"][-1:].isalpha()
            and not text[max(0, m.start() - 4) : m.start()].lower().endswith(("on ", "the "))
        )  # "about 5 May ..." without an ordinal suffix is often a count
    return False


# --------------------------------------------------------------------------- driver


def _select(cands: list[tn.Candidate], start: int, end: int) -> list[tn.Candidate]:
    """Longest match wins; ties go to the earlier (more specific) rule.

    Chosen spans are disjoint, so whether a candidate overlaps one is whether any of its
    characters is already taken: a byte per character of `[start, end)`, marked as spans
    are chosen, keeps this linear (a sorted list with inserts was quadratic in the number
    of expressions).
    """
    cands.sort(key=lambda c: (c.start - c.end, c.prio, c.start))
    taken = bytearray(end - start)
    chosen: list[tn.Candidate] = []
    for c in cands:
        a, b = c.start - start, c.end - start
        if taken.find(1, a, b) != -1:
            continue
        taken[a:b] = b"\x01" * (b - a)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


def find_time_expressions(text: str, anchor: dt.date | None = None, start: int = 0,
                          end: int | None = None,
                          context: tn.Context | None = None) -> list[TimeExpression]:
    """Tag and normalise temporal expressions in ``text`` (or in ``text[start:end]``).

    ``anchor`` is the document creation time (publication date).  Without it,
    anything relative comes back with ``value=None`` and ``how="unresolved"``
    rather than being silently resolved against today's date.  A long document is
    tagged piece by piece by passing the same ``context`` to each call, so the
    narrative reference carries over from one piece to the next.
    """
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    end = len(text) if end is None else end
    cands: list[tn.Candidate] = []
    compiled = _compiled()
    for prio, spans in sorted(_windows(text, start, end).items()):
        name, rx = compiled[prio]
        for ws, we in spans:
            for m in rx.finditer(text, ws, we):
                if m.end() > m.start():
                    first = max(start, _extend_left(name, text, m.start()))
                    if not reject(name, m, text, first < m.start()):
                        cands.append(tn.Candidate(first, m.end(), prio, name, m))
    ctx = context if context is not None else tn.Context(text=text, anchor=anchor)
    out: list[TimeExpression] = []
    for c in _select(cands, start, end):
        res = tn.resolve(c, ctx)
        if res is not None:
            out.append(
                TimeExpression(
                    c.start,
                    c.end,
                    text[c.start : c.end],
                    res.type,
                    res.value,
                    res.granularity,
                    res.anchored,
                    res.how,
                )
            )
    return out
