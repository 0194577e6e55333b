"""The chat page's upload form and corpus filter, against a real service that needs keys.

The service runs in a subprocess over its own index (one sample document), with a read key and a
write key configured as their hashes; the page gets its key from ``SOURCEWISE_API_KEY``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from evals.bench.runs import article_text
from service.access import hash_key
from sourcewise.settings import PROJECT_ROOT, get_settings
from tests.support import service_over_sample_document
from ui.streamlit_app import upload_fields

STREAMLIT_APP = PROJECT_ROOT / "ui" / "streamlit_app.py"
WRITE_KEY = "sw_ui-write-key-5c1d"
READ_KEY = "sw_ui-read-key-77a0"


@pytest.fixture(scope="module")
def keyed_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    keys = [{"name": "ui-read", "sha256": hash_key(READ_KEY), "access": "read"},
            {"name": "ui-write", "sha256": hash_key(WRITE_KEY), "access": "write"}]
    with service_over_sample_document(tmp_path_factory.mktemp("ui-upload"), "politiks-troops-quell-protests",
                                      env={"SOURCEWISE_API_KEYS": json.dumps(keys)}, name="the keyed service") as url:
        yield url


@pytest.fixture
def page(keyed_api: str, monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], AppTest]:
    def open_page(key: str | None) -> AppTest:
        monkeypatch.setenv("SOURCEWISE_API_URL", keyed_api)
        if key:
            monkeypatch.setenv("SOURCEWISE_API_KEY", key)
        else:
            monkeypatch.delenv("SOURCEWISE_API_KEY", raising=False)
        get_settings.cache_clear()
        from ui import streamlit_app

        streamlit_app._client.clear()
        at = AppTest.from_file(str(STREAMLIT_APP), default_timeout=120).run()
        assert not at.exception, at.exception
        return at

    yield open_page
    get_settings.cache_clear()


def _form(at: AppTest, **values: str) -> None:
    for label, value in values.items():
        next(t for t in at.sidebar.text_input if t.label.startswith(label)).set_value(value)


@pytest.mark.server
def test_without_a_key_the_page_says_the_api_needs_one(page) -> None:
    at = page(None)
    assert any("API key" in e.value for e in at.sidebar.error)


@pytest.mark.server
def test_a_pasted_article_is_added_its_claims_shown_and_its_corpus_offered(page, keyed_api: str) -> None:
    at = page(WRITE_KEY)
    corpora = next(m for m in at.sidebar.multiselect if m.label == "Corpora")
    assert corpora.options == ["sample (1)"]  # each corpus with its document count
    text = ('The harbour of Velmarsk was closed on Monday, port director Anna Petrova said. '
            '"The outer wall will take a month to rebuild," Petrova told reporters.\n\n' + article_text(120, "Velmarsk"))
    _form(at, Corpus="desk", Title="Velmarsk harbour closed", Publisher="Example Wire")
    next(t for t in at.sidebar.text_area if t.label == "Text").set_value(text)
    at = next(b for b in at.sidebar.button if b.label == "Add document").click().run()
    assert not at.exception, at.exception
    assert any("Created" in s.value and "desk" in s.value for s in at.sidebar.success), [s.value for s in at.sidebar.success]
    shown = " ".join(m.value for m in at.sidebar.markdown)
    assert "Anna Petrova" in shown and "The outer wall will take a month to rebuild" in shown
    stored = httpx.get(f"{keyed_api}/v1/corpora", headers={"Authorization": f"Bearer {READ_KEY}"}).json()
    assert {"corpus": "desk", "documents": 1} in stored
    # The next run offers the new corpus in the filter.
    at = at.run()
    corpora = next(m for m in at.sidebar.multiselect if m.label == "Corpora")
    assert set(corpora.options) == {"sample (1)", "desk (1)"}


@pytest.mark.server
def test_a_read_key_cannot_upload_and_is_told_why(page) -> None:
    at = page(READ_KEY)
    _form(at, Corpus="desk", Title="Refused", Publisher="Example Wire")
    next(t for t in at.sidebar.text_area if t.label == "Text").set_value("A short article that a read key may not add.")
    at = next(b for b in at.sidebar.button if b.label == "Add document").click().run()
    assert any("not added" in e.value and "read access only" in e.value for e in at.sidebar.error)


def test_upload_fields_send_html_files_as_html_and_say_what_is_missing() -> None:
    base = {"corpus": "desk", "title": "", "publisher": "Example Wire", "text": "", "url": " "}
    body = upload_fields(base, "page.HTML", b"<html><p>Hi</p></html>")
    assert body == {"corpus": "desk", "publisher": "Example Wire", "html": "<html><p>Hi</p></html>"}
    assert upload_fields({**base, "title": "T"}, "notes.txt", b"plain words")["text"] == "plain words"
    with pytest.raises(ValueError, match="title"):
        upload_fields({**base, "text": "words"}, None, None)
    with pytest.raises(ValueError, match="paste"):
        upload_fields(base, None, None)
    with pytest.raises(ValueError, match="publisher"):
        upload_fields({**base, "publisher": "", "title": "T", "text": "w"}, None, None)
    with pytest.raises(ValueError, match="UTF-8"):
        upload_fields({**base, "title": "T"}, "x.txt", b"\xff\xfe\x00bad")


@pytest.mark.server
def test_the_ui_client_sends_its_key_and_can_add_and_remove_a_document(keyed_api: str) -> None:
    from ui.api_client import SourcewiseAPIError, SourcewiseClient

    with SourcewiseClient(keyed_api) as anonymous, pytest.raises(SourcewiseAPIError) as caught:
        anonymous.corpora()
    assert caught.value.status_code == 401 and "API key" in caught.value.message
    with SourcewiseClient(keyed_api, api_key=WRITE_KEY) as client:
        written = client.add_document(corpus="uploads", doc_id="ui-upload", title="Port closed", publisher="Example Wire",
                                      text=article_text(200, "Karsk"), author="", url=None)
        assert written["status"] == "created"
        assert {"corpus": "uploads", "documents": 1} in client.corpora()
        claims = client.claims("ui-upload")
        assert claims and all(c["speaker"]["voice"] for c in claims)
        assert [d["doc_id"] for d in client.documents(corpus="uploads")] == ["ui-upload"]
        client.delete_document("ui-upload")
        assert {c["corpus"] for c in client.corpora()} & {"uploads"} == set()
