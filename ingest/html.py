"""Web pages: the article of a whole HTML page, with the title, author and date the page gives.

Extraction is trafilatura's (the field's standard extractor): it drops navigation, comments and
furniture and keeps the article's paragraphs; its metadata reader takes the title, author and
date from the page's markup. The extracted text then goes through the same cleaning and
attribution as a plain-text capture.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.clean import CleaningError


@dataclass(frozen=True)
class ExtractedPage:
    """What a page holds: its article text and what the page says about it."""

    text: str
    title: str | None
    author: str | None
    published: str | None
    url: str | None
    sitename: str | None


def extract_article(html: str, url: str | None = None) -> ExtractedPage:
    """The article of a web page; CleaningError when the page holds none."""
    import trafilatura

    if not html or not html.strip():
        raise CleaningError("the page is empty")
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True, deduplicate=True
    )
    if not text or not text.strip():
        raise CleaningError("no article text found in the page (is it an article page?)")
    meta = trafilatura.extract_metadata(html, default_url=url)
    return ExtractedPage(
        text=text.strip(),
        title=(meta.title if meta and meta.title else None),
        author=(meta.author if meta and meta.author else None),
        published=(meta.date if meta and meta.date else None),
        url=(meta.url if meta and meta.url else url),
        sitename=(meta.sitename if meta and meta.sitename else None),
    )
