"""The evaluation runner end to end, against small stand-in services that speak the public API."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from langchain_core.embeddings import DeterministicFakeEmbedding

import evals.baseline
from evals import runner

HARBOUR = (
    "The harbour of Eastmere flooded after three days of rain. "
    "The state broadcaster Vestnik said saboteurs had opened the sluice gates. "
    "Engineers from the port authority found the gates locked and undamaged. "
    "Mayor Anna Holt said forty families were moved to the school."
)
ORCHARD = "Apple growers in the Lindholm valley report the best harvest in a decade. Cider presses run day and night."
DOCUMENTS = {"harbour": HARBOUR, "orchard": ORCHARD}
# Who speaks in each sentence (what a careful service would find), by sentence prefix.
SPEAKERS = {"The state broadcaster": "russian_state", "Mayor Anna Holt": "kazakh_government"}

QUESTIONS = """
questions:
  - id: sabotage
    kind: loaded
    question: Surely saboteurs opened the sluice gates?
    answerable: true
    claims:
      - {doc_id: harbour, text: "saboteurs had opened the sluice gates", voice: russian_state}
      - {doc_id: harbour, text: "found the gates locked and undamaged", voice: independent}
  - id: families
    kind: voice
    question: How many families were moved by the mayor?
    answerable: true
    claims:
      - {doc_id: harbour, text: "forty families were moved to the school", voice: kazakh_government}
  - id: engineers
    kind: follow_up
    question: And what did the engineers find?
    history:
      - {role: user, content: "Was the flood caused by sabotage?"}
    answerable: true
    claims:
      - {doc_id: harbour, text: "found the gates locked and undamaged", voice: independent}
  - id: population
    kind: unanswerable
    question: What is the population of Norrvik?
    answerable: false
"""
GOLD = """
- {doc_id: harbour, text: "The state broadcaster Vestnik said", speaker: Vestnik, role: null, voice: russian_state, conduit: null, note: null}
- {doc_id: harbour, text: "Mayor Anna Holt said", speaker: Anna Holt, role: mayor, voice: kazakh_government, conduit: null, note: null}
"""
STOPWORDS = {"what", "were", "surely", "many", "find", "with", "from", "that", "the"}


def stand_in_service(careful: bool) -> FastAPI:
    """A keyword-matching service: 'careful' gives each sentence its speaker's voice and abstains
    when nothing matches; otherwise every quote is the outlet's (independent), as a naive build does."""
    app = FastAPI()
    meta = {"title": "t", "publisher": "p", "author": None, "published": None, "url": None, "genre": "news", "outlet_voice": "independent"}

    @app.get("/v1/documents")
    def listing() -> list[dict[str, Any]]:
        return [{"doc_id": doc_id, **meta} for doc_id in DOCUMENTS]

    @app.get("/v1/documents/{doc_id}")
    def document(doc_id: str) -> dict[str, Any]:
        if doc_id not in DOCUMENTS:
            raise HTTPException(404, "unknown document")
        return {"doc_id": doc_id, **meta, "text": DOCUMENTS[doc_id]}

    @app.post("/v1/ask")
    def ask(body: dict[str, Any]) -> dict[str, Any]:
        words = {w for w in re.findall(r"[a-z]{4,}", body["question"].lower()) if w not in STOPWORDS}
        sections: dict[str, list[dict[str, Any]]] = {}
        for doc_id, text in DOCUMENTS.items():
            for match in re.finditer(r"[^.]+\.", text):
                sentence = match.group().strip()
                start = text.index(sentence, match.start())
                if not words & set(re.findall(r"[a-z]{4,}", sentence.lower())):
                    continue
                voice = next((v for p, v in SPEAKERS.items() if sentence.startswith(p)), "independent") if careful else "independent"
                sections.setdefault(voice, []).append(
                    {"id": f"q{start}", "text": sentence, "start": start, "end": start + len(sentence),
                     "speaker": {"name": None, "role": None, "voice": voice},
                     "source": {"doc_id": doc_id, **{k: meta[k] for k in ("title", "publisher", "author", "published", "url", "genre")}},
                     "score": 1.0}
                )
        if not sections and careful:
            return {"question": body["question"], "supported": False, "answer": "Nothing in the corpus.", "sections": []}
        return {"question": body["question"], "supported": bool(sections), "answer": "",
                "sections": [{"voice": v, "label": v, "quotes": q} for v, q in sections.items()]}

    return app


@pytest.fixture
def data_files(tmp_path: Path) -> list[str]:
    questions, gold = tmp_path / "questions.yaml", tmp_path / "gold.yaml"
    questions.write_text(QUESTIONS, encoding="utf-8")
    gold.write_text(GOLD, encoding="utf-8")
    return ["--questions", str(questions), "--gold", str(gold), "--report", str(tmp_path / "out" / "eval.json")]


@pytest.fixture
def use_service(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(evals.baseline, "default_embeddings", lambda settings=None: DeterministicFakeEmbedding(size=16))

    def install(careful: bool) -> None:
        @contextmanager
        def open_service(url: str | None) -> Iterator[httpx.Client]:
            with TestClient(stand_in_service(careful)) as client:
                yield client

        monkeypatch.setattr(runner, "open_service", open_service)

    return install


def test_a_careful_service_passes_the_check_and_the_report_has_both_systems(
    use_service: Any, data_files: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_service(careful=True)
    assert runner.main([*data_files, "--check"]) == 0
    report = json.loads((tmp_path / "out" / "eval.json").read_text())
    ours, baseline = report["sourcewise"]["metrics"], report["baseline"]["metrics"]
    assert report["passed"] is True
    assert (ours["leaks"], ours["verbatim_rate"], ours["claim_recall"], ours["abstention_accuracy"]) == (0, 1.0, 1.0, 1.0)
    assert report["gold_sentences_located"] == report["gold_sentences_total"] == 2
    # The baseline answers the unanswerable question too, and shows the state claim as the outlet's.
    assert baseline["unanswerable_abstained"] == 0.0
    assert [r["id"] for r in report["sourcewise"]["results"]] == ["sabotage", "families", "engineers", "population"]
    printed = capsys.readouterr().out
    assert "separation leaks" in printed and "population" in printed


def test_a_service_that_shows_state_claims_as_independent_fails_the_check(
    use_service: Any, data_files: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_service(careful=False)
    assert runner.main([*data_files, "--check", "--no-baseline"]) == 1
    report = json.loads((tmp_path / "out" / "eval.json").read_text())
    assert report["baseline"] is None
    assert report["sourcewise"]["metrics"]["leaks"] >= 1
    assert {c["metric"] for c in report["checks"] if not c["passed"]} >= {"leaks", "attribution_accuracy"}
    assert "Thresholds missed" in capsys.readouterr().out
    # Without --check the run reports the failure but does not fail.
    assert runner.main([*data_files, "--no-baseline"]) == 0


def test_an_unreachable_service_is_reported_plainly(data_files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert runner.main([*data_files, "--url", "http://127.0.0.1:9", "--no-baseline"]) == 2
    assert "unreachable" in capsys.readouterr().err


def test_a_broken_question_file_is_reported_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions: [{id: x}]\n", encoding="utf-8")
    assert runner.main(["--questions", str(bad), "--no-baseline"]) == 2
    assert str(bad) in capsys.readouterr().err
