"""Citations, exports and the document view, from a real answer of the service."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import pytest

from ui.research import CSV_COLUMNS, citation, document_html, document_link, rows_of, to_csv, to_json, to_markdown
from ui.streamlit_app import VOICE_STYLES

COLOURS = {voice: style.colour for voice, style in VOICE_STYLES.items()}


@pytest.mark.server
def test_every_export_carries_each_quotes_full_provenance(corpus_answer: dict[str, Any]) -> None:
    rows = list(rows_of(corpus_answer))
    quotes = [q for s in corpus_answer["sections"] for q in s["quotes"]]
    assert len(rows) == len(quotes) > 0
    table = list(csv.DictReader(io.StringIO(to_csv(corpus_answer))))
    assert [r["quote"] for r in table] == [q["text"] for q in quotes]
    assert list(table[0]) == list(CSV_COLUMNS)
    for row, quote in zip(table, quotes, strict=True):
        assert row["speaker"] == (quote["speaker"]["name"] or "") and row["voice"] == quote["speaker"]["voice"]
        assert row["publisher"] == quote["source"]["publisher"] and int(row["start"]) == quote["start"]
        assert row["cue"] == ((quote.get("cue") or {}).get("text") or "")
    assert json.loads(to_json(corpus_answer)) == corpus_answer
    markdown = to_markdown(corpus_answer)
    for section in corpus_answer["sections"]:
        assert f"## {section['label']}" in markdown.replace("\\", "")
    assert markdown.count("\n- “") == len(quotes)


def test_a_citation_names_speaker_role_voice_conduit_cue_and_source() -> None:
    row = {"quote": "It was a coup attempt.", "speaker": "Kassym-Jomart Tokayev", "role": "President of Kazakhstan",
           "voice_label": "Kazakh government", "conduit": "TASS", "cue": "Tokayev said", "publisher": "Daryo",
           "title": "CSTO", "published": "2022-01-10", "url": "https://daryo.uz/x"}
    assert citation(row) == ("“It was a coup attempt.” — Kassym-Jomart Tokayev, President of Kazakhstan [Kazakh government], "
                             "via TASS (“Tokayev said”). Daryo, “CSTO”, 2022-01-10, https://daryo.uz/x.")


def test_markdown_export_never_turns_a_documents_words_into_links_or_markup() -> None:
    answer = {"question": "q", "answer": "a", "sections": [{"voice": "independent", "label": "Independent", "quotes": [
        {"id": "d@v:0-9", "text": "[click](http://evil) <img src=x> **bold**", "start": 0, "end": 9,
         "speaker": {"name": "X", "role": None, "voice": "independent"},
         "source": {"doc_id": "d", "title": "T", "publisher": "P", "author": None, "published": None, "url": None,
                    "genre": "news"}}]}]}
    markdown = to_markdown(answer)
    assert "\\[click\\](http://evil)" in markdown and "\\<img src=x\\>" in markdown and "\\*\\*bold\\*\\*" in markdown


def test_the_document_view_colours_each_claim_and_marks_the_quote() -> None:
    text = "Peskov said the mission was over. <script>alert(1)</script> The CSTO agreed."
    claims = [{"start": 0, "end": 33, "speaker": {"name": "Dmitry Peskov", "voice": "russian_state"}, "conduit": None},
              {"start": 61, "end": len(text), "speaker": {"name": "CSTO", "voice": "csto"}, "conduit": None}]
    page = document_html(text, claims, COLOURS, focus=(61, len(text)))
    assert page.count('class="sw-claim') == 2
    assert f"background:{COLOURS['russian_state']}33" in page and f"background:{COLOURS['csto']}33" in page
    assert 'id="sw-focus"' in page and page.index('id="sw-focus"') > page.index("Peskov")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert document_link("daryo-csto", 61, 80) == "?doc=daryo-csto&start=61&end=80"


@pytest.mark.server
def test_the_document_view_of_a_real_document_covers_its_claims(live_api: str, corpus_answer: dict[str, Any]) -> None:
    quote = corpus_answer["sections"][0]["quotes"][0]
    doc_id = quote["source"]["doc_id"]
    text = httpx.get(f"{live_api}/v1/documents/{doc_id}", timeout=30).json()["text"]
    claims = httpx.get(f"{live_api}/v1/documents/{doc_id}/claims", timeout=30).json()["claims"]
    page = document_html(text, claims, COLOURS, focus=(quote["start"], quote["end"]))
    assert page.count('class="sw-claim') == len(claims)
    assert 'id="sw-focus"' in page
