"""The chat in a real browser: ``streamlit run`` against the real service, driven through headless Chromium.

Chromium comes from Debian (``apt-get install -y chromium``; ``make test`` installs it), never
from a Playwright browser download.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.launch import ServerStartError, free_port, running_server

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("SOURCEWISE_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOT = PROJECT_ROOT / "reports" / "screenshots" / "chat.png"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def chromium() -> Path:
    """Debian's Chromium; missing it is a failure, not a skip (the browser check must run)."""
    if not CHROMIUM.exists():
        pytest.fail("install chromium: apt-get install -y chromium (make test does this)")
    return CHROMIUM


@pytest.fixture
def streamlit_url(live_api: str, tmp_path: Path) -> Iterator[str]:
    """``streamlit run ui/streamlit_app.py`` in a subprocess, pointed at the real service."""
    port = free_port()
    env = {
        **os.environ,
        "SOURCEWISE_API_URL": live_api,
        "HF_HUB_OFFLINE": "1",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "ui" / "streamlit_app.py"),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        with running_server(
            command, env=env, health_url=f"{url}/_stcore/health", log_path=tmp_path / "streamlit.log",
            timeout=60, name="streamlit",
        ):  # fmt: skip
            yield url
    except ServerStartError as exc:
        pytest.fail(str(exc))


@pytest.mark.browser
@pytest.mark.server
def test_chat_in_a_browser_shows_voices_and_quotes(
    chromium: Path, streamlit_url: str, corpus_question: str, corpus_answer: dict[str, Any]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    section = corpus_answer["sections"][0]
    quote = section["quotes"][0]["text"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2000})
            page.goto(streamlit_url)
            chat_box = page.locator('[data-testid="stChatInputTextArea"]')
            expect(chat_box).to_be_visible(timeout=60_000)
            chat_box.fill(corpus_question)
            chat_box.press("Enter")

            heading = page.locator(f".sw-voice-{section['voice']}").first
            expect(heading).to_be_visible(timeout=120_000)
            expect(heading).to_contain_text(section["label"])
            first_quote = page.locator(".sw-quote-text").first
            expect(first_quote).to_contain_text(quote.split("\n")[0][:80])
            expect(page.get_by_text("Reading the sources…")).to_have_count(0, timeout=120_000)

            # Streamlit scrolls its main pane itself; bring the answer's start (the overview) into view.
            page.locator('[data-testid="stChatMessage"]').last.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(500)
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    print(f"screenshot: {SCREENSHOT}")
    assert SCREENSHOT.stat().st_size > 10_000


def _shot(page: Any, name: str) -> Path:
    path = SCREENSHOT.parent / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=False)
    print(f"screenshot: {path}")
    return path


@pytest.mark.browser
@pytest.mark.server
def test_research_workflow_in_a_browser(chromium: Path, streamlit_url: str, live_api: str) -> None:
    """Upload, ask, land at the answer's top, see an unclassified speaker, open the quote in its
    coloured document, and export the answer in each format: the real page, headless Chromium."""
    import httpx
    from playwright.sync_api import expect, sync_playwright

    marker = "Brennvik"
    article = (f"The harbour of {marker} was closed on Monday after a storm. Harbour master Tomas Ekvall said the "
               f"outer wall of the {marker} harbour would take a month to rebuild. "
               "The city council has not yet said who will pay for the repairs.")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
                page = context.new_page()
                page.goto(streamlit_url)
                # The landing view: what the corpus holds, the legend, example questions.
                expect(page.get_by_text("What the sources hold")).to_be_visible(timeout=60_000)
                expect(page.locator(".sw-legend-item")).to_have_count(8)
                expect(page.get_by_role("button", name="What did Peskov say?")).to_be_visible(timeout=30_000)
                expect(page.locator('[data-testid="stSidebar"]').get_by_text("Add a document")).to_be_visible()
                _shot(page, "landing")

                # The upload form (sidebar): paste an article, see its claims.
                page.get_by_text("Add a document").click()
                sidebar = page.locator('[data-testid="stSidebar"]')
                sidebar.get_by_role("textbox", name="Corpus", exact=True).fill("browser")
                sidebar.get_by_role("textbox", name="Title", exact=True).fill(f"{marker} harbour closed")
                sidebar.get_by_role("textbox", name="Publisher", exact=True).fill("Example Wire")
                sidebar.get_by_role("textbox", name="Text", exact=True).fill(article)
                sidebar.get_by_role("button", name="Add document").click()
                expect(sidebar.get_by_text("Created")).to_be_visible(timeout=120_000)
                expect(sidebar.locator(".sw-claim").first).to_be_visible()
                _shot(page, "upload")

                # Ask about the uploaded article: Ekvall is named, but nobody says whom he speaks for.
                chat_box = page.locator('[data-testid="stChatInputTextArea"]')
                chat_box.fill(f"What did Ekvall say about the {marker} harbour?")
                chat_box.press("Enter")
                unclassified = page.locator(".sw-voice-unclassified").first
                expect(unclassified).to_be_visible(timeout=120_000)
                expect(page.get_by_text("Neither the text nor the registry says whom this speaker speaks for")).to_be_visible()
                expect(page.get_by_text("Reading the sources…")).to_have_count(0, timeout=120_000)
                page.wait_for_timeout(800)
                # The view is at the top of the new answer, not at its end.
                top = page.locator(".sw-answer-top").last.evaluate("e => e.getBoundingClientRect().top")
                assert 0 <= top < 900 / 2, f"the answer's top is at {top}px, outside the upper half of the view"
                _shot(page, "unclassified-answer")

                # Export the answer in each format, with the quote and its provenance.
                for label, needle in (("Export Markdown", "Tomas Ekvall"), ("Export CSV", "Tomas Ekvall"),
                                      ("Export JSON", '"speaker"')):
                    with page.expect_download() as download:
                        page.get_by_role("button", name=label).last.click()
                    content = Path(download.value.path()).read_text(encoding="utf-8")
                    assert needle in content and "outer wall" in content, (label, content[:300])

                # The quote's document link opens the whole document, coloured by voice, at the quote.
                with context.expect_page() as opened:
                    page.locator(".sw-doc-link").first.click()
                doc_page = opened.value
                doc_page.wait_for_load_state()
                focus = doc_page.locator("#sw-focus")
                expect(focus).to_be_visible(timeout=60_000)
                expect(doc_page.locator(".sw-claim")).not_to_have_count(0)
                assert "outer wall" in focus.inner_text() or marker in focus.inner_text()
                assert "doc=" in doc_page.url and "start=" in doc_page.url  # a shareable link
                _shot(doc_page, "document-view")
            finally:
                browser.close()
    finally:
        for doc in httpx.get(f"{live_api}/v1/documents", params={"corpus": "browser"}, timeout=30).json():
            httpx.delete(f"{live_api}/v1/documents/{doc['doc_id']}", timeout=30)
