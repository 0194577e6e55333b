"""Cleaning: from a captured web page to the article's own text.

Boilerplate is removed by general rules about what page furniture looks like (navigation and
call-to-action lines, captions and photo credits, related-article lists and comment prompts after
the article, author bios, broken footnotes, repeated headers), never by naming a page. Lines of
the article are kept verbatim; the cleaned text is the article's paragraphs joined by blank
lines, and every offset in Sourcewise refers to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sourcewise.types import DocumentMeta

# Lines that are page furniture wherever they appear (matched on the whole stripped line).
_FURNITURE = [
    r"skip to (main )?content",
    r"(leer|read|lire|lesen) (en|in|this in) \w+",
    r"(home|menu|search|share|print|email|tweet|subscribe|log ?in|sign ?in|sign up|register)( \w+)?",
    r"topics?( [A-Z][\w-]*){1,6}",
    r"(tags?|categories|filed under):?.*",
    r"(tel\.?|phone:?|fax:?)?\s*\+?[\d\s().-]{7,}",
    r".*\b(donate|donation|become a (\w+ )?(supporter|member|patron|subscriber)|ad-free|paywall)\b.*",
    r"(want to )?join (the conversation|today|us|now)\??",
    r"(leave a (reply|comment)|comments?( \(\d+\))?|\d+ comments?|add a comment)",
    r"only .{0,60}\bcan comment\b.*",
    r".*\b(follow|like) (us|\w+'s|\w+’s) .{0,40}(pages?|accounts?|channels?|on (twitter|facebook|instagram|telegram)).*",
    r"to (enquire|inquire) about republishing.*",
    r"(photo|picture|image|credit|source|illustration)( by)?:.*",
    r".*\((image|photo|picture|credit): [^)]*\)",
    r"(you might also like|related|recommended( to you| for you)?|read more|more from|most read|latest news|must read)\W*\w*",
    r"\d+\.\s+https?:\S*",
    r"\[\d+\]\s*https?:\S*",
    r"https?://\S+",
]
_FURNITURE_RE = [re.compile(rf"^(?:{p})$", re.IGNORECASE) for p in _FURNITURE]

# Headings after which a page lists other articles or comments: everything from there is dropped
# when it comes after most of the article.
_TAIL_START_RE = re.compile(
    r"^(latest news|must read|related( articles| posts| stories)?|you might also like.*|recommended.*|read more|"
    r"more from .*|comments?( \(\d+\))?|leave a reply|want to join the conversation\??)$",
    re.IGNORECASE,
)
# "Jane Doe is a writer and broadcaster." - a bio opens with a name and a description of a person.
_BIO_RE = re.compile(
    r"^(?P<name>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,3}) (is|was) (a|an|the|currently) .{0,200}?\b("
    r"writer|journalist|correspondent|student|editor|reporter|columnist|analyst|researcher|professor|"
    r"author|broadcaster|fellow|head of|director|graduate|intern|contributor)\b"
)
#: A line of prose: a sentence of six words or more that ends as a sentence ends.
_PROSE_RE = re.compile(r"^[\"“‘«(]?[A-ZÀ-ÖØ-ÞА-Я0-9](?:\S+\s+){5,}.*[.!?…][\"”’»)]?$")
_FOOTNOTE_MARK_RE = re.compile(r"(?<=[\w.,;:»”\"’)])\[\d{1,3}\]")


@dataclass
class CleanResult:
    """The cleaned text and what was removed, for reports and tests."""

    text: str
    removed: list[str] = field(default_factory=list)


class CleaningError(ValueError):
    """The file is not a text document we can read (binary, empty, not UTF-8)."""


def decode(raw: bytes, name: str) -> str:
    """Bytes to text, refusing binary and non-UTF-8 input with a message naming the file."""
    if not raw.strip():
        raise CleaningError(f"{name}: the file is empty")
    if b"\x00" in raw[:8192]:
        raise CleaningError(f"{name}: looks binary (contains NUL bytes); expected a UTF-8 text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CleaningError(
            f"{name}: not valid UTF-8 (byte {exc.start}); convert it, e.g. `iconv -f LATIN1 -t UTF-8`"
        ) from exc
    control = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    if control > max(5, len(text) // 100):
        raise CleaningError(f"{name}: looks binary ({control} control characters); expected plain text")
    return text


def _is_furniture(line: str) -> bool:
    return any(p.match(line) for p in _FURNITURE_RE)


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.replace("’", "'")).strip().lower()


def clean_text(raw: str, meta: DocumentMeta | None = None) -> CleanResult:
    """Strip page boilerplate from a captured article, keeping its lines verbatim."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    removed: list[str] = []

    # Everything above the printed title is site header ("ArticlesThe narrative...", phone numbers),
    # but not prose: a page may print the report first and the title of the speech below it
    # (kremlin.ru: the news item, "* * *", then "Speech at ...").
    if meta is not None:
        title = _norm(meta.title)
        for i, line in enumerate(lines[:15]):
            if title and _norm(line) == title:
                above = [line for line in lines[:i] if _PROSE_RE.match(line)]
                removed.extend(line for line in lines[: i + 1] if line not in above)
                lines = above + lines[i + 1 :]
                break

    # A line printed more than once (repeated headers) is page chrome, not prose.
    counts: dict[str, int] = {}
    for line in lines:
        counts[_norm(line)] = counts.get(_norm(line), 0) + 1

    total = sum(len(line) for line in lines) or 1
    kept: list[str] = []
    seen_chars = 0
    for line in lines:
        seen_chars += len(line)
        late = seen_chars > 0.5 * total
        if late and _TAIL_START_RE.match(line):
            removed.append(line)
            removed.extend(lines[lines.index(line) + 1 :])
            break
        if _is_furniture(line) or (counts[_norm(line)] > 1 and len(line) < 120):
            removed.append(line)
            continue
        if meta is not None and meta.author and _norm(line) == _norm(meta.author.split("(")[0]):
            removed.append(line)  # a byline
            continue
        if late and _BIO_RE.match(line) and _is_author_bio(line, meta):
            removed.append(line)
            continue
        kept.append(_FOOTNOTE_MARK_RE.sub("", line))
    return CleanResult(text="\n\n".join(kept), removed=removed)


def _is_author_bio(line: str, meta: DocumentMeta | None) -> bool:
    """A bio names the author, or (author unknown) describes a person's career in the closing lines."""
    name = _BIO_RE.match(line).group("name")  # type: ignore[union-attr]
    if meta is None or not meta.author:
        return True
    author_words = set(_norm(meta.author).split())
    return bool(author_words & set(_norm(name).split()))
