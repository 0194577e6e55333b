"""A `sourcewise ingest` run beside a service on the same embedded store: the service answers from it.

Embedded Chroma keeps vector indexes in the memory of the process that opened them; the service
reopens the store when the change log shows another process's writes (found as a new user:
`make run`, then `sourcewise ingest --corpus mine` in another shell, used to answer 503).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import ingest_corpus
from service.app import create_app
from sourcewise.settings import PROJECT_ROOT, Settings
from tests.support import quotes_of, small_corpus

ARTICLE = """Storm closes Brennvik harbour

The harbour of Brennvik was closed on Monday after a storm broke its outer wall, the port authority said.

"The wall will take a month to rebuild," harbour master Tomas Ekvall told reporters.
"""


@pytest.mark.server
def test_documents_another_process_ingests_are_answered_by_a_running_service(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sample = small_corpus(tmp_path / "sample", ["politiks-troops-quell-protests"])
    assert ingest_corpus(sample, Settings(data_dir=data, corpus_dir=sample, chroma_host=None)).ok
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "harbour.txt").write_text(ARTICLE, encoding="utf-8")
    (mine / "manifest.yaml").write_text(
        "documents:\n  - {doc_id: brennvik-storm, file: harbour.txt, title: Storm closes Brennvik harbour, "
        "publisher: Example Wire, genre: news, outlet_voice: independent}\n", encoding="utf-8")
    question = {"question": "Why was Brennvik harbour closed?"}
    with TestClient(create_app(Settings(data_dir=data, chroma_host=None))) as client:
        assert client.post("/v1/ask", json=question).status_code == 200
        env = {**os.environ, "SOURCEWISE_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
        for name in ("CHROMA_HOST", "SOURCEWISE_CHROMA_HOST"):
            env.pop(name, None)
        subprocess.run([sys.executable, "-m", "sourcewise.cli", "ingest", "--corpus", str(mine), "--quiet"],
                       env=env, cwd=PROJECT_ROOT, check=True, capture_output=True, timeout=300)
        deadline = time.monotonic() + 10
        while True:
            response = client.post("/v1/ask", json=question)
            assert response.status_code == 200, response.text
            found = [q for q in quotes_of(response.json()) if q["source"]["doc_id"] == "brennvik-storm"]
            if found or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert found, response.json()
        document = client.get("/v1/documents/brennvik-storm").json()
        assert all(document["text"][q["start"] : q["end"]] == q["text"] for q in found)
        # The other corpus is still there.
        assert {c["corpus"] for c in client.get("/v1/corpora").json()} == {"sample", "mine"}
