"""schemathesis against the served OpenAPI schema: every operation, bounded, on a throw-away index.

0 server errors and 0 responses that break the schema (status codes, bodies, headers). The
service is a real uvicorn process over its own index of one sample document, so the documents
the fuzzer writes and deletes never reach the other tests' index. Cases it once found are kept
as explicit regression tests below.
"""

from __future__ import annotations

from collections.abc import Iterator

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from sourcewise.settings import PROJECT_ROOT
from tests.support import service_over_sample_document

SAMPLE = PROJECT_ROOT / "corpus" / "sample"


@pytest.fixture(scope="module")
def fuzz_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with service_over_sample_document(tmp_path_factory.mktemp("fuzz"), "daryo-csto-january-crisis",
                                      name="the fuzzed service") as url:
        yield url


#: Examples per operation and the seed: a few minutes in all, the same cases on every run.
MAX_EXAMPLES = 40
SEED = 20220107


@pytest.mark.server
def test_no_operation_errors_or_breaks_its_schema(fuzz_api: str, tmp_path: Path) -> None:
    """``schemathesis run`` (its own CLI, every check) over every operation of the served schema."""
    report = tmp_path / "schemathesis"
    config = Path(__file__).with_name("schemathesis.toml")  # 413 is a rejection; see the file for the rest
    command = [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config), "run",
               f"{fuzz_api}/openapi.json", "--checks", "all", "--exclude-checks", "positive_data_acceptance",
               "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED),
               "--generation-deterministic", "--report", "junit", "--report-dir", str(report), "--no-color"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=PROJECT_ROOT)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:] if len(output) < 20000 else output[:8000]
    assert "No issues found" in output or "passed" in output.lower(), output[-3000:]


# -- regression cases (inputs fuzzing found or that sit on the schema's edges) ------------------


@pytest.mark.server
@pytest.mark.parametrize(("method", "path", "kwargs", "status"), [
    ("POST", "/v1/ask", {"content": b"{", "headers": {"content-type": "application/json"}}, 422),
    ("POST", "/v1/ask", {"content": b"\xff\xfe", "headers": {"content-type": "application/json"}}, 422),
    ("POST", "/v1/ask", {"json": {"question": "x" * 2001}}, 422),
    ("POST", "/v1/ask", {"json": {"question": "ok", "top_k": 0}}, 422),
    ("POST", "/v1/ask", {"json": {"question": "ok", "filters": {"voices": ["nonsense"]}}}, 422),
    ("POST", "/v1/documents", {"json": {"corpus": "../x", "publisher": "P", "text": "t"}}, 422),
    ("POST", "/v1/documents", {"json": {"corpus": "c", "publisher": "P", "title": "T", "text": ""}}, 422),
    ("POST", "/v1/documents", {"json": {"corpus": "c", "publisher": "P", "html": "0"}}, 422),  # no article
    ("POST", "/v1/documents", {"json": {"corpus": "c", "publisher": "P", "text": "words"}}, 422),  # no title
    ("GET", "/v1/documents/%00", {}, 404),
    ("GET", "/v1/documents", {"params": {"limit": 0}}, 422),
    ("DELETE", "/v1/documents/never-there", {}, 404),
])
def test_edge_inputs_get_their_documented_status(fuzz_api: str, method: str, path: str, kwargs: dict, status: int) -> None:
    response = httpx.request(method, f"{fuzz_api}{path}", timeout=60, **kwargs)
    assert response.status_code == status, response.text
    assert "detail" in response.json() and "Traceback" not in response.text
