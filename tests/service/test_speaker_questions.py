"""Who-said-what questions over the sample: any name form of a speaker, titles, outlets, and no filler.

Each question here is one a journalist asked and got refused or padded (issue 9); the answer must
lead with the speaker asked about, and quote nothing that is not a claim (headings, fragments).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import ask, quotes_of

HEADING = "The USA and EU: champions of peaceful protests or meddlers?"


def speakers_of(answer: dict[str, Any]) -> list[str | None]:
    return [q["speaker"]["name"] for q in quotes_of(answer)]


@pytest.mark.parametrize(("question", "speaker"), [
    ("What did Peskov say?", "Dmitry Peskov"),
    ("What did Dmitry Peskov say?", "Dmitry Peskov"),
    ("What did Simonyan say?", "Margarita Simonyan"),
    ("What did Margarita Simonyan say?", "Margarita Simonyan"),
    ("What did the Kremlin spokesman say?", "Dmitry Peskov"),
    ("What did Shoigu say?", "Sergei Shoigu"),
])
def test_any_name_form_or_title_of_a_speaker_finds_their_claims_and_only_theirs(
    app_client: TestClient, question: str, speaker: str
) -> None:
    answer = ask(app_client, question)
    assert answer["supported"], answer["answer"]
    assert speakers_of(answer) and set(speakers_of(answer)) == {speaker}, speakers_of(answer)


def test_a_title_question_finds_the_office_holder_body(app_client: TestClient) -> None:
    answer = ask(app_client, "What did the Interior Ministry say?")
    assert answer["supported"]
    # the text's "Kazakhstan's Interior Ministry" is the registry's entry, named as the registry names it
    assert speakers_of(answer)[0] == "Kazakh Interior Ministry"
    assert answer["sections"][0]["voice"] == "kazakh_government"


def test_an_outlet_asked_about_is_found_as_speaker_or_through_its_alias(app_client: TestClient) -> None:
    answer = ask(app_client, "What did RT say?")
    assert answer["supported"], answer["answer"]
    # RT's editor-in-chief (the registry's alias "Russia Today" and "editor-in-chief of RT").
    assert {q["speaker"]["voice"] for q in quotes_of(answer)} == {"russian_state"}


def test_the_kazakh_government_is_not_answered_with_russian_agencies(app_client: TestClient) -> None:
    answer = ask(app_client, "What did the Kazakh government say?")
    assert answer["supported"]
    assert quotes_of(answer) and {q["speaker"]["voice"] for q in quotes_of(answer)} == {"kazakh_government"}
    assert not any("news agencies" in (name or "") for name in speakers_of(answer))


def test_markup_in_a_question_changes_nothing(app_client: TestClient) -> None:
    plain = ask(app_client, "What did Tokayev say?")
    marked = ask(app_client, "What did <b>Tokayev</b> say?")
    assert marked["supported"] and [q["id"] for q in quotes_of(marked)] == [q["id"] for q in quotes_of(plain)]
    assert marked["question"] == "What did <b>Tokayev</b> say?"  # echoed as received


def test_a_speakers_claims_are_not_padded_with_others_or_headings(app_client: TestClient) -> None:
    answer = ask(app_client, "What did TASS say about the protests?")
    quotes = quotes_of(answer)
    assert quotes and answer["sections"][0]["voice"] == "russian_state"
    assert all(q["text"].strip() != HEADING for q in quotes)
    tass = [q for q in quotes if q["speaker"]["name"] == "TASS" or q.get("conduit") == "TASS"]
    assert tass
    # Anyone else quoted is reacting to TASS: their passage names it.
    for quote in quotes:
        if quote not in tass:
            assert "TASS" in quote["text"], quote["text"]


@pytest.mark.parametrize("question", [
    "What did TASS say about the protests?", "What did Russian state media say about the West?",
    "Why were CSTO troops sent to Kazakhstan?", "What did Peskov say?",
])
def test_headings_and_fragments_are_never_quotes(app_client: TestClient, question: str) -> None:
    for quote in quotes_of(ask(app_client, question, top_k=20)):
        assert len(re.findall(r"[^\W\d_]+", quote["text"])) >= 4, quote["text"]
        assert quote["text"].strip() != HEADING


def test_a_standalone_question_is_answered_the_same_at_any_point_of_a_chat(app_client: TestClient) -> None:
    question = "What did Lukashenko say?"
    alone = ask(app_client, question)
    history = [
        {"role": "user", "content": "Why were CSTO troops sent to Kazakhstan?"},
        {"role": "assistant", "content": "The CSTO sent troops at Tokayev's request."},
        {"role": "user", "content": "How many troops did Russia send?"},
        {"role": "assistant", "content": "Figures differ by source."},
        {"role": "user", "content": "What did the US say about it?"},
        {"role": "assistant", "content": "Blinken asked questions."},
    ]
    fourth = ask(app_client, question, history=history)
    assert [q["id"] for q in quotes_of(fourth)] == [q["id"] for q in quotes_of(alone)]
    # A question that leans on the chat still does.
    follow = ask(app_client, "What did they say about it?", history=history[:2])
    assert follow["supported"]
