"""Evaluation metrics: pure functions over API responses (``API.md``) and document texts.

Everything here reads plain JSON-shaped dicts, as a client of the public API receives them, so
the same functions score Sourcewise and the baseline. Gold knowledge comes in two forms:

- gold attribution labels (``gold_attribution.yaml``): the voice of whole sentences, each found
  by a verbatim prefix; a sentence without a label is the outlet's own narration;
- gold claims of the questions (``questions.yaml``): verbatim spans with the voice of whoever
  makes the claim.

Both are located in each document's *cleaned* text (the text quote offsets refer to) and turned
into :class:`GoldSpan` s. A quote "touches" a gold span when they share at least half of the
shorter of the two (:func:`overlaps`): a sentence quote that drifts a few characters into its
neighbour does not take the neighbour's label, while a long chunk does carry every sentence it
contains.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from evals.schema import EvalQuestion, GoldSentence
from sourcewise.types import STATE_VOICES, Voice

logger = logging.getLogger(__name__)

#: Share of the shorter span two spans must share to count as the same text.
MIN_OVERLAP_SHARE = 0.5

# Characters that cleaning may legitimately change; gold texts are matched through this map when
# they are not found verbatim, so that a normalised apostrophe does not make a label vanish.
_NORMALISE = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u00ad": "",
}
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
_SENTENCE_END = ".!?"
# A period after these is an abbreviation, not a sentence end ("U.S. Secretary", "Gen. Serdyukov").
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "gen", "rep", "sen", "st", "prof", "no", "vs", "etc"})


@dataclass(frozen=True)
class GoldSpan:
    """A located piece of gold knowledge: a span of a document's cleaned text and its voice."""

    doc_id: str
    start: int
    end: int
    voice: Voice
    origin: Literal["sentence", "claim"]
    text: str


@dataclass(frozen=True)
class QuoteView:
    """One quote of a response, flattened with the voice of the section that shows it."""

    quote_id: str
    section_voice: str
    doc_id: str
    start: int
    end: int
    text: str
    verbatim: bool


# --------------------------------------------------------------------------- locating text


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` normalised (quotes, dashes, whitespace runs) and, per output char, its source index."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        replacement = _NORMALISE.get(ch, ch)
        if replacement.isspace():
            if chars and chars[-1] == " ":
                continue
            chars.append(" ")
            index.append(i)
            continue
        for out in replacement:
            chars.append(out)
            index.append(i)
    return "".join(chars), index


def locate(document_text: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` lies in ``document_text``: exactly, else modulo quote/dash/space normalisation."""
    if not needle:
        return None
    position = document_text.find(needle)
    if position >= 0:
        return position, position + len(needle)
    haystack, index = _normalise_with_map(document_text)
    normalised_needle, _ = _normalise_with_map(needle)
    normalised_needle = normalised_needle.strip()
    if not normalised_needle:
        return None
    position = haystack.find(normalised_needle)
    if position < 0:
        return None
    return index[position], index[position + len(normalised_needle) - 1] + 1


def sentence_end(document_text: str, start: int, min_end: int) -> int:
    """End of the sentence that begins at ``start`` and covers at least ``[start, min_end)``.

    A sentence ends at '.', '!' or '?' followed by whitespace, a closing quote or the end of the
    text (closing quotes are kept inside), or at a line break (headings have no full stop).
    """
    n = len(document_text)
    i = max(start, min_end - 1)
    while i < n:
        ch = document_text[i]
        if ch == "\n" and i >= min_end:
            return i
        if ch in _SENTENCE_END:
            after = i + 1
            while after < n and document_text[after] in _CLOSERS:
                after += 1
            if after >= n or document_text[after].isspace() or after > i + 1:
                if ch != "." or not _is_abbreviation(document_text, i):
                    return after
        i += 1
    return n


def _is_abbreviation(text: str, dot: int) -> bool:
    match = re.search(r"([A-Za-z]+)$", text[max(0, dot - 12) : dot])
    if match is None:
        return False
    word = match.group(1)
    return len(word) == 1 or word.lower() in _ABBREVIATIONS


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters two half-open spans share."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int, share: float = MIN_OVERLAP_SHARE) -> bool:
    """Whether two spans share at least ``share`` of the shorter one (and at least one character)."""
    shared = overlap(a_start, a_end, b_start, b_end)
    shorter = min(a_end - a_start, b_end - b_start)
    return shared > 0 and shared >= share * shorter


# --------------------------------------------------------------------------- gold spans


def gold_sentence_spans(labels: Iterable[GoldSentence], documents: Mapping[str, str]) -> list[GoldSpan]:
    """Locate each gold label in its document and extend it to the end of its sentence."""
    spans: list[GoldSpan] = []
    for label in labels:
        text = documents.get(label.doc_id, "")
        found = locate(text, label.text)
        if found is None:
            logger.warning("Gold sentence not found in %s: %r", label.doc_id, label.text[:60])
            continue
        start, prefix_end = found
        end = sentence_end(text, start, prefix_end)
        spans.append(GoldSpan(label.doc_id, start, end, label.voice, "sentence", text[start:end]))
    # A label of a claim within a sentence (a clause) ends where the sentence's next claim begins.
    spans.sort(key=lambda g: (g.doc_id, g.start))
    clamped: list[GoldSpan] = []
    for span, following in zip(spans, [*spans[1:], None]):
        end = span.end
        if following is not None and following.doc_id == span.doc_id and span.start < following.start < end:
            end = following.start
        documents_text = documents.get(span.doc_id, "")
        clamped.append(GoldSpan(span.doc_id, span.start, end, span.voice, span.origin, documents_text[span.start:end]))
    return clamped


def claim_spans(question: EvalQuestion, documents: Mapping[str, str]) -> list[GoldSpan | None]:
    """Each gold claim of ``question`` located in its document (None where it cannot be found)."""
    spans: list[GoldSpan | None] = []
    for claim in question.claims:
        text = documents.get(claim.doc_id, "")
        found = locate(text, claim.text)
        if found is None:
            logger.warning("Gold claim of %s not found in %s: %r", question.id, claim.doc_id, claim.text[:60])
            spans.append(None)
            continue
        start, end = found
        spans.append(GoldSpan(claim.doc_id, start, end, claim.voice, "claim", text[start:end]))
    return spans


def build_gold_index(
    sentences: Iterable[GoldSpan], claims: Iterable[GoldSpan | None]
) -> dict[str, list[GoldSpan]]:
    """All gold spans by document, duplicates removed (the same claim may serve several questions)."""
    index: dict[str, list[GoldSpan]] = {}
    seen: set[tuple[str, int, int, Voice]] = set()
    for span in [*sentences, *claims]:
        if span is None:
            continue
        key = (span.doc_id, span.start, span.end, span.voice)
        if key in seen:
            continue
        seen.add(key)
        index.setdefault(span.doc_id, []).append(span)
    return index


# --------------------------------------------------------------------------- responses


def iter_quotes(response: Mapping[str, Any], documents: Mapping[str, str]) -> list[QuoteView]:
    """The quotes of an ``/v1/ask`` response with their section voice and verbatim check.

    A quote whose offsets do not reproduce its text is placed by its text instead (when it is in
    the document), so an offset bug lowers the verbatim rate without also erasing its recall.
    """
    quotes: list[QuoteView] = []
    for section in response.get("sections") or []:
        voice = str(section.get("voice"))
        for quote in section.get("quotes") or []:
            source = quote.get("source") or {}
            doc_id = str(source.get("doc_id"))
            text = str(quote.get("text", ""))
            start, end = int(quote.get("start", -1)), int(quote.get("end", -1))
            document = documents.get(doc_id)
            verbatim = document is not None and 0 <= start <= end <= len(document) and document[start:end] == text
            if not verbatim and document is not None:
                found = locate(document, text)
                start, end = found if found is not None else (-1, -1)
            quotes.append(QuoteView(str(quote.get("id")), voice, doc_id, start, end, text, verbatim))
    return quotes


def touching(quote: QuoteView, gold: Mapping[str, Sequence[GoldSpan]]) -> list[GoldSpan]:
    """Gold spans the quote shares text with (see :func:`overlaps`)."""
    if quote.start < 0:
        return []
    return [g for g in gold.get(quote.doc_id, ()) if overlaps(quote.start, quote.end, g.start, g.end)]


def verbatim_counts(quotes: Sequence[QuoteView]) -> tuple[int, int]:
    """(quotes whose ``document.text[start:end] == text``, all quotes)."""
    return sum(q.verbatim for q in quotes), len(quotes)


LeakKind = Literal["state_claim_under_non_state", "independent_claim_under_state", "forbidden_voice"]


class Leak(BaseModel):
    """A quote shown under a voice that breaks the separation of state and independent claims."""

    model_config = ConfigDict(extra="forbid")

    quote_id: str = Field(description="Quote id within its response")
    kind: LeakKind = Field(description="Which separation rule the quote breaks")
    section_voice: str = Field(description="Voice of the section that shows the quote")
    gold_voice: str = Field(description="The voice the gold gives the quote's claim")
    doc_id: str = Field(description="Document of the quote")
    text: str = Field(description="The quote's text (shortened)")


def _is_state(voice: str | Voice) -> bool:
    try:
        return Voice(voice) in STATE_VOICES
    except ValueError:
        return False


def separation_leaks(
    quotes: Sequence[QuoteView],
    gold: Mapping[str, Sequence[GoldSpan]],
    outlet_voices: Mapping[str, Voice] | None = None,
    forbidden: Mapping[GoldSpan, Sequence[Voice]] | None = None,
) -> list[Leak]:
    """Quotes that mix state and independent claims; each quote is reported once, first rule first.

    - a Russian-state claim (gold) shown under a voice that is not a state voice;
    - an independent claim shown under a state voice: a quote that touches a gold span labelled
      independent, or, in a document whose outlet is independent, touches no gold span or lies
      mostly outside them (unlabelled sentences are the outlet's own narration);
    - a question's claim shown under one of that question's ``forbidden_voices``.
    """
    outlet_voices = outlet_voices or {}
    forbidden = forbidden or {}
    leaks: list[Leak] = []
    for quote in quotes:
        if quote.start < 0:
            continue
        touched = touching(quote, gold)
        leak: Leak | None = None
        state_claims = [g for g in touched if g.voice is Voice.RUSSIAN_STATE]
        if state_claims and not _is_state(quote.section_voice):
            leak = _leak(quote, "state_claim_under_non_state", Voice.RUSSIAN_STATE)
        elif _is_state(quote.section_voice):
            independent_outlet = outlet_voices.get(quote.doc_id, Voice.INDEPENDENT) is Voice.INDEPENDENT
            narration = independent_outlet and (not touched or _mostly_unlabelled(quote, gold))
            if narration or any(g.voice is Voice.INDEPENDENT for g in touched):
                leak = _leak(quote, "independent_claim_under_state", Voice.INDEPENDENT)
        if leak is None:
            for span, voices in forbidden.items():
                if quote.section_voice in {v.value for v in voices} and span.doc_id == quote.doc_id and overlaps(
                    quote.start, quote.end, span.start, span.end
                ):
                    leak = _leak(quote, "forbidden_voice", span.voice)
                    break
        if leak is not None:
            leaks.append(leak)
    return leaks


def _mostly_unlabelled(quote: QuoteView, gold: Mapping[str, Sequence[GoldSpan]]) -> bool:
    """Whether at least half of the quote lies outside every gold span (a chunk carrying narration)."""
    covered = [False] * (quote.end - quote.start)
    for span in gold.get(quote.doc_id, ()):
        for i in range(max(span.start, quote.start), min(span.end, quote.end)):
            covered[i - quote.start] = True
    return bool(covered) and covered.count(False) >= MIN_OVERLAP_SHARE * len(covered)


def _leak(quote: QuoteView, kind: LeakKind, gold_voice: Voice) -> Leak:
    return Leak(
        quote_id=quote.quote_id,
        kind=kind,
        section_voice=quote.section_voice,
        gold_voice=gold_voice.value,
        doc_id=quote.doc_id,
        text=quote.text[:160],
    )


def attribution_counts(quotes: Sequence[QuoteView], gold: Mapping[str, Sequence[GoldSpan]]) -> tuple[int, int]:
    """(correctly attributed, judged) over quotes that touch at least one gold span.

    A quote is correct when every gold span it touches has its section's voice: a chunk that
    mixes a minister's claim with the author's narration cannot be right under one voice.
    """
    correct = judged = 0
    for quote in quotes:
        touched = touching(quote, gold)
        if not touched:
            continue
        judged += 1
        correct += all(g.voice.value == quote.section_voice for g in touched)
    return correct, judged


class ClaimHit(BaseModel):
    """Whether one gold claim was quoted, and under the right voice."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(description="Document of the claim")
    text: str = Field(description="The claim's gold text")
    voice: str = Field(description="Gold voice of the claim")
    found: bool = Field(description="A quote shares text with the claim")
    right_section: bool = Field(description="Such a quote stands in the section of the claim's voice")
    shown_under: list[str] = Field(description="Voices of the sections whose quotes cover the claim")


def claim_hits(quotes: Sequence[QuoteView], claims: Sequence[GoldSpan | None], question: EvalQuestion) -> list[ClaimHit]:
    """For each gold claim of ``question``: covered by a quote? under its own voice?"""
    hits: list[ClaimHit] = []
    for claim, span in zip(question.claims, claims, strict=True):
        voices: list[str] = []
        if span is not None:
            for quote in quotes:
                if quote.doc_id == span.doc_id and quote.start >= 0 and overlaps(quote.start, quote.end, span.start, span.end):
                    if quote.section_voice not in voices:
                        voices.append(quote.section_voice)
        hits.append(
            ClaimHit(
                doc_id=claim.doc_id,
                text=claim.text,
                voice=claim.voice.value,
                found=bool(voices),
                right_section=claim.voice.value in voices,
                shown_under=voices,
            )
        )
    return hits


def abstention_correct(response: Mapping[str, Any], answerable: bool) -> bool:
    """Whether the service answered exactly when it should.

    An unanswerable question must get ``supported: false`` and no sections; an answerable one
    ``supported: true`` with at least one quote.
    """
    supported = bool(response.get("supported"))
    quote_count = sum(len(s.get("quotes") or []) for s in response.get("sections") or [])
    if answerable:
        return supported and quote_count > 0
    return not supported and not (response.get("sections") or [])


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when there is nothing to divide (no judged items)."""
    return numerator / denominator if denominator else None


# --------------------------------------------------------------------------- per question and overall


class QuestionResult(BaseModel):
    """How one system did on one question."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Question id")
    kind: str = Field(description="Question kind")
    answerable: bool = Field(description="Whether the corpus answers it")
    supported: bool | None = Field(description="The response's `supported`; null when the request failed")
    error: str | None = Field(default=None, description="Why the request failed, when it did")
    quotes: int = Field(description="Quotes returned")
    sections: list[str] = Field(description="Voices of the sections returned, in order")
    verbatim: int = Field(description="Quotes whose offsets reproduce their text")
    leaks: list[Leak] = Field(description="Separation leaks among the quotes")
    attribution_correct: int = Field(description="Judged quotes under the gold voice")
    attribution_judged: int = Field(description="Quotes that touch a gold span")
    on_gold: int = Field(default=0, description="Quotes that overlap one of the question's gold claims")
    claims: list[ClaimHit] = Field(description="Gold claims and whether they were quoted")
    claim_recall: float | None = Field(description="Share of gold claims quoted; null when there are none")
    claim_recall_right_section: float | None = Field(description="Share of gold claims quoted under their voice")
    abstention_correct: bool = Field(description="supported == answerable (and no sections when unanswerable)")
    latency_s: float = Field(description="Seconds from request to response")


def score_question(
    question: EvalQuestion,
    response: Mapping[str, Any] | None,
    latency_s: float,
    documents: Mapping[str, str],
    gold: Mapping[str, Sequence[GoldSpan]],
    outlet_voices: Mapping[str, Voice] | None = None,
    error: str | None = None,
) -> QuestionResult:
    """Score one response against the question's gold claims and the gold index.

    A failed request (``response`` None) scores as an empty, unsupported answer so that it costs
    recall (and abstention, when the question is answerable) instead of vanishing from the mean.
    """
    response = response or {"supported": None, "sections": []}
    quotes = iter_quotes(response, documents)
    spans = claim_spans(question, documents)
    # A forbidden voice is forbidden for the claims of other voices: a loaded question's
    # independent claim shown as independent is right, its state claim shown as independent is not.
    forbidden = {
        span: [v for v in question.forbidden_voices if v != span.voice]
        for span in spans
        if span is not None and question.forbidden_voices
    }
    hits = claim_hits(quotes, spans, question)
    correct, judged = attribution_counts(quotes, gold)
    verbatim, _ = verbatim_counts(quotes)
    supported = response.get("supported")
    return QuestionResult(
        id=question.id,
        kind=question.kind.value,
        answerable=question.answerable,
        supported=None if supported is None else bool(supported),
        error=error,
        quotes=len(quotes),
        sections=[str(s.get("voice")) for s in response.get("sections") or []],
        verbatim=verbatim,
        leaks=separation_leaks(quotes, gold, outlet_voices, forbidden),
        attribution_correct=correct,
        attribution_judged=judged,
        on_gold=sum(any(s is not None and q.doc_id == s.doc_id and q.start >= 0 and overlaps(q.start, q.end, s.start, s.end)
                        for s in spans) for q in quotes),
        claims=hits,
        claim_recall=ratio(sum(h.found for h in hits), len(hits)),
        claim_recall_right_section=ratio(sum(h.right_section for h in hits), len(hits)),
        abstention_correct=error is None and abstention_correct(response, question.answerable),
        latency_s=latency_s,
    )


class SystemMetrics(BaseModel):
    """One system's metrics over the whole question set."""

    model_config = ConfigDict(extra="forbid")

    questions: int = Field(description="Questions asked")
    errors: int = Field(description="Requests that failed")
    quotes: int = Field(description="Quotes returned in all")
    verbatim_rate: float | None = Field(description="Share of quotes with document.text[start:end] == text")
    leaks: int = Field(description="Separation leaks in all")
    leaks_by_kind: dict[str, int] = Field(description="Leaks per rule broken")
    attribution_accuracy: float | None = Field(description="Share of judged quotes under their gold voice")
    attribution_judged: int = Field(description="Quotes that touch a gold span")
    claim_recall: float | None = Field(description="Share of all gold claims (answerable questions) quoted")
    quote_precision: float | None = Field(
        default=None,
        description="Share of the quotes returned for answerable questions that are one of the question's gold claims "
        "(a lower bound: a relevant quote nobody labelled counts as wrong)",
    )
    claim_recall_mean: float | None = Field(description="Mean of the per-question claim recall")
    claim_recall_right_section: float | None = Field(description="Share of gold claims quoted under their voice")
    abstention_accuracy: float | None = Field(description="Share of questions with supported == answerable")
    unanswerable_abstained: float | None = Field(description="Share of unanswerable questions answered with supported: false")
    latency_median_s: float | None = Field(description="Median seconds per question")
    latency_p95_s: float | None = Field(description="95th percentile seconds per question")


def aggregate(results: Sequence[QuestionResult]) -> SystemMetrics:
    """Pool the per-question results into one system's metrics."""
    quotes = sum(r.quotes for r in results)
    leaks_by_kind: dict[str, int] = {}
    for result in results:
        for leak in result.leaks:
            leaks_by_kind[leak.kind] = leaks_by_kind.get(leak.kind, 0) + 1
    answerable = [r for r in results if r.answerable]
    claims = [hit for r in answerable for hit in r.claims]
    per_question = [r.claim_recall for r in answerable if r.claim_recall is not None]
    unanswerable = [r for r in results if not r.answerable]
    latencies = [r.latency_s for r in results if r.error is None]
    judged = sum(r.attribution_judged for r in results)
    return SystemMetrics(
        questions=len(results),
        errors=sum(r.error is not None for r in results),
        quotes=quotes,
        verbatim_rate=ratio(sum(r.verbatim for r in results), quotes),
        leaks=sum(leaks_by_kind.values()),
        leaks_by_kind=leaks_by_kind,
        attribution_accuracy=ratio(sum(r.attribution_correct for r in results), judged),
        attribution_judged=judged,
        claim_recall=ratio(sum(h.found for h in claims), len(claims)),
        quote_precision=ratio(sum(r.on_gold for r in answerable), sum(r.quotes for r in answerable)),
        claim_recall_mean=ratio(sum(per_question), len(per_question)),
        claim_recall_right_section=ratio(sum(h.right_section for h in claims), len(claims)),
        abstention_accuracy=ratio(sum(r.abstention_correct for r in results), len(results)),
        unanswerable_abstained=ratio(sum(r.abstention_correct for r in unanswerable), len(unanswerable)),
        latency_median_s=percentile(latencies, 50) if latencies else None,
        latency_p95_s=percentile(latencies, 95) if latencies else None,
    )
