"""Render a ``POST /v1/ask`` answer as a Slack Block Kit message (served by ``POST /v1/ask/slack``).

The layout mirrors the web chat: the question as a header, the overview, then one section per
voice in API order, each quote as a mrkdwn block quote followed by who said it and where it was
printed. Every voice has both a distinct emoji and its written label, so a reader who cannot tell
the colours apart (or reads a notification's plain text) still sees whose claim a quote is;
Russian state claims in particular never look like independent reporting.

Slack refuses messages over its limits, so the renderer stays inside them and says what it left
out ("…and N more quotes") rather than failing:

* at most 50 blocks per message;
* at most 3,000 characters of text per section, 150 per header;
* a total well under the ~13k characters of block text at which Slack answers
  ``msg_blocks_too_long`` although no single documented limit is reached (slackapi/bolt-js#2509).

Quote text is user-visible source text and is escaped (``&``, ``<``, ``>``) so that it can never
turn into a mention, a link or a broken message.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

logger = logging.getLogger(__name__)

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
#: Slack's real ceiling for block text sits near 13k characters; keep a margin.
MAX_TOTAL_CHARS = 11_000
#: A single quote longer than this is shortened, so that one long quote cannot crowd out the others.
MAX_QUOTE_CHARS = 1_000
MAX_OVERVIEW_CHARS = 2_500
#: Notifications and clients without Block Kit show ``text``; keep it short.
MAX_FALLBACK_CHARS = 2_000

ELLIPSIS = "…"

#: One emoji per voice, each different in shape as well as colour (never colour alone).
VOICE_MARKERS: dict[str, str] = {
    "russian_state": ":red_circle:",
    "kazakh_government": ":large_blue_square:",
    "csto": ":large_orange_diamond:",
    "foreign_government": ":globe_with_meridians:",
    "opposition": ":loudspeaker:",
    "independent": ":newspaper:",
    "unattributed": ":grey_question:",
    "unclassified": ":grey_exclamation:",
}
DEFAULT_MARKER = ":white_circle:"
#: How to name an outlet's own sentences, by genre.
OWN_TEXT = {"news": "the outlet's own reporting", "analysis": "the outlet's own analysis", "opinion": "opinion piece"}

#: Voices that speak for states (``sourcewise.types.STATE_VOICES``); their headings say so in words.
VOICE_NOTES: dict[str, str] = {
    "russian_state": "state voice",
    "kazakh_government": "state voice",
    "foreign_government": "state voice",
    "csto": "intergovernmental body",
    "unclassified": "affiliation not known",
}


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control sequences in mrkdwn and plain text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _shorten(raw: str, limit: int) -> str:
    """Escape ``raw`` and cut it (on the raw text, so no ``&amp;`` is split) to at most ``limit`` chars."""
    escaped = escape_mrkdwn(raw)
    if len(escaped) <= limit:
        return escaped
    kept: list[str] = []
    used = 0
    for char in raw:
        piece = escape_mrkdwn(char)
        if used + len(piece) + len(ELLIPSIS) > limit:
            break
        kept.append(piece)
        used += len(piece)
    return "".join(kept).rstrip() + ELLIPSIS


def _markdown_to_mrkdwn(markdown: str, limit: int) -> str:
    """Convert the overview's light markdown (bold, links, headings) to Slack mrkdwn."""
    text = _shorten(markdown, limit)
    text = re.sub(r"\*\*(.+?)\*\*", r"*\1*", text)
    text = re.sub(r"__(.+?)__", r"_\1_", text)
    text = re.sub(r"^#{1,6}\s+(.+)$", r"*\1*", text, flags=re.MULTILINE)
    text = re.sub(r"\[([^\]\n]+)\]\((https?://[^)\s|]+)\)", r"<\2|\1>", text)
    return text


def _link(url: str | None, label: str) -> str | None:
    """A mrkdwn link for an http(s) URL; ``None`` for anything else."""
    if not url or not re.match(r"^https?://", url):
        return None
    safe_url = escape_mrkdwn(url).replace("|", "%7C").replace(" ", "%20")
    return f"<{safe_url}|{label}>"


def _attribution(quote: Mapping[str, Any]) -> str:
    """``— *Name*, role · via Conduit · Publisher, “Title”, date · <url|source>`` (missing parts left out)."""
    speaker = quote.get("speaker") or {}
    source = quote.get("source") or {}
    name = speaker.get("name")
    role = speaker.get("role")
    if name and name == source.get("publisher"):
        # The outlet's own words: say which kind of text rather than repeat the outlet's name.
        who = f"_{OWN_TEXT.get(str(source.get('genre')), 'own text')}_"
    else:
        who = f"*{escape_mrkdwn(name)}*" if name else "_unnamed source_"
        if role:
            who += f", {escape_mrkdwn(role)}"
    where = [escape_mrkdwn(source["publisher"])] if source.get("publisher") else []
    if source.get("title"):
        where.append(f"“{_shorten(source['title'], 120)}”")
    if source.get("published"):
        where.append(escape_mrkdwn(str(source["published"])))
    parts = [f"— {who}"]
    if quote.get("conduit"):
        # The claim reached the document through someone else (e.g. a wire agency): say so.
        parts.append(f"via {escape_mrkdwn(str(quote['conduit']))}")
    if where:
        parts.append(", ".join(where))
    link = _link(source.get("url"), "source")
    if link:
        parts.append(link)
    return " · ".join(parts)


def _quote_text(quote: Mapping[str, Any]) -> str:
    """The quote as a mrkdwn block quote plus its attribution line, within the section limit."""
    attribution = _attribution(quote)
    # "> " per line plus the newline before the attribution; the quote gets what is left.
    room = min(MAX_QUOTE_CHARS, MAX_SECTION_CHARS - len(attribution) - 16)
    body = _shorten(str(quote.get("text", "")).strip(), max(room, 40))
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in body.split("\n"))
    return f"{quoted}\n{attribution}"[:MAX_SECTION_CHARS]


def _voice_heading(section: Mapping[str, Any], shown: int) -> str:
    voice = str(section.get("voice", ""))
    label = escape_mrkdwn(str(section.get("label") or voice.replace("_", " ").capitalize()))
    total = len(section.get("quotes") or [])
    heading = f"{VOICE_MARKERS.get(voice, DEFAULT_MARKER)} *{label}*"
    if voice in VOICE_NOTES:
        heading += f" · _{VOICE_NOTES[voice]}_"
    count = f"{total} quote{'s' if total != 1 else ''}"
    if shown < total:
        count += f", {shown} shown"
    return f"{heading} · {count}"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _block_chars(block: Mapping[str, Any]) -> int:
    if "text" in block:
        return len(block["text"]["text"])
    return sum(len(element.get("text", "")) for element in block.get("elements", []))


def _allocate(
    sections: Sequence[Mapping[str, Any]], block_budget: int, char_budget: int
) -> list[list[str]]:
    """Choose which quotes fit, round-robin over voices, so that no voice is crowded out.

    Returns, per section, the rendered texts of the quotes that are shown (in API order).
    """
    rendered = [[_quote_text(q) for q in (s.get("quotes") or [])] for s in sections]
    shown: list[list[str]] = [[] for _ in sections]
    headers_needed = [False] * len(sections)
    blocks_left, chars_left = block_budget, char_budget
    depth = max((len(r) for r in rendered), default=0)
    for round_index in range(depth):
        for i, texts in enumerate(rendered):
            if round_index >= len(texts):
                continue
            # A voice's first quote also pays for its heading block (~120 characters).
            cost_blocks = 1 if headers_needed[i] else 2
            cost_chars = len(texts[round_index]) + (0 if headers_needed[i] else 200)
            if cost_blocks > blocks_left or cost_chars > chars_left:
                continue
            if len(shown[i]) != round_index:
                continue  # an earlier quote of this voice did not fit: keep the order, skip the rest
            shown[i].append(texts[round_index])
            headers_needed[i] = True
            blocks_left -= cost_blocks
            chars_left -= cost_chars
    return shown


def render_answer(answer: Mapping[str, Any]) -> dict[str, Any]:
    """Render an ``/v1/ask`` response as ``{"text": fallback, "blocks": [...]}`` for chat.postMessage.

    Pure: no I/O, the same answer always gives the same message.
    """
    question = str(answer.get("question") or "").strip()
    overview = str(answer.get("answer") or "").strip()
    sections = [s for s in (answer.get("sections") or []) if s.get("quotes")]

    if not answer.get("supported", True) or (not sections and not overview):
        message = overview or "The sources hold nothing that answers this question."
        text = _shorten(message, MAX_SECTION_CHARS)
        return {"text": _shorten(message, MAX_FALLBACK_CHARS), "blocks": [_section(text)]}

    head: list[dict[str, Any]] = []
    if question:
        head.append(
            {
                "type": "header",
                "text": {"type": "plain_text", "text": _plain(question, MAX_HEADER_CHARS), "emoji": True},
            }
        )
    if sections:
        # Who says what, without the excerpts the quotes below show anyway.
        head.append(_section(_who_speaks(sections, overview)))
    if sections:
        head.append({"type": "divider"})

    total_quotes = sum(len(s["quotes"]) for s in sections)
    documents = {q.get("source", {}).get("doc_id") for s in sections for q in s["quotes"]}
    # The footer (always one block, at most ~400 characters) is reserved up front.
    block_budget = MAX_BLOCKS - len(head) - 1
    char_budget = MAX_TOTAL_CHARS - sum(_block_chars(b) for b in head) - 400
    shown = _allocate(sections, block_budget, char_budget)
    if sections and not all(shown) and len(head) > 1:
        # The summary would crowd a voice out of the message: the voices' own headings say it too.
        head = [b for b in head if b.get("type") != "section"]
        block_budget = MAX_BLOCKS - len(head) - 1
        char_budget = MAX_TOTAL_CHARS - sum(_block_chars(b) for b in head) - 400
        shown = _allocate(sections, block_budget, char_budget)

    body: list[dict[str, Any]] = []
    for section, texts in zip(sections, shown):
        if not texts:
            continue
        body.append(_section(_voice_heading(section, len(texts))))
        body.extend(_section(text) for text in texts)

    omitted = total_quotes - sum(len(t) for t in shown)
    footer = (
        f"{total_quotes} verbatim quote{'s' if total_quotes != 1 else ''} from "
        f"{len(documents)} document{'s' if len(documents) != 1 else ''} · "
        "a voice says who makes the claim, not who printed it"
    )
    if omitted:
        hidden_voices = [
            escape_mrkdwn(str(s.get("label") or s.get("voice")))
            for s, texts in zip(sections, shown)
            if len(texts) < len(s["quotes"])
        ]
        footer = (
            f"…and {omitted} more quote{'s' if omitted != 1 else ''} "
            f"({_shorten(', '.join(hidden_voices), 200)}) not shown here · " + footer
        )
        logger.info("Slack message leaves out %d of %d quotes to stay within limits", omitted, total_quotes)
    blocks = head + body + [_context(footer)]

    return {"text": _fallback_text(question, overview, sections, omitted), "blocks": blocks}


def _plain(text: str, limit: int) -> str:
    """Plain text (headers) is not parsed for links or mentions, but is still length-limited."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def _fallback_text(question: str, overview: str, sections: Sequence[Mapping[str, Any]], omitted: int) -> str:
    """The notification text, plain (no markup a notification would show as asterisks): the
    question and who is quoted under which voice."""
    voices = "; ".join(f"{s.get('label') or s.get('voice')}: {', '.join(_speakers(s)[:3]) or 'unnamed'}"
                       f" ({len(s['quotes'])})" for s in sections)
    parts = [p for p in (question, f"Quotes by voice: {voices}" if voices else "") if p]
    return _shorten("\n".join(parts), MAX_FALLBACK_CHARS)


def _speakers(section: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for quote in section.get("quotes") or []:
        name = (quote.get("speaker") or {}).get("name")
        if name and name not in names:
            names.append(str(name))
    return names


#: The who-says-what summary stays short: the quotes need the message's room.
MAX_SUMMARY_CHARS = 600


def _who_speaks(sections: Sequence[Mapping[str, Any]], overview: str) -> str:
    """One line per voice with its speakers, then the overview's differing figures, if any."""
    lines = []
    for section in sections:
        speakers = ", ".join(escape_mrkdwn(_shorten(n, 40)) for n in _speakers(section)[:3]) or "unnamed sources"
        count = len(section["quotes"])
        lines.append(f"• *{escape_mrkdwn(str(section.get('label') or section.get('voice')))}* — {speakers}"
                     f" ({count} quote{'s' if count != 1 else ''})")
    if "Figures differ by source:" in overview:
        figures = overview.split("Figures differ by source:", 1)[1].strip()
        lines += ["", "*Figures differ by source:*", _markdown_to_mrkdwn(figures, MAX_OVERVIEW_CHARS // 2)]
    return _shorten("\n".join(lines), MAX_SUMMARY_CHARS)
