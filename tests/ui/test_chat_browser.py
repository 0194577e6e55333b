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
