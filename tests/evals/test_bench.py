"""The benchmark's pure helpers: percentile maths, recall@k, targets and the markdown report.

Nothing here is timed: the timings themselves are only meaningful from a full `sourcewise bench`.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from types import SimpleNamespace

import numpy as np
import pytest

from evals.bench import (
    TARGET_ASK_P95_MS,
    TARGET_RECALL,
    Machine,
    Row,
    Section,
    Stats,
    Target,
    exact_top_k,
    markdown_table,
    percentile,
    recall_at_k,
    render_report,
    select_questions,
    synthetic_texts,
    synthetic_vectors,
)


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


def test_recall_at_k_counts_the_exact_neighbours_found() -> None:
    exact = [["a", "b", "c"], ["d", "e", "f"]]
    found = [["c", "a", "x"], ["d", "e", "f"]]  # 2 of 3, then 3 of 3; order within the top k is irrelevant
    assert recall_at_k(found, exact, 3) == pytest.approx((2 / 3 + 1) / 2)
    # Only the top k of each list counts.
    assert recall_at_k([["x", "a"]], [["a", "b"]], 1) == 0.0
    # An exact list shorter than k (a tiny collection) is scored against what it has.
    assert recall_at_k([["a"]], [["a"]], 10) == 1.0
    with pytest.raises(ValueError):
        recall_at_k([["a"]], [], 1)


def test_exact_top_k_and_recall_on_a_small_synthetic_set() -> None:
    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((200, 16)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    queries = matrix[:5] + 0.01
    top = exact_top_k(matrix, queries, 10)
    assert top.shape == (5, 10)
    # Each query is nearest to the row it was made from, and scores fall down each row.
    assert top[:, 0].tolist() == [0, 1, 2, 3, 4]
    scores = np.take_along_axis(queries @ matrix.T, top, axis=1)
    assert np.all(np.diff(scores, axis=1) <= 0)
    ids = [f"c{i}" for i in range(len(matrix))]
    exact = [[ids[r] for r in row] for row in top.tolist()]
    assert recall_at_k(exact, exact, 10) == 1.0
    # An approximate search that loses the nearest neighbour of each query scores 9/10.
    lossy = [row[1:] + ["missing"] for row in exact]
    assert recall_at_k(lossy, exact, 10) == pytest.approx(0.9)


def test_synthetic_vectors_are_unit_length_seeded_and_near_the_real_ones() -> None:
    rng = np.random.default_rng(1)
    base = rng.standard_normal((8, 32)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    first = synthetic_vectors(base, 500, np.random.default_rng(7))
    again = synthetic_vectors(base, 500, np.random.default_rng(7))
    assert first.shape == (500, 32) and first.dtype == np.float32
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(first, again)
    # Closer to the real vectors than random directions would be.
    assert float((first @ base.T).max(axis=1).mean()) > 0.5


def test_synthetic_texts_are_word_soup_of_the_vocabulary() -> None:
    words = ["troops", "protest", "almaty", "csto", "kremlin"]
    weights = np.full(len(words), 1 / len(words))
    texts = synthetic_texts(words, weights, 20, np.random.default_rng(3))
    assert len(texts) == 20
    for text in texts:
        tokens = text.split()
        assert 80 <= len(tokens) <= 180
        assert set(tokens) <= set(words)




def test_targets_say_pass_or_by_how_much_they_miss() -> None:
    assert TARGET_ASK_P95_MS.met(60.0)
    assert TARGET_ASK_P95_MS.shortfall(72.0) == "12 ms over (+20%)"
    assert TARGET_RECALL.met(0.96)
    assert TARGET_RECALL.shortfall(0.90) == "0.05 under (-5%)"
    assert Target("<=", 1.25, "x").shortfall(1.5) == "0.25x over (+20%)"
    assert not TARGET_RECALL.met(math.nan)
    assert Row("p95", "10 ms", target=TARGET_ASK_P95_MS, actual=80.0).result.startswith("MISS: 20 ms over")
    assert Row("p95", "10 ms", target=TARGET_ASK_P95_MS, actual=30.0).result == "PASS"
    assert Row("info", "3 s").result == "—"


def test_markdown_table_escapes_cells_and_checks_widths() -> None:
    table = markdown_table(["Measure", "Value"], [["a | b", "1\n2"]])
    assert table.splitlines() == ["| Measure | Value |", "|---|---|", "| a \\| b | 1 2 |"]
    with pytest.raises(ValueError):
        markdown_table(["one", "two"], [["only one"]])


def test_report_has_command_machine_tables_and_reasons_for_misses() -> None:
    section = Section(title="Ask latency", method="20 questions x 5 rounds.")
    section.rows = [Row("over HTTP", "40.0 ms", "75.0 ms", TARGET_ASK_P95_MS, 75.0)]
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
    assert "| over HTTP | 40.0 ms | 75.0 ms | <= 60 ms | MISS: 15 ms over (+25%) |" in report
    # The targets table up front gathers every row with a target, with its section.
    assert "## Targets" in report
    assert "| Ask latency | over HTTP | 40.0 ms | 75.0 ms | <= 60 ms | MISS: 15 ms over (+25%) |" in report
    assert "**Why the target is missed:**" in report and "- The embedding dominates." in report


def test_questions_are_picked_in_turn_from_each_kind() -> None:
    questions = [SimpleNamespace(id=f"a{i}", kind="a") for i in range(4)]
    questions += [SimpleNamespace(id=f"b{i}", kind="b") for i in range(2)]
    picked = [q.id for q in select_questions(questions, 5)]
    assert picked == ["a0", "b0", "a1", "b1", "a2"]
    assert len(select_questions(questions, 100)) == len(questions)


def test_embed_probe_times_both_thread_counts_and_restores_the_setting() -> None:
    torch = pytest.importorskip("torch")
    from evals.bench import EmbedProbe

    class CountingEmbedder:
        def __init__(self) -> None:
            self.threads_seen: list[int] = []

        def embed_query(self, text: str) -> np.ndarray:
            self.threads_seen.append(torch.get_num_threads())
            return np.zeros(4, dtype=np.float32)

    before = torch.get_num_threads()
    embedder = CountingEmbedder()
    probe = EmbedProbe(embedder, threads=2)
    try:
        probe({"question": "What did the CSTO say?"})
        probe({"question": "Who sent troops?"})
        assert embedder.threads_seen == [2, 1, 2, 1]
        assert len(probe.with_setting) == len(probe.single) == 2
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
