"""The Streamlit chat, driven with AppTest against the real service."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from ui.api_client import SourcewiseClient
from ui.streamlit_app import (
    VOICE_STYLES,
    history_for_api,
    paragraph_around,
    quote_html,
)

STREAMLIT_APP = Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py"

#: Retrieval and composition on CPU; the first question also warms the service up.
RUN_TIMEOUT_S = 120


def markdown_values(at: AppTest) -> list[str]:
    return [element.value for element in at.markdown]


def shown_anywhere(at: AppTest, text: str) -> bool:
    return any(text in value for value in markdown_values(at))


@pytest.fixture
def chat(streamlit_api_url: Callable[[str], None], live_api: str) -> AppTest:
    """The chat app, pointed at the real service through SOURCEWISE_API_URL, after its first run."""
    streamlit_api_url(live_api)
    at = AppTest.from_file(str(STREAMLIT_APP), default_timeout=RUN_TIMEOUT_S).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.server
def test_sidebar_shows_the_api_its_health_and_the_documents(chat: AppTest, live_api: str) -> None:
    health = httpx.get(f"{live_api}/healthz").json()
    documents = httpx.get(f"{live_api}/v1/documents").json()

    assert any(live_api in caption.value for caption in chat.sidebar.caption)
    assert [s.value for s in chat.sidebar.success] == [
        f"API is up: {health['documents']} documents, {health['chunks']} chunks indexed."
    ]
    sidebar_markdown = " ".join(m.value for m in chat.sidebar.markdown)
    for document in documents:
        assert document["genre"] in sidebar_markdown
    publisher_filter = next(m for m in chat.sidebar.multiselect if m.label == "Publishers")
    assert set(publisher_filter.options) == {d["publisher"] for d in documents}


@pytest.mark.server
def test_question_gets_overview_voices_and_quotes_with_context(
    chat: AppTest, corpus_question: str, corpus_answer: dict[str, Any]
) -> None:
    chat.chat_input[0].set_value(corpus_question).run()
    assert not chat.exception, chat.exception
    assert not chat.error, [e.value for e in chat.error]

    from ui.streamlit_app import overview_html

    assert shown_anywhere(chat, overview_html(corpus_answer["answer"]))
    for section in corpus_answer["sections"]:
        style = VOICE_STYLES[section["voice"]]
        heading = next(v for v in markdown_values(chat) if f"sw-voice-{section['voice']}" in v)
        assert html.escape(section["label"]) in heading
        assert style.marker in heading and style.colour in heading
    quote = corpus_answer["sections"][0]["quotes"][0]
    assert shown_anywhere(chat, html.escape(quote["text"]).replace("\n", "<br>"))
    # The expander holds the quote's paragraph with the quote itself highlighted.
    assert shown_anywhere(chat, f"<mark>{html.escape(quote['text']).replace(chr(10), '<br>')}</mark>")
    quotes = sum(len(s["quotes"]) for s in corpus_answer["sections"])
    assert len([e for e in chat.expander if e.label.startswith("Context in")]) == quotes
    assert len([e for e in chat.expander if e.label == "Cite"]) == quotes


@pytest.mark.server
def test_follow_up_is_sent_with_the_earlier_turns(
    chat: AppTest, corpus_question: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A spy, not a fake: it records what the app sends, then calls the real service.
    sent: list[dict[str, Any]] = []
    real_ask = SourcewiseClient.ask

    def recording_ask(self: SourcewiseClient, question: str, **kwargs: Any) -> Any:
        sent.append({"question": question, **kwargs})
        return real_ask(self, question, **kwargs)

    monkeypatch.setattr(SourcewiseClient, "ask", recording_ask)

    chat.chat_input[0].set_value(corpus_question).run()
    first_overview = chat.session_state.turns[1]["answer"]["answer"]
    chat.chat_input[0].set_value("And what did Russian state media say about it?").run()
    assert not chat.exception, chat.exception

    assert sent[0]["history"] == []
    assert sent[1]["question"] == "And what did Russian state media say about it?"
    assert sent[1]["history"] == [
        {"role": "user", "content": corpus_question},
        {"role": "assistant", "content": first_overview},
    ]
    # Both exchanges stay on screen.
    assert [m.name for m in chat.chat_message] == ["user", "assistant", "user", "assistant"]


@pytest.mark.server
def test_voice_filter_is_sent_and_shown(chat: AppTest, corpus_question: str, corpus_answer: dict[str, Any]) -> None:
    voice = corpus_answer["sections"][0]["voice"]
    voices = next(m for m in chat.sidebar.multiselect if m.label == "Voices")
    voices.set_value([voice]).run()
    chat.chat_input[0].set_value(corpus_question).run()
    assert not chat.exception, chat.exception

    headings = [v for v in markdown_values(chat) if 'class="sw-voice ' in v]
    assert headings and all(f"sw-voice-{voice}" in h for h in headings)
    assert any("Filtered to" in c.value for c in chat.caption)


@pytest.mark.server
def test_question_the_documents_cannot_answer_is_said_plainly(
    chat: AppTest, live_api: str
) -> None:
    question = "What is the recipe for sourdough bread?"
    answer = httpx.post(f"{live_api}/v1/ask", json={"question": question}, timeout=120).json()
    assert answer["supported"] is False, "the service must not answer off-topic questions (API.md)"

    chat.chat_input[0].set_value(question).run()
    assert [i.value for i in chat.info] == [answer["answer"]]
    assert not any('class="sw-quote"' in v for v in markdown_values(chat))


def test_unreachable_api_is_a_plain_error_not_a_stack_trace(
    streamlit_api_url: Callable[[str], None], closed_api_url: str
) -> None:
    streamlit_api_url(closed_api_url)
    at = AppTest.from_file(str(STREAMLIT_APP), default_timeout=RUN_TIMEOUT_S).run()
    expected = f"cannot reach the Sourcewise API at {closed_api_url}: is it running? (make api)"
    assert [e.value for e in at.sidebar.error] == [expected]

    at.chat_input[0].set_value("Why were CSTO troops sent to Kazakhstan?").run()
    assert not at.exception
    assert expected in [e.value for e in at.main.error]
    # The question stays visible, so it can be asked again once the API is up.
    assert [m.name for m in at.chat_message] == ["user", "assistant"]


# -- pure helpers ------------------------------------------------------------------------------


def test_context_is_the_paragraph_around_the_quote() -> None:
    text = "First paragraph.\n\nBefore the quote. The quote itself. After it.\n\nLast paragraph."
    start = text.index("The quote itself.")
    end = start + len("The quote itself.")
    assert paragraph_around(text, start, end) == ("Before the quote. ", "The quote itself.", " After it.")


def test_context_of_a_very_long_paragraph_is_cut_around_the_quote() -> None:
    text = "x" * 5000 + "QUOTE" + "y" * 5000
    before, quote, after = paragraph_around(text, 5000, 5005, limit=100)
    assert quote == "QUOTE"
    assert before == "…" + "x" * 100 and after == "y" * 100 + "…"


def test_quote_text_and_metadata_are_escaped() -> None:
    quote = {
        "id": "q1", "text": "<script>alert(1)</script> & more", "start": 0, "end": 10, "score": 1.0,
        "speaker": {"name": "<b>Name</b>", "role": None, "voice": "russian_state"},
        "source": {"doc_id": "d", "title": "T", "publisher": "P", "author": None, "published": None,
                   "url": "javascript:alert(1)", "genre": "news"},
    }
    section = {"voice": "russian_state", "label": "Russian state sources", "quotes": [quote]}
    rendered = quote_html(quote, section)  # type: ignore[arg-type]
    assert "<script>" not in rendered and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in rendered
    assert "<b>Name</b>" not in rendered
    assert "javascript:" not in rendered  # only http(s) links are shown


def test_history_keeps_answered_turns_only_and_at_most_twenty() -> None:
    def answered(n: int) -> list[dict[str, Any]]:
        return [
            {"role": "user", "content": f"q{n}"},
            {"role": "assistant", "content": f"a{n}", "answer": {"answer": f"a{n}"}, "error": None},
        ]

    failed = [{"role": "user", "content": "lost"}, {"role": "assistant", "answer": None, "error": "down"}]
    turns = answered(0) + failed + [t for n in range(1, 12) for t in answered(n)]
    history = history_for_api(turns)  # type: ignore[arg-type]
    assert len(history) == 20
    assert history[-1] == {"role": "assistant", "content": "a11"}
    assert all(turn["content"] != "lost" for turn in history)


HOSTILE = '![pixel](http://tracker.example/p.png) <img src="http://tracker.example/q.png"> [link](http://x.example) <script>alert(1)</script> **bold**'


def test_a_documents_markdown_and_html_stay_text_in_the_overview_and_the_quotes() -> None:
    from ui.streamlit_app import overview_html, quote_html

    overview = overview_html(f"Here is what the sources say (1 quote):\n\n- **Independent reporting** — X: “{HOSTILE}”")
    quote = {"id": "d@v:0-9", "text": HOSTILE, "start": 0, "end": len(HOSTILE),
             "speaker": {"name": "X <b>", "role": None, "voice": "independent"},
             "source": {"doc_id": "d", "title": "T <i>", "publisher": "P", "author": None, "published": None,
                        "url": "javascript:alert(1)", "genre": "news"}, "score": 1.0}
    section = {"voice": "independent", "label": "Independent reporting", "quotes": [quote]}
    for rendered in (overview, quote_html(quote, section)):
        assert "<img" not in rendered and "<script" not in rendered and "<b>" not in rendered
        assert "&lt;img" in rendered and "&lt;script&gt;" in rendered
        assert "\n\n" not in rendered  # one HTML block: markdown is never applied inside it
        assert 'href="javascript' not in rendered
    assert "<strong>Independent reporting</strong>" in overview
