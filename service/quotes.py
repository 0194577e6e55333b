"""Quotes: which candidate passages answer the question, joined into verbatim spans, by voice.

1. **Score.** Each candidate's relevance: cosine between its vector and the question's (a
   follow-up weighs its own words against the earlier topic), plus small bonuses for shared rare
   words, for naming the speaker and for holding the kind of figure the question asks for.
2. **Select.** Above a relevance bar only; nothing above it means ``supported: false``. Figures
   and the named speaker's claims come first; the rest must be close to the best.
3. **Spans.** A passage grows into its claim's neighbouring passages (a quotation split across
   sentences reads wrongly in halves) and into chosen neighbours of the same speaker, never over
   a paragraph break, rebuilt verbatim from the passages and the gaps between them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from service.figures import AskedFigure, figures_in
from service.retrieval import Candidate
from service.schemas import AnswerSection, CueOut, QuoteOut, SourceOut, SpeakerOut
from sourcewise.types import Voice
from vectorstore.lexical import tokenize
from vectorstore.store import StoredDocument, StoredPassage, passage_id

#: The relevance bars (the defaults of ``Settings.relevance``, where a deployment changes them).
#: Measured on both evaluation sets (README, "The evaluation sets"). A quote margin of 0.20 instead
#: of 0.30 returns 15-20% fewer quotes, raises quote precision (sample 18% -> 19%, real 22% -> 25%)
#: and keeps every gold claim 0.30 found; 0.12 lost sample recall (65.5% -> 62.2%). A support bar of
#: 0.50 abstained on one more of the real set's 12 unanswerable questions but refused "What did
#: TASS say about the protests?" (a speaker's claims rarely repeat the question's words): 0.45 stays.
SUPPORT_BAR = 0.45
#: The bar when the question names something (a noun) that no document mentions at all.
UNKNOWN_SUBJECT_BAR = 0.74
#: Quotes must also score at least this (a little lower: a second claim may be worded further off).
QUOTE_BAR = 0.40
#: ... and be within this of the best quote, so that a strong answer is not padded with weak ones.
QUOTE_MARGIN = 0.20
#: Weight of shared rare words (IDF-weighted share of the question's words found in the passage).
LEXICAL_WEIGHT = 0.15
#: Bonus when the question names the passage's speaker (or the outlet that relayed the claim).
SPEAKER_BONUS = 0.08
#: Bonus for a passage that holds the kind of figure the question asks for (a count, a date).
FIGURE_BONUS = 0.08
#: At most this many figure-giving passages are put first when a question asks for a figure.
FIGURE_QUOTES = 4
#: A follow-up's own words weigh this much against the earlier topic when scoring passages.
FOLLOW_UP_OWN_WEIGHT = 0.5
#: At most this many passages are joined into one quote.
MAX_SPAN_PASSAGES = 3


@dataclass
class Span:
    """Consecutive passages of one document and speaker, shown as one quote."""

    document: StoredDocument
    passages: list[StoredPassage]
    score: float
    voice: Voice = field(init=False)

    def __post_init__(self) -> None:
        self.voice = self.passages[0].attribution.speaker.voice

    @property
    def start(self) -> int:
        return self.passages[0].start

    @property
    def end(self) -> int:
        return self.passages[-1].end

    @property
    def text(self) -> str:
        """The span verbatim: the passages and what lies between them in the document."""
        parts = []
        for p in self.passages[:-1]:
            parts.append(p.text + p.gap_after)
        parts.append(self.passages[-1].text)
        return "".join(parts)


def score_candidates(
    candidates: list[Candidate],
    question: str,
    context: str,
    query_vector: np.ndarray,
    own_vector: np.ndarray,
    idf: Callable[[str], float],
    asked: AskedFigure | None,
) -> list[Candidate]:
    """Each quotable candidate's relevance, best first (headings and fragments are left out)."""
    candidates = [c for c in candidates if quotable(c.passage)]
    if not candidates:
        return []
    matrix = np.stack([c.passage.vector for c in candidates])
    if context:
        # A follow-up is about its own subject ("what about Xi?") within the earlier topic.
        cosine = FOLLOW_UP_OWN_WEIGHT * (matrix @ own_vector) + (1 - FOLLOW_UP_OWN_WEIGHT) * (matrix @ query_vector)
    else:
        cosine = matrix @ query_vector
    own_terms = set(tokenize(question))
    context_terms = set(tokenize(context)) - own_terms if context else set()
    for candidate, cos in zip(candidates, cosine.tolist()):
        passage = candidate.passage
        words = set(tokenize(passage.text))
        lexical = _overlap(own_terms, words, idf)
        if context_terms:
            lexical = FOLLOW_UP_OWN_WEIGHT * lexical + (1 - FOLLOW_UP_OWN_WEIGHT) * _overlap(own_terms | context_terms, words, idf)
        candidate.named = candidate.named and (passage.attribution.how != "author"
                                               or passage.attribution.speaker.name != passage.publisher)
        # "How many ...?" is answered by a passage with a count in it, "when ...?" by one with a date.
        candidate.figure = asked is not None and bool(figures_in(passage.text, asked))
        candidate.score = float(
            cos
            + LEXICAL_WEIGHT * lexical
            + (SPEAKER_BONUS if candidate.named else 0.0)
            + (FIGURE_BONUS if candidate.figure else 0.0)
        )
    return sorted(candidates, key=lambda c: (-c.score, c.passage.doc_id, c.passage.index))


#: A quote has at least this many words: "Peskov said." or "Font size" is no claim.
MIN_QUOTE_WORDS = 4
#: A line of at most this many words without a full stop is a heading or caption, not a claim.
HEADING_WORDS = 14
_ENDS_SENTENCE = re.compile(r"[.!…\"”’'»)\]]\s*$")


def quotable(passage: StoredPassage) -> bool:
    """Whether a passage can be quoted as a claim: not a fragment, heading or caption.

    A heading is a short passage that ends its line without a full stop, an exclamation or a
    closing quotation mark ("The USA and EU: champions of peaceful protests or meddlers?",
    "Kazakhstan unrest"); a fragment has fewer than four words.
    """
    words = re.findall(r"[^\W\d_]+", passage.text)
    if len(words) < MIN_QUOTE_WORDS:
        return False
    ends_line = not passage.gap_after or "\n" in passage.gap_after
    return not (ends_line and len(words) <= HEADING_WORDS and not _ENDS_SENTENCE.search(passage.text))


def _overlap(terms: set[str], words: set[str], idf: Callable[[str], float]) -> float:
    """IDF-weighted share of ``terms`` found in ``words`` (0..1)."""
    if not terms:
        return 0.0
    total = sum(idf(t) for t in terms)
    return sum(idf(t) for t in terms & words) / total if total else 0.0


def select(scored: list[Candidate], top_k: int, bar: float = SUPPORT_BAR, *, about_speaker: bool = False,
           speaker_words: set[str] | None = None, quote_bar: float = QUOTE_BAR,
           quote_margin: float = QUOTE_MARGIN) -> list[Candidate]:
    """The anchors of the quotes to show, best first: above the bars, figures and named speakers first.

    ``about_speaker``: the question asks only what a speaker it names said ("What did Simonyan
    say?"); that speaker's claims answer it whatever their words, and nobody else's do.
    ``speaker_words``: the distinctive words of the speakers the question names; when some of
    their claims are chosen, another voice's passage joins them only if it mentions them (a
    reaction to what they said), never as filler.
    """
    if about_speaker:
        return [c for c in scored if c.named]
    if not scored or scored[0].score < bar:
        return []
    floor = max(quote_bar, scored[0].score - quote_margin)
    # When the question asks for a figure, the sources' figures come first (within the plain
    # bar), so that differing figures are shown side by side rather than only the top one.
    figures = [c for c in scored if c.figure and c.score >= quote_bar][:FIGURE_QUOTES]
    reserved = {id(c) for c in figures}
    # "What did Lukashenko say?" is answered by Lukashenko first: the named speaker's claims
    # (above the plain bar) come before others' passages that merely mention him.
    named = [c for c in scored if c.named and c.score >= quote_bar and id(c) not in reserved]
    reserved |= {id(c) for c in named}
    others = [c for c in scored if c.score >= floor and id(c) not in reserved]
    if named:
        # Others' passages join a speaker's claims only when they answer the question as well as
        # the speaker's best claim does without its bonus, and mention the speaker.
        floor = max(floor, named[0].score - SPEAKER_BONUS)
        words = speaker_words or set()
        others = [c for c in others if c.score >= floor and words & set(tokenize(c.passage.text))]
    return figures + named + others


def make_spans(
    chosen: list[Candidate], top_k: int, neighbours: Callable[[list[str]], dict[str, StoredPassage]]
) -> list[Span]:
    """The chosen anchors grown into quotes, without overlaps, at most ``top_k``."""
    anchors: list[Candidate] = []
    seen: set[str] = set()
    for c in chosen:
        if c.passage.id not in seen:
            anchors.append(c)
            seen.add(c.passage.id)
        if len(anchors) >= top_k * 2:
            break
    # One read for the neighbours that can join an anchor: the rest of its claim (where the claim
    # runs past the passage) — a chosen neighbour is at hand already.
    around: dict[str, StoredPassage] = {c.passage.id: c.passage for c in chosen}
    wanted = []
    for c in anchors:
        p = c.passage
        steps = ([-1, -2] if p.claim_start < p.start else []) + ([1, 2] if p.claim_end > p.end else [])
        wanted.extend(passage_id(p.doc_id, p.version, p.index + d) for d in steps if p.index + d >= 0)
    wanted = [pid for pid in dict.fromkeys(wanted) if pid not in around]
    if wanted:
        around.update(neighbours(wanted))
    chosen_ids = {c.passage.id for c in chosen}
    spans: list[Span] = []
    taken: set[str] = set()
    for anchor in anchors:  # best first, so the best passage of a span anchors it
        if anchor.passage.id in taken:
            continue
        members = _grow(anchor.passage, around, chosen_ids, taken)
        taken.update(p.id for p in members)
        spans.append(Span(anchor.document, members, anchor.score))
        if len(spans) >= top_k:
            break
    return spans


def _grow(anchor: StoredPassage, around: dict[str, StoredPassage], chosen: set[str], taken: set[str]) -> list[StoredPassage]:
    """The anchor joined with neighbours that belong with it: the rest of its claim, or chosen
    neighbours of the same speaker in the same paragraph."""
    members = [anchor]

    def neighbour(p: StoredPassage, step: int) -> StoredPassage | None:
        return around.get(passage_id(p.doc_id, p.version, p.index + step))

    def joins(other: StoredPassage | None, current: StoredPassage, before: bool) -> bool:
        if other is None or other.id in taken or len(members) >= MAX_SPAN_PASSAGES:
            return False
        first = other if before else current
        if "\n" in first.gap_after:
            return False  # a quote never runs over a paragraph break
        if other.claim == current.claim:
            return True
        same_speaker = (other.attribution.speaker.name, other.attribution.speaker.voice) == (
            current.attribution.speaker.name, current.attribution.speaker.voice)
        return same_speaker and other.id in chosen and other.attribution.how != "author"

    while joins(neighbour(members[0], -1), members[0], True):
        members.insert(0, neighbour(members[0], -1))
    while joins(neighbour(members[-1], 1), members[-1], False):
        members.append(neighbour(members[-1], 1))
    return members


def sections_of(spans: Sequence[Span]) -> list[AnswerSection]:
    """Spans as public quotes, grouped into sections in API voice order, best first in each."""
    by_voice: dict[Voice, list[QuoteOut]] = defaultdict(list)
    for span in spans:
        attribution = span.passages[0].attribution
        speaker = attribution.speaker
        cue = attribution.cue
        by_voice[span.voice].append(
            QuoteOut(
                id=f"{span.document.doc_id}@{span.document.version}:{span.start}-{span.end}",
                text=span.text,
                start=span.start,
                end=span.end,
                speaker=SpeakerOut(name=speaker.name, role=speaker.role, voice=speaker.voice),
                source=source_of(span.document),
                score=round(span.score, 4),
                conduit=attribution.conduit,
                how=attribution.how,
                cue=CueOut(text=cue.text, start=cue.start, end=cue.end) if cue else None,
            )
        )
    return [
        AnswerSection(voice=voice, label=voice.label, quotes=sorted(by_voice[voice], key=lambda q: -q.score))
        for voice in Voice
        if by_voice.get(voice)
    ]


def source_of(doc: StoredDocument) -> SourceOut:
    return SourceOut(
        doc_id=doc.doc_id,
        title=doc.title,
        publisher=doc.publisher,
        author=doc.author,
        published=doc.published,
        url=doc.url,
        genre=doc.genre,
        corpus=doc.corpus,
        version=doc.version,
    )


_WORD = re.compile(r"\w+")
