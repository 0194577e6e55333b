"""The benchmark's pure parts: percentile maths, targets, the markdown report and the synthetic corpus.

Nothing here is timed: the timings themselves are only meaningful from a full `sourcewise bench`.
The synthetic corpus is checked for what the timings rely on: every claim it carries quotes its
document verbatim at its offsets, names are replaced consistently, and a seed gives the same corpus.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from types import SimpleNamespace

import numpy as np
import pytest

from evals.bench.corpus import _FIRST, _LAST, BENCH_CORPORA, outlets_from, pieces_of, synthesize
from evals.bench.report import Machine, Row, Section, Stats, Target, markdown_table, percentile, render_report, select_questions
from evals.bench.runs import TARGET_ASK_P95_MS, article_text
from ingest.pipeline import read_corpus
from sourcewise.registry import load_registry
from sourcewise.settings import PROJECT_ROOT, ChunkingParams
from sourcewise.types import Voice

DIMENSION = 8


def test_percentile_interpolates_like_numpy() -> None:
    values = [12.0, 3.0, 7.0, 100.0, 5.0, 9.0, 41.0]
    for q in (0, 25, 50, 90, 95, 100):
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
    assert percentile([4.0], 95) == 4.0
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_stats_take_median_and_p95_of_the_samples() -> None:
    stats = Stats.of([float(x) for x in range(1, 101)])
    assert stats.count == 100
    assert stats.median == pytest.approx(50.5)
    assert stats.p95 == pytest.approx(95.05)


def test_targets_say_pass_or_by_how_much_they_miss() -> None:
    assert TARGET_ASK_P95_MS.met(140.0)
    assert TARGET_ASK_P95_MS.shortfall(180.0) == "30 ms over (+20%)"
    at_least = Target(">=", 1.0, "x")
    assert at_least.met(6.5) and at_least.shortfall(0.5) == "0.5x under (-50%)"
    assert not TARGET_ASK_P95_MS.met(math.nan)
    assert TARGET_ASK_P95_MS.shortfall(math.nan) == "not measured"
    assert Row("p95", "10 ms", target=TARGET_ASK_P95_MS, actual=200.0).result.startswith("MISS: 50 ms over")
    assert Row("p95", "10 ms", target=TARGET_ASK_P95_MS, actual=30.0).result == "PASS"
    assert Row("info", "3 s").result == "—"


def test_markdown_table_escapes_cells_and_checks_widths() -> None:
    table = markdown_table(["Measure", "Value"], [["a | b", "1\n2"]])
    assert table.splitlines() == ["| Measure | Value |", "|---|---|", "| a \\| b | 1 2 |"]
    with pytest.raises(ValueError):
        markdown_table(["one", "two"], [["only one"]])


def test_report_has_command_machine_tables_and_reasons_for_misses() -> None:
    section = Section(title="Serving", method="20 questions x 3 rounds.")
    section.rows = [Row("ask, unfiltered", "90.0 ms", "180.0 ms", TARGET_ASK_P95_MS, 180.0)]
    section.why.append("The embedding dominates.")
    machine = Machine(2, 23.4, "Test CPU", (1.0, 2.0, 3.0), "3.11.9", "Linux")
    report = render_report(
        [section], command="sourcewise bench --quick", started=datetime(2025, 1, 2, 3, 4, tzinfo=UTC),
        seconds=90.0, machine=machine, load_at_end=(4.0, 3.0, 2.0),
    )  # fmt: skip
    assert report.startswith("# Benchmarks")
    assert "`sourcewise bench --quick`" in report
    assert "2025-01-02 03:04 UTC" in report
    assert "2 CPUs (Test CPU), 23.4 GiB RAM" in report
    assert "Load average at the end: 4.00, 3.00, 2.00" in report
    assert "| ask, unfiltered | 90.0 ms | 180.0 ms | <= 150 ms | MISS: 30 ms over (+20%) |" in report
    # The targets table up front gathers every row with a target, with its section.
    assert "## Targets" in report
    assert "| Serving | ask, unfiltered | 90.0 ms | 180.0 ms | <= 150 ms | MISS: 30 ms over (+20%) |" in report
    assert "**Why the target is missed:**" in report and "- The embedding dominates." in report


def test_questions_are_picked_in_turn_from_each_kind() -> None:
    questions = [SimpleNamespace(id=f"a{i}", kind="a") for i in range(4)]
    questions += [SimpleNamespace(id=f"b{i}", kind="b") for i in range(2)]
    picked = [q.id for q in select_questions(questions, 5)]
    assert picked == ["a0", "b0", "a1", "b1", "a2"]
    assert len(select_questions(questions, 100)) == len(questions)


def test_the_replica_article_has_the_length_asked_and_names_its_marker() -> None:
    text = article_text(1000, "Velmarsk42")
    assert len(text.split()) == 1000
    assert text.startswith("The port of Velmarsk42 was closed")


@pytest.fixture(scope="module")
def synthetic_inputs():
    """Pieces of the sample corpus, attributed for real, with stand-in vectors (no model needed)."""
    registry = load_registry()
    chunking = ChunkingParams()
    docs, problems, _ = read_corpus(PROJECT_ROOT / "corpus" / "sample", registry,
                                    count_tokens=lambda t: len(t.split()), chunking=chunking)
    assert not problems
    rng = np.random.default_rng(0)
    pieces = []
    for doc in docs:
        vectors = rng.standard_normal((len(doc.passages), DIMENSION)).astype(np.float32)
        pieces.extend(pieces_of(doc, vectors / np.linalg.norm(vectors, axis=1, keepdims=True), registry))
    return pieces, outlets_from(registry), chunking


def _corpus(inputs, count: int, seed: int):
    pieces, outlets, chunking = inputs
    return list(synthesize(pieces, outlets, count, count_tokens=lambda t: len(t.split()),
                           chunking=chunking, seed=seed, dimension=DIMENSION))


def test_synthetic_documents_quote_their_text_verbatim_at_every_offset(synthetic_inputs) -> None:
    documents = _corpus(synthetic_inputs, 12, seed=5)
    assert {d.doc.meta.corpus for d in documents} == set(BENCH_CORPORA)
    for bench in documents:
        doc = bench.doc
        assert doc.claims, doc.meta.doc_id
        for claim in doc.claims:
            assert claim.text and claim.text == doc.text[claim.start : claim.end]
            cue = claim.attribution.cue
            if cue is not None:
                assert cue.text == doc.text[cue.start : cue.end]
        for passage in doc.passages:
            assert passage.text == doc.text[passage.start : passage.end]
        assert bench.passage_vectors.shape == (len(doc.passages), DIMENSION)
        assert bench.chunk_vectors.shape == (len(doc.chunks), DIMENSION)
        assert np.allclose(np.linalg.norm(bench.passage_vectors, axis=1), 1.0, atol=1e-5)
        # The author of a synthetic article is its (real) outlet, with that outlet's voice.
        for claim in doc.claims:
            if claim.attribution.how == "author":
                assert claim.attribution.speaker.name == doc.meta.publisher
                assert claim.attribution.speaker.voice == doc.outlet_voice
        assert doc.outlet_voice not in (Voice.UNCLASSIFIED, Voice.UNATTRIBUTED)


def test_synthetic_people_are_renamed_consistently_and_the_seed_repeats(synthetic_inputs) -> None:
    first = _corpus(synthetic_inputs, 6, seed=11)
    again = _corpus(synthetic_inputs, 6, seed=11)
    other = _corpus(synthetic_inputs, 6, seed=12)
    assert [d.doc.text for d in first] == [d.doc.text for d in again]
    assert [d.doc.text for d in first] != [d.doc.text for d in other]
    assert all(np.array_equal(a.passage_vectors, b.passage_vectors) for a, b in zip(first, again, strict=True))
    pieces = synthetic_inputs[0]
    originals = {name for p in pieces for name in p.people}
    assert originals
    renamed = 0
    for bench in first:
        names = {c.attribution.speaker.name or "" for c in bench.doc.claims}
        for name in names:
            if len(name.split()) == 2 and name.split()[0] in _FIRST:
                assert name.split()[1] in _LAST
                renamed += 1
        # No person the sample quotes speaks under their real name (a name only mentioned stays).
        assert not originals & names, originals & names
    assert renamed > 0
