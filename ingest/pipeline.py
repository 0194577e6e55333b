"""The ingest pipeline: a corpus folder with a manifest -> attributed, embedded documents in Chroma."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ingest.attribution import Attributor
from ingest.chunking import make_chunks
from ingest.clean import CleaningError, clean_text, decode
from ingest.manifest import MANIFEST_NAME, load_manifest
from ingest.sentences import split_sentences
from sourcewise.registry import Registry, cached_registry
from sourcewise.settings import ChunkingParams, Settings
from sourcewise.types import DocumentMeta, ProcessedDocument, Sentence

logger = logging.getLogger(__name__)

#: Files in a corpus folder that are about the corpus rather than documents of it.
_NOT_DOCUMENTS = ("*.md", "*.yaml", "*.yml", "LICENSE*", ".*")


@dataclass
class IngestProblem:
    """Something that stopped one file or entry from being ingested; the rest goes on."""

    name: str
    message: str


@dataclass
class IngestReport:
    """What an ingest run did, for the CLI summary and tests."""

    documents: int = 0
    sentences: int = 0
    chunks: int = 0
    quotes: int = 0
    removed: list[str] = field(default_factory=list)
    sentences_per_voice: Counter = field(default_factory=Counter)
    speakers_per_voice: dict[str, set[str]] = field(default_factory=dict)
    problems: list[IngestProblem] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def process_document(
    meta: DocumentMeta,
    raw: bytes,
    registry: Registry,
    *,
    count_tokens: Callable[[str], int],
    chunking: ChunkingParams,
    context_country: str | None = None,
) -> ProcessedDocument:
    """Clean, split, attribute and chunk one document. Raises CleaningError for unreadable input."""
    text = clean_text(decode(raw, meta.file), meta).text
    if not text.strip():
        raise CleaningError(f"{meta.file}: nothing left after removing page boilerplate")
    outlet_voice = meta.outlet_voice or registry.outlet_voice(meta.publisher)
    spans = split_sentences(text)
    attributions = Attributor(registry, meta, outlet_voice, context_country).attribute(text, spans)
    sentences = [
        Sentence(doc_id=meta.doc_id, index=i, start=s.start, end=s.end, text=text[s.start : s.end], attribution=a)
        for i, (s, a) in enumerate(zip(spans, attributions, strict=True))
    ]
    chunks = make_chunks(meta.doc_id, text, sentences, count_tokens, chunking)
    return ProcessedDocument(meta=meta, outlet_voice=outlet_voice, text=text, sentences=sentences, chunks=chunks)


def read_corpus(
    corpus_dir: Path, registry: Registry, *, count_tokens: Callable[[str], int], chunking: ChunkingParams,
    progress: bool = False,
) -> tuple[list[ProcessedDocument], list[IngestProblem], list[str]]:
    """Process every manifest entry; return the documents, the problems and the manifest's doc ids."""
    corpus_dir = Path(corpus_dir)
    manifest = load_manifest(corpus_dir)
    problems: list[IngestProblem] = []
    listed = {d.file for d in manifest.documents}
    for path in sorted(p for p in corpus_dir.iterdir() if p.is_file()):
        if path.name != MANIFEST_NAME and not any(path.match(g) for g in _NOT_DOCUMENTS) and path.name not in listed:
            problems.append(IngestProblem(path.name, f"{path}: no manifest entry; add it to {MANIFEST_NAME} or move it out"))
    documents: list[ProcessedDocument] = []
    for meta in tqdm(manifest.documents, desc="reading", unit="doc", disable=not progress):
        path = corpus_dir / meta.file
        if not path.is_file():
            problems.append(IngestProblem(meta.doc_id, f"{path}: manifest entry {meta.doc_id!r} names a file that does not exist"))
            continue
        try:
            documents.append(
                process_document(
                    meta, path.read_bytes(), registry, count_tokens=count_tokens, chunking=chunking,
                    context_country=manifest.country,
                )
            )
        except CleaningError as exc:
            problems.append(IngestProblem(meta.doc_id, str(exc)))
    return documents, problems, [d.doc_id for d in manifest.documents]


def ingest_corpus(corpus_dir: Path, settings: Settings, *, progress: bool = False) -> IngestReport:
    """Ingest a corpus folder into the store named by ``settings``; idempotent."""
    from vectorstore.embeddings import load_embedder
    from vectorstore.store import KnowledgeStore

    started = time.perf_counter()
    report = IngestReport()
    registry = cached_registry(tuple(settings.registry_paths))
    embedder = load_embedder(settings)
    store = KnowledgeStore.connect(settings, dimension=embedder.dimension)
    documents, problems, listed_ids = read_corpus(
        corpus_dir, registry, count_tokens=embedder.count_tokens, chunking=settings.chunking, progress=progress
    )
    report.problems = problems

    texts: list[str] = []
    for doc in documents:
        texts.extend(c.text for c in doc.chunks)
        texts.extend(s.text for s in doc.sentences)
    t0 = time.perf_counter()
    vectors = _embed(embedder, texts, settings.embedding_batch_size, progress)
    report.embed_seconds = time.perf_counter() - t0

    offset = 0
    for doc in documents:
        n_chunks, n_sentences = len(doc.chunks), len(doc.sentences)
        chunk_vectors = vectors[offset : offset + n_chunks]
        sentence_vectors = vectors[offset + n_chunks : offset + n_chunks + n_sentences]
        offset += n_chunks + n_sentences
        store.upsert_document(doc, chunk_vectors, sentence_vectors)
        _count(report, doc)

    # A document dropped from the manifest leaves the store; one whose file is broken keeps its last good version.
    stale = sorted(set(store.document_ids()) - set(listed_ids))
    if stale:
        store.delete_documents(stale)
        report.removed = stale
    report.seconds = time.perf_counter() - started
    return report


def _embed(embedder, texts: list[str], batch: int, progress: bool) -> np.ndarray:
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    parts = []
    step = max(batch, 1) * 4
    for i in tqdm(range(0, len(texts), step), desc="embedding", unit="batch", disable=not progress):
        parts.append(embedder.embed_documents(texts[i : i + step]))
    return np.vstack(parts)


def _count(report: IngestReport, doc: ProcessedDocument) -> None:
    report.documents += 1
    report.sentences += len(doc.sentences)
    report.chunks += len(doc.chunks)
    for s in doc.sentences:
        att = s.attribution
        report.sentences_per_voice[att.speaker.voice.value] += 1
        if att.kind == "direct_quote":
            report.quotes += 1
        if att.kind != "author" and att.speaker.name:
            report.speakers_per_voice.setdefault(att.speaker.voice.value, set()).add(att.speaker.name)
