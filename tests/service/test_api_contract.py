"""The v1 contract (``API.md``): every field, its type, offsets that point at the quoted text, voice order."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from sourcewise.types import Voice

VOICE_ORDER = [voice.value for voice in Voice]
GENRES = {"news", "analysis", "opinion"}
#: Broad questions about the sample corpus (the CSTO deployment in Kazakhstan, January 2022).
BROAD_QUESTIONS = [
    "Why were CSTO troops sent to Kazakhstan?",
    "How did Russian news agencies portray the protests in Kazakhstan?",
    "What did the Kazakh opposition say about the intervention?",
]


def _quotes(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [quote for section in answer["sections"] for quote in section["quotes"]]


@pytest.fixture(scope="module")
def broad_answers(app_client: TestClient) -> list[dict[str, Any]]:
    answers = []
    for question in BROAD_QUESTIONS:
        response = app_client.post("/v1/ask", json={"question": question})
        assert response.status_code == 200, response.text
        answers.append(response.json())
    return answers


@pytest.fixture(scope="module")
def documents(app_client: TestClient) -> dict[str, dict[str, Any]]:
    listed = app_client.get("/v1/documents").json()
    return {doc["doc_id"]: app_client.get(f"/v1/documents/{doc['doc_id']}").json() for doc in listed}


def test_answer_has_every_contract_field_with_its_type(broad_answers: list[dict[str, Any]]) -> None:
    for answer, question in zip(broad_answers, BROAD_QUESTIONS):
        assert answer["question"] == question
        assert answer["supported"] is True
        assert isinstance(answer["answer"], str) and answer["answer"].strip()
        assert answer["sections"], f"no quotes for {question!r}"
        for section in answer["sections"]:
            assert set(section) >= {"voice", "label", "quotes"}
            assert section["voice"] in VOICE_ORDER
            assert section["label"] == Voice(section["voice"]).label
            assert section["quotes"], "a section is only listed when it has quotes"
            for quote in section["quotes"]:
                assert set(quote) >= {"id", "text", "start", "end", "speaker", "source", "score"}
                assert isinstance(quote["id"], str) and isinstance(quote["text"], str) and quote["text"]
                assert isinstance(quote["start"], int) and isinstance(quote["end"], int)
                assert 0 <= quote["start"] < quote["end"]
                assert isinstance(quote["score"], float)
                speaker = quote["speaker"]
                assert set(speaker) >= {"name", "role", "voice"}
                assert speaker["name"] is None or isinstance(speaker["name"], str)
                assert speaker["role"] is None or isinstance(speaker["role"], str)
                assert speaker["voice"] == section["voice"], "a quote stands in the section of its speaker's voice"
                source = quote["source"]
                assert set(source) >= {"doc_id", "title", "publisher", "author", "published", "url", "genre"}
                assert isinstance(source["title"], str) and isinstance(source["publisher"], str)
                assert source["genre"] in GENRES
                for nullable in ("author", "published", "url"):
                    assert source[nullable] is None or isinstance(source[nullable], str)


def test_quote_text_is_the_document_text_at_its_offsets(
    broad_answers: list[dict[str, Any]], documents: dict[str, dict[str, Any]]
) -> None:
    checked = 0
    for answer in broad_answers:
        for quote in _quotes(answer):
            document = documents[quote["source"]["doc_id"]]
            assert document["text"][quote["start"] : quote["end"]] == quote["text"]
            assert "\n" not in quote["text"], "a quote must not run over a paragraph break"
            assert quote["source"]["title"] == document["title"]
            assert quote["source"]["publisher"] == document["publisher"]
            checked += 1
    assert checked >= len(BROAD_QUESTIONS)


def test_sections_follow_the_voice_order_and_quote_ids_are_unique(broad_answers: list[dict[str, Any]]) -> None:
    for answer in broad_answers:
        voices = [section["voice"] for section in answer["sections"]]
        assert voices == sorted(voices, key=VOICE_ORDER.index)
        assert len(voices) == len(set(voices)), "one section per voice"
        ids = [quote["id"] for quote in _quotes(answer)]
        assert len(ids) == len(set(ids))


def test_quotes_do_not_overlap_and_respect_top_k(app_client: TestClient) -> None:
    for top_k in (1, 3):
        answer = app_client.post("/v1/ask", json={"question": BROAD_QUESTIONS[0], "top_k": top_k}).json()
        quotes = _quotes(answer)
        assert 1 <= len(quotes) <= top_k
    answer = app_client.post("/v1/ask", json={"question": BROAD_QUESTIONS[0], "top_k": 50}).json()
    spans = sorted((q["source"]["doc_id"], q["start"], q["end"]) for q in _quotes(answer))
    for (doc_a, _, end_a), (doc_b, start_b, _) in zip(spans, spans[1:]):
        assert doc_a != doc_b or end_a <= start_b, "the same passage is quoted twice"


def test_quotes_in_a_section_come_best_first(broad_answers: list[dict[str, Any]]) -> None:
    for answer in broad_answers:
        for section in answer["sections"]:
            scores = [quote["score"] for quote in section["quotes"]]
            assert scores == sorted(scores, reverse=True)


def test_documents_list_and_detail(app_client: TestClient, documents: dict[str, dict[str, Any]]) -> None:
    listed = app_client.get("/v1/documents").json()
    assert len(listed) == 5
    for entry in listed:
        assert set(entry) >= {"doc_id", "title", "publisher", "author", "published", "url", "genre", "outlet_voice"}
        assert entry["genre"] in GENRES
        assert entry["outlet_voice"] in VOICE_ORDER
        detail = documents[entry["doc_id"]]
        assert {k: detail[k] for k in entry} == entry
        assert isinstance(detail["text"], str) and len(detail["text"]) > 1000


def test_health_reports_the_index_size(app_client: TestClient) -> None:
    response = app_client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["documents"] == 5
    assert body["chunks"] > body["documents"]


def test_slack_route_returns_blocks_that_carry_the_quotes(app_client: TestClient) -> None:
    body = {"question": BROAD_QUESTIONS[1], "top_k": 4}
    plain = app_client.post("/v1/ask", json=body).json()
    response = app_client.post("/v1/ask/slack", json=body)
    assert response.status_code == 200
    slack = response.json()
    assert set(slack) >= {"text", "blocks", "answer"}
    assert slack["answer"] == plain
    assert isinstance(slack["text"], str) and slack["text"]
    assert 0 < len(slack["blocks"]) <= 50
    shown = " ".join(
        block["text"]["text"] for block in slack["blocks"] if isinstance(block.get("text"), dict)
    )
    for section in plain["sections"]:
        assert section["label"] in shown


def test_openapi_docs_are_served(app_client: TestClient) -> None:
    assert app_client.get("/docs").status_code == 200
    schema = app_client.get("/openapi.json").json()
    assert {"/v1/ask", "/v1/ask/slack", "/v1/documents", "/v1/documents/{doc_id}", "/healthz"} <= set(schema["paths"])


def test_docs_api_md_keeps_every_line_of_the_shared_contract() -> None:
    """``docs/API.md`` is the contract as shipped: each line of ``../shared/API.md`` is in it (CI has it beside)."""
    from sourcewise.settings import PROJECT_ROOT

    shared = PROJECT_ROOT.parent / "shared" / "API.md"
    if not shared.exists():
        pytest.skip("../shared/API.md is not beside this checkout")
    ours = (PROJECT_ROOT / "docs" / "API.md").read_text(encoding="utf-8").splitlines()
    missing = [line for line in shared.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("## v1 additions") and line.rstrip() not in {o.rstrip() for o in ours}]
    assert not missing, missing[:5]
