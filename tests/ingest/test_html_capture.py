"""A web page of a committed real article ingests to the same claims as its plain-text capture.

The committed texts are captures of pages whose HTML was not kept, so each test page is built
around the capture the way such pages are laid out: a cookie banner, site navigation, scripts and
styles, the headline and byline, one ``<p>`` per paragraph inside ``<article>``, related links and
a footer. What the page adds must be gone after extraction (trafilatura), and what the article says
must be attributed exactly as from the text: the same claims, speakers and voices, in order.
Only whitespace may differ: HTML collapses the double spaces of the transcripts.

The US government texts are used because their captures are the article alone; the kremlin.ru and
Wikipedia captures carry their page furniture as text lines, which a real page would not hold in
its article body.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml

from ingest.pipeline import process_document
from sourcewise.settings import PROJECT_ROOT, ChunkingParams
from sourcewise.types import DocumentMeta

REAL = PROJECT_ROOT / "corpus" / "real"
MANIFEST = yaml.safe_load((REAL / "manifest.yaml").read_text(encoding="utf-8"))
ENTRIES = {d["doc_id"]: d for d in MANIFEST["documents"]}
PAGE_FURNITURE = ("We use cookies", "Home", "Related", "Another story about sanctions", "All rights reserved",
                  "Terms of use", "dataLayer", "display:flex")


def page_around(entry: dict, text: str) -> str:
    """A whole web page holding ``text`` as its article, with the furniture real pages carry."""
    title = html.escape(entry["title"])
    lines = [line for i, line in enumerate(text.splitlines())
             if line.strip() and not (i == 0 and line.strip() == entry["title"])]
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    author = html.escape(entry.get("author") or "")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {html.escape(entry["publisher"])}</title><meta property="og:title" content="{title}">
<meta name="author" content="{author}"><meta property="article:published_time" content="{entry.get("published") or ""}">
<script>window.dataLayer = []; function gtag() {{ dataLayer.push(arguments); }}</script>
<style>.nav {{ display:flex }}</style></head><body>
<div class="cookie-banner">We use cookies to improve your experience. <a href="/privacy">Accept</a></div>
<header><nav class="nav"><a href="/">Home</a> <a href="/world">World</a> <a href="/europe">Europe</a></nav></header>
<main><article><h1>{title}</h1><div class="byline">{author}</div>
{paragraphs}
</article><aside class="related"><h2>Related</h2><ul><li><a href="/a">Another story about sanctions</a></li>
<li><a href="/b">More news from the region</a></li></ul></aside></main>
<footer><p>&copy; {html.escape(entry["publisher"])}. All rights reserved.</p><a href="/terms">Terms of use</a></footer>
<script src="/static/app.js"></script></body></html>"""


def _meta(entry: dict, file: str) -> DocumentMeta:
    fields = {k: v for k, v in entry.items() if k in DocumentMeta.model_fields}
    return DocumentMeta(**{**fields, "file": file, "corpus": "real"})


def _claims(doc) -> list[tuple[str, str | None, str, str]]:
    return [(" ".join(c.text.split()), c.attribution.speaker.name, c.attribution.speaker.voice.value, c.attribution.how)
            for c in doc.claims]


@pytest.mark.parametrize("doc_id", [
    "voa-tsikhanouskaya-urges-us-sanctions-2021",
    "state-zeya-us-kazakhstan-partnership-2022-04",
    "state-gov-blinken-cnn-state-of-the-union-bucha-2022-04-03",
    "us-embassy-minsk-august-9-statement-2023",
])
def test_a_page_of_a_real_article_gives_the_claims_of_its_text(doc_id: str, registry, token_counter) -> None:
    entry = ENTRIES[doc_id]
    raw = (REAL / entry["file"]).read_bytes()
    chunking = ChunkingParams()
    from_text = process_document(_meta(entry, entry["file"]), raw, registry, count_tokens=token_counter, chunking=chunking)
    page = page_around(entry, raw.decode("utf-8"))
    html_file = str(Path(entry["file"]).with_suffix(".html"))
    from_page = process_document(_meta(entry, html_file), page.encode("utf-8"), registry,
                                 count_tokens=token_counter, chunking=chunking)
    for furniture in PAGE_FURNITURE:
        assert furniture not in from_page.text, furniture
    # The article's words are all there, in order (HTML collapses whitespace; the headline is the page's title).
    assert " ".join(from_page.text.split()) == " ".join(from_text.text.split()).removeprefix(entry["title"] + " ")
    assert from_page.outlet_voice == from_text.outlet_voice
    assert _claims(from_page) == _claims(from_text)
    assert len(from_page.claims) >= 8
    # The claims quote the extracted text verbatim at their offsets.
    for claim in from_page.claims:
        assert from_page.text[claim.start : claim.end] == claim.text
