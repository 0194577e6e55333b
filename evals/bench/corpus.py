"""A large benchmark corpus built from real text: real paragraphs, recombined.

Embedding 100,000 sentences on two CPU cores takes most of an hour, and nobody may redistribute
thousands of real articles, so the benchmark's large corpus is made from the texts the repository
ships (the sample and the committed real articles), attributed by the real pipeline and embedded
by the real model once:

- a synthetic document is a run of whole paragraphs drawn from those texts (a quotation that spans
  paragraphs travels as one piece), to about 40 sentences;
- people are renamed consistently within the document (a pool of invented names, so the lexical
  index meets a long tail of names), and every offset of every claim, passage and cue is carried
  through the renaming, so ``text[start:end]`` still holds;
- the document gets an outlet (real outlets of every voice from the registry, so the author's own
  sentences take that outlet's voice), a corpus, a date and a title;
- a passage's vector is the real vector of the sentence it came from plus a little noise; a
  chunk's vector is the normalised mean of its passages' vectors.

Sentences, passages and chunks are cut by the pipeline's own functions, and the result is written
through :meth:`KnowledgeStore.upsert_document`, the store's real write path.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ingest.chunking import make_chunks
from ingest.pipeline import make_passages, read_corpus
from ingest.sentences import split_sentences
from sourcewise.registry import Registry
from sourcewise.settings import PROJECT_ROOT, ChunkingParams
from sourcewise.types import Attribution, Claim, Cue, DocumentMeta, Genre, ProcessedDocument, Speaker, Voice

SOURCE_CORPORA = (PROJECT_ROOT / "corpus" / "sample", PROJECT_ROOT / "corpus" / "real")
#: Corpora the synthetic documents are spread over (filters by corpus select about a fifth).
BENCH_CORPORA = ("bench-wires", "bench-state-media", "bench-official", "bench-ngo", "bench-analysis")
#: Sentences a synthetic document aims at (real news articles run 20 to 60).
SENTENCES_PER_DOCUMENT = 40
#: Standard deviation of the noise added to each vector component before normalising.
VECTOR_NOISE = 0.01
_FIRST = ("Anna Boris Dana Erik Farid Galina Hana Igor Jana Karim Lena Marat Nadia Oleg Pavel Rustam Sara "
          "Timur Ulla Viktor Yasmin Zaur Aigerim Bolat Dinara Ermek Gulnara Nurlan Saule Yerlan").split()
_LAST = ("Abenov Borisova Chernov Dzhaksybekov Esenova Fomin Gusev Ivanova Karimov Lebedeva Mamyrov Nurova "
         "Orlov Petrova Rakhimov Sadykova Tulegenov Usenova Vasiliev Zhakupov Akhmetov Baimukhanova Kovalenko "
         "Sultanov Tokhtarov Zhumabaev Ospanova Seitkali Utepov Yermekova").split()


@dataclass(frozen=True)
class Piece:
    """Whole paragraphs of a real document and the claims that lie inside them."""

    doc: ProcessedDocument
    start: int
    end: int
    claims: tuple[Claim, ...]
    vectors: np.ndarray  # one row per passage of the piece, in order
    people: tuple[str, ...] = ()  # the people it quotes, renamed in each synthetic document

    @property
    def sentences(self) -> int:
        return len(self.vectors)


@dataclass(frozen=True)
class Outlet:
    name: str
    voice: Voice
    url: str | None


@dataclass(frozen=True)
class BenchDocument:
    """A synthetic document ready for the store, with its vectors."""

    doc: ProcessedDocument
    chunk_vectors: np.ndarray
    passage_vectors: np.ndarray


def source_documents(registry: Registry, count_tokens: Callable[[str], int], chunking: ChunkingParams) -> list[ProcessedDocument]:
    """The shipped real texts, attributed by the real pipeline."""
    documents: list[ProcessedDocument] = []
    for folder in SOURCE_CORPORA:
        docs, problems, _ = read_corpus(folder, registry, count_tokens=count_tokens, chunking=chunking)
        if problems:
            raise RuntimeError(f"{folder}: {problems[0].message}")
        documents.extend(docs)
    return documents


def pieces_of(doc: ProcessedDocument, passage_vectors: np.ndarray, registry: Registry) -> list[Piece]:
    """A document's paragraphs as pieces; paragraphs a claim spans stay together."""
    passages = doc.passages
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", doc.text)]
    pieces: list[Piece] = []
    k = 0
    while k < len(paragraphs):
        start, end = paragraphs[k]
        # Extend while a claim that starts inside runs past the paragraph's end.
        while any(c.start < end < c.end for c in doc.claims) and k + 1 < len(paragraphs):
            k += 1
            end = paragraphs[k][1]
        claims = tuple(c for c in doc.claims if start <= c.start and c.end <= end)
        rows = [i for i, p in enumerate(passages) if start <= p.start and p.end <= end]
        if claims and rows:
            pieces.append(Piece(doc, start, end, claims, passage_vectors[rows], tuple(_people(claims, registry))))
        k += 1
    return pieces


def outlets_from(registry: Registry) -> list[Outlet]:
    """Real outlets of every voice the registry knows, with their web addresses."""
    outlets: list[Outlet] = []
    seen: set[str] = set()
    for entity in registry.entities:
        if entity.kind != "outlet" or entity.name in seen or entity.voice in (Voice.UNCLASSIFIED, Voice.UNATTRIBUTED):
            continue
        seen.add(entity.name)
        domain = entity.domains[0] if entity.domains else None
        outlets.append(Outlet(entity.name, entity.voice, f"https://{domain}/news" if domain else None))
    return outlets


class _Renamer:
    """Consistent invented names for the people a document quotes, with offset bookkeeping."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.names: dict[str, str] = {}

    def name_for(self, real: str) -> str:
        if real not in self.names:
            first = _FIRST[int(self.rng.integers(len(_FIRST)))]
            last = _LAST[int(self.rng.integers(len(_LAST)))]
            self.names[real] = f"{first} {last}"
        return self.names[real]


def _people(claims: Sequence[Claim], registry: Registry) -> list[str]:
    """Names of people among the speakers: two or three capitalised words the registry knows as no body,
    outlet or country."""
    names = []
    for claim in claims:
        name = claim.attribution.speaker.name
        entity = registry.entity(name) if name else None
        if entity is not None and entity.kind != "person" or name and registry.country(name) is not None:
            continue
        if name and claim.attribution.how != "author" and len(name.split()) in (2, 3) and name not in names:
            if all(w[:1].isupper() for w in name.split()) and not re.search(r"(?i)ministry|press|service|office|news|agency", name):
                names.append(name)
    return names


def _rename(text: str, replacements: dict[str, str]) -> tuple[str, Callable[[int], int]]:
    """``text`` with whole names (and their surnames) replaced; a map from old offsets to new ones."""
    pairs: dict[str, str] = {}
    for real, fake in replacements.items():
        pairs[real] = fake
        surname, fake_surname = real.split()[-1], fake.split()[-1]
        if len(surname) > 3:
            pairs.setdefault(surname, fake_surname)
    if not pairs:
        return text, lambda offset: offset
    pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(pairs, key=len, reverse=True)) + r")\b")
    out: list[str] = []
    old_marks: list[int] = [0]
    shifts: list[int] = [0]
    last = 0
    shift = 0
    for m in pattern.finditer(text):
        out.append(text[last : m.start()])
        new = pairs[m.group(0)]
        out.append(new)
        shift += len(new) - (m.end() - m.start())
        old_marks.append(m.end())
        shifts.append(shift)
        last = m.end()
    out.append(text[last:])

    def moved(offset: int) -> int:
        # Offsets inside a replaced name never occur: claims and cues begin and end at word edges.
        return offset + shifts[bisect.bisect_right(old_marks, offset) - 1]

    return "".join(out), moved


def synthesize(
    pieces: Sequence[Piece],
    outlets: Sequence[Outlet],
    count: int,
    *,
    count_tokens: Callable[[str], int],
    chunking: ChunkingParams,
    seed: int,
    dimension: int,
) -> Iterator[BenchDocument]:
    """``count`` synthetic documents, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    for number in range(count):
        corpus = BENCH_CORPORA[number % len(BENCH_CORPORA)]
        outlet = outlets[int(rng.integers(len(outlets)))]
        chosen: list[Piece] = []
        sentences = 0
        while sentences < SENTENCES_PER_DOCUMENT:
            piece = pieces[int(rng.integers(len(pieces)))]
            chosen.append(piece)
            sentences += piece.sentences
        renamer = _Renamer(rng)
        text_parts: list[str] = []
        claims: list[Claim] = []
        vectors: list[np.ndarray] = []
        offset = 0
        doc_id = f"{corpus}-{number:05d}"
        for piece in chosen:
            body = piece.doc.text[piece.start : piece.end]
            people = {name: renamer.name_for(name) for name in piece.people}
            new_body, moved = _rename(body, people)
            for claim in piece.claims:
                claims.append(_moved_claim(claim, piece.start, offset, moved, people, outlet, doc_id, len(claims)))
            vectors.append(piece.vectors)
            text_parts.append(new_body)
            offset += len(new_body) + 2
        text = "\n\n".join(text_parts)
        claims = [_with_texts(c, text) for c in claims]
        year = 2020 + int(rng.integers(5))
        published = f"{year}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}"
        meta = DocumentMeta(
            doc_id=doc_id, file=f"{doc_id}.txt", title=f"{outlet.name}: {text_parts[0][:60].strip()}",
            publisher=outlet.name, published=published, url=f"{outlet.url}/{doc_id}" if outlet.url else None,
            genre=Genre.NEWS, corpus=corpus,
        )
        spans = split_sentences(text)
        passages = make_passages(doc_id, text, spans, claims)
        chunks = make_chunks(doc_id, text, passages, count_tokens, chunking)
        doc = ProcessedDocument(meta=meta, outlet_voice=outlet.voice, outlet_reason="benchmark outlet", text=text,
                                claims=claims, passages=passages, chunks=chunks)
        passage_vectors = _passage_vectors(np.vstack(vectors), len(passages), rng, dimension)
        chunk_vectors = np.vstack([
            _unit(passage_vectors[c.first_passage : c.last_passage + 1].mean(axis=0)) for c in chunks
        ])
        yield BenchDocument(doc, chunk_vectors, passage_vectors)


def _moved_claim(claim: Claim, piece_start: int, offset: int, moved: Callable[[int], int], people: dict[str, str],
                 outlet: Outlet, doc_id: str, index: int) -> Claim:
    def at(old: int) -> int:
        return offset + moved(old - piece_start)

    a = claim.attribution
    if a.how == "author":
        speaker = Speaker(name=outlet.name, role=f"{outlet.name} (outlet)", voice=outlet.voice)
    else:
        speaker = Speaker(name=people.get(a.speaker.name or "", a.speaker.name), role=a.speaker.role, voice=a.speaker.voice)
    cue = Cue(text="", start=at(a.cue.start), end=at(a.cue.end)) if a.cue is not None else None
    return Claim(doc_id=doc_id, index=index, start=at(claim.start), end=at(claim.end), text="",
                 attribution=Attribution(speaker=speaker, conduit=a.conduit, how=a.how, cue=cue))


def _with_texts(claim: Claim, text: str) -> Claim:
    """A claim's (and its cue's) words, read from the final text at its offsets."""
    a = claim.attribution
    cue = Cue(text=text[a.cue.start : a.cue.end], start=a.cue.start, end=a.cue.end) if a.cue else None
    return Claim(doc_id=claim.doc_id, index=claim.index, start=claim.start, end=claim.end,
                 text=text[claim.start : claim.end],
                 attribution=Attribution(speaker=a.speaker, conduit=a.conduit, how=a.how, cue=cue))


def _passage_vectors(source: np.ndarray, rows: int, rng: np.random.Generator, dimension: int) -> np.ndarray:
    """The source sentences' vectors, noised; the renamed text may split into a few more or fewer passages."""
    if len(source) != rows:
        picks = rng.integers(len(source), size=rows)
        source = source[picks]
    noised = source + rng.normal(0.0, VECTOR_NOISE, size=(rows, dimension)).astype(np.float32)
    return (noised / np.linalg.norm(noised, axis=1, keepdims=True)).astype(np.float32)


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)
