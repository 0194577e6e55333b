"""The lexical half of hybrid retrieval: BM25 over passages, kept live beside the store.

Dense vectors miss rare names and figures ("Zas", "2,500 troops"); BM25 catches them. Chroma's
local builds have no sparse index, and a substring scan per query term costs tens of
milliseconds, so each service process keeps a compact inverted index of the passages: per term,
the rows that contain it and how often (numpy-ready ``array`` buffers), per row its length and the
few fields questions filter on (voice, corpus, publisher, document, speaker). No text and no vector
is held: about 0.2 KB per passage, against 4.5 KB when whole passages and vectors were cached.

The index follows the store through its change log (:meth:`LexicalIndex.sync`): a document
written or deleted by any replica is added to or dropped from the index within a second, one
document at a time, never by a full rebuild. bm25s builds a fixed index and cannot do that, so
BM25 is scored here, with the same k1 and b; bm25s' stop words are kept.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import threading
import time
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from bm25s.stopwords import STOPWORDS_EN

if TYPE_CHECKING:
    from vectorstore.store import KnowledgeStore, StoredPassage

logger = logging.getLogger(__name__)

# bm25s' list is the short Lucene one; questions add their own function words ("what did ... say"),
# which would otherwise match nearly every passage with a tiny score.
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
K1 = 1.5
B = 0.75
#: How often (seconds) a question may look at the change log; replicas agree within this.
SYNC_INTERVAL = 0.5


def tokenize(text: str) -> list[str]:
    """Lowercase words and numbers of ``text``, without stop words, as both passages and queries see them.

    Numbers are written one way: "2,500" and "2500" are the same token; a comma that cannot be a
    thousands separator is a decimal one ("1,5" is "1.5"). Single letters are dropped, digits kept.
    """
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


@dataclass(frozen=True)
class LexicalFilter:
    """What a question restricts passages to (empty: no restriction)."""

    voices: frozenset[str] = frozenset()
    corpora: frozenset[str] = frozenset()
    publishers: frozenset[str] = frozenset()
    doc_ids: frozenset[str] = frozenset()

    def is_empty(self) -> bool:
        return not (self.voices or self.corpora or self.publishers or self.doc_ids)


class _Codes:
    """Small integer codes for repeated strings (voices, corpora, publishers, documents, speakers)."""

    def __init__(self) -> None:
        self.by_value: dict[str, int] = {}
        self.values: list[str] = []

    def code(self, value: str) -> int:
        found = self.by_value.get(value)
        if found is None:
            found = self.by_value[value] = len(self.values)
            self.values.append(value)
        return found


class LexicalIndex:
    """BM25 over the store's passages, with filter fields, following the store's change log."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._ids: list[str | None] = []  # row -> passage id (None once removed)
        self._row_of: dict[str, int] = {}
        self._length = array("I")
        self._alive = bytearray()
        self._terms_of_row: list[array] = []
        self._codes = {name: _Codes() for name in ("voice", "corpus", "publisher", "doc", "speaker")}
        self._fields = {name: array("I") for name in self._codes}
        self._rows_of_doc: dict[str, list[int]] = {}
        self._term_code: dict[str, int] = {}
        self._postings_rows: list[array] = []
        self._postings_tf: list[array] = []
        self._df = array("I")
        self._numeric = bytearray()  # per term: whether it is a number
        self._live = 0
        self._total_length = 0
        self._speaker_rows: dict[int, list[int]] = {}
        #: Speakers' roles as written ("Kremlin spokesman"), a code of the speaker table -> rows.
        self._role_rows: dict[int, list[int]] = {}
        self._store: KnowledgeStore | None = None
        self._seq = 0
        self._change_count = -1
        self._checked = 0.0
        #: Bumped on every change applied: caches keyed on it follow the store.
        self.generation = 0
        #: False while the index is being built from the store (searches then find nothing).
        self.ready = True

    # ----------------------------------------------------------------------------- building

    @classmethod
    def from_store(cls, store: KnowledgeStore, *, snapshot: Path | None = None, background: bool = False) -> LexicalIndex:
        """The index of everything the store holds now, then kept in step with it.

        ``snapshot``: a file this index was saved to before; when it belongs to this store, it is
        loaded and the writes logged since are applied (seconds, whatever the corpus size), and
        after a build it is written. ``background``: build in a thread; until it is done
        :attr:`ready` is False and searches find nothing (answers rest on the dense search).
        """
        index = cls()
        index._store = store
        if snapshot is not None and index._load(snapshot, store):
            index.sync(force=True)
            return index
        if background:
            index.ready = False
            threading.Thread(target=index._build, args=(store, snapshot), name="lexical-index", daemon=True).start()
        else:
            index._build(store, snapshot)
        return index

    def _build(self, store: KnowledgeStore, snapshot: Path | None) -> None:
        started = time.perf_counter()
        try:
            with self._lock:
                self._change_count = store.change_count()
                changes = store.changes_since(0)
                self._seq = changes[-1].seq if changes else 0
            for page in store.iter_passage_pages():
                self.add_passages(page)
            # Passages of a version that no document record names (a write killed half-way) never answer.
            current = {d.doc_id: d.version for d in store.iter_documents()}
            for doc_id in list(self._rows_of_doc):
                rows = self._rows_of_doc[doc_id]
                if rows and current.get(doc_id) != _version_of(self._ids[rows[0]]):
                    self.remove_document(doc_id)
        except Exception:  # a background build must say why it stopped; the service keeps answering
            logger.exception("The lexical index could not be built from %s", store.location)
            if not self.ready:
                self.ready = True  # searches find what was indexed; the next sync fills in
            raise
        self.ready = True
        # Writes made while the index was being read.
        self._change_count = -1
        self.sync(force=True)
        logger.info("Lexical index: %d passages, %d terms in %.1f s", self._live, len(self._term_code),
                    time.perf_counter() - started)
        if snapshot is not None:
            try:
                self.save(snapshot, store)
            except OSError as exc:
                logger.warning("Could not save the lexical index to %s: %s", snapshot, exc)

    # ----------------------------------------------------------------------------- snapshots

    def save(self, path: Path, store: KnowledgeStore) -> None:
        """Write the index to ``path`` (atomically), marked with the store it follows."""
        with self._lock:
            meta = {
                "format": _SNAPSHOT_FORMAT, "store": store.identity(), "seq": self._seq,
                "ids": self._ids, "terms": sorted(self._term_code, key=self._term_code.__getitem__),
                "codes": {name: codes.values for name, codes in self._codes.items()},
                "speaker_keys": list(self._speaker_rows), "role_keys": list(self._role_rows),
                "live": self._live, "total_length": self._total_length,
            }
            arrays = {
                "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                "length": np.frombuffer(self._length, dtype=np.uint32),
                "alive": np.frombuffer(bytes(self._alive), dtype=np.uint8),
                "df": np.frombuffer(self._df, dtype=np.uint32),
                "numeric": np.frombuffer(bytes(self._numeric), dtype=np.uint8),
                **{f"field_{name}": np.frombuffer(values, dtype=np.uint32) for name, values in self._fields.items()},
                **_flat("terms_of_row", self._terms_of_row, np.uint32),
                **_flat("postings_rows", self._postings_rows, np.uint32),
                **_flat("postings_tf", self._postings_tf, np.uint16),
                **_flat("speaker_rows", [array("I", rows) for rows in self._speaker_rows.values()], np.uint32),
                **_flat("role_rows", [array("I", rows) for rows in self._role_rows.values()], np.uint32),
            }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as out:
            np.savez(out, **arrays)
        os.replace(partial, path)
        logger.info("Saved the lexical index (%d passages) to %s", self._live, path)

    def _load(self, path: Path, store: KnowledgeStore) -> bool:
        """Fill this (empty) index from a snapshot of the same store; False when there is none to use."""
        if not path.is_file():
            return False
        started = time.perf_counter()
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode())
                if meta.get("format") != _SNAPSHOT_FORMAT or meta.get("store") != store.identity():
                    logger.info("Lexical snapshot %s belongs to another index; building anew", path)
                    return False
                self._ids = meta["ids"]
                self._row_of = {pid: row for row, pid in enumerate(self._ids) if pid is not None}
                self._length = array("I", data["length"].tobytes())
                self._alive = bytearray(data["alive"].tobytes())
                self._df = array("I", data["df"].tobytes())
                self._numeric = bytearray(data["numeric"].tobytes())
                for name in self._codes:
                    codes = _Codes()
                    codes.values = list(meta["codes"][name])
                    codes.by_value = {v: i for i, v in enumerate(codes.values)}
                    self._codes[name] = codes
                    self._fields[name] = array("I", data[f"field_{name}"].tobytes())
                self._terms_of_row = _unflat(data, "terms_of_row", "I")
                self._postings_rows = _unflat(data, "postings_rows", "I")
                self._postings_tf = _unflat(data, "postings_tf", "H")
                self._term_code = {term: code for code, term in enumerate(meta["terms"])}
                self._speaker_rows = dict(zip(meta["speaker_keys"], (list(r) for r in _unflat(data, "speaker_rows", "I")),
                                              strict=True))
                self._role_rows = dict(zip(meta["role_keys"], (list(r) for r in _unflat(data, "role_rows", "I")), strict=True))
                self._live, self._total_length, self._seq = meta["live"], meta["total_length"], meta["seq"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("Lexical snapshot %s is unreadable (%s); building anew", path, exc)
            self.__init__()
            self._store = store
            return False
        doc_column = self._codes["doc"].values
        for row, alive in enumerate(self._alive):
            if alive:
                self._rows_of_doc.setdefault(doc_column[self._fields["doc"][row]], []).append(row)
        self._change_count = -1
        logger.info("Lexical index: %d passages loaded from %s in %.1f s", self._live, path, time.perf_counter() - started)
        return True

    @classmethod
    def build(cls, passages: Iterable[StoredPassage]) -> LexicalIndex:
        """An index of the given passages, not tied to a store (tests, tools)."""
        index = cls()
        index.add_passages(list(passages))
        return index

    def add_passages(self, passages: Sequence[StoredPassage]) -> None:
        """Add passages (a document's new version, say); a passage already indexed is left as it is."""
        with self._lock:
            for p in passages:
                if p.id in self._row_of:
                    continue
                self._add(p)
            self.generation += 1

    def _add(self, p: StoredPassage) -> None:
        row = len(self._ids)
        self._ids.append(p.id)
        self._row_of[p.id] = row
        tokens = tokenize(p.text)
        self._length.append(len(tokens))
        self._alive.append(1)
        counts: dict[int, int] = {}
        for token in tokens:
            code = self._term_code.get(token)
            if code is None:
                code = self._term_code[token] = len(self._postings_rows)
                self._postings_rows.append(array("I"))
                self._postings_tf.append(array("H"))
                self._df.append(0)
                self._numeric.append(token[0].isdigit())
            counts[code] = counts.get(code, 0) + 1
        for code, tf in counts.items():
            self._postings_rows[code].append(row)
            self._postings_tf[code].append(min(tf, 65535))
            self._df[code] += 1
        self._terms_of_row.append(array("I", counts))
        attribution = p.attribution
        # A person writing in their own name (a minister's remarks, a columnist) speaks; an outlet's
        # own sentences are the outlet's, whose name questions use for other things too.
        name = attribution.speaker.name or ""
        speaker = name if attribution.how != "author" or (name and name != p.publisher) else ""
        for name, value in (("voice", attribution.speaker.voice.value), ("corpus", p.corpus),
                            ("publisher", p.publisher), ("doc", p.doc_id), ("speaker", speaker)):
            self._fields[name].append(self._codes[name].code(value))
        self._rows_of_doc.setdefault(p.doc_id, []).append(row)
        if speaker:
            self._speaker_rows.setdefault(self._fields["speaker"][row], []).append(row)
        if attribution.conduit:
            self._speaker_rows.setdefault(self._codes["speaker"].code(attribution.conduit), []).append(row)
        role = attribution.speaker.role if speaker else None
        if role:
            self._role_rows.setdefault(self._codes["speaker"].code(role), []).append(row)
        self._live += 1
        self._total_length += len(tokens)

    def remove_document(self, doc_id: str) -> None:
        """Drop every passage of a document (any version)."""
        with self._lock:
            for row in self._rows_of_doc.pop(doc_id, []):
                if not self._alive[row]:
                    continue
                self._alive[row] = 0
                for code in self._terms_of_row[row]:
                    self._df[code] -= 1
                self._terms_of_row[row] = array("I")
                self._live -= 1
                self._total_length -= self._length[row]
                pid = self._ids[row]
                if pid is not None:
                    del self._row_of[pid]
                self._ids[row] = None
            self.generation += 1

    # ------------------------------------------------------------------------------ syncing

    def sync(self, force: bool = False) -> bool:
        """Apply the writes the store's change log holds beyond what this index has seen.

        Looks at the log at most every :data:`SYNC_INTERVAL` seconds (one cheap count), so a
        document written through another replica is searchable here within a second. True when
        something changed.
        """
        store = self._store
        if store is None or not self.ready:
            return False
        now = time.monotonic()
        if not force and now - self._checked < SYNC_INTERVAL:
            return False
        with self._lock:
            self._checked = now
            count = store.change_count()
            if count == self._change_count:
                return False
            # Writers' clocks may differ a little: read a few seconds back and skip what was applied.
            changes = store.changes_since(max(0, self._seq - 5_000_000_000))
            store.follow_other_writers(changes)  # before reading the new passages
            latest: dict[str, object] = {}
            for change in changes:
                latest[change.doc_id] = change
            for doc_id, change in latest.items():
                self._apply(store, doc_id, change)
            self._change_count = count
            if changes:
                self._seq = max(self._seq, changes[-1].seq)
            self.generation += 1
            return True

    def _apply(self, store: KnowledgeStore, doc_id: str, change) -> None:
        current = store.document(doc_id)
        rows = self._rows_of_doc.get(doc_id, [])
        indexed_version = _version_of(self._ids[rows[0]]) if rows and self._ids[rows[0]] else None
        if current is None:
            if rows:
                self.remove_document(doc_id)
            return
        if indexed_version == current.version:
            return
        self.remove_document(doc_id)
        passages = store.get_passages({"$and": [{"doc_id": doc_id}, {"version": current.version}]})
        self.add_passages(passages)

    # ---------------------------------------------------------------------------- searching

    def search(self, query: str, k: int, where: LexicalFilter | None = None) -> list[tuple[str, float]]:
        """The ``k`` best passages for ``query`` by BM25 under ``where``: ``(passage id, score)``."""
        if not self.ready:
            return []
        terms = [t for t in dict.fromkeys(tokenize(query)) if t in self._term_code]
        if not terms or k <= 0:
            return []
        with self._lock:
            n = len(self._ids)
            if not n or not self._live:
                return []
            scores = np.zeros(n, dtype=np.float32)
            lengths = np.frombuffer(self._length, dtype=np.uint32)[:n].astype(np.float32)
            avg = self._total_length / self._live if self._live else 1.0
            for term in terms:
                code = self._term_code[term]
                rows = np.frombuffer(self._postings_rows[code], dtype=np.uint32)
                if not len(rows):
                    continue
                tf = np.frombuffer(self._postings_tf[code], dtype=np.uint16).astype(np.float32)
                idf = self._idf_code(code)
                norm = K1 * (1 - B + B * lengths[rows] / avg)
                scores[rows] += idf * tf * (K1 + 1) / (tf + norm)
            mask = self._mask(where, n)
            scores[~mask] = 0
            hits = np.flatnonzero(scores > 0)
            if not len(hits):
                return []
            top = hits[np.argsort(-scores[hits], kind="stable")[:k]]
            return [(self._ids[row], float(scores[row])) for row in top if self._ids[row] is not None]

    def share(self, where: LexicalFilter | None) -> float:
        """The share of live passages that pass ``where`` (1.0 for no filter, or an empty index)."""
        with self._lock:
            n = len(self._ids)
            if n == 0 or where is None or where.is_empty():
                return 1.0
            return float(self._mask(where, n).sum()) / self._live if self._live else 1.0

    def _mask(self, where: LexicalFilter | None, n: int) -> np.ndarray:
        mask = np.frombuffer(bytes(self._alive[:n]), dtype=np.uint8).astype(bool)
        if where is None or where.is_empty():
            return mask
        for name, values in (("voice", where.voices), ("corpus", where.corpora), ("publisher", where.publishers),
                             ("doc", where.doc_ids)):
            if not values:
                continue
            codes = [self._codes[name].by_value[v] for v in values if v in self._codes[name].by_value]
            column = np.frombuffer(self._fields[name], dtype=np.uint32)[:n]
            mask &= np.isin(column, np.asarray(codes, dtype=np.uint32))
        return mask

    def _idf_code(self, code: int) -> float:
        df = self._df[code]
        return math.log(1 + (self._live - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency of a term (that of an unseen term for one not indexed)."""
        code = self._term_code.get(term)
        if code is None or self._df[code] == 0:
            return math.log(1 + (self._live + 0.5) / 0.5)
        return self._idf_code(code)

    def knows(self, term: str) -> bool:
        """Whether any passage holds the (tokenized) term."""
        code = self._term_code.get(term)
        return code is not None and self._df[code] > 0

    def speakers(self) -> list[str]:
        """Every named speaker (or conduit) of a passage in the index."""
        return self._live_names(self._speaker_rows)

    def roles(self) -> list[str]:
        """Every role a named speaker of a passage has ("Kremlin spokesman"); ``passages_of`` takes them too."""
        return self._live_names(self._role_rows)

    def _live_names(self, rows_by_code: dict[int, list[int]]) -> list[str]:
        if not self.ready:
            return []
        with self._lock:
            values = self._codes["speaker"].values
            return [values[code] for code, rows in rows_by_code.items() if values[code] and any(self._alive[r] for r in rows)]

    def publishers(self) -> list[str]:
        """Every publisher of an indexed passage."""
        if not self.ready:
            return []
        with self._lock:
            return [v for v in self._codes["publisher"].values if v]

    def passages_of(self, names: Iterable[str], where: LexicalFilter | None = None, limit: int = 200) -> list[str]:
        """Ids of passages spoken (or relayed) by these speakers, or by speakers of these roles, under ``where``."""
        if not self.ready:
            return []
        with self._lock:
            n = len(self._ids)
            mask = self._mask(where, n)
            out: list[str] = []
            for name in names:
                code = self._codes["speaker"].by_value.get(name)
                if code is None:
                    continue
                for row in self._speaker_rows.get(code, []) + self._role_rows.get(code, []):
                    if mask[row] and self._ids[row] is not None:
                        out.append(self._ids[row])
            return list(dict.fromkeys(out))[:limit]

    def passes(self, pid: str, where: LexicalFilter) -> bool | None:
        """Whether an indexed passage meets ``where``; None when the index does not hold it."""
        if not self.ready:
            return None
        with self._lock:
            row = self._row_of.get(pid)
            if row is None:
                return None
            return self._row_passes(row, where)

    def document_passes(self, doc_id: str, where: LexicalFilter) -> bool | None:
        """Whether any passage of a document meets ``where``; None when the index does not hold it."""
        if not self.ready:
            return None
        with self._lock:
            rows = [r for r in self._rows_of_doc.get(doc_id, []) if self._alive[r]]
            if not rows:
                return None
            return any(self._row_passes(row, where) for row in rows)

    def _row_passes(self, row: int, where: LexicalFilter) -> bool:
        if not self._alive[row]:
            return False
        for name, values in (("voice", where.voices), ("corpus", where.corpora), ("publisher", where.publishers),
                             ("doc", where.doc_ids)):
            if values and self._codes[name].values[self._fields[name][row]] not in values:
                return False
        return True

    def passages_with_numbers(self, doc_ids: Iterable[str], where: LexicalFilter | None = None, limit: int = 200) -> list[str]:
        """Ids of the passages of these documents that hold a number (candidates for a figure)."""
        if not self.ready:
            return []
        with self._lock:
            out: list[str] = []
            for doc_id in doc_ids:
                for row in self._rows_of_doc.get(doc_id, []):
                    if not self._alive[row] or (where is not None and not self._row_passes(row, where)):
                        continue
                    if any(self._numeric[code] for code in self._terms_of_row[row]):
                        pid = self._ids[row]
                        if pid is not None:
                            out.append(pid)
                if len(out) >= limit:
                    break
            return out[:limit]

    def __len__(self) -> int:
        return self._live

    @property
    def term_count(self) -> int:
        return len(self._term_code)


#: Bumped when the snapshot layout changes (an old snapshot is then ignored and rebuilt).
_SNAPSHOT_FORMAT = 3  # 2: speakers' roles; 3: authors writing in their own name


def _flat(name: str, arrays: Sequence[array], dtype) -> dict[str, np.ndarray]:
    """Many small arrays as one buffer and their end offsets."""
    lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
    values = np.frombuffer(b"".join(a.tobytes() for a in arrays), dtype=dtype) if arrays else np.zeros(0, dtype=dtype)
    return {f"{name}_values": values, f"{name}_ends": np.cumsum(lengths)}


def _unflat(data, name: str, typecode: str) -> list[array]:
    values = data[f"{name}_values"]
    ends = data[f"{name}_ends"]
    raw = values.tobytes()
    size = values.itemsize
    out: list[array] = []
    start = 0
    for end in ends.tolist():
        part = array(typecode)
        part.frombytes(raw[start * size : end * size])
        out.append(part)
        start = end
    return out


def _version_of(pid: str | None) -> str | None:
    if not pid:
        return None
    key = pid.rpartition(":p")[0]
    return key.rpartition("@")[2]
