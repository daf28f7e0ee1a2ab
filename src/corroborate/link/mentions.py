"""What one source mention says on its own, before any corpus knowledge: its normal form,
whether it is a speaker at all (dates, headings, fragments are not), the time phrase or Markdown
around it, the country a metonym or demonym speaks for, and the transcript turn it stands in.
"""

from __future__ import annotations

import re
from dataclasses import replace

from corroborate.link.names import general
from corroborate.model import SourceMention

DETERMINERS = ("the ", "a ", "an ", "this ", "that ")
QUESTION_LABELS = frozenset({"q", "question", "reporter", "reporters"})
PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them"})
FIRST_PERSON = frozenset({"i", "me", "my", "myself"})
GROUP_FIRST_PERSON = frozenset({"we", "us", "our", "ourselves"})
RELATIVE = frozenset({"which", "who", "whom", "that", "whose"})
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|"
          r"november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?")
DATE = re.compile(r"^(?:on |last |this |next |early |late |since |until |by )?(?:(?:mon|tues|"
                  r"wednes|thurs|fri|satur|sun)day|today|yesterday|tonight|tomorrow|"
                  rf"{_MONTH}(?: \d{{1,2}})?(?:,? \d{{4}})?|\d{{4}}|\d{{1,2}} {_MONTH})"
                  r"(?: (?:morning|afternoon|evening|night))?$")
_WHEN = (rf"(?:(?:in|by|on|since|until|after|before|from)\s+)?(?:(?:early|late|mid)[\s-]+)?"
         rf"(?:{_MONTH}(?:\s+\d{{1,2}})?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|"
         rf"yesterday|(?:a\s+)?(?:few|couple\s+of|\w+)\s+(?:days?|weeks?|months?|years?)\s+"
         rf"(?:ago|later|earlier)|(?:earlier|later|last|this|next)\s+(?:this\s+)?"
         rf"(?:week|month|year|mo\w*))")
_LEADING_WHEN = re.compile(rf"^(?:{_WHEN}\s*,?\s+)+", re.IGNORECASE)
_TRAILING_WHEN = re.compile(rf"(?:\s+{_WHEN}[.…]*)+$", re.IGNORECASE)
LABEL = re.compile(r"^[^\S\n]*(Q(?=[^\S\n]{2,}|:)|(?:[A-Z][A-Z.'’-]*[^\S\n]){0,3}[A-Z][A-Z'’-]+"
                   r"(?=[^\S\n]*:))", re.MULTILINE)  # `MS. PSAKI:`, `Q   ` (\xa0 too)
SECOND_PERSON = frozenset({"you", "your", "yourself", "you all"})
PERSONAL = PRONOUNS | FIRST_PERSON | GROUP_FIRST_PERSON | SECOND_PERSON | {"i"}
_CONTRACTION = re.compile(r"(\w+)['’](?:re|ve|ll|d|m|s)")


def normalise(text: str) -> str:
    """Lower case, no articles, possessives or punctuation other than inner dots and hyphens."""
    low = text.lower().replace("’", "'").strip()
    low = re.sub(r"'s\b", "", low)
    low = re.sub(r"[^\w.\- ]+", " ", low)
    low = re.sub(r"\s+", " ", low).strip(" .")
    for det in DETERMINERS:
        if low.startswith(det):
            low = low[len(det):]
    return low


def strip_honorifics(norm: str) -> str:
    words = norm.split()
    honorifics = general().honorifics
    while len(words) > 1 and words[0].rstrip(".") in honorifics:
        words = words[1:]
    return " ".join(words)


def country_of(norm: str) -> str | None:
    """`moscow`, `the chinese`, `u.s. government` -> the country they speak for."""
    g = general()
    if norm in g.countries:
        return g.countries[norm]
    words = norm.split()
    if len(words) >= 2 and words[-1] in g.government_words:
        rest = " ".join(words[:-1])
        return g.countries.get(rest)
    return None


def is_junk(mention: SourceMention, norm: str) -> bool:
    """Not a speaker: a date, a Markdown heading, an empty or punctuation-only span, a
    fragment (lower-case words around a pronoun: `effort he`, `you ve heard us`)."""
    text = mention.text.strip()
    if not norm or text.startswith("#") or DATE.match(norm):
        return True
    words = norm.split()
    return len(words) >= 2 and text.islower() and words[0] not in (
        "my", "our", "their", "his", "her", "its", "your", "some", "many", "several", "most",
        "all", "both", "one", "two", "three", "other", "senior", "unnamed", "anonymous") \
        and any(w in PRONOUNS | GROUP_FIRST_PERSON | FIRST_PERSON | {"you"}
                for w in words) and words[-1] not in PRONOUNS

def cleaned(m: SourceMention) -> SourceMention:
    """The mention without the time phrase, Markdown or contraction around it (`In early
    November we`, `NATO on Monday`, `**KYIV`, `they’re`), described afresh; the span stays
    where it was."""
    from corroborate.extract.sources import describe

    if m.text.lstrip().startswith("#"):
        return m  # a Markdown heading: never a source (see is_junk)
    text = m.text.strip("*_> \n")
    text = _TRAILING_WHEN.sub("", _LEADING_WHEN.sub("", text)).strip(" ,")
    contracted = _CONTRACTION.fullmatch(text)
    if contracted and contracted.group(1).lower() in PERSONAL:
        text = contracted.group(1)
    if not text or text == m.text or DATE.match(normalise(m.text)):
        return m
    return replace(describe(text, m.start), start=m.start, end=m.end, antecedent=m.antecedent)


def strip_possessive(norm: str) -> str:
    words = norm.split()
    while words and words[0] in ("my", "our", "your", "their", "his", "her"):
        words = words[1:]
    return " ".join(words)



def turns(text: str, start: int) -> tuple[str | None, str | None]:
    """The transcript label (`MS. PSAKI`, `Q`) of the turn holding `start`, and the one
    answering or asked (the nearest other speaker's label before it, else after it)."""
    labels = [(m.start(), m.group(1)) for m in LABEL.finditer(text)]
    before = [label for pos, label in labels if pos < start]
    current = before[-1] if before else None
    if current is None:
        return None, None
    asked = current == "Q"
    other = next((label for label in reversed(before) if (label == "Q") != asked), None)
    if other is None:
        other = next((label for pos, label in labels if pos > start
                      and (label == "Q") != asked), None)
    return current, other
