"""``sourcewise eval``: ask every evaluation question through the public API and score the answers.

Sourcewise is reached over HTTP (``--url``) or in-process (the FastAPI app behind a
``TestClient``); either way only the public contract of ``API.md`` is used. The same questions go
to the LangChain baseline (:mod:`evals.baseline`), built from the documents the API serves, and
both are scored by :mod:`evals.metrics`. The run prints a metric table and a per-question table,
writes everything to a JSON report, and with ``--check`` fails when Sourcewise misses a threshold.
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import httpx
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, ConfigDict, Field

from evals.metrics import (
    GoldSpan,
    QuestionResult,
    SystemMetrics,
    aggregate,
    build_gold_index,
    claim_spans,
    gold_sentence_spans,
    score_question,
)
from evals.schema import (
    GOLD_ATTRIBUTION_PATH,
    QUESTIONS_PATH,
    EvalDataError,
    EvalQuestion,
    load_gold_attribution,
    load_questions,
)
from sourcewise.settings import PROJECT_ROOT
from sourcewise.types import Voice

logger = logging.getLogger(__name__)

DEFAULT_REPORT = Path("reports/eval.json")
#: Seconds to wait for one answer from a service over HTTP (the first loads the model).
HTTP_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Threshold:
    """A bound one Sourcewise metric must meet for ``--check`` to pass."""

    metric: str
    bound: Literal[">=", "<="]
    value: float
    why: str

    def passes(self, actual: float | None) -> bool:
        """Whether ``actual`` meets the bound; a metric that could not be measured fails."""
        if actual is None or (isinstance(actual, float) and math.isnan(actual)):
            return False
        return actual >= self.value if self.bound == ">=" else actual <= self.value


#: Every threshold in one place (the README explains each); only Sourcewise is held to them.
THRESHOLDS: tuple[Threshold, ...] = (
    # The product's promise: every quote is the source's own words at the offsets given.
    Threshold("verbatim_rate", ">=", 1.0, "every quote must reproduce document.text[start:end]"),
    # A Russian-state claim shown as independent (or the reverse) is the failure the product exists to prevent.
    Threshold("leaks", "<=", 0, "no state claim under a non-state voice, no independent claim under a state voice"),
    # Sentence-level attribution is heuristic; borderline sentences (mixed speakers) keep it below 1.
    Threshold("attribution_accuracy", ">=", 0.9, "quotes that touch gold labels stand under the gold voice"),
    # Quotes are sentences and top_k is bounded, so not every gold claim of a broad question fits.
    Threshold("claim_recall", ">=", 0.6, "share of the answerable questions' gold claims that are quoted"),
    # Abstaining on the unanswerable must not cost many answerable questions.
    Threshold("abstention_accuracy", ">=", 0.8, "supported == answerable"),
    # Most questions are answerable, so the share above is met by a system that never abstains;
    # this one is not: most questions the corpus cannot answer must get "supported: false".
    Threshold("unanswerable_abstained", ">=", 0.7, "unanswerable questions answered with supported: false"),
    # A failed request is a bug, never an acceptable answer.
    Threshold("errors", "<=", 0, "every request answered with 200"),
)


#: The real-article set's thresholds (evals/data/real_questions.yaml over corpus/real, 61 questions
#: labelled blind). Its first run: leaks 1, attribution 94.4%, recall 53.4%, quote precision 22.4%,
#: abstention 75.4%, unanswerable abstained 58.3%. The relevance settings were then chosen on both
#: sets (README, "The evaluation sets"); each bound sits a little below the figure now measured,
#: so that a regression fails.
REAL_THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("verbatim_rate", ">=", 1.0, "every quote must reproduce document.text[start:end]"),
    # Measured 1: VOA's "an election that the opposition and many Western governments considered
    # rigged" is one claim of VOA's; the relative clause's own source is not split out yet
    # (docs/attribution.md, known limits). Any further leak fails.
    Threshold("leaks", "<=", 1, "no state claim under a non-state voice beyond the one known miss"),
    Threshold("attribution_accuracy", ">=", 0.9, "quotes that touch gold labels stand under the gold voice"),
    Threshold("claim_recall", ">=", 0.5, "share of the answerable questions' gold claims that are quoted"),
    Threshold("quote_precision", ">=", 0.2, "returned quotes that are a gold claim of their question"),
    Threshold("abstention_accuracy", ">=", 0.75, "supported == answerable"),
    # 8 of 12 now (7 at first; Chinese troops is refused since counts are matched to whose troops
    # they count): the misses are questions about something the texts name but never report (a death
    # toll or a deployment the texts do not give), which a similarity bar cannot tell apart.
    Threshold("unanswerable_abstained", ">=", 0.55, "unanswerable questions answered with supported: false"),
    Threshold("errors", "<=", 0, "every request answered with 200"),
)


@dataclass(frozen=True)
class EvalSet:
    """A question set with the corpus it is asked over, its gold labels and its thresholds."""

    questions: Path
    gold: Path
    corpus: str | None
    thresholds: tuple[Threshold, ...]
    report: Path


EVAL_SETS: dict[str, EvalSet] = {
    "sample": EvalSet(QUESTIONS_PATH, GOLD_ATTRIBUTION_PATH, "sample", THRESHOLDS, DEFAULT_REPORT),
    "real": EvalSet(QUESTIONS_PATH.with_name("real_questions.yaml"), PROJECT_ROOT / "corpus" / "real" / "gold.yaml",
                    "real", REAL_THRESHOLDS, DEFAULT_REPORT.with_name("eval-real.json")),
}


class EvalSetupError(RuntimeError):
    """The evaluation cannot start (service unreachable, no index, bad data); the message says what to do."""


class ThresholdCheck(BaseModel):
    """One threshold applied to Sourcewise's metrics."""

    model_config = ConfigDict(extra="forbid")

    metric: str = Field(description="SystemMetrics field")
    bound: str = Field(description="'>=' or '<='")
    value: float = Field(description="The threshold")
    actual: float | None = Field(description="Sourcewise's value; null when it could not be measured")
    passed: bool = Field(description="Whether the bound is met")
    why: str = Field(description="What the threshold protects")


class SystemReport(BaseModel):
    """One system's run: pooled metrics, per-question scores and the raw responses."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="'sourcewise' or 'baseline'")
    metrics: SystemMetrics = Field(description="Metrics over the whole set")
    results: list[QuestionResult] = Field(description="Per-question scores, in question order")
    responses: dict[str, Any] = Field(description="Raw responses by question id (null when the request failed)")


class EvalReport(BaseModel):
    """Everything one evaluation run measured."""

    model_config = ConfigDict(extra="forbid")

    generated_at: str = Field(description="UTC time of the run, ISO 8601")
    target: str = Field(description="The service evaluated: a URL or 'in-process'")
    questions_path: str = Field(description="Question file used")
    gold_path: str = Field(description="Gold attribution file used")
    documents: int = Field(description="Documents the service serves")
    gold_sentences_located: int = Field(description="Gold labels found in the cleaned texts")
    gold_sentences_total: int = Field(description="Gold labels in the file")
    claims_located: int = Field(description="Gold claims found in the cleaned texts")
    claims_total: int = Field(description="Gold claims in the question file")
    passed: bool = Field(description="Whether Sourcewise met every threshold")
    checks: list[ThresholdCheck] = Field(description="Each threshold and its outcome")
    sourcewise: SystemReport = Field(description="Sourcewise's run")
    baseline: SystemReport | None = Field(description="The LangChain baseline's run; null with --no-baseline")


# --------------------------------------------------------------------------- talking to the service


@contextmanager
def open_service(url: str | None) -> Iterator[httpx.Client]:
    """An HTTP client for the service at ``url``, or for the app run in-process when ``url`` is None."""
    if url:
        with httpx.Client(base_url=url.rstrip("/"), timeout=HTTP_TIMEOUT_S) as client:
            yield client
        return
    try:
        from service.app import create_app
    except ImportError as exc:
        raise EvalSetupError(
            f"Cannot run the service in-process ({exc}); start it with `sourcewise serve` and pass --url"
        ) from exc
    from fastapi.testclient import TestClient

    # raise_server_exceptions=False: a server error is scored as a failed answer, not a crash.
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail"))
    except (ValueError, AttributeError):
        return response.text[:200]


def fetch_documents(client: httpx.Client, corpus: str | None = None) -> list[dict[str, Any]]:
    """Every document the service serves (of ``corpus``), with its cleaned text (``GET /v1/documents[/{id}]``)."""
    params: dict[str, Any] = {"limit": 1000}
    if corpus:
        params["corpus"] = corpus
    try:
        listing = client.get("/v1/documents", params=params)
    except httpx.HTTPError as exc:
        raise EvalSetupError(f"Service unreachable at {client.base_url}: {exc}; is `sourcewise serve` running?") from exc
    if listing.status_code != 200:
        raise EvalSetupError(f"GET /v1/documents answered {listing.status_code}: {_detail(listing)}")
    documents: list[dict[str, Any]] = []
    for entry in listing.json():
        doc = client.get(f"/v1/documents/{entry['doc_id']}")
        if doc.status_code != 200:
            raise EvalSetupError(f"GET /v1/documents/{entry['doc_id']} answered {doc.status_code}: {_detail(doc)}")
        documents.append(doc.json())
    if not documents:
        where = f" in corpus {corpus!r}" if corpus else ""
        raise EvalSetupError(f"The service serves no documents{where}: build the index with `sourcewise ingest` first")
    return documents


def ask_service(
    client: httpx.Client, question: EvalQuestion, top_k: int | None = None, corpus: str | None = None
) -> tuple[dict[str, Any] | None, float, str | None]:
    """POST one question (within ``corpus`` when given): (response or None, seconds, error or None)."""
    body: dict[str, Any] = {"question": question.question}
    if corpus:
        body["filters"] = {"corpora": [corpus]}
    if question.history:
        body["history"] = [turn.model_dump() for turn in question.history]
    if top_k is not None:
        body["top_k"] = top_k
    started = time.perf_counter()
    try:
        response = client.post("/v1/ask", json=body)
    except httpx.HTTPError as exc:
        return None, time.perf_counter() - started, f"request failed: {exc}"
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        return None, elapsed, f"HTTP {response.status_code}: {_detail(response)}"
    return response.json(), elapsed, None


# --------------------------------------------------------------------------- the run

Asker = Callable[[EvalQuestion], tuple[dict[str, Any] | None, float, str | None]]


def run_system(
    name: str,
    ask: Asker,
    questions: Sequence[EvalQuestion],
    documents: Mapping[str, str],
    gold: Mapping[str, Sequence[GoldSpan]],
    outlet_voices: Mapping[str, Voice],
) -> SystemReport:
    """Ask every question with ``ask`` and score the answers."""
    results: list[QuestionResult] = []
    responses: dict[str, Any] = {}
    for number, question in enumerate(questions, start=1):
        response, seconds, error = ask(question)
        if error:
            logger.warning("%s: %s failed: %s", name, question.id, error)
        logger.info("%s: %d/%d %s (%.2fs)", name, number, len(questions), question.id, seconds)
        responses[question.id] = response
        results.append(score_question(question, response, seconds, documents, gold, outlet_voices, error))
    return SystemReport(name=name, metrics=aggregate(results), results=results, responses=responses)


def check_thresholds(metrics: SystemMetrics, thresholds: Sequence[Threshold] = THRESHOLDS) -> list[ThresholdCheck]:
    """Apply ``thresholds`` (the sample's by default) to one system's metrics."""
    checks = []
    for threshold in thresholds:
        actual = getattr(metrics, threshold.metric)
        checks.append(
            ThresholdCheck(
                metric=threshold.metric,
                bound=threshold.bound,
                value=threshold.value,
                actual=None if actual is None else float(actual),
                passed=threshold.passes(actual),
                why=threshold.why,
            )
        )
    return checks


def _voice(value: object) -> Voice:
    try:
        return Voice(str(value))
    except ValueError:
        return Voice.INDEPENDENT


def run_evaluation(
    client: httpx.Client,
    questions: Sequence[EvalQuestion],
    gold_labels: Sequence[Any],
    *,
    target: str,
    questions_path: Path,
    gold_path: Path,
    with_baseline: bool = True,
    embeddings: Embeddings | None = None,
    top_k: int | None = None,
    corpus: str | None = None,
    thresholds: Sequence[Threshold] = THRESHOLDS,
) -> EvalReport:
    """Run the whole evaluation against the service behind ``client`` (and the baseline), within ``corpus``."""
    served = fetch_documents(client, corpus)
    documents = {doc["doc_id"]: doc["text"] for doc in served}
    outlet_voices = {doc["doc_id"]: _voice(doc.get("outlet_voice")) for doc in served}

    sentences = gold_sentence_spans(gold_labels, documents)
    claims: list[GoldSpan | None] = [span for q in questions for span in claim_spans(q, documents)]
    gold = build_gold_index(sentences, claims)
    if len(sentences) < len(gold_labels) or None in claims:
        logger.warning(
            "Gold located in the cleaned texts: %d/%d sentences, %d/%d claims (see warnings above)",
            len(sentences), len(gold_labels), sum(c is not None for c in claims), len(claims),
        )

    sourcewise = run_system(
        "sourcewise", lambda q: ask_service(client, q, top_k, corpus), questions, documents, gold, outlet_voices
    )
    baseline_report: SystemReport | None = None
    if with_baseline:
        from evals.baseline import LangChainBaseline, default_embeddings

        with LangChainBaseline(served, embeddings or default_embeddings()) as baseline:

            def ask_baseline(question: EvalQuestion) -> tuple[dict[str, Any] | None, float, str | None]:
                started = time.perf_counter()
                history = [turn.model_dump() for turn in question.history]
                response = baseline.ask(question.question, history)
                return response, time.perf_counter() - started, None

            baseline_report = run_system("baseline", ask_baseline, questions, documents, gold, outlet_voices)

    checks = check_thresholds(sourcewise.metrics, thresholds)
    return EvalReport(
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        target=target,
        questions_path=str(questions_path),
        gold_path=str(gold_path),
        documents=len(documents),
        gold_sentences_located=len(sentences),
        gold_sentences_total=len(gold_labels),
        claims_located=sum(c is not None for c in claims),
        claims_total=len(claims),
        passed=all(c.passed for c in checks),
        checks=checks,
        sourcewise=sourcewise,
        baseline=baseline_report,
    )


# --------------------------------------------------------------------------- printing


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def metric_table(report: EvalReport) -> str:
    """Sourcewise and the baseline side by side, with each threshold's outcome."""
    ours, theirs = report.sourcewise.metrics, report.baseline.metrics if report.baseline else None
    checks = {c.metric: c for c in report.checks}

    def row(label: str, metric: str, fmt: Callable[[Any], str]) -> list[str]:
        check = checks.get(metric)
        bound = f"{check.bound} {fmt(check.value)}" if check else ""
        outcome = ("PASS" if check.passed else "FAIL") if check else ""
        return [label, fmt(getattr(ours, metric)), fmt(getattr(theirs, metric)) if theirs else "-", bound, outcome]

    rows = [
        row("verbatim rate", "verbatim_rate", _pct),
        row("separation leaks", "leaks", lambda v: str(int(v)) if v is not None else "-"),
        row("attribution accuracy", "attribution_accuracy", _pct),
        row("gold-claim recall", "claim_recall", _pct),
        row("quote precision (quotes that are gold claims)", "quote_precision", _pct),
        row("  recall under the right voice", "claim_recall_right_section", _pct),
        row("abstention accuracy", "abstention_accuracy", _pct),
        row("  unanswerable abstained", "unanswerable_abstained", _pct),
        row("latency median (s)", "latency_median_s", _secs),
        row("latency p95 (s)", "latency_p95_s", _secs),
        row("failed requests", "errors", lambda v: str(int(v)) if v is not None else "-"),
        row("quotes returned", "quotes", lambda v: str(v)),
    ]
    table = _table(["metric", "Sourcewise", "baseline", "threshold", ""], rows)
    kinds = ", ".join(f"{k}: {n}" for k, n in ours.leaks_by_kind.items()) or "none"
    extra = f"\nSourcewise leaks by rule: {kinds}; attribution judged on {ours.attribution_judged} quotes"
    if theirs:
        extra += f" (baseline {theirs.attribution_judged})"
    return table + extra


def question_table(report: EvalReport) -> str:
    """One row per question: how Sourcewise (and the baseline) did."""
    baseline = {r.id: r for r in report.baseline.results} if report.baseline else {}
    rows = []
    for r in report.sourcewise.results:
        b = baseline.get(r.id)
        supported = "ERR" if r.error else ("yes" if r.supported else "no")
        rows.append(
            [
                r.id,
                r.kind,
                f"{supported}{'' if r.abstention_correct else ' !'}",
                str(r.quotes),
                _pct(r.claim_recall),
                str(len(r.leaks)),
                _secs(r.latency_s),
                _pct(b.claim_recall) if b else "-",
                str(len(b.leaks)) if b else "-",
            ]
        )
    header = ["id", "kind", "supported", "quotes", "recall", "leaks", "secs", "bl recall", "bl leaks"]
    return _table(header, rows) + "\n('!' marks a wrong abstention decision)"


# --------------------------------------------------------------------------- CLI


def build_parser() -> argparse.ArgumentParser:
    """The ``sourcewise eval`` options."""
    parser = argparse.ArgumentParser(
        prog="sourcewise eval",
        description="Ask every evaluation question through the public API; score Sourcewise and the LangChain baseline.",
    )
    parser.add_argument("--url", help="A running service (default: run the app in-process)")
    parser.add_argument("--set", choices=sorted(EVAL_SETS), default="sample",
                        help="sample: the sample corpus's questions; real: the committed real articles' (corpus/real)")
    parser.add_argument("--corpus", help="Ask within this corpus (default: the set's)")
    parser.add_argument("--report", type=Path, default=None, help="JSON report path (default reports/eval[-real].json)")
    parser.add_argument("--check", action="store_true", help="Exit 1 when a threshold fails")
    parser.add_argument("--no-baseline", action="store_true", help="Skip the LangChain baseline")
    parser.add_argument("--questions", type=Path, default=None, help="Question file (YAML; default: the set's)")
    parser.add_argument("--gold", type=Path, default=None, help="Gold attribution file (YAML; default: the set's)")
    parser.add_argument("--top-k", type=int, default=None, help="top_k sent with each question (service default)")
    parser.add_argument("--quiet", action="store_true", help="Print only the metric table")
    parser.add_argument("-v", "--verbose", action="store_true", help="Log progress")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; 0 on success, 1 when ``--check`` finds a failed threshold, 2 when it cannot run."""
    args = build_parser().parse_args(argv)
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
        )
    chosen = EVAL_SETS[args.set]
    args.questions = args.questions or chosen.questions
    args.gold = args.gold or chosen.gold
    args.report = args.report or chosen.report
    corpus = args.corpus or chosen.corpus
    try:
        questions = load_questions(args.questions).questions
        gold_labels = load_gold_attribution(args.gold)
        with open_service(args.url) as client:
            report = run_evaluation(
                client,
                questions,
                gold_labels,
                target=args.url or "in-process",
                questions_path=args.questions,
                gold_path=args.gold,
                with_baseline=not args.no_baseline,
                top_k=args.top_k,
                corpus=corpus,
                thresholds=chosen.thresholds,
            )
    except (EvalDataError, EvalSetupError) as exc:
        print(f"sourcewise eval: {exc}", file=sys.stderr)
        return 2

    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    print(metric_table(report))
    if not args.quiet:
        print()
        print(question_table(report))
    print(f"\n{len(questions)} questions ({args.set} set) over {report.documents} documents"
          f"{f' of corpus {corpus}' if corpus else ''}; report written to {args.report}")
    failed = [c for c in report.checks if not c.passed]
    if failed:
        missed = ", ".join(f"{c.metric} = {c.actual:g} (wanted {c.bound} {c.value:g})" if c.actual is not None
                           else f"{c.metric} not measured" for c in failed)
        print(f"Thresholds missed: {missed}")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
