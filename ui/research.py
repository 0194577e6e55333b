"""What a researcher takes away from an answer: citations, exports and the document coloured by voice.

Pure functions of the API's JSON (``/v1/ask`` answers, ``/v1/documents/{id}/claims``), tested
without Streamlit. Every export carries the full provenance of each quote: its speaker, role and
voice, the conduit that relayed it and the cue that attributes it, and where it was printed.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from sourcewise.types import Voice

#: Columns of the CSV export, in order.
CSV_COLUMNS = ("question", "voice", "voice_label", "quote", "speaker", "role", "conduit", "how", "cue",
               "publisher", "title", "published", "url", "doc_id", "start", "end", "quote_id")
#: How to classify a speaker shown as "unclassified".
CLASSIFY_HINT = ("Neither the text nor the registry says whom this speaker speaks for. Add them to a registry "
                 "file (SOURCEWISE_REGISTRY_PATHS; `sourcewise registry explain NAME` shows what is known) "
                 "and re-ingest to classify them.")


def voice_label(voice: str) -> str:
    try:
        return Voice(voice).label
    except ValueError:
        return voice.replace("_", " ").capitalize()


def rows_of(answer: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One flat row per quote of an answer, in the answer's order."""
    for section in answer.get("sections") or []:
        for quote in section.get("quotes") or []:
            speaker, source = quote.get("speaker") or {}, quote.get("source") or {}
            cue = quote.get("cue") or {}
            yield {
                "question": answer.get("question", ""),
                "voice": section.get("voice", ""),
                "voice_label": section.get("label") or voice_label(section.get("voice", "")),
                "quote": quote.get("text", ""),
                "speaker": speaker.get("name"),
                "role": speaker.get("role"),
                "conduit": quote.get("conduit"),
                "how": quote.get("how"),
                "cue": cue.get("text"),
                "publisher": source.get("publisher"),
                "title": source.get("title"),
                "published": source.get("published"),
                "url": source.get("url"),
                "doc_id": source.get("doc_id"),
                "start": quote.get("start"),
                "end": quote.get("end"),
                "quote_id": quote.get("id"),
            }


def citation(row: dict[str, Any]) -> str:
    """A quote as a reader cites it: the words, who said them (role, voice), through whom, where and when.

    >>> citation({"quote": "We will not interfere.", "speaker": "Dmitry Peskov", "role": "Kremlin spokesman",
    ...           "voice_label": "Russian state sources", "conduit": "TASS", "cue": "Peskov told reporters",
    ...           "publisher": "Daryo", "title": "CSTO in Kazakhstan", "published": "2022-01-11", "url": None})
    '“We will not interfere.” — Dmitry Peskov, Kremlin spokesman [Russian state sources], via TASS (“Peskov told reporters”). Daryo, “CSTO in Kazakhstan”, 2022-01-11.'
    """
    who = row.get("speaker") or "unnamed source"
    if row.get("role") and row.get("speaker") != row.get("publisher"):
        who += f", {row['role']}"
    parts = [f"“{row.get('quote', '')}” — {who} [{row.get('voice_label')}]"]
    if row.get("conduit"):
        parts[-1] += f", via {row['conduit']}"
    if row.get("cue"):
        parts[-1] += f" (“{row['cue']}”)"
    where = [str(row.get("publisher") or "")]
    if row.get("title"):
        where.append(f"“{row['title']}”")
    if row.get("published"):
        where.append(str(row["published"]))
    if row.get("url"):
        where.append(str(row["url"]))
    return f"{parts[0]}. {', '.join(w for w in where if w)}."


def to_markdown(answer: dict[str, Any]) -> str:
    """The answer as Markdown: the question, the overview, then each voice's quotes with full citations."""
    lines = [f"# {_md(answer.get('question', ''))}", "", _md(answer.get("answer", "")), ""]
    for section in answer.get("sections") or []:
        lines += [f"## {_md(section.get('label') or voice_label(section.get('voice', '')))}", ""]
        for row in rows_of({**answer, "sections": [section]}):
            lines.append(f"- {_md(citation(row))}")
            lines.append(f"  <sub>{_md(str(row['doc_id']))}, characters {row['start']}–{row['end']}</sub>")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_csv(answer: dict[str, Any]) -> str:
    """The answer's quotes as CSV, one row per quote, with :data:`CSV_COLUMNS`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows_of(answer):
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return out.getvalue()


def to_json(answer: dict[str, Any]) -> str:
    """The API's answer itself, as JSON (every field the API gave)."""
    return json.dumps(answer, ensure_ascii=False, indent=2)


def document_link(doc_id: str, start: int | None = None, end: int | None = None) -> str:
    """A link to the chat page's document view, opened at a quote: shareable, relative to the page."""
    params: dict[str, Any] = {"doc": doc_id}
    if start is not None and end is not None:
        params.update(start=start, end=end)
    return "?" + urlencode(params)


def document_html(text: str, claims: list[dict[str, Any]], colours: dict[str, str],
                  focus: tuple[int, int] | None = None) -> str:
    """The whole document, each claim in its voice's colour and labelled, the focused span marked.

    Everything the document says is escaped: nothing in it becomes a link, an image or markup.
    """
    out: list[str] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: c["start"]):
        start, end = claim["start"], claim["end"]
        if start < cursor or end > len(text):
            continue
        out.append(_text(text[cursor:start]))
        voice = claim["speaker"]["voice"]
        colour = colours.get(voice, "#999999")
        who = claim["speaker"].get("name") or "unnamed source"
        title = f"{voice_label(voice)} · {who}" + (f" · via {claim['conduit']}" if claim.get("conduit") else "")
        focused = focus is not None and start <= focus[0] < end or focus is not None and focus[0] <= start < focus[1]
        attrs = ' id="sw-focus" class="sw-claim sw-focus"' if focused else ' class="sw-claim"'
        out.append(f'<span{attrs} data-voice="{html.escape(voice)}" title="{html.escape(title, quote=True)}" '
                   f'style="background:{colour}33;border-bottom:2px solid {colour};'
                   f'{"outline:3px solid #000;" if focused else ""}">{_text(text[start:end])}</span>')
        cursor = end
    out.append(_text(text[cursor:]))
    return '<div class="sw-document" style="line-height:1.7;">' + "".join(out) + "</div>"


def _text(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _md(text: str) -> str:
    """Text shown as itself in Markdown (no links, images or emphasis made of a document's words)."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#!|~$" else ch for ch in text)
