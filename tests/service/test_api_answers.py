"""What a user of ``POST /v1/ask`` notices: whose claim a quote is, filters, follow-ups, abstention."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sourcewise.settings import Settings
from sourcewise.types import STATE_VOICES, ProcessedDocument, Voice
from vectorstore.embeddings import load_embedder
from tests.support import ask, quotes_of
from vectorstore.store import KnowledgeStore

#: Questions the sample corpus (five articles on the CSTO deployment in Kazakhstan) does not answer.
UNANSWERABLE = [
    "How did the stock market perform in 2023?",
    "What will the weather be like in Paris this weekend?",
    "What did Japan's prime minister say about the unrest in Kazakhstan?",
]


@pytest.fixture(scope="module")
def stored_documents(indexed_settings: Settings) -> dict[str, ProcessedDocument]:
    """The documents as ingest attributed them, claim by claim (straight from the store)."""
    store = KnowledgeStore.connect(indexed_settings, dimension=load_embedder(indexed_settings).dimension)
    return {doc_id: store.get_document(doc_id) for doc_id in store.document_ids()}


def sentence_voices(doc: ProcessedDocument, start: int, end: int) -> set[Voice]:
    """Voices of the attributed claims a span covers."""
    return {c.attribution.speaker.voice for c in doc.claims if c.start < end and start < c.end}


def test_russian_agencies_question_yields_russian_state_quotes(app_client: TestClient) -> None:
    answer = ask(app_client, "What did TASS and the other Russian news agencies say about the events in Kazakhstan?")
    assert answer["supported"]
    sections = {section["voice"]: section for section in answer["sections"]}
    assert "russian_state" in sections, f"no Russian state section: {list(sections)}"
    for quote in sections["russian_state"]["quotes"]:
        assert quote["speaker"]["voice"] == "russian_state"
        assert quote["speaker"]["name"] or quote["speaker"]["role"], "a state claim names who makes it"
    assert "**Russian state sources**" in answer["answer"]


def test_quotes_stand_under_the_voice_of_the_sentences_they_quote(
    app_client: TestClient, stored_documents: dict[str, ProcessedDocument]
) -> None:
    questions = [
        "Was the unrest a coup attempt organised from abroad?",
        "What did Russian state media say about the peacekeepers?",
        "Did Russia invade Kazakhstan?",
    ]
    checked = 0
    for question in questions:
        for section in ask(app_client, question, top_k=20)["sections"]:
            for quote in section["quotes"]:
                doc = stored_documents[quote["source"]["doc_id"]]
                voices = sentence_voices(doc, quote["start"], quote["end"])
                assert voices == {Voice(section["voice"])}, (
                    f"quote {quote['text'][:80]!r} spans sentences of {voices} but stands under {section['voice']}"
                )
                if section["voice"] == "independent":
                    assert not voices & STATE_VOICES
                checked += 1
    assert checked > 10


def test_voice_filter_keeps_only_that_voice(app_client: TestClient) -> None:
    answer = ask(app_client, "Why were troops sent to Kazakhstan?", filters={"voices": ["csto"]})
    assert answer["supported"]
    assert [section["voice"] for section in answer["sections"]] == ["csto"]
    unfiltered = ask(app_client, "Why were troops sent to Kazakhstan?")
    assert len({section["voice"] for section in unfiltered["sections"]}) > 1, "the filter must change something"


def test_document_and_publisher_filters_keep_only_those_documents(app_client: TestClient) -> None:
    documents = app_client.get("/v1/documents").json()
    first, second = documents[0], documents[1]
    question = "What happened in Kazakhstan in January 2022?"
    by_doc = ask(app_client, question, filters={"doc_ids": [first["doc_id"]]}, top_k=20)
    assert by_doc["supported"]
    assert {q["source"]["doc_id"] for q in quotes_of(by_doc)} == {first["doc_id"]}
    by_publisher = ask(app_client, question, filters={"publishers": [second["publisher"]]}, top_k=20)
    assert by_publisher["supported"]
    assert {q["source"]["publisher"] for q in quotes_of(by_publisher)} == {second["publisher"]}


def test_filters_that_match_nothing_give_no_answer_rather_than_other_sources(app_client: TestClient) -> None:
    answer = ask(app_client, "Why were troops sent to Kazakhstan?", filters={"publishers": ["No Such Outlet"]})
    assert answer["supported"] is False
    assert answer["sections"] == []
    assert "filter" in answer["answer"]


def test_follow_up_is_read_with_the_earlier_topic(app_client: TestClient) -> None:
    history = [
        {"role": "user", "content": "Why were CSTO peacekeepers deployed to Kazakhstan?"},
        {"role": "assistant", "content": "Tokayev asked the CSTO for help after violent protests."},
    ]
    follow_up = "And what did Lukashenko say about it?"
    with_history = ask(app_client, follow_up, history=history)
    assert with_history["supported"]
    quotes = quotes_of(with_history)
    assert any(q["speaker"]["name"] and "Lukashenko" in q["speaker"]["name"] for q in quotes)
    lukashenko = [q for q in quotes if q["speaker"]["name"] and "Lukashenko" in q["speaker"]["name"]]
    assert all(q["speaker"]["voice"] == "foreign_government" for q in lukashenko)
    # The earlier topic reaches the answer: Lukashenko's words about the Kazakh events and the CSTO.
    assert any("Kazakhstan" in q["text"] or "CSTO" in q["text"] for q in lukashenko)


def test_what_about_follow_up_turns_to_its_new_subject(app_client: TestClient) -> None:
    history = [{"role": "user", "content": "What did Vladimir Putin say about the CSTO operation?"}]
    with_history = ask(app_client, "What about Xi Jinping?", history=history)
    assert with_history["supported"]
    texts = " ".join(q["text"] for q in quotes_of(with_history))
    assert "Xi" in texts or "China" in texts


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_unanswerable_question_says_so_and_quotes_nothing(app_client: TestClient, question: str) -> None:
    answer = ask(app_client, question)
    assert answer["supported"] is False
    assert answer["sections"] == []
    assert "do not answer" in answer["answer"]


def test_overview_names_speakers_and_quotes_them_verbatim(app_client: TestClient) -> None:
    answer = ask(app_client, "How did President Tokayev describe the protesters?")
    assert answer["supported"]
    overview = answer["answer"]
    quotes = quotes_of(answer)
    for section in answer["sections"]:
        assert f"**{section['label']}**" in overview
    # Every excerpt in the overview is text from one of the quotes, never a paraphrase.
    lines = [line for line in overview.splitlines() if line.startswith("- **")]
    assert lines
    for line in lines:
        excerpt = line.split("“", 1)[1].rsplit("”", 1)[0].removesuffix(" …")
        assert any(excerpt in " ".join(q["text"].split()) for q in quotes), line


def test_different_troop_figures_are_listed_with_their_speakers(app_client: TestClient) -> None:
    answer = ask(app_client, "How many soldiers did the CSTO send to Kazakhstan?", top_k=12)
    assert answer["supported"]
    assert "Figures differ by source:" in answer["answer"], answer["answer"]
    figures = answer["answer"].split("Figures differ by source:", 1)[1]
    listed = [line for line in figures.splitlines() if line.startswith("- ")]
    assert len(listed) >= 2 and all(" — " in line for line in listed)


@pytest.mark.parametrize("speaker", ["Vladimir Putin", "Alexander Lukashenko"])
def test_a_question_naming_a_speaker_is_answered_with_that_speakers_claims_first(
    app_client: TestClient, speaker: str
) -> None:
    surname = speaker.split()[-1]
    answer = ask(app_client, f"What did {surname} say?", top_k=2)
    quotes = sorted(quotes_of(answer), key=lambda q: -q["score"])
    assert answer["supported"] and quotes
    assert all(q["speaker"]["name"] == speaker for q in quotes), [q["speaker"]["name"] for q in quotes]


def test_a_count_of_one_countrys_troops_is_answered_only_by_passages_that_count_them(app_client: TestClient) -> None:
    # No sample text counts Chinese or Armenian troops (China and Armenia are named, without a count):
    # the troop figures of other forces do not answer the question.
    for question in ("How many Chinese troops were sent?", "How many soldiers from Armenia took part in the mission?"):
        answer = ask(app_client, question)
        assert not answer["supported"], (question, [q["text"][:80] for q in quotes_of(answer)])
    answer = ask(app_client, "How many Russian troops were sent to Kazakhstan?")
    assert answer["supported"]
    for quote in quotes_of(answer):
        text = quote["text"]
        assert "Russia" in text and (any(ch.isdigit() for ch in text) or "thousand" in text.lower()), text
