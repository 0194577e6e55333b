"""Retrieval: the passages that may answer a question, read from the store for each question.

Nothing of the corpus is held in memory but the lexical index (:mod:`vectorstore.lexical`):
every candidate passage, with its claim and vector, comes from Chroma per question (one read for
all of them), under the request's filters (see :meth:`Retriever._nearest`). Sources, fused by
reciprocal rank:

- the passages nearest to the question (dense, Chroma);
- the passages of the chunks nearest to it (dense, a wider context);
- the passages BM25 ranks highest (lexical: rare names and figures);
- every claim of a speaker the question names ("what did Peskov say?");
- for a question that asks for a figure, every passage of the top documents that gives one.

A passage of a document version that its document record no longer names (edited or deleted
since) is dropped, so a quote's offsets always match ``GET /v1/documents/{doc_id}``.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from service.figures import AskedFigure, figures_in
from service.schemas import AskFilters
from vectorstore.lexical import LexicalFilter, LexicalIndex
from vectorstore.store import KnowledgeStore, StoredDocument, StoredPassage, where_filter

logger = logging.getLogger(__name__)

#: Reciprocal rank fusion constant (Cormack et al. 2009); damps the weight of the very first ranks.
RRF_K = 60
#: Passages fetched from the dense passage search and from BM25.
NEAREST_PASSAGES = 30
LEXICAL_PASSAGES = 20
#: Chunks whose passages become candidates.
NEAREST_CHUNKS = 8
#: Documents whose figure-giving passages are added when a question asks for a figure.
FIGURE_DOCUMENTS = 5
#: At most this many passages of named speakers become candidates.
NAMED_PASSAGES = 60
#: At most this many passages with numbers are read for a figure question.
FIGURE_PASSAGES = 80
#: Nearest records read unfiltered (ids and distances: about 15 ms at 100,000) for a filtered
#: question, and how many of them must pass the filter for the ``where`` query to be skipped.
OVERFETCH = 1500
OVERFETCH_ENOUGH = 10


@dataclass
class Candidate:
    """A passage that may become (part of) a quote."""

    passage: StoredPassage
    document: StoredDocument
    score: float = 0.0
    fused: float = 0.0
    figure: bool = False  # holds a figure of the kind the question asks for
    named: bool = False  # its speaker (or conduit) is named in the question


def lexical_filter(filters: AskFilters) -> LexicalFilter:
    return LexicalFilter(
        voices=frozenset(v.value for v in filters.voices),
        corpora=frozenset(filters.corpora),
        publishers=frozenset(filters.publishers),
        doc_ids=frozenset(filters.doc_ids),
    )


class Retriever:
    """Finds candidate passages for a question in one store and its lexical index."""

    def __init__(self, store: KnowledgeStore, lexical: LexicalIndex, documents, passages, members) -> None:
        self.store = store
        self.lexical = lexical
        #: Callables, cached by the engine: doc ids -> {doc_id: StoredDocument}; passage ids -> passages
        #: with vectors; chunk ids -> {chunk_id: its passage ids}.
        self._documents = documents
        self._passages = passages
        self._members = members

    def candidates(
        self,
        query: str,
        vector: np.ndarray,
        filters: AskFilters,
        named: Sequence[str] = (),
        asked: AskedFigure | None = None,
    ) -> list[Candidate]:
        """Candidate passages with their current documents, best fused rank first.

        The nearest passages and chunks come from Chroma as ids and distances; every passage that
        may be scored is then read once, with its vector.
        """
        lexical_where = lexical_filter(filters)
        if filters.speakers:
            named = list(dict.fromkeys([*named, *filters.speakers]))

        dense = self._nearest("passages", vector, NEAREST_PASSAGES, filters, lexical_where)
        chunks = self._nearest("chunks", vector, NEAREST_CHUNKS, filters, lexical_where)
        members = self._members([cid for cid, _ in chunks])
        chunk_rank = [(pid, score) for cid, score in chunks for pid in members.get(cid, [])]
        lexical = self.lexical.search(query, LEXICAL_PASSAGES, lexical_where)
        named_ids = self.lexical.passages_of(named, lexical_where, NAMED_PASSAGES) if named else []
        fused = reciprocal_rank_fusion([dense, chunk_rank, lexical])
        order = list(fused) + [pid for pid in named_ids if pid not in fused]
        if asked is not None:
            # "How many ...?": the passages with numbers in the top documents, checked once read.
            top_docs = list(dict.fromkeys(pid.partition("@")[0] for pid in order))[:FIGURE_DOCUMENTS]
            figure_ids = [pid for pid in self.lexical.passages_with_numbers(top_docs, lexical_where, FIGURE_PASSAGES)
                          if pid not in fused]
        else:
            figure_ids = []

        by_id = {p.id: p for p in self._passages(order + figure_ids)}
        for pid in figure_ids:
            p = by_id.get(pid)
            if p is not None and figures_in(p.text, asked):
                order.append(pid)
        documents = self._documents({p.doc_id for p in by_id.values()})
        # Right after a write the cached records may lag the passages by up to one sync: read the
        # records of those documents from the store itself rather than drop their new passages.
        # (A document with no record was just read from the store by the cache: it is gone.)
        lagging = sorted({p.doc_id for p in by_id.values()
                          if (doc := documents.get(p.doc_id)) is not None and doc.version != p.version})
        if lagging:
            documents = {**documents, **self.store.documents_by_id(lagging)}
        out: list[Candidate] = []
        named_set = set(named_ids)
        for pid in dict.fromkeys(order):
            p = by_id.get(pid)
            if p is None:
                continue
            doc = documents.get(p.doc_id)
            # A passage of a version the document record no longer names is never quoted.
            if doc is None or doc.version != p.version or not _passes(p, filters):
                continue
            out.append(Candidate(p, doc, fused=fused.get(pid, 0.0), named=pid in named_set))
        return out

    def _nearest(
        self, kind: Literal["chunks", "passages"], vector: np.ndarray, k: int, filters: AskFilters,
        lexical_where: LexicalFilter,
    ) -> list[tuple[str, float]]:
        """The ``k`` nearest chunks or passages under the filters.

        Unfiltered: one Chroma query. Filtered: Chroma's local build scans every record's metadata
        for a ``where`` (about 130 ms at 100,000 passages whatever the filter selects), so the
        nearest ``OVERFETCH`` are taken unfiltered and checked against the lexical index's record
        of each passage's (or document's) voice, corpus and publisher; only when too few pass (a
        narrow filter) does the ``where`` query run.
        """
        if filters.is_empty():
            return self.store.nearest_ids(kind, vector, k)
        where = where_filter(filters.voices, filters.publishers, filters.doc_ids, filters.corpora, kind=kind)
        if not filters.speakers and self.lexical.ready:
            # Over-fetch in proportion to how narrow the filter is (three times what should pass),
            # not always the maximum: every id Chroma sends costs its CPU. A question whose neighbours
            # are mostly of other voices ("Wasn't the intervention simply an occupation?" asked of
            # Russian state sources) gets one more, full over-fetch before the scan of every record.
            share = self.lexical.share(lexical_where)
            first = min(OVERFETCH, max(4 * k, math.ceil(3 * k / max(share, 1e-6))))
            for fetch in dict.fromkeys((first, OVERFETCH)):
                passing: list[tuple[str, float]] = []
                for item_id, score in self.store.nearest_ids(kind, vector, fetch):
                    doc_id = item_id.partition("@")[0]
                    ok = (self.lexical.passes(item_id, lexical_where) if kind == "passages"
                          else self.lexical.document_passes(doc_id, lexical_where))
                    if ok:
                        passing.append((item_id, score))
                        if len(passing) == k:
                            break
                if len(passing) >= min(k, OVERFETCH_ENOUGH):
                    return passing
        return self.store.nearest_ids(kind, vector, k, where)


def _passes(p: StoredPassage, filters: AskFilters) -> bool:
    """The filters, applied to the passage itself (a chunk may hold a wanted voice next to others)."""
    if filters.voices and p.attribution.speaker.voice not in filters.voices:
        return False
    if filters.corpora and p.corpus not in filters.corpora:
        return False
    if filters.publishers and p.publisher not in filters.publishers:
        return False
    if filters.doc_ids and p.doc_id not in filters.doc_ids:
        return False
    if filters.speakers and not ({p.attribution.speaker.name, p.attribution.conduit} & set(filters.speakers)):
        return False
    return True


def reciprocal_rank_fusion(rankings: Sequence[Sequence[tuple[str, float]]], k: int = RRF_K) -> dict[str, float]:
    """Ids with their summed ``1 / (k + rank)`` over ``rankings`` (Cormack et al. 2009), best first."""
    fused: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        seen: set[str] = set()
        rank = 0
        for item, _ in ranking:
            if item in seen:
                continue
            seen.add(item)
            rank += 1
            fused[item] += 1.0 / (k + rank)
    return dict(sorted(fused.items(), key=lambda kv: (-kv[1], kv[0])))
