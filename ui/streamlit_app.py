"""Sourcewise chat: ask about the documents, read the answer as verbatim quotes grouped by voice.

Run with ``streamlit run ui/streamlit_app.py`` (or ``make ui``); the API address comes from
``SOURCEWISE_API_URL`` (``Settings.api_url``). The app is a plain HTTP client of the API.

Every voice gets its own colour from the Okabe–Ito palette (safe for the common forms of colour
blindness), its own marker shape and its written label, so that a reader never has to rely on
colour alone and Russian state claims can never be mistaken for independent reporting.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from typing import TypedDict

import streamlit as st

from sourcewise.settings import get_settings
from sourcewise.types import Voice
from ui.research import CLASSIFY_HINT, citation, document_html, document_link, rows_of, to_csv, to_json, to_markdown
from ui.api_client import (
    MAX_HISTORY_TURNS,
    Answer,
    AskFilters,
    CorpusInfo,
    DocumentInfo,
    Health,
    HistoryTurn,
    Quote,
    Section,
    SourcewiseAPIError,
    SourcewiseClient,
)

logger = logging.getLogger(__name__)

#: How much of a very long paragraph to show on each side of a quote.
CONTEXT_CHARS = 700


@dataclass(frozen=True)
class VoiceStyle:
    """How one voice looks: colour (never alone), a marker of distinct shape, and a short note."""

    colour: str
    marker: str
    note: str


# Okabe & Ito (2008) palette; vermillion is kept for Russian state sources only. Markers are plain
# geometric characters (every text font has them; emoji fonts are often missing on servers and
# kiosks), each a different shape, so the voice still shows in greyscale and in the filter list.
VOICE_STYLES: dict[str, VoiceStyle] = {
    Voice.RUSSIAN_STATE.value: VoiceStyle("#D55E00", "▲", "state voice: Russian government or state media"),
    Voice.KAZAKH_GOVERNMENT.value: VoiceStyle("#0072B2", "■", "state voice: Kazakh government"),
    Voice.CSTO.value: VoiceStyle("#E69F00", "◆", "intergovernmental body: the CSTO"),
    Voice.FOREIGN_GOVERNMENT.value: VoiceStyle("#CC79A7", "●", "state voice: another government"),
    Voice.OPPOSITION.value: VoiceStyle("#F0E442", "★", "Kazakh opposition, exiles and activists"),
    Voice.INDEPENDENT.value: VoiceStyle("#009E73", "✎", "independent reporting, analysis and opinion"),
    Voice.UNATTRIBUTED.value: VoiceStyle("#999999", "?", "claims the text gives to no identifiable source"),
    Voice.UNCLASSIFIED.value: VoiceStyle(
        "#56B4E9", "◇", "a named source whose affiliation neither the text nor the registry establishes"
    ),
}
#: How to name an outlet's own sentences, by genre.
OWN_TEXT = {"news": "the outlet's own reporting", "analysis": "the outlet's own analysis", "opinion": "opinion piece"}

UNKNOWN_STYLE = VoiceStyle("#999999", "○", "")


class ChatTurn(TypedDict, total=False):
    """One entry of the chat history kept in ``st.session_state``."""

    role: str  # "user" or "assistant"
    content: str  # the question, or the answer's overview
    answer: Answer | None  # the API's answer (assistant turns that succeeded)
    error: str | None  # what went wrong (assistant turns that failed)
    filters: AskFilters  # the filters the question was asked with (user turns)


# -- pure helpers (unit-tested without Streamlit) -----------------------------------------------


def style_for(voice: str) -> VoiceStyle:
    """The style of ``voice``; an unknown voice (a newer API) still renders, in grey."""
    return VOICE_STYLES.get(voice, UNKNOWN_STYLE)


def voice_label(voice: str) -> str:
    """The human label of a voice id, e.g. ``Russian state sources``."""
    try:
        return Voice(voice).label
    except ValueError:
        return voice.replace("_", " ").capitalize()


def escape_markdown(text: str) -> str:
    """Escape characters that Streamlit markdown would format (including ``$`` for LaTeX)."""
    return re.sub(r"([\\`*_\[\]<>#$~|])", r"\\\1", text)


def escape_html(text: str) -> str:
    """HTML-escape text and keep its line breaks (no blank line may end the HTML block)."""
    return html.escape(text, quote=True).replace("\r", "").replace("\n", "<br>")


def history_for_api(turns: list[ChatTurn]) -> list[HistoryTurn]:
    """The earlier turns the API needs for follow-ups: questions and the overviews that answered them.

    A question whose answer failed is left out together with its error: the API never answered it.
    Only the most recent 20 items are sent (the API's limit).
    """
    history: list[HistoryTurn] = []
    for index, turn in enumerate(turns):
        if turn.get("role") == "user":
            reply = turns[index + 1] if index + 1 < len(turns) else None
            if reply is not None and reply.get("answer") is not None:
                history.append({"role": "user", "content": turn.get("content", "")})
        elif turn.get("answer") is not None:
            history.append({"role": "assistant", "content": turn["answer"]["answer"]})
    return history[-MAX_HISTORY_TURNS:]


def paragraph_around(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """The paragraph holding ``text[start:end]``, split as (before, quote, after).

    A paragraph runs between line breaks; a very long one is cut to ``limit`` characters on each
    side of the quote, marked with an ellipsis.
    """
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    if para_end == -1:
        para_end = len(text)
    before = text[para_start:start]
    after = text[end:para_end]
    if len(before) > limit:
        before = "…" + before[-limit:]
    if len(after) > limit:
        after = after[:limit] + "…"
    return before, text[start:end], after


def locate_quote(text: str, quote: Quote) -> tuple[int, int] | None:
    """Where the quote is in ``text``: its offsets, or where its words are if the offsets drifted."""
    start, end = quote["start"], quote["end"]
    if 0 <= start <= end <= len(text) and text[start:end] == quote["text"]:
        return start, end
    found = text.find(quote["text"])
    if found >= 0:
        logger.warning("Quote %s offsets do not match document %s; found it by search", quote["id"],
                       quote["source"]["doc_id"])
        return found, found + len(quote["text"])
    return None


def section_heading_html(section: Section) -> str:
    """The heading of a voice's block: marker, label, what the voice is, how many quotes."""
    style = style_for(section["voice"])
    label = section.get("label") or voice_label(section["voice"])
    count = len(section["quotes"])
    note = f' <span class="sw-note">— {escape_html(style.note)}</span>' if style.note else ""
    return (
        f'<div class="sw-voice sw-voice-{escape_html(section["voice"])}" '
        f'style="border-left:8px solid {style.colour};background:{style.colour}22;'
        f'padding:.35rem .75rem;margin:1rem 0 .35rem 0;border-radius:.25rem;">'
        f'<span class="sw-marker" aria-hidden="true" style="color:{style.colour};text-shadow:0 0 1px rgba(0,0,0,.55);">{style.marker}</span> '
        f"<strong>{escape_html(label)}</strong>{note} "
        f'<span class="sw-count">· {count} quote{"s" if count != 1 else ""}</span></div>'
    )


def quote_html(quote: Quote, section: Section) -> str:
    """A quote in its voice's colour, with speaker, role, outlet, date and link."""
    style = style_for(section["voice"])
    label = section.get("label") or voice_label(section["voice"])
    speaker, source = quote["speaker"], quote["source"]
    if speaker.get("name") and speaker["name"] == source.get("publisher"):
        # The outlet's own words: say which kind of text rather than repeat the outlet's name.
        who = f"<em>{OWN_TEXT.get(source.get('genre', ''), 'own text')}</em>"
    else:
        who = f"<strong>{escape_html(speaker['name'])}</strong>" if speaker.get("name") else "<em>unnamed source</em>"
        if speaker.get("role"):
            who += f", {escape_html(speaker['role'])}"
    if quote.get("conduit"):
        # The claim reached the document through someone else (e.g. a wire agency): say so.
        who += f" · via {escape_html(str(quote['conduit']))}"
    where = [f"<strong>{escape_html(source['publisher'])}</strong>"]
    if source.get("title"):
        where.append(f"“{escape_html(source['title'])}”")
    if source.get("published"):
        where.append(escape_html(str(source["published"])))
    if source.get("url") and re.match(r"^https?://", source["url"]):
        where.append(
            f'<a href="{html.escape(source["url"], quote=True)}" target="_blank" rel="noopener noreferrer">link</a>'
        )
    return (
        f'<div class="sw-quote" style="border-left:4px solid {style.colour};padding:.3rem .8rem;'
        f'margin:.35rem 0 .15rem 1rem;">'
        f'<div class="sw-quote-text">“{escape_html(quote["text"])}”</div>'
        f'<div class="sw-quote-meta" style="font-size:.85rem;opacity:.85;">'
        f'<span class="sw-marker" aria-hidden="true" style="color:{style.colour};text-shadow:0 0 1px rgba(0,0,0,.55);">{style.marker}</span> '
        f"{escape_html(label)} · {who} · {' · '.join(where)}</div></div>"
    )


def context_html(before: str, quote: str, after: str) -> str:
    """The paragraph around a quote, escaped, with the quote highlighted."""
    return (
        '<div class="sw-context" style="font-size:.92rem;line-height:1.5;">'
        f"{escape_html(before)}<mark>{escape_html(quote)}</mark>{escape_html(after)}</div>"
    )


# -- API access, cached per API address ---------------------------------------------------------


def api_key() -> str | None:
    """The key this page sends (``SOURCEWISE_API_KEY``); None where the API is open."""
    secret = get_settings().api_key
    return secret.get_secret_value() if secret is not None else None


def key_id() -> str:
    """Which key the page sends, as a hash: part of every cache key, so that answers fetched with one
    key are never shown under another."""
    import hashlib

    return hashlib.sha256((api_key() or "").encode()).hexdigest()[:16]


def get_client(api_url: str) -> SourcewiseClient:
    """The HTTP client for the API address and the page's key."""
    return _client(api_url, key_id())


@st.cache_resource(show_spinner=False)
def _client(api_url: str, key: str) -> SourcewiseClient:
    """One HTTP client (connection pool) per API address and key, shared by all sessions."""
    return SourcewiseClient(api_url, api_key=api_key())


# Errors are raised, not returned, so that Streamlit does not cache them: a restarted API is
# picked up on the next run.
@st.cache_data(ttl=15, show_spinner=False)
def fetch_health(api_url: str, key: str = "") -> Health:
    """``GET /healthz``, cached briefly."""
    return get_client(api_url).health()


@st.cache_data(ttl=30, show_spinner=False)
def fetch_documents(api_url: str, key: str = "") -> list[DocumentInfo]:
    """``GET /v1/documents``, cached briefly (documents arrive through the API at any time)."""
    return get_client(api_url).documents()


@st.cache_data(ttl=30, show_spinner=False)
def fetch_corpora(api_url: str, key: str = "") -> list[CorpusInfo]:
    """``GET /v1/corpora``, cached briefly."""
    return get_client(api_url).corpora()


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def fetch_document_text(api_url: str, doc_id: str, key: str = "") -> str:
    """The cleaned text of a document (offsets refer to it), cached."""
    return get_client(api_url).document(doc_id)["text"]


# -- rendering -----------------------------------------------------------------------------------


def show_context(api_url: str, quote: Quote) -> None:
    """Inside an expander: the paragraph of the document around the quote, highlighted."""
    try:
        text = fetch_document_text(api_url, quote["source"]["doc_id"], key_id())
    except SourcewiseAPIError as error:
        st.caption(f"The surrounding text is unavailable: {error.message}")
        return
    span = locate_quote(text, quote)
    if span is None:
        st.caption("The document's current text no longer contains this quote (the index may be out of date).")
        return
    st.markdown(context_html(*paragraph_around(text, *span)), unsafe_allow_html=True)
    st.caption(f"Characters {span[0]}–{span[1]} of the document's cleaned text.")


_OVERVIEW_ITEM = re.compile(r"^- \*\*(?P<label>[^*]+)\*\*(?P<rest>.*)$")


def overview_html(overview: str) -> str:
    """The API's overview, every word escaped: a document's markdown or HTML quoted in it stays text.

    The overview's own structure (a list of voices, each label in bold) is rebuilt as HTML.
    """
    parts: list[str] = []
    items: list[str] = []
    for line in overview.splitlines():
        found = _OVERVIEW_ITEM.match(line)
        if found:
            items.append(f"<li><strong>{escape_html(found['label'])}</strong>{escape_html(found['rest'])}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if line.startswith("- "):
            parts.append(f"<ul><li>{escape_html(line[2:])}</li></ul>")
        elif line.strip():
            parts.append(f"<p>{escape_html(line)}</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return '<div class="sw-overview">' + "".join(parts) + "</div>"


def show_answer(answer: Answer, api_url: str, turn_key: str) -> None:
    """The overview, then one block per voice in API order, each quote with its context, citation
    and a link to the document view; then the answer's exports."""
    st.markdown(f'<div id="sw-answer-{escape_html(turn_key)}" class="sw-answer-top"></div>', unsafe_allow_html=True)
    if not answer.get("supported"):
        st.info(answer.get("answer") or "The sources hold nothing that answers this question.")
        return
    st.markdown(overview_html(answer["answer"]), unsafe_allow_html=True)
    rows = {row["quote_id"]: row for row in rows_of(answer)}  # type: ignore[arg-type]
    for section in answer["sections"]:
        st.markdown(section_heading_html(section), unsafe_allow_html=True)
        if section["voice"] == Voice.UNCLASSIFIED.value:
            st.caption(CLASSIFY_HINT)
        for quote in section["quotes"]:
            st.markdown(quote_html(quote, section), unsafe_allow_html=True)
            source = quote["source"]
            link = document_link(source["doc_id"], quote["start"], quote["end"])
            st.markdown(f'<a class="sw-doc-link" href="{html.escape(link, quote=True)}" target="_blank">'
                        "Open in the document, coloured by voice</a>", unsafe_allow_html=True)
            title = escape_markdown(source.get("title") or source["doc_id"])
            with st.expander(f"Context in “{title}”", key=f"ctx-{turn_key}-{quote['id']}"):
                show_context(api_url, quote)
            with st.expander("Cite", key=f"cite-{turn_key}-{quote['id']}"):
                st.code(citation(rows[quote["id"]]), language=None, wrap_lines=True)
    slug = re.sub(r"[^a-z0-9]+", "-", answer["question"].lower()).strip("-")[:40] or "answer"
    columns = st.columns(3)
    for column, (label, data, mime, ext) in zip(columns, (
        ("Markdown", to_markdown(answer), "text/markdown", "md"),  # type: ignore[arg-type]
        ("CSV", to_csv(answer), "text/csv", "csv"),  # type: ignore[arg-type]
        ("JSON", to_json(answer), "application/json", "json"),  # type: ignore[arg-type]
    ), strict=True):
        column.download_button(f"Export {label}", data, file_name=f"sourcewise-{slug}.{ext}", mime=mime,
                               key=f"export-{ext}-{turn_key}", icon=":material/download:")


def scroll_to_answer(turn_key: str) -> None:
    """Bring the top of the new answer into view (not its end, where Streamlit leaves the page)."""
    run_script("const top = window.parent.document.getElementById("
               f"'sw-answer-{turn_key}'); if (top) {{ top.scrollIntoView({{block: 'start'}}); }}")


def run_script(script: str) -> None:
    """Run a script of this page's own (never text from a document or the API) in a tiny iframe."""
    st.iframe(f"<script>{script}</script>", height=1)


def show_error(message: str) -> None:
    """An API failure, shown plainly."""
    st.error(message, icon=":material/error:")


def show_turn(turn: ChatTurn, api_url: str, turn_key: str) -> None:
    """Replay one stored turn of the chat."""
    with st.chat_message(turn["role"]):
        if turn["role"] == "user":
            st.markdown(escape_markdown(turn.get("content", "")))
            filters = turn.get("filters") or {}
            if filters:
                shown = (filters.get("corpora", []) + [voice_label(v) for v in filters.get("voices", [])]
                         + filters.get("publishers", []) + filters.get("speakers", []))
                st.caption("Filtered to: " + escape_markdown(", ".join(shown)))
        elif turn.get("error"):
            show_error(turn["error"])
        elif turn.get("answer") is not None:
            show_answer(turn["answer"], api_url, turn_key)


UPLOAD_GENRES = ("news", "analysis", "opinion")


def upload_fields(values: dict, upload_name: str | None, upload_bytes: bytes | None) -> dict:
    """The ``POST /v1/documents`` body the upload form describes; ValueError saying what is missing.

    A file ending in ``.html``/``.htm`` is sent as ``html`` (the API extracts the article), any
    other as ``text``; pasted text is used when no file is given.
    """
    body = {key: (value.strip() if isinstance(value, str) else value) for key, value in values.items()}
    body = {key: value for key, value in body.items() if value not in (None, "")}
    pasted = body.pop("text", None)
    if upload_bytes is not None:
        try:
            content = upload_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{upload_name} is not UTF-8 text or HTML") from exc
        field = "html" if (upload_name or "").lower().endswith((".html", ".htm")) else "text"
        body[field] = content
    elif pasted:
        body["text"] = pasted
    else:
        raise ValueError("paste the article's text or choose a .txt or .html file")
    if not body.get("corpus"):
        raise ValueError("name the corpus to add the document to")
    if not body.get("publisher"):
        raise ValueError("name the publisher: the outlet or body that printed it")
    if "html" not in body and not body.get("title"):
        raise ValueError("give the document a title (a web page's own title is used when you upload HTML)")
    return body


def claims_html(claims: list) -> str:
    """A document's claims, each in its voice's colour and marker, speaker named; text escaped."""
    rows = []
    for claim in claims:
        speaker = claim["speaker"]
        style = style_for(speaker["voice"])
        who = escape_html(speaker.get("name") or "unnamed source")
        rows.append(
            f'<div class="sw-claim" style="border-left:4px solid {style.colour};padding:.2rem .6rem;margin:.25rem 0;">'
            f'<span class="sw-marker" aria-hidden="true" style="color:{style.colour};">{style.marker}</span> '
            f"<strong>{escape_html(voice_label(speaker['voice']))}</strong> · {who}<br>"
            f"“{escape_html(claim['text'])}”</div>"
        )
    return "".join(rows) or "<em>No claims found.</em>"


def upload_form(api_url: str, corpora: list[str]) -> None:
    """Add a document: paste text or choose an HTML/text file, fill the metadata, see its claims."""
    with st.expander("Add a document", icon=":material/upload_file:"):
        with st.form("upload", clear_on_submit=False):
            corpus = st.text_input("Corpus", value=corpora[0] if corpora and corpora[0] != "sample" else "mine",
                                   help="Existing: " + (", ".join(corpora) or "none"))
            title = st.text_input("Title", help="Taken from the page when you upload HTML and leave this empty")
            publisher = st.text_input("Publisher", help="The outlet or body that printed it, e.g. TASS")
            url = st.text_input("URL (optional)")
            published = st.text_input("Published (optional)", placeholder="2022-01-07")
            author = st.text_input("Author (optional)")
            genre = st.selectbox("Genre", UPLOAD_GENRES)
            text = st.text_area("Text", height=160, placeholder="Paste the article here, or choose a file below")
            upload = st.file_uploader("…or a .txt / .html file", type=["txt", "html", "htm"])
            sent = st.form_submit_button("Add document")
        if not sent:
            return
        values = {"corpus": corpus, "title": title, "publisher": publisher, "url": url, "published": published,
                  "author": author, "genre": genre, "text": text}
        try:
            body = upload_fields(values, upload.name if upload else None, upload.getvalue() if upload else None)
        except ValueError as error:
            st.warning(str(error))
            return
        client = get_client(api_url)
        try:
            written = client.add_document(**body)
            claims = client.claims(written["doc_id"])
        except SourcewiseAPIError as error:
            st.error(f"The document was not added: {error.message}")
            return
        fetch_documents.clear()
        fetch_corpora.clear()
        fetch_health.clear()
        counts = ", ".join(f"{n} {voice_label(v).lower()}" for v, n in (written.get("claims") or {}).items())
        st.success(f"{written['status'].capitalize()}: “{written['title']}” in {written.get('corpus', body['corpus'])}"
                   + (f" — claims: {counts}" if counts else ""))
        st.markdown(claims_html(claims), unsafe_allow_html=True)


def sidebar(api_url: str) -> AskFilters:
    """API address and health, filters, and the list of documents; returns the chosen filters."""
    with st.sidebar:
        st.header("Sourcewise")
        st.caption(f"API: `{api_url}`")
        try:
            health = fetch_health(api_url, key_id())
            st.success(f"API is up: {health['documents']} documents, {health['chunks']} chunks indexed.")
        except SourcewiseAPIError as error:
            st.error(error.message)

        try:
            documents = fetch_documents(api_url, key_id())
        except SourcewiseAPIError as error:
            documents = []
            logger.info("Documents unavailable: %s", error.message)
            if error.status_code in (401, 403):
                st.error(f"The API refused this page: {error.message}. Set SOURCEWISE_API_KEY to a key it accepts.")

        try:
            corpora = fetch_corpora(api_url, key_id())
        except SourcewiseAPIError as error:
            corpora = []
            logger.info("Corpora unavailable: %s", error.message)

        st.subheader("Filters")
        chosen_corpora = st.multiselect(
            "Corpora",
            options=[c["corpus"] for c in corpora],
            format_func=lambda name: f"{name} ({next((c['documents'] for c in corpora if c['corpus'] == name), 0)})",
            placeholder="All corpora",
            key="corpus_filter",
        )
        voices = st.multiselect(
            "Voices",
            options=[voice.value for voice in Voice],
            format_func=lambda v: f"{style_for(v).marker} {voice_label(v)}",
            placeholder="All voices",
            key="voice_filter",
        )
        in_scope = [d for d in documents if not chosen_corpora or d.get("corpus") in chosen_corpora]
        publishers = st.multiselect(
            "Publishers",
            options=sorted({doc["publisher"] for doc in in_scope}),
            placeholder="All publishers",
            key="publisher_filter",
        )
        speakers = st.text_input("Speakers", placeholder="e.g. Dmitry Peskov, TASS", key="speaker_filter",
                                 help="Only claims of these speakers (or relaying outlets), comma separated")
        if st.button("New chat", icon=":material/restart_alt:"):
            st.session_state.turns = []

        upload_form(api_url, [c["corpus"] for c in corpora])

        st.subheader(f"Documents ({len(in_scope)})")
        for corpus in sorted({d.get("corpus", "") for d in in_scope}):
            with st.expander(f"{corpus or 'documents'} ({sum(1 for d in in_scope if d.get('corpus', '') == corpus)})"):
                for doc in (d for d in in_scope if d.get("corpus", "") == corpus):
                    st.markdown(
                        f"**{escape_markdown(doc['title'])}**  \n"
                        f"{escape_markdown(doc['publisher'])} · {escape_markdown(doc['genre'])} · "
                        f"{escape_markdown(voice_label(doc['outlet_voice']))}"
                    )
    filters: AskFilters = {}
    if chosen_corpora:
        filters["corpora"] = list(chosen_corpora)
    if voices:
        filters["voices"] = list(voices)
    if publishers:
        filters["publishers"] = list(publishers)
    named = [name.strip() for name in (speakers or "").split(",") if name.strip()]
    if named:
        filters["speakers"] = named
    return filters


EXAMPLE_QUESTIONS = (
    "Why were CSTO troops sent to Kazakhstan?",
    "What did Russian state media say about the protests?",
    "What did Peskov say?",
    "How many people were detained?",
)


def legend_html() -> str:
    """Every voice with its marker, colour, label and what it means."""
    items = []
    for voice in Voice:
        style = style_for(voice.value)
        items.append(
            f'<div class="sw-legend-item" style="border-left:6px solid {style.colour};padding:.1rem .5rem;margin:.2rem 0;">'
            f'<span class="sw-marker" aria-hidden="true" style="color:{style.colour};">{style.marker}</span> '
            f"<strong>{escape_html(voice.label)}</strong> — {escape_html(style.note)}</div>"
        )
    return '<div class="sw-legend">' + "".join(items) + "</div>"


def landing(api_url: str) -> None:
    """Before the first question: what the corpus holds, the legend of voices and example questions."""
    try:
        corpora = fetch_corpora(api_url, key_id())
        documents = fetch_documents(api_url, key_id())
    except SourcewiseAPIError as error:
        show_error(error.message)
        return
    st.subheader("What the sources hold")
    publishers = sorted({d["publisher"] for d in documents})
    held = ", ".join(escape_markdown(f"{c['corpus']}: {c['documents']}") for c in corpora)
    plural = "" if len(corpora) == 1 else "es"
    st.markdown(f"{len(documents)} documents in {len(corpora)} corpus{plural} ({held}), "
                f"from {len(publishers)} publishers.")
    st.subheader("Voices")
    st.caption("Each quote stands under the voice of whoever makes the claim, not of the outlet that printed it.")
    st.markdown(legend_html(), unsafe_allow_html=True)
    st.subheader("Try asking")
    for index, example in enumerate(EXAMPLE_QUESTIONS):
        if st.button(example, key=f"example-{index}", icon=":material/chat:"):
            st.session_state.pending_question = example
            st.rerun()


def document_view(api_url: str, doc_id: str, start: int | None, end: int | None) -> None:
    """A whole document coloured by voice from its claims, opened at a quote (``?doc=ID&start=&end=``)."""
    client = get_client(api_url)
    try:
        document = client.document(doc_id)
        claims = client.claims(doc_id)
    except SourcewiseAPIError as error:
        show_error(f"The document {doc_id!r} cannot be shown: {error.message}")
        return
    st.title(document["title"])
    meta = [document["publisher"], document.get("published") or "", voice_label(document["outlet_voice"])]
    st.caption(" · ".join(escape_markdown(m) for m in meta if m))
    if document.get("url") and re.match(r"^https?://", document["url"]):
        st.markdown(f'<a href="{html.escape(document["url"], quote=True)}" target="_blank" rel="noopener noreferrer">'
                    "Original</a>", unsafe_allow_html=True)
    with st.expander("Legend"):
        st.markdown(legend_html(), unsafe_allow_html=True)
    focus = (start, end) if start is not None and end is not None else None
    colours = {voice: style.colour for voice, style in VOICE_STYLES.items()}
    st.markdown(document_html(document["text"], claims, colours, focus), unsafe_allow_html=True)
    if focus is not None:
        run_script("const f = window.parent.document.getElementById('sw-focus');"
                   " if (f) { f.scrollIntoView({block: 'center'}); }")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def ask(api_url: str, question: str, history: list[HistoryTurn], filters: AskFilters) -> ChatTurn:
    """Ask the API; the assistant turn holds either the answer or a message a person can act on."""
    try:
        answer = get_client(api_url).ask(question, history=history, filters=filters or None)
    except SourcewiseAPIError as error:
        if error.unreachable:
            return {"role": "assistant", "content": "", "error": error.message, "answer": None}
        return {
            "role": "assistant",
            "content": "",
            "error": f"The Sourcewise API could not answer: {error.message}",
            "answer": None,
        }
    return {"role": "assistant", "content": answer["answer"], "answer": answer, "error": None}


def main() -> None:
    """The app: sidebar, replayed history, then the chat input."""
    st.set_page_config(page_title="Sourcewise", page_icon=":material/format_quote:", layout="wide")
    api_url = get_settings().api_url.rstrip("/")
    doc = st.query_params.get("doc")
    if doc:
        document_view(api_url, doc, _int(st.query_params.get("start")), _int(st.query_params.get("end")))
        return
    if "turns" not in st.session_state:
        st.session_state.turns = []
    filters = sidebar(api_url)

    st.title("Sourcewise")
    st.caption(
        "Answers made of verbatim quotes, grouped by who makes each claim "
        "(the voice), not by who printed it."
    )
    turns: list[ChatTurn] = st.session_state.turns
    if not turns:
        landing(api_url)
    for index, turn in enumerate(turns):
        show_turn(turn, api_url, str(index))

    prompt = st.chat_input("Ask about the documents, e.g. “Why were CSTO troops sent to Kazakhstan?”",
                           max_chars=2000)
    if prompt is None:
        prompt = st.session_state.pop("pending_question", None)
    if prompt is None or not prompt.strip():
        return
    question = prompt.strip()
    history = history_for_api(turns)
    user_turn: ChatTurn = {"role": "user", "content": question, "filters": filters}
    turns.append(user_turn)
    show_turn(user_turn, api_url, str(len(turns) - 1))
    with st.chat_message("assistant"):
        with st.spinner("Reading the sources…"):
            reply = ask(api_url, question, history, filters)
        turns.append(reply)
        if reply.get("error"):
            show_error(reply["error"])
        else:
            show_answer(reply["answer"], api_url, str(len(turns) - 1))
            scroll_to_answer(str(len(turns) - 1))


if __name__ == "__main__":
    main()
