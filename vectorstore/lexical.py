"""A BM25 index over the chunks, for the lexical half of hybrid retrieval.

Dense vectors miss rare names and figures ("Zas", "2,500 troops"); BM25 catches them. The index
is built in memory from what Chroma holds (:meth:`LexicalIndex.from_store`), with ``bm25s``:
scores come from a sparse matrix, so a query costs one pass over the query terms' postings,
not a Python loop over the documents.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN
from bm25s.tokenization import Tokenized

if TYPE_CHECKING:
    from vectorstore.store import KnowledgeStore

logger = logging.getLogger(__name__)
# bm25s logs every index build at DEBUG on its own handler; that is noise in CLIs and servers.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_HAS_SCIPY = importlib.util.find_spec("scipy") is not None

# bm25s' list is the short Lucene one; questions add their own function words ("what did ... say"),
# which would otherwise match nearly every chunk with a tiny score.
STOP_WORDS: frozenset[str] = frozenset(STOPWORDS_EN) | frozenset(
    """
    about above after again against all am any because been before being below between both can
    could did do does doing done down during each few from further had has have having he her here
    hers herself him himself his how i its itself just me more most my myself nor now only other
    our ours ourselves out over own same she should so some than those through too under until up
    very we were what when where which while who whom why would you your yours yourself yourselves
    """.split()
)

# A number keeps its thousands separators and decimals together ("2,500", "1.5"); a word is a
# run of letters and digits that starts with a letter ("covid19"); apostrophes and hyphens split.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+", re.UNICODE)
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")


def tokenize(text: str) -> list[str]:
    """Lowercase words and numbers of ``text``, without stop words, as both docs and queries see them.

    Numbers are written one way: "2,500" and "2500" are the same token; a comma that cannot be a
    thousands separator is a decimal one ("1,5" is "1.5"). Single letters are dropped, digits kept.
    """
    # One comprehension, no per-token function calls except for numbers: this runs over every
    # word of the corpus when the index is built.
    return [
        _number(token) if token[0].isdigit() else token
        for token in _TOKEN.findall(text.casefold())
        if token not in STOP_WORDS and (len(token) > 1 or token.isdigit())
    ]


def _number(token: str) -> str:
    if "," not in token:
        return token
    if _THOUSANDS.match(token):
        return token.replace(",", "")
    return token.replace(",", ".")


class LexicalIndex:
    """BM25 over chunk texts: ranked chunk ids for a query, optionally within an allowed set."""

    def __init__(self, ids: list[str], model: bm25s.BM25 | None, vocab: dict[str, int]) -> None:
        """Use :meth:`build` or :meth:`from_store`."""
        self._ids = ids
        self._row = {chunk_id: row for row, chunk_id in enumerate(ids)}
        self._model = model
        self._vocab = vocab

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> LexicalIndex:
        """Index ``texts`` under ``ids`` (same length; ids unique)."""
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        id_list = list(ids)
        if len(set(id_list)) != len(id_list):
            raise ValueError("Chunk ids must be unique")
        vocab: dict[str, int] = {}
        corpus_ids = [[vocab.setdefault(token, len(vocab)) for token in tokenize(text)] for text in texts]
        if not id_list or not vocab:
            return cls(id_list, None, vocab)
        # scipy builds the sparse matrix several times faster than bm25s' pure-numpy fallback.
        model = bm25s.BM25(csc_backend="scipy" if _HAS_SCIPY else "numpy")
        # Our own token ids: the query side must tokenise exactly like the documents did.
        model.index(Tokenized(ids=corpus_ids, vocab=dict(vocab)), create_empty_token=False, show_progress=False)
        logger.info("Lexical index: %d chunks, %d terms", len(id_list), len(vocab))
        return cls(id_list, model, vocab)

    @classmethod
    def from_store(cls, store: KnowledgeStore) -> LexicalIndex:
        """Index every chunk the store holds."""
        ids: list[str] = []
        texts: list[str] = []
        for page_ids, page_texts, _ in store.iter_chunks():
            ids.extend(page_ids)
            texts.extend(page_texts)
        return cls.build(ids, texts)

    def search(self, query: str, k: int, allowed: Collection[str] | None = None) -> list[tuple[str, float]]:
        """The ``k`` best chunks for ``query``: ``(chunk_id, BM25 score)``, best first, scores > 0.

        With ``allowed``, only those chunk ids are ranked (ids not in the index are ignored). A
        query with no indexed terms (only stop words, or unseen words) gives ``[]``.
        """
        if k <= 0 or self._model is None:
            return []
        # Repeating a word in a question should not multiply its weight.
        term_ids = sorted({self._vocab[t] for t in tokenize(query) if t in self._vocab})
        if not term_ids:
            return []
        scores = self._model.get_scores_from_ids(term_ids)
        if allowed is None:
            rows = np.flatnonzero(scores > 0)
        else:
            candidates = np.unique(
                np.fromiter((self._row[i] for i in allowed if i in self._row), dtype=np.int64, count=-1)
            )
            rows = candidates[scores[candidates] > 0]
        if rows.size > k:
            rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
        # Ties are broken by chunk id so that results do not depend on the order of `allowed`.
        ordered = sorted(rows.tolist(), key=lambda r: (-float(scores[r]), self._ids[r]))
        return [(self._ids[r], float(scores[r])) for r in ordered]

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return f"LexicalIndex(chunks={len(self._ids)}, terms={len(self._vocab)})"
