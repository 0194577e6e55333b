"""The ingest pipeline: a corpus folder with a manifest -> attributed, embedded documents in Chroma."""

from __future__ import annotations

import bisect
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ingest.attribution import DocumentInput, get_engine
from ingest.chunking import make_chunks
from ingest.clean import CleaningError, clean_text, decode
from ingest.dateline import Dateline, read_dateline
from ingest.html import extract_article
from ingest.manifest import MANIFEST_NAME, load_manifest
from ingest.sentences import SentenceSpan, split_sentences
from sourcewise.registry import OutletVerdict, Registry, cached_registry
from sourcewise.settings import ChunkingParams, Settings
from sourcewise.types import Claim, DocumentMeta, Passage, ProcessedDocument, Voice
from vectorstore.store import WriteResult, document_version

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

    corpus: str = ""
    documents: int = 0
    sentences: int = 0
    passages: int = 0
    chunks: int = 0
    quotes: int = 0
    removed: list[str] = field(default_factory=list)
    orphans: int = 0
    written: Counter = field(default_factory=Counter)
    #: Publishers no entry, name or address classifies: publisher -> (voice, reason).
    assumed_outlets: dict[str, tuple[str, str]] = field(default_factory=dict)
    claims_per_voice: Counter = field(default_factory=Counter)
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
    """Clean, split, attribute and chunk one document. Raises CleaningError for unreadable input.

    A ``.html`` file is a whole web page: its article is extracted first (trafilatura), and the
    page's author and date fill what the manifest leaves empty.
    """
    decoded = decode(raw, meta.file)
    if meta.file.lower().endswith((".html", ".htm")):
        page = extract_article(decoded, url=meta.url)
        decoded = page.text
        meta = meta.model_copy(update={
            "author": meta.author or page.author,
            "published": meta.published or (page.published[:10] if page.published else None),
        })
    text = clean_text(decoded, meta).text
    if not text.strip():
        raise CleaningError(f"{meta.file}: nothing left after removing page boilerplate")
    return attribute_text(meta, text, registry, count_tokens=count_tokens, chunking=chunking,
                          context_country=context_country)


def attribute_text(
    meta: DocumentMeta,
    text: str,
    registry: Registry,
    *,
    count_tokens: Callable[[str], int],
    chunking: ChunkingParams,
    context_country: str | None = None,
) -> ProcessedDocument:
    """Attribute and chunk a cleaned text: outlet voice, claims, passages, chunks."""
    dateline = read_dateline(text)
    verdict = registry.classify_outlet(meta.publisher, meta.url, published=meta.published)
    if meta.outlet_voice is None:  # a manifest's outlet_voice says whose text it is; a dateline does not overrule it
        verdict = credited_copy(registry, verdict, dateline, meta)
    assumed = False
    if meta.outlet_voice is not None:
        outlet_voice, reason = meta.outlet_voice, "given by the manifest (outlet_voice)"
    else:
        outlet_voice, reason, assumed = verdict.voice, verdict.reason, verdict.assumed
    entity = verdict.entity
    spans = split_sentences(text)
    country = context_country or topic_country(registry, text, meta.title)
    publisher_country = entity.country if entity is not None and entity.kind == "body" else verdict.official_country
    if publisher_country is None and entity is not None and entity.country and entity.voice is not Voice.INDEPENDENT:
        # "BEIJING, Aug. 25 (Xinhua) -- ..., a Foreign Ministry spokesperson said": a state outlet's copy
        # filed from its own country; an office the text gives no country is that state's.
        filed = registry.find_countries(dateline.city) if dateline is not None else []
        if filed and filed[0][2].country == entity.country:
            publisher_country = entity.country
    outlet_name = meta.publisher if verdict.carried_by is None else f"{verdict.name} (via {verdict.carried_by})"
    document = DocumentInput(meta=meta, text=text, sentences=spans, outlet_voice=outlet_voice,
                             outlet_name=outlet_name, context_country=country, outlet_entity=entity,
                             publisher_country=publisher_country)
    claims = get_engine(registry, "en").attribute(document)
    passages = make_passages(meta.doc_id, text, spans, claims)
    chunks = make_chunks(meta.doc_id, text, passages, count_tokens, chunking)
    return ProcessedDocument(meta=meta, outlet_voice=outlet_voice, outlet_reason=reason, outlet_assumed=assumed,
                             text=text, claims=claims, passages=passages, chunks=chunks)


def credited_copy(registry: Registry, verdict: OutletVerdict, dateline: Dateline | None, meta: DocumentMeta) -> OutletVerdict:
    """A wire's copy on another outlet's page ("YEREVAN, ARMENIA (AP) — ..." on a Brunei daily's site)
    speaks with the wire's voice: the dateline's credit names whose text it is. A credit the registry
    does not know as an outlet, or the publisher's own, changes nothing."""
    if dateline is None:
        return verdict
    found = registry.resolve(dateline.credit, published=meta.published)
    entity = found.entity if found is not None else None
    if entity is None or entity.kind != "outlet" or entity is verdict.entity or entity.name == verdict.name:
        return verdict
    return OutletVerdict(entity.voice, entity.name, entity,
                         f"the text's dateline credits {dateline.credit!r}, {entity.name}, carried by "
                         f"{meta.publisher}: {found.reason}", carried_by=meta.publisher)


#: How many extra times a country the headline names counts: a headline says what the story is about.
HEADLINE_WEIGHT = 2


def topic_country(registry: Registry, text: str, title: str | None = None) -> str | None:
    """The country a text is most about, for unqualified "the government" and "officials": the one most
    often named, a country in the headline counting three times ("Kazakhstan says situation
    stabilised" over a story that names Russia as often, in "Russian-led" and "borders Russia")."""
    counts = Counter(country.country for _, _, country in registry.find_countries(text))
    for _, _, country in registry.find_countries(title or ""):
        counts[country.country] += HEADLINE_WEIGHT
    return counts.most_common(1)[0][0] if counts else None


def make_passages(doc_id: str, text: str, spans: list[SentenceSpan], claims: list[Claim]) -> list[Passage]:
    """Each claim cut at sentence boundaries: the units that are embedded, scored and quoted."""
    passages: list[Passage] = []
    starts = [s.start for s in spans]
    for claim in claims:
        first = max(0, bisect.bisect_right(starts, claim.start) - 1)
        for i in range(first, len(spans)):
            s = spans[i]
            if s.start >= claim.end:
                break
            start, end = max(s.start, claim.start), min(s.end, claim.end)
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            passages.append(Passage(doc_id=doc_id, index=len(passages), start=start, end=end, text=text[start:end],
                                    sentence=i, claim=claim.index, paragraph=s.paragraph, attribution=claim.attribution))
    # What lies between neighbours, so that a quote over several passages is rebuilt verbatim.
    for current, following in zip(passages, passages[1:]):
        current.gap_after = text[current.end : following.start][:40]
    return passages


def read_corpus(
    corpus_dir: Path, registry: Registry, *, count_tokens: Callable[[str], int], chunking: ChunkingParams,
    progress: bool = False, max_bytes: int | None = None,
) -> tuple[list[ProcessedDocument], list[IngestProblem], list[str]]:
    """Process every manifest entry; return the documents, the problems and the manifest's doc ids.

    Every document gets the manifest's corpus (its folder's name when the manifest names none). A
    ``file`` must lie inside the corpus folder: a path that leaves it (``../``, an absolute path,
    a link pointing out) is refused, and so is a file over ``max_bytes``.
    """
    corpus_dir = Path(corpus_dir)
    manifest = load_manifest(corpus_dir)
    corpus = manifest.corpus or corpus_name(corpus_dir)
    root = corpus_dir.resolve()
    problems: list[IngestProblem] = []
    listed = {d.file for d in manifest.documents}
    for path in sorted(p for p in corpus_dir.iterdir() if p.is_file()):
        if path.name != MANIFEST_NAME and not any(path.match(g) for g in _NOT_DOCUMENTS) and path.name not in listed:
            problems.append(IngestProblem(path.name, f"{path}: no manifest entry; add it to {MANIFEST_NAME} or move it out"))
    documents: list[ProcessedDocument] = []
    for meta in tqdm(manifest.documents, desc="reading", unit="doc", disable=not progress):
        meta = meta.model_copy(update={"corpus": corpus})
        path = corpus_dir / meta.file
        outside = _outside(root, corpus_dir, meta.file)
        if outside:
            problems.append(IngestProblem(meta.doc_id, f"{meta.doc_id}: file {meta.file!r} {outside}; refused"))
            continue
        if not path.is_file():
            problems.append(IngestProblem(meta.doc_id, f"{path}: manifest entry {meta.doc_id!r} names a file that does not exist"))
            continue
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            problems.append(IngestProblem(
                meta.doc_id, f"{path}: {size} bytes is over the limit of {max_bytes} (SOURCEWISE_MAX_DOCUMENT_BYTES)"))
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


def corpus_name(corpus_dir: Path) -> str:
    """The corpus a folder's documents belong to when its manifest names none: the folder's name."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(corpus_dir).resolve().name).strip("-.") or "default"
    return name[:64]


def _outside(root: Path, corpus_dir: Path, file: str) -> str | None:
    """Why a manifest ``file`` is not a file of the corpus folder, or None when it is."""
    if Path(file).is_absolute():
        return "is an absolute path"
    candidate = corpus_dir / file
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):
        return "cannot be resolved"
    if resolved != root and root not in resolved.parents:
        return "lies outside the corpus folder" + (" (through a link)" if candidate.is_symlink() else "")
    return None


def store_documents(
    documents: list[ProcessedDocument], store, embedder, *, batch: int = 64, progress: bool = False,
) -> tuple[list[WriteResult], float]:
    """Embed and store processed documents; documents whose stored version is the same are skipped
    without embedding. The write results and the seconds spent embedding."""
    stored = store.documents_by_id([d.meta.doc_id for d in documents])
    results: list[WriteResult] = []
    todo = []
    for doc in documents:
        version = document_version(doc)
        current = stored.get(doc.meta.doc_id)
        if current is not None and current.version == version:
            results.append(WriteResult(doc.meta.doc_id, version, "unchanged"))
        else:
            todo.append(doc)
    embed_seconds = 0.0
    total = sum(len(doc.chunks) + len(doc.passages) for doc in todo)
    bar = tqdm(total=total, desc="embedding and storing", unit="text", disable=not progress)
    # Embed and write a few hundred texts at a time: memory stays flat on a large corpus, and the
    # store takes each group in a few calls (its per-call cost outweighs its per-row cost).
    for group in _groups(todo, WRITE_GROUP_TEXTS):
        texts = [c.text for doc in group for c in doc.chunks] + [p.text for doc in group for p in doc.passages]
        t0 = time.perf_counter()
        vectors = _embed(embedder, texts, batch)
        embed_seconds += time.perf_counter() - t0
        chunk_at = 0
        passage_at = sum(len(doc.chunks) for doc in group)
        batch_items = []
        for doc in group:
            chunk_vectors = vectors[chunk_at : chunk_at + len(doc.chunks)]
            passage_vectors = vectors[passage_at : passage_at + len(doc.passages)]
            chunk_at += len(doc.chunks)
            passage_at += len(doc.passages)
            batch_items.append((doc, chunk_vectors, passage_vectors))
        results.extend(store.upsert_documents(batch_items))
        bar.update(len(texts))
    bar.close()
    return results, embed_seconds


#: Texts (chunks and passages) embedded and written together by :func:`store_documents`.
WRITE_GROUP_TEXTS = 512


def _groups(documents: list[ProcessedDocument], texts: int) -> Iterator[list[ProcessedDocument]]:
    group: list[ProcessedDocument] = []
    size = 0
    for doc in documents:
        group.append(doc)
        size += len(doc.chunks) + len(doc.passages)
        if size >= texts:
            yield group
            group, size = [], 0
    if group:
        yield group


def ingest_corpus(corpus_dir: Path, settings: Settings, *, progress: bool = False) -> IngestReport:
    """Ingest a corpus folder into the store named by ``settings``; idempotent.

    Adds, updates and removes documents of this corpus only: another corpus's documents are never
    touched. A document dropped from the manifest leaves the store; one whose file is broken keeps
    its last good version; parts left by a killed earlier run are removed.
    """
    from vectorstore.embeddings import load_embedder
    from vectorstore.store import KnowledgeStore

    started = time.perf_counter()
    report = IngestReport()
    registry = cached_registry(tuple(settings.registry_paths))
    embedder = load_embedder(settings)
    store = KnowledgeStore.connect(settings, dimension=embedder.dimension)
    documents, problems, listed_ids = read_corpus(
        corpus_dir, registry, count_tokens=embedder.count_tokens, chunking=settings.chunking, progress=progress,
        max_bytes=settings.max_document_bytes,
    )
    report.problems = problems
    report.corpus = load_manifest(Path(corpus_dir)).corpus or corpus_name(Path(corpus_dir))
    # A doc_id another corpus already holds is refused: one corpus never overwrites another's document.
    owners = store.documents_by_id([d.meta.doc_id for d in documents])
    clashes = [d for d in documents if d.meta.doc_id in owners and owners[d.meta.doc_id].corpus != report.corpus]
    for doc in clashes:
        report.problems.append(IngestProblem(
            doc.meta.doc_id,
            f"{doc.meta.doc_id}: that doc_id belongs to corpus {owners[doc.meta.doc_id].corpus!r}; give it another id",
        ))
    documents = [d for d in documents if d not in clashes]
    results, report.embed_seconds = store_documents(
        documents, store, embedder, batch=settings.embedding_batch_size, progress=progress
    )
    report.written = Counter(r.status for r in results)
    for doc in documents:
        _count(report, doc)
        if doc.outlet_assumed:
            report.assumed_outlets[doc.meta.publisher] = (doc.outlet_voice.value, doc.outlet_reason)
    stale = sorted(set(store.document_ids(report.corpus)) - set(listed_ids))
    if stale:
        report.removed = store.delete_documents(stale)
    report.orphans = store.remove_orphans(report.corpus)
    report.seconds = time.perf_counter() - started
    return report


def _embed(embedder, texts: list[str], batch: int) -> np.ndarray:
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    step = max(batch, 1) * 4
    return np.vstack([embedder.embed_documents(texts[i : i + step]) for i in range(0, len(texts), step)])


def _count(report: IngestReport, doc: ProcessedDocument) -> None:
    report.documents += 1
    report.sentences += len({p.sentence for p in doc.passages})
    report.passages += len(doc.passages)
    report.chunks += len(doc.chunks)
    for claim in doc.claims:
        att = claim.attribution
        report.claims_per_voice[att.speaker.voice.value] += 1
        if att.how == "quote":
            report.quotes += 1
        if att.how != "author" and att.speaker.name:
            report.speakers_per_voice.setdefault(att.speaker.voice.value, set()).add(att.speaker.name)
