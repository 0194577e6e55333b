"""Figures in quotes (counts, dates) and where the sources give different ones.

Only when the question asks for a figure are figures compared: a timeline is not a disagreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTHS})\b)(?!\d)",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "half": 0.5,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<digits>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?P<scale>thousand|million))?(?![\w])"
    r"|\b(?P<words>(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|a|half|and)[\s-]+){1,4}(?:hundred|thousand|million))\b",
    re.IGNORECASE,
)
# Up to three words after a number, stopping at a function word or punctuation ("164 killed in" -> "164 killed").
_WORDS_AFTER = re.compile(
    r"[ \t]*(?:[-–][ \t]*)?(?P<words>(?:(?!(?:in|on|at|of|and|or|to|by|for|from|with|as|the|a|an|were|was|had|have|has|would|will)\b)[^\W\d_]+[ \t]*){1,4})",
    re.IGNORECASE,
)
# Questions that ask for a figure; only then are figures compared (a timeline is not a disagreement).
_ASKS_COUNT = re.compile(r"\bhow (?:many|much|large|big)\b|\bnumber of\b|\bfigures?\b|\btoll\b|\bsize\b", re.I)
_ASKS_DATE = re.compile(r"\bwhen\b|\bwhat date\b|\bwhich date\b|\bby what\b|\bhow long\b|\bdates?\b", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# Nouns that count the same thing in news of conflicts: troops by any name, the dead by any name.
_UNIT_CLASSES = {
    **dict.fromkeys(
        "troop soldier servicemen serviceman peacekeeper paratrooper paratroop personnel military force fighter".split(), "troops"
    ),
    **dict.fromkeys("people person dead death died victim killed casualty fatality civilian".split(), "people"),
    **dict.fromkeys("injured wounded hurt injury".split(), "injured"),
    **dict.fromkeys("detained arrested detainee arrest detention".split(), "detained"),
    **dict.fromkeys("day week month hour".split(), "duration"),
}
_UNIT_CLASS_NAMES = frozenset(_UNIT_CLASSES.values())
_OUTCOME_WORDS = frozenset("killed dead died injured wounded hurt detained arrested".split())
# What a date is the date of: a withdrawal is not a deployment, nor the start of the protests.
_EVENTS = {
    "withdrawal": "withdraw withdraws withdrew withdrawn withdrawal withdrawing leave leaves left pull pulled "
                  "pullout depart departed departure exit return returned end ended completion completed",
    "deployment": "deploy deployed deploying deployment arrive arrived arrival send sent dispatch dispatched "
                  "land landed enter entered",
    "start": "begin began begun beginning start started erupt erupted outbreak broke",
}
_EVENT_OF = {word: event for event, words in _EVENTS.items() for word in words.split()}


@dataclass(frozen=True)
class AskedFigure:
    """The kind of figure a question asks for: a count (of what, when the question says) or a date."""

    kind: Literal["count", "date"]
    unit: str | None = None
    event: str | None = None  # a date of what: withdrawal, deployment or start


def asked_figure(question: str) -> AskedFigure | None:
    """What figure ``question`` asks for ("how many soldiers" -> a count of troops), or None."""
    if _ASKS_COUNT.search(question):
        words = re.findall(r"[^\W\d_]+", question)
        # What happened to them decides what is asked: "how many people were detained" asks the detained.
        outcomes = [_UNIT_CLASSES[w.lower()] for w in words if w.lower() in _OUTCOME_WORDS]
        units = [_unit_class(word) for word in words]
        known = outcomes or [unit for unit in units if unit in _UNIT_CLASS_NAMES]
        return AskedFigure("count", known[0] if known else None)
    if _ASKS_DATE.search(question):
        events = [_EVENT_OF[w] for w in re.findall(r"[^\W\d_]+", question.lower()) if w in _EVENT_OF]
        return AskedFigure("date", event=events[0] if events else None)
    return None


@lru_cache(maxsize=65536)
def figures_in(text: str, asked: AskedFigure) -> list[tuple[str, float, str]]:
    """Figures of the asked kind in ``text``: (what is counted, value, figure as printed).

    Cached: the same corpus sentences are read for every question that asks for a figure (callers
    must not modify the list)."""
    if asked.kind == "date":
        if asked.event is not None and asked.event not in {_EVENT_OF.get(w) for w in re.findall(r"[^\W\d_]+", text.lower())}:
            return []  # a date, but of something else
        return [("date", value, printed) for value, printed in _dates(text)]
    counts = _counts(text)
    if asked.unit is not None:
        return [c for c in counts if c[0] == asked.unit]
    return [c for c in counts if c[0] != "duration"]


def _dates(text: str) -> list[tuple[float, str]]:
    """Month-day dates in ``text`` as (sortable value, text as printed)."""
    found = []
    months = _MONTHS.split("|")
    for match in _DATE.finditer(text):
        month = (match.group("m1") or match.group("m2")).lower()
        day = int(match.group("d1") or match.group("d2"))
        if not 1 <= day <= 31:
            continue
        number = _month_number(month, months)
        found.append((number * 100 + day, match.group(0)))
    return found


def _month_number(month: str, months: list[str]) -> int:
    full = months[:12]
    for i, name in enumerate(full, start=1):
        if name.startswith(month[:3]):
            return i
    return 0


def _counts(text: str) -> list[tuple[str, float, str]]:
    """Quantities in ``text`` (not years, not dates) as (what is counted, value, figure and noun as printed)."""
    date_spans = [m.span() for m in _DATE.finditer(text)]
    found = []
    for match in _NUMBER.finditer(text):
        if any(s <= match.start() < e for s, e in date_spans):
            continue
        if match.group("digits"):
            digits = match.group("digits")
            if _YEAR.match(digits) and not match.group("scale"):
                continue
            value = float(digits.replace(",", ""))
            if match.group("scale"):
                value *= _SCALES[match.group("scale").lower()]
        else:
            value = _word_number(match.group("words"))
            if value is None:
                continue
        after = _WORDS_AFTER.match(text, match.end())
        words = after.group("words").split() if after else []
        printed = " ".join([match.group(0), *words])
        # The counted noun is the first known one or the first plural ("12 security forces", "70 planes").
        head = next((w for w in words if _unit_class(w) in _UNIT_CLASS_NAMES or _unit_class(w) != w.lower()), None)
        unit_class = _unit_class(head or (words[0] if words else ""))
        # What happened to them decides what is counted: "3,000 people injured" counts the injured,
        # "12 security forces personnel killed" the dead.
        # ... also a few words on: "9,900 people were detained", "2,200 had been injured".
        later = re.findall(r"[^\W\d_]+", text[match.end() : match.end() + 60])[:len(words) + 3]
        outcomes = {_UNIT_CLASSES[w.lower()] for w in [*words, *later] if w.lower() in _OUTCOME_WORDS}
        if outcomes and unit_class in ("troops", "people", "injured", "detained"):
            unit_class = next((u for u in ("injured", "detained") if u in outcomes), "people")
        if unit_class not in _UNIT_CLASS_NAMES:
            # "peacekeepers would number about 2,500": the counted noun may come shortly before.
            before = re.findall(r"[^\W\d_]+", text[max(0, match.start() - 60) : match.start()])[-6:]
            known = [(word, _unit_class(word)) for word in reversed(before) if _unit_class(word) in _UNIT_CLASS_NAMES]
            if known:
                unit_class = known[0][1]
                printed = f"{printed} ({known[0][0]})"
        found.append((unit_class, value, printed))
    return found


def counted_qualifiers(question: str, asked: AskedFigure | None, places: list[tuple[int, int, str]]) -> set[str]:
    """Of ``places`` named in the question (start, end, name), those that qualify what a count
    question counts: "How many Chinese troops ...", "soldiers from Armenia" (not "... to Kazakhstan")."""
    if asked is None or asked.kind != "count":
        return set()
    out = set()
    for start, end, name in places:
        after = re.findall(r"[^\W\d_]+", question[end : end + 40])[:2]
        before = re.findall(r"[^\W\d_]+", question[max(0, start - 40) : start])[-2:]
        if after and _unit_class(after[0]) in _UNIT_CLASS_NAMES - {"duration"}:
            out.add(name)
        elif len(before) == 2 and before[1].lower() == "from" and _unit_class(before[0]) in _UNIT_CLASS_NAMES - {"duration"}:
            out.add(name)
    return out


def _unit_class(unit: str) -> str:
    """What a count counts, so that '10 days' is never compared with '2,500 soldiers'."""
    word = unit.lower()
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and len(word) > 3:
        word = word[:-1]
    return _UNIT_CLASSES.get(word, word)


def _word_number(words: str) -> float | None:
    """'three thousand' -> 3000, 'two and a half thousand' -> 2500; None when it is not a number."""
    total = 0.0
    current = 0.0
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w and w != "and"]
    for i, word in enumerate(parts):
        if word == "a" and i + 1 < len(parts) and parts[i + 1] == "half":
            continue  # "two and a half": the "a" is not one more
        if word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        elif word in _NUMBER_WORDS:
            current += _NUMBER_WORDS[word]
        else:
            return None
    total += current
    return total or None


