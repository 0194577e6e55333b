"""The Slack Block Kit renderer: what a Slack user sees, and that Slack would accept it."""

from __future__ import annotations

import re
from typing import Any

from service.slack_blocks import (
    MAX_BLOCKS,
    MAX_HEADER_CHARS,
    MAX_SECTION_CHARS,
    VOICE_MARKERS,
    render_answer,
)
from sourcewise.types import Voice

# Slack answers msg_blocks_too_long somewhere above ~13k characters of block text (bolt-js#2509).
SLACK_PRACTICAL_TOTAL = 12_000


def make_quote(n: int, voice: Voice, text: str, *, url: str | None = None, name: str | None = "A. Speaker") -> dict:
    return {
        "id": f"q{n}",
        "text": text,
        "start": 0,
        "end": len(text),
        "speaker": {"name": name, "role": "spokesperson", "voice": voice.value},
        "source": {
            "doc_id": f"doc-{n % 5}",
            "title": f"Title {n % 5}",
            "publisher": f"Outlet {n % 5}",
            "author": None,
            "published": "2022-01",
            "url": url,
            "genre": "news",
        },
        "score": 1.0 / (n + 1),
    }


def make_answer(quotes_per_voice: int, quote_text: str) -> dict:
    sections = []
    n = 0
    for voice in Voice:
        quotes = []
        for _ in range(quotes_per_voice):
            quotes.append(make_quote(n, voice, f"{quote_text} #{n}"))
            n += 1
        sections.append({"voice": voice.value, "label": voice.label, "quotes": quotes})
    return {
        "question": "What happened in Kazakhstan in January 2022? " * 10,
        "supported": True,
        "answer": "Russian state sources (**TASS**) called it a coup attempt; independent analysts disagree.",
        "sections": sections,
    }


def texts_of(blocks: list[dict[str, Any]]) -> list[str]:
    texts = []
    for block in blocks:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts.extend(element["text"] for element in block.get("elements", []))
    return texts


def quote_blocks(blocks: list[dict[str, Any]]) -> list[str]:
    return [t for t in texts_of(blocks) if t.startswith("> ")]


def test_long_answer_stays_within_slack_limits_and_says_what_it_left_out() -> None:
    answer = make_answer(quotes_per_voice=20, quote_text="A long claim & <counter-claim> " * 40)
    total_quotes = len(Voice) * 20

    message = render_answer(answer)
    blocks = message["blocks"]

    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION_CHARS
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= MAX_HEADER_CHARS
        if block["type"] == "context":
            assert len(block["elements"]) <= 10
    assert sum(len(t) for t in texts_of(blocks)) <= SLACK_PRACTICAL_TOTAL

    shown = len(quote_blocks(blocks))
    assert 0 < shown < total_quotes
    footer = blocks[-1]["elements"][0]["text"]
    assert f"…and {total_quotes - shown} more quotes" in footer
    # No voice is crowded out by the ones before it: each keeps its heading and a quote.
    headings = [t for t in texts_of(blocks) if re.match(r"^:[a-z_]+: \*", t)]
    for voice in Voice:
        assert any(voice.label in h for h in headings), f"{voice.label} vanished from the message"


def test_a_single_huge_quote_is_shortened_not_refused() -> None:
    answer = make_answer(quotes_per_voice=1, quote_text="&" * 10_000)
    blocks = render_answer(answer)["blocks"]
    for text in quote_blocks(blocks):
        assert len(text) <= MAX_SECTION_CHARS
        first_line = text.split("\n")[0]
        assert first_line.endswith("…")
        # Cut on the raw text, so no entity is split in half.
        assert re.fullmatch(r"> (&amp;)+…", first_line)


def test_quote_text_is_escaped_so_it_cannot_ping_or_link() -> None:
    hostile = "Ping <!channel> and <@U123>, see <https://evil.example|this> & more > less"
    quote = make_quote(0, Voice.RUSSIAN_STATE, hostile, name="Speaker <b>")
    answer = {
        "question": "Who said <what>?",
        "supported": True,
        "answer": "Overview & <summary>",
        "sections": [{"voice": "russian_state", "label": Voice.RUSSIAN_STATE.label, "quotes": [quote]}],
    }
    message = render_answer(answer)
    everything = " ".join(texts_of(message["blocks"])) + message["text"]

    assert "<!channel>" not in everything
    assert "<@U123>" not in everything
    assert "<https://evil.example" not in everything
    shown = quote_blocks(message["blocks"])[0]
    assert "Ping &lt;!channel&gt; and &lt;@U123&gt;, see &lt;https://evil.example|this&gt; &amp; more &gt; less" in shown
    assert "Speaker &lt;b&gt;" in shown
    assert "Who said &lt;what&gt;?" in everything


def test_quotes_show_speaker_role_outlet_date_and_a_link_when_there_is_a_url() -> None:
    with_url = make_quote(1, Voice.INDEPENDENT, "They argued otherwise.", url="https://example.org/a?b=1&c=2")
    without_url = make_quote(2, Voice.INDEPENDENT, "Another view.", name=None)
    answer = {
        "question": "q",
        "supported": True,
        "answer": "Independent analysts argue otherwise.",
        "sections": [{"voice": "independent", "label": "Independent media and analysts",
                      "quotes": [with_url, without_url]}],
    }
    first, second = quote_blocks(render_answer(answer)["blocks"])

    assert first.startswith("> They argued otherwise.\n— *A. Speaker*, spokesperson · Outlet 1")
    assert "2022-01" in first
    assert "<https://example.org/a?b=1&amp;c=2|source>" in first
    assert "_unnamed source_" in second
    assert "<http" not in second


def test_each_voice_has_its_own_marker_and_label_and_russian_state_is_never_like_independent() -> None:
    answer = make_answer(quotes_per_voice=1, quote_text="Claim")
    headings = {
        voice: next(t for t in texts_of(render_answer(answer)["blocks"]) if voice.label in t and t.startswith(":"))
        for voice in Voice
    }
    assert len(set(VOICE_MARKERS.values())) == len(Voice)
    for voice, heading in headings.items():
        assert heading.startswith(VOICE_MARKERS[voice.value])
    russian, independent = headings[Voice.RUSSIAN_STATE], headings[Voice.INDEPENDENT]
    assert "Russian state sources" in russian and "state" in russian.split("*")[-1]
    assert VOICE_MARKERS["independent"] not in russian
    assert VOICE_MARKERS["russian_state"] not in independent


def test_sections_come_in_api_order_with_the_overview_first() -> None:
    answer = make_answer(quotes_per_voice=1, quote_text="Claim")
    blocks = render_answer(answer)["blocks"]
    assert blocks[0]["type"] == "header"
    # Who says what under each voice, without repeating the quotes that follow.
    summary = blocks[1]["text"]["text"]
    assert summary.startswith("• *Russian state sources* — A. Speaker (1 quote)")
    assert "Claim" not in summary
    order = [v for t in texts_of(blocks) for v in Voice if t.startswith(VOICE_MARKERS[v.value])]
    assert order == list(Voice)


def test_unsupported_answer_is_one_plain_section() -> None:
    answer = {
        "question": "What is the weather in Almaty?",
        "supported": False,
        "answer": "The documents say nothing about the weather in Almaty.",
        "sections": [],
    }
    message = render_answer(answer)
    assert message["blocks"] == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "The documents say nothing about the weather in Almaty."}}
    ]
    assert message["text"] == "The documents say nothing about the weather in Almaty."


def test_fallback_text_names_the_voices_quoted() -> None:
    answer = make_answer(quotes_per_voice=2, quote_text="Claim")
    text = render_answer(answer)["text"]
    assert "Russian state sources: A. Speaker (2)" in text
    assert "*" not in text and "**" not in text  # a notification shows markup as asterisks
    assert "Independent media and analysts: A. Speaker (2)" in text
    assert len(text) <= 3000


def test_a_relayed_claim_names_the_outlet_that_relayed_it() -> None:
    quote = make_quote(0, Voice.RUSSIAN_STATE, "It was an attempted coup.", name="Dmitry Peskov")
    quote["conduit"] = "TASS"
    answer = {"question": "q", "supported": True, "answer": "o",
              "sections": [{"voice": "russian_state", "label": "Russian state sources", "quotes": [quote]}]}
    (shown,) = quote_blocks(render_answer(answer)["blocks"])
    assert "— *Dmitry Peskov*, spokesperson · via TASS · Outlet 0" in shown


def test_an_outlets_own_text_is_named_by_genre_not_by_repeating_the_outlet() -> None:
    quote = make_quote(3, Voice.INDEPENDENT, "The troops arrived.", name="Outlet 3")
    quote["source"]["genre"] = "analysis"
    answer = {"question": "q", "supported": True, "answer": "o",
              "sections": [{"voice": "independent", "label": "Independent media and analysts", "quotes": [quote]}]}
    (shown,) = quote_blocks(render_answer(answer)["blocks"])
    assert "— _the outlet's own analysis_ · Outlet 3, “Title 3”" in shown
