"""Sentence splitting with exact character offsets into the cleaned text.

A rule-based splitter: predictable on quotes ("….”, reports X." stays one sentence), keeps
headings (lines without final punctuation) as sentences of their own, and knows common
abbreviations and initials. Offsets are exact: ``text[start:end] == sentence``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "capt", "cmdr", "sgt", "sen", "rep", "gov", "prof",
    "jr", "sr", "no", "nos", "vol", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "a.m", "p.m", "jan", "feb",
    "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "inc", "ltd", "co", "corp", "approx", "est", "fig",
    "art", "arts", "para", "pres", "rev", "hon", "mt", "ft", "op", "cf", "al",
}
# End punctuation, then any closing quotes/brackets, then space, then what can open a sentence; or
# a page capture that lost the space between sentences ("told a briefing.On Wednesday, ..."): a word's
# end, the stop, and a capitalised word (not a domain: "inform.kz", "Node.js" do not match).
_BOUNDARY_RE = re.compile(
    r"[.!?…]+[”’»\"')\]]*(?=\s+[“‘«\"'(\[]?[A-Z0-9À-ÖØ-ÞА-Я])"
    r"|(?<=[a-z]{2})[.!?](?=[A-Z][a-z]+[\s,;:’'])"
)
_WORD_BEFORE_RE = re.compile(r"([\w.]+)$")


@dataclass(frozen=True)
class SentenceSpan:
    """A sentence's offsets in the cleaned text and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` ends an abbreviation or an initial rather than a sentence."""
    m = _WORD_BEFORE_RE.search(text, 0, dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word == "no":  # "No. 5" abbreviates number; "said no." ends a sentence
        return bool(re.match(r"\.\s*\d", text[dot:]))
    if word in _ABBREVIATIONS:
        return True
    # Initials: "J. Smith", "U.S." -> a single capital letter before the dot.
    last = word.split(".")[-1]
    return len(last) == 1 and text[dot - 1].isupper()


def split_paragraph(text: str, offset: int, paragraph: int) -> list[SentenceSpan]:
    """Split one paragraph (no newlines) into sentences, offsets shifted by ``offset``."""
    spans: list[SentenceSpan] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        punct = text[m.start() : m.end()].rstrip("”’»\"')]")
        if punct == "." and _is_abbreviation(text, m.start()):
            continue
        end = m.end()
        if text[start:end].strip():
            spans.append(SentenceSpan(offset + start, offset + end, paragraph))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if text[start:].strip():
        end = len(text.rstrip())
        spans.append(SentenceSpan(offset + start, offset + end, paragraph))
    return spans


def split_sentences(text: str) -> list[SentenceSpan]:
    """All sentences of a cleaned text (paragraphs separated by newlines), in order."""
    spans: list[SentenceSpan] = []
    paragraph = 0
    for m in re.finditer(r"[^\n]+", text):
        if not m.group(0).strip():
            continue
        # Skip leading blanks inside the line so that offsets start on a character.
        lead = len(m.group(0)) - len(m.group(0).lstrip())
        spans.extend(split_paragraph(m.group(0)[lead:], m.start() + lead, paragraph))
        paragraph += 1
    return spans
