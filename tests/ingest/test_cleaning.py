"""Cleaning keeps the article and drops page furniture, on the sample corpus and on pages we write."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ingest.clean import CleaningError, clean_text, decode
from sourcewise.types import DocumentMeta

EXPECTATIONS = yaml.safe_load((Path(__file__).parent / "data" / "cleaning_expectations.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("doc_id", sorted(EXPECTATIONS))
def test_article_body_survives_and_furniture_does_not(sample_documents, doc_id):
    doc = sample_documents[doc_id]
    expected = EXPECTATIONS[doc_id]
    from ingest.sentences import split_sentences

    texts = [doc.text[s.start : s.end] for s in split_sentences(doc.text)]
    first = next((i for i, t in enumerate(texts) if t.startswith(expected["first"])), None)
    assert first is not None, f"first sentence of the body lost; cleaned text starts {texts[0]!r}"
    assert first <= 1, f"{first} sentences of page header kept before the body: {texts[:first]}"  # a standfirst may precede
    assert texts[-1].endswith(expected["last"]), f"the body's last sentence is not last: {texts[-1]!r}"
    for line in expected["gone"]:
        assert line not in doc.text, f"boilerplate {line!r} survived cleaning"


def _meta(**kw) -> DocumentMeta:
    base = dict(doc_id="t", file="t.txt", title="Floods close the river port", publisher="Example Herald", genre="news")
    base.update(kw)
    return DocumentMeta(**base)


def test_generic_page_furniture_is_removed_and_prose_kept_verbatim():
    page = "\n".join([
        "Menu",
        "Floods close the river port",
        "Subscribe",
        "Photo: Jane Roe / Example Agency",
        "The river rose by two metres overnight, the harbour master said.  Ships were held at anchor.",
        "Share",
        "Boats waited downstream (Image: Reuters)",
        "Officials expect the port to reopen on Friday.",
        "Jane Roe is a reporter covering transport for the Example Herald.",
        "Related articles",
        "Rail strike ends after two weeks",
        "Comments (3)",
    ])
    result = clean_text(page, _meta(author="Jane Roe"))
    assert result.text.split("\n\n") == [
        "The river rose by two metres overnight, the harbour master said.  Ships were held at anchor.",
        "Officials expect the port to reopen on Friday.",
    ]
    assert "Rail strike ends after two weeks" in result.removed


def test_footnote_markers_are_dropped_from_prose():
    text = clean_text("The report named the channel «ABC».[2] It said more.", _meta()).text
    assert text == "The report named the channel «ABC». It said more."


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "empty"),
        (b"   \n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 au lait".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_unreadable_files_are_refused_with_a_message_naming_them(raw, message):
    with pytest.raises(CleaningError, match=message) as info:
        decode(raw, "notes.txt")
    assert "notes.txt" in str(info.value)


def test_a_report_printed_above_the_title_of_the_speech_is_kept_and_the_header_is_not():
    # kremlin.ru prints the news item, "* * *", then the title of the speech the manifest names.
    page = "\n".join([
        "Select font Arial Times New Roman",
        "Ivo Sarn took part in a meeting of the heads of state in the capital.",
        "The presidents discussed trade and regional security.",
        "* * *",
        "Speech at the summit",
        "President Ivo Sarn: Thank you very much.",
    ])
    result = clean_text(page, _meta(title="Speech at the summit"))
    assert result.text.split("\n\n") == [
        "Ivo Sarn took part in a meeting of the heads of state in the capital.",
        "The presidents discussed trade and regional security.",
        "President Ivo Sarn: Thank you very much.",
    ]
    # With no printed title, a line of symbols is no title to cut above.
    assert "heads of state" in clean_text(page, _meta(title="")).text
