"""What the benchmark measures, section by section (see :mod:`evals.bench` for the whole run).

1. **Ingest** of the sample corpus in-process, against pure embedding of the very texts ingest
   embeds (alternating runs): sentences a second, the share embedding takes, and the ingest time
   against the one recorded before claims were attributed (issue 7: at most 1.5x).
2. **The large corpus** (:mod:`evals.bench.corpus`) written through the store's write path to a
   ``chroma run`` server: passages a second, against what embedding them would cost.
3. **Serving** the sample and the large corpus from that server, over HTTP, one replica at a
   time: start-up (until ``/readyz`` answers 200, and until the lexical index is built), resident
   memory, and ``/v1/ask`` latency unfiltered, filtered by voice and filtered by corpus. A restart
   of the large replica shows the lexical snapshot at work.
4. **Two replicas**: a 1,000-word article posted to one is answered by the other after how many
   seconds; deleted, after how many seconds it is never quoted again.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from evals.bench.corpus import BENCH_CORPORA, outlets_from, pieces_of, source_documents, synthesize
from evals.bench.report import (
    Row,
    Section,
    Stats,
    Target,
    fmt_mib,
    fmt_ms,
    fmt_s,
    peak_rss_kib,
    percentile,
    progress,
    rss_kib,
    select_questions,
    timed_ms,
)
from service.launch import ChromaServer, ServerStartError, api_command, free_port, log_tail, running_server
from sourcewise.settings import PROJECT_ROOT, Settings

SAMPLE_CORPUS = PROJECT_ROOT / "corpus" / "sample"
#: In-process ingest of the sample before claims (docs/benchmarks.md of 2026-11-24, same machine type).
INGEST_BEFORE_CLAIMS_S = 5.87

TARGET_ASK_P95_MS = Target("<=", 150.0, "ms")
TARGET_START_S = Target("<=", 15.0, "s")
TARGET_RSS_MIB = Target("<=", 1536.0, "MiB")
TARGET_INGEST_GROWTH = Target("<=", 1.5, "x")
TARGET_REPLICA_S = Target("<=", 5.0, "s")
TARGET_WRITE_VS_EMBED = Target(">=", 1.0, "x")

SERVICE_START_TIMEOUT_S = 300.0
LEXICAL_TIMEOUT_S = 600.0
HTTP_TIMEOUT_S = 120.0
SEED = 20220105
#: Documents written to the store per call while building the large corpus.
WRITE_BATCH_DOCUMENTS = 25


@dataclass(frozen=True)
class Size:
    """How big a run is."""

    documents: int
    questions: int
    rounds: int
    ingest_runs: int


FULL = Size(documents=2500, questions=20, rounds=3, ingest_runs=3)
QUICK = Size(documents=250, questions=8, rounds=2, ingest_runs=1)


# ------------------------------------------------------------------------------- 1. ingest


def bench_ingest(workdir: Path, runs: int) -> tuple[Section, float]:
    """Ingest of the sample corpus against pure embedding; the section and embedding texts a second."""
    from ingest.pipeline import ingest_corpus, read_corpus
    from sourcewise.registry import cached_registry
    from vectorstore.embeddings import load_embedder

    base = Settings(data_dir=workdir / "probe", corpus_dir=SAMPLE_CORPUS, chroma_host=None)
    embedder = load_embedder(base)
    registry = cached_registry(tuple(base.registry_paths))

    def read():
        return read_corpus(SAMPLE_CORPUS, registry, count_tokens=embedder.count_tokens, chunking=base.chunking)

    read()  # loads spaCy, as any ingest after the first in a process has it loaded
    (documents, problems, _), read_ms = timed_ms(read)
    if problems:
        raise RuntimeError(f"The sample corpus has problems: {problems[0].message}")
    texts = [c.text for d in documents for c in d.chunks] + [p.text for d in documents for p in d.passages]
    sentences = sum(len({p.sentence for p in d.passages}) for d in documents)
    ingest_s: list[float] = []
    inner_embed_s: list[float] = []
    embed_s: list[float] = []
    for run in range(runs):
        # Ingest and embedding alternate, so that a change in the machine's load hits both alike.
        settings = Settings(data_dir=workdir / f"ingest-{run}", corpus_dir=SAMPLE_CORPUS, chroma_host=None)
        progress(f"ingest: in-process run {run + 1}/{runs} ({len(documents)} documents, {len(texts)} texts)")
        report, ms = timed_ms(ingest_corpus, SAMPLE_CORPUS, settings)
        if not report.ok:
            raise RuntimeError(f"ingest failed: {report.problems[0].message}")
        ingest_s.append(ms / 1000)
        inner_embed_s.append(report.embed_seconds)
        _, ms = timed_ms(embedder.embed_documents, texts)
        embed_s.append(ms / 1000)
    ingest, inner, embed = percentile(ingest_s, 50), percentile(inner_embed_s, 50), percentile(embed_s, 50)
    growth = ingest / INGEST_BEFORE_CLAIMS_S
    section = Section(
        title="Ingest (sample corpus)",
        method=(
            f"{runs} in-process `ingest_corpus` run(s) of `corpus/sample` into fresh embedded stores (model loaded), "
            f"alternating with `Embedder.embed_documents` on the same {len(texts)} texts ingest embeds "
            f"({len(texts) - sum(len(d.passages) for d in documents)} chunks and {sum(len(d.passages) for d in documents)} "
            f"passages of {sentences} sentences in {len(documents)} documents). Medians of the runs."
        ),
    )
    section.rows = [
        Row(f"ingest_corpus (median of {runs})", fmt_s(ingest)),
        Row("  of which embedding (ingest's own timer)", fmt_s(inner), actual=inner / ingest),
        Row("  reading, cleaning, attribution (claims), chunking", fmt_s(read_ms / 1000)),
        Row("  writing to the embedded store (the rest)", fmt_s(max(ingest - inner - read_ms / 1000, 0.0))),
        Row("throughput", f"{sentences / ingest:.0f} sentences/s ({inner / ingest:.0%} of the time embedding)"),
        Row("pure embedding of the same texts", fmt_s(embed)),
        Row(f"ingest now / before claims ({INGEST_BEFORE_CLAIMS_S} s recorded)", f"{growth:.2f}x",
            target=TARGET_INGEST_GROWTH, actual=growth),
    ]
    section.notes.append("Runs (s): ingest " + ", ".join(f"{x:.2f}" for x in ingest_s)
                         + "; embedding " + ", ".join(f"{x:.2f}" for x in embed_s))
    if section.rows[-1].missed:
        section.why.append(
            f"The claim attribution parses every sentence with spaCy and resolves names across the document: "
            f"{read_ms / 1000:.2f} s of the {ingest:.2f} s here."
        )
    return section, len(texts) / embed


# ------------------------------------------------------------------------- 2. large corpus


def build_large(server: ChromaServer, documents: int, embed_rate: float) -> tuple[Section, Settings]:
    """Synthesise the large corpus and write it to the server; the section and the index's settings."""
    from sourcewise.registry import load_registry
    from vectorstore.embeddings import load_embedder
    from vectorstore.store import KnowledgeStore

    settings = server.settings(collection_prefix="bench-large")
    embedder = load_embedder(settings)
    registry = load_registry()
    progress("large corpus: attributing and embedding the shipped real texts")
    sources = source_documents(registry, embedder.count_tokens, settings.chunking)
    pieces = []
    for doc in sources:
        pieces.extend(pieces_of(doc, np.asarray(embedder.embed_documents([p.text for p in doc.passages])), registry))
    outlets = outlets_from(registry)
    store = KnowledgeStore.connect(settings, dimension=embedder.dimension)
    store.reset()
    progress(f"large corpus: writing {documents} documents to the Chroma server")
    passages = chunks = 0
    batch: list[Any] = []
    write_s = 0.0
    started = time.perf_counter()
    for number, bench in enumerate(synthesize(pieces, outlets, documents, count_tokens=embedder.count_tokens,
                                              chunking=settings.chunking, seed=SEED, dimension=embedder.dimension)):
        batch.append((bench.doc, bench.chunk_vectors, bench.passage_vectors))
        passages += len(bench.doc.passages)
        chunks += len(bench.doc.chunks)
        if len(batch) == WRITE_BATCH_DOCUMENTS or number == documents - 1:
            _, ms = timed_ms(store.upsert_documents, batch)
            write_s += ms / 1000
            batch = []
            if (number + 1) % 500 == 0:
                progress(f"large corpus: {number + 1} documents, {passages} passages")
    total_s = time.perf_counter() - started
    rate = passages / write_s
    section = Section(
        title=f"Large corpus ({documents:,} documents)",
        method=(
            f"{documents:,} documents recombined from the whole paragraphs of the {len(sources)} shipped real texts "
            f"(`corpus/sample`, `corpus/real`; {len(pieces)} paragraph pieces), people renamed, {len(outlets)} real "
            f"outlets and {len(BENCH_CORPORA)} corpora, claims and offsets carried through (`evals/bench/corpus.py`); "
            f"vectors are the real vectors of the source passages plus noise (embedding 100,000 passages would take "
            f"this machine most of an hour). Written with `KnowledgeStore.upsert_documents`, {WRITE_BATCH_DOCUMENTS} "
            f"documents a call, to a `chroma run` server on loopback."
        ),
    )
    counts = store.counts()
    section.rows = [
        Row("documents / passages / chunks stored", f"{counts['documents']:,} / {counts['passages']:,} / {counts['chunks']:,}"),
        Row("writing (store calls only)", fmt_s(write_s)),
        Row("synthesising and writing, wall", fmt_s(total_s)),
        Row("store write throughput", f"{rate:.0f} passages/s"),
        Row("embedding throughput (ingest section)", f"{embed_rate:.0f} texts/s"),
        Row("writes per second / embeddings per second", f"{rate / embed_rate:.1f}x",
            target=TARGET_WRITE_VS_EMBED, actual=rate / embed_rate),
    ]
    return section, settings


# ------------------------------------------------------------------------------ 3. serving


@dataclass
class Replica:
    base_url: str
    pid: int
    started_s: float
    log: Path
    started_at: float = 0.0  # time.perf_counter() when the process was launched


def _service_env(settings: Settings, data_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "CHROMA_HOST": str(settings.chroma_host),
        "CHROMA_PORT": str(settings.chroma_port),
        "SOURCEWISE_COLLECTION_PREFIX": settings.collection_prefix,
        "SOURCEWISE_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    env.pop("SOURCEWISE_API_KEYS", None)
    return env


@contextmanager
def replica(settings: Settings, data_dir: Path, log: Path) -> Iterator[Replica]:
    """A service process over ``settings``' index; entered once ``/readyz`` answers 200."""
    port = free_port()
    started = time.perf_counter()
    try:
        with running_server(api_command(port), env=_service_env(settings, data_dir),
                            health_url=f"http://127.0.0.1:{port}/readyz", log_path=log,
                            timeout=SERVICE_START_TIMEOUT_S, name="The service") as process:
            yield Replica(f"http://127.0.0.1:{port}", process.pid, time.perf_counter() - started, log, started)
    except ServerStartError as exc:
        raise RuntimeError(str(exc)) from exc


def wait_lexical(client: httpx.Client, started: float) -> float:
    """Seconds from ``started`` until ``/healthz`` says the lexical index is ready."""
    deadline = time.monotonic() + LEXICAL_TIMEOUT_S
    while time.monotonic() < deadline:
        if client.get("/healthz").json().get("lexical") == "ready":
            return time.perf_counter() - started
        time.sleep(0.25)
    return float("nan")


def ask_payloads(count: int) -> list[dict[str, Any]]:
    """``count`` varied evaluation questions (follow-ups carry their history)."""
    from evals.schema import QUESTIONS_PATH, load_questions

    payloads = []
    for question in select_questions(load_questions(QUESTIONS_PATH).questions, count):
        body: dict[str, Any] = {"question": question.question}
        if question.history:
            body["history"] = [turn.model_dump() for turn in question.history]
        payloads.append(body)
    return payloads


def ask_latency(client: httpx.Client, payloads: Sequence[dict[str, Any]], rounds: int,
                filters: dict[str, Any] | None) -> Stats:
    """Milliseconds per ``POST /v1/ask`` (one round first unmeasured)."""
    samples: list[float] = []
    for round_ in range(rounds + 1):
        for body in payloads:
            request = {**body, "filters": filters} if filters else body
            response, ms = timed_ms(client.post, "/v1/ask", json=request)
            if response.status_code != 200:
                raise RuntimeError(f"/v1/ask answered {response.status_code}: {response.text[:300]}")
            if round_:
                samples.append(ms)
    return Stats.of(samples)


@dataclass
class Served:
    """Figures of one corpus served by one replica."""

    name: str
    start_s: float
    lexical_s: float
    restart_s: float
    restart_lexical_s: float
    rss_kib: float | None
    peak_kib: float | None
    latency: dict[str, Stats]


def bench_serving(name: str, settings: Settings, corpus: str, workdir: Path, size: Size) -> Served:
    """Start a replica cold (no lexical snapshot), measure, then restart it (snapshot present)."""
    data_dir = workdir / f"service-{name}"
    payloads = ask_payloads(size.questions)
    progress(f"serving {name}: cold start")
    with replica(settings, data_dir, workdir / f"service-{name}.log") as served:
        with httpx.Client(base_url=served.base_url, timeout=HTTP_TIMEOUT_S) as client:
            lexical_s = wait_lexical(client, time.perf_counter() - served.started_s)
            latency = {}
            for label, filters in (("unfiltered", None), ("voice", {"voices": ["russian_state"]}),
                                   ("corpus", {"corpora": [corpus]})):
                progress(f"serving {name}: {size.rounds} rounds of {len(payloads)} questions, {label}")
                latency[label] = ask_latency(client, payloads, size.rounds, filters)
            rss, peak = rss_kib(served.pid), peak_rss_kib(served.pid)
    progress(f"serving {name}: restart")
    with replica(settings, data_dir, workdir / f"service-{name}-restart.log") as again:
        with httpx.Client(base_url=again.base_url, timeout=HTTP_TIMEOUT_S) as client:
            restart_lexical_s = wait_lexical(client, time.perf_counter() - again.started_s)
    return Served(name, served.started_s, lexical_s, again.started_s, restart_lexical_s, rss, peak, latency)


def serving_section(sample: Served, large: Served) -> Section:
    section = Section(
        title="Serving (over HTTP, one replica, Chroma server)",
        method=(
            "uvicorn with the app factory in a subprocess, `CHROMA_HOST` set to the benchmark's `chroma run`; "
            "start-up is until `/readyz` answers 200 (model loaded, store reached); the lexical index is built "
            "in the background on a large index (the service answers from the dense search meanwhile) and kept "
            "as a snapshot under the data dir, so the restart loads it. Latency: evaluation questions posted "
            "one at a time after one unmeasured round; filtered by voice (`russian_state`) and by corpus."
        ),
    )
    rows = []
    for label in ("unfiltered", "voice", "corpus"):
        s, l = sample.latency[label], large.latency[label]
        rows.append(Row(f"/v1/ask {label}, sample", fmt_ms(s.median), fmt_ms(s.p95)))
        rows.append(Row(f"/v1/ask {label}, large ({l.p95 / s.p95:.1f}x the sample's p95)", fmt_ms(l.median),
                        fmt_ms(l.p95), target=TARGET_ASK_P95_MS, actual=l.p95))
    for served in (sample, large):
        rows.append(Row(f"start-up until ready, {served.name}", fmt_s(served.start_s),
                        target=TARGET_START_S if served is large else None, actual=served.start_s))
        rows.append(Row(f"  lexical index ready, {served.name}", fmt_s(served.lexical_s)))
        rows.append(Row(f"restart until ready, {served.name}", fmt_s(served.restart_s)))
        rows.append(Row(f"  lexical index ready after restart (snapshot), {served.name}", fmt_s(served.restart_lexical_s)))
        rows.append(Row(f"resident memory after the questions, {served.name}", fmt_mib(served.rss_kib),
                        target=TARGET_RSS_MIB if served is large else None,
                        actual=(served.rss_kib or float("nan")) / 1024))
        rows.append(Row(f"  peak resident memory, {served.name}", fmt_mib(served.peak_kib)))
    if sample.rss_kib and large.rss_kib:
        rows.append(Row("memory growth large / sample", f"{large.rss_kib / sample.rss_kib:.2f}x"))
    rows.append(Row("start-up growth large / sample", f"{large.start_s / sample.start_s:.2f}x"))
    section.rows = rows
    return section


# ----------------------------------------------------------------------------- 4. replicas


def article_text(words: int, marker: str) -> str:
    """A ``words``-word article from the shipped real texts, about a place named ``marker``."""
    texts = [p.read_text(encoding="utf-8") for folder in (PROJECT_ROOT / "corpus" / "real", SAMPLE_CORPUS)
             for p in sorted(folder.glob("*.txt"))]
    body = " ".join(" ".join(t.split()) for t in texts).split()
    lead = (f"The port of {marker} was closed on Monday, the harbour master of {marker} said, after a storm "
            f"damaged the {marker} breakwater.")
    return lead + "\n\n" + " ".join(body[: max(words - len(lead.split()), 0)])


def bench_replicas(settings: Settings, workdir: Path) -> Section:
    """A document posted to replica A: seconds until replica B quotes it, and until B stops after a delete."""
    marker = f"Velmarsk{uuid.uuid4().hex[:6]}"
    question = {"question": f"What happened to the port of {marker}?"}
    data = workdir / "replicas"
    with replica(settings, data / "a", workdir / "replica-a.log") as a, \
            replica(settings, data / "b", workdir / "replica-b.log") as b, \
            httpx.Client(base_url=a.base_url, timeout=HTTP_TIMEOUT_S) as ca, \
            httpx.Client(base_url=b.base_url, timeout=HTTP_TIMEOUT_S) as cb:
        # Warm replicas, as in a deployment: both lexical indexes built (a nonce word such as the
        # marker is found by BM25, not by the dense search, while an index is still building).
        progress("replicas: waiting for both lexical indexes")
        warm_a = wait_lexical(ca, a.started_at)
        warm_b = wait_lexical(cb, b.started_at)
        body = {"corpus": "bench-posted", "title": f"Storm closes {marker} port", "publisher": "Bench Courier",
                "published": "2022-01-10", "text": article_text(1000, marker)}
        progress("replicas: posting a 1,000-word article to replica A")
        posted, post_ms = timed_ms(ca.post, "/v1/documents", json=body)
        if posted.status_code not in (200, 201):
            raise RuntimeError(f"POST /v1/documents answered {posted.status_code}: {posted.text[:300]}")
        doc_id = posted.json()["doc_id"]
        seen_s = _until(lambda: _quotes(cb, question, doc_id), True)
        _, delete_ms = timed_ms(ca.delete, f"/v1/documents/{doc_id}")
        gone_s = _until(lambda: _quotes(cb, question, doc_id), False)
    section = Section(
        title="Two replicas over one Chroma server",
        method=(
            "Two service processes over the large index, each with its own (empty) data directory, so each builds "
            "its lexical index from Chroma; once both are ready, a 1,000-word article (the shipped real texts, with a lead "
            "about an invented port) is posted to replica A; replica B is asked about the port every 100 ms until a "
            "quote from the new document comes back. Then the document is deleted through A, and B is asked until "
            "it no longer quotes it."
        ),
    )
    section.rows = [
        Row("start until lexical index ready, A / B", f"{fmt_s(warm_a)} / {fmt_s(warm_b)}"),
        Row("POST /v1/documents on A (extract, attribute, embed, write)", fmt_ms(post_ms)),
        Row("posted until answered on B", fmt_s(seen_s), target=TARGET_REPLICA_S, actual=seen_s),
        Row("DELETE on A", fmt_ms(delete_ms)),
        Row("deleted until never quoted on B", fmt_s(gone_s), target=TARGET_REPLICA_S, actual=gone_s),
    ]
    return section


def _quotes(client: httpx.Client, question: dict[str, Any], doc_id: str) -> bool:
    answer = client.post("/v1/ask", json=question).json()
    return any(q["source"]["doc_id"] == doc_id for s in answer.get("sections", []) for q in s["quotes"])


def _until(check, wanted: bool, timeout: float = 60.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check() == wanted:
            return time.perf_counter() - started
        time.sleep(0.1)
    return float("nan")


def tail(path: Path) -> str:
    return log_tail(path, 3000)
