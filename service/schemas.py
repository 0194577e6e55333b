"""Public request and response models of the v1 API (``API.md``).

These are the contract that the web UI, the Slack bot and outside scripts rely on; they are kept
apart from the storage types of :mod:`sourcewise.types` so that the store can change without the
API changing. Fields may be added; none may be renamed or dropped without a new version prefix.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import re

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from sourcewise.types import Genre, How, Voice

#: Longest question accepted, in characters after trimming.
MAX_QUESTION_CHARS = 2000
#: Most earlier chat turns accepted with a question.
MAX_HISTORY_TURNS = 20
#: Longest single earlier turn accepted; assistant answers can be long, but not unbounded.
MAX_TURN_CHARS = 20_000
#: Quotes returned when the request does not say.
DEFAULT_TOP_K = 10
MAX_TOP_K = 50

Question = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS)
]


# ------------------------------------------------------------------------------------ request


class HistoryTurn(BaseModel):
    """One earlier turn of the chat."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"] = Field(description="Who wrote the turn: 'user' or 'assistant'")
    content: str = Field(max_length=MAX_TURN_CHARS, description="What was written")


_NULLABLE_LIST: dict[str, Any] = {"type": ["array", "null"]}


class AskFilters(BaseModel):
    """Restricts the quotes to some voices, publishers or documents (empty means no restriction)."""

    model_config = ConfigDict(extra="forbid")

    # Each list may also be null ("no filter"), as the schema says.
    voices: list[Voice] = Field(
        default_factory=list, description="Only quotes whose speaker has one of these voices", json_schema_extra=_NULLABLE_LIST
    )
    publishers: list[str] = Field(
        default_factory=list, description="Only quotes from documents printed by these publishers (exact names)",
        json_schema_extra=_NULLABLE_LIST,
    )
    doc_ids: list[str] = Field(default_factory=list, description="Only quotes from these documents",
                               json_schema_extra=_NULLABLE_LIST)
    corpora: list[str] = Field(default_factory=list, description="Only quotes from documents of these corpora",
                               json_schema_extra=_NULLABLE_LIST)
    speakers: list[str] = Field(
        default_factory=list, description="Only quotes whose speaker (or relaying outlet) is one of these names",
        json_schema_extra=_NULLABLE_LIST,
    )

    @field_validator("voices", "publishers", "doc_ids", "corpora", "speakers", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        # Clients that serialise "no filter" as null mean the same as an empty list.
        return [] if value is None else value

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not (self.voices or self.publishers or self.doc_ids or self.corpora or self.speakers)


class AskRequest(BaseModel):
    """Body of ``POST /v1/ask`` (and ``POST /v1/ask/slack``)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"question": "What did Russian state media say about the unrest?", "top_k": 8},
                {
                    "question": "And what did the CSTO say about it?",
                    "history": [
                        {"role": "user", "content": "Why were troops sent?"},
                        {"role": "assistant", "content": "Sources differ on the reasons ..."},
                    ],
                    "filters": {"voices": ["csto"]},
                },
            ]
        },
    )

    question: Question = Field(description="The question, 1 to 2,000 characters after trimming")
    # An explicit null means "not given" (the schema says so): the default is used, not refused.
    history: Annotated[list[HistoryTurn], Field(max_length=MAX_HISTORY_TURNS)] | None = Field(
        default_factory=list,
        description="Earlier turns of the chat, oldest first, so that follow-ups are understood (null: none)",
    )
    top_k: Annotated[int, Field(ge=1, le=MAX_TOP_K)] | None = Field(
        default=DEFAULT_TOP_K, description="The most quotes to return (null: the default)"
    )
    filters: AskFilters | None = Field(default_factory=AskFilters, description="Restrict the quotes (null: none)")

    @model_validator(mode="after")
    def _null_is_default(self) -> "AskRequest":
        if self.history is None:
            self.history = []
        if self.top_k is None:
            self.top_k = DEFAULT_TOP_K
        if self.filters is None:
            self.filters = AskFilters()
        return self


# ----------------------------------------------------------------------------------- response


class SpeakerOut(BaseModel):
    """Who makes the claim, and with which voice."""

    name: str | None = Field(description="The speaker's name, null when the text names none")
    role: str | None = Field(description="Role or description, e.g. 'Kremlin spokesman'")
    voice: Voice = Field(description="The voice of the claim")


class CueOut(BaseModel):
    """The verbatim words that attribute a claim, so a reader can check the attribution."""

    text: str = Field(description="The words, as printed")
    start: int = Field(description="Offset in the document's text")
    end: int = Field(description="Offset after the last character")


class SourceOut(BaseModel):
    """The document a quote comes from."""

    doc_id: str = Field(description="Document id (GET /v1/documents/{doc_id} gives its text)")
    title: str = Field(description="Title of the document")
    publisher: str = Field(description="The outlet that printed the document")
    author: str | None = Field(description="Author, null when not given")
    published: str | None = Field(description="Publication date (ISO 8601, may be a month), null when unknown")
    url: str | None = Field(description="Where it was published, null when unknown")
    genre: Genre = Field(description="news, analysis or opinion")
    corpus: str = Field(default="default", description="The corpus the document belongs to")
    version: str | None = Field(default=None, description="The document version the offsets refer to")


class QuoteOut(BaseModel):
    """A verbatim span of a document, with who says it and where it was printed."""

    id: str = Field(description="Unique within the response")
    text: str = Field(description="Verbatim span of the document's cleaned text")
    start: int = Field(description="Offset of the first character in the document's text")
    end: int = Field(description="Offset after the last character: document.text[start:end] == text")
    speaker: SpeakerOut = Field(description="Who makes the claim")
    source: SourceOut = Field(description="Where the claim was printed")
    score: float = Field(description="Relevance to the question; higher is more relevant")
    conduit: str | None = Field(
        default=None, description="The outlet or body that relayed the claim, when it is not the speaker"
    )
    how: How = Field(default="author", description="How the speaker was found (quote, reported, according_to, "
                     "transcript, carry_over, author, unattributed_cue)")
    cue: CueOut | None = Field(default=None, description="The words that attribute the claim, null for the author's own")


class ClaimOut(BaseModel):
    """A claim of a document: a quote without a score (``GET /v1/documents/{doc_id}/claims``)."""

    id: str = Field(description="Unique within the document version")
    text: str = Field(description="Verbatim span of the document's cleaned text")
    start: int = Field(description="Offset of the first character")
    end: int = Field(description="Offset after the last character: document.text[start:end] == text")
    speaker: SpeakerOut = Field(description="Who makes the claim")
    source: SourceOut = Field(description="Where the claim was printed")
    conduit: str | None = Field(default=None, description="The outlet or body that relayed the claim")
    how: How = Field(description="How the speaker was found")
    cue: CueOut | None = Field(default=None, description="The words that attribute the claim")


class DocumentClaims(BaseModel):
    """Every claim of a document, in text order, the author's own sentences included."""

    doc_id: str
    version: str = Field(description="The document version the offsets refer to")
    claims: list[ClaimOut]


class AnswerSection(BaseModel):
    """The quotes of one voice."""

    voice: Voice = Field(description="The voice of every quote in the section")
    label: str = Field(description="A human label for the voice")
    quotes: list[QuoteOut] = Field(description="Quotes, most relevant first")


class AskResponse(BaseModel):
    """Body of a ``POST /v1/ask`` answer."""

    question: str = Field(description="The question as received (trimmed)")
    supported: bool = Field(description="False when the corpus holds nothing that answers the question")
    answer: str = Field(description="Markdown overview made only of what the quotes say, each claim attributed")
    sections: list[AnswerSection] = Field(description="One section per voice present, in API voice order")


class SlackAnswer(BaseModel):
    """Body of a ``POST /v1/ask/slack`` answer: a Block Kit message and the answer it renders."""

    text: str = Field(description="Plain-text fallback for notifications")
    blocks: list[dict[str, Any]] = Field(description="Slack Block Kit blocks")
    answer: AskResponse = Field(description="The same answer as POST /v1/ask gives")


class DocumentSummary(SourceOut):
    """A document as listed by ``GET /v1/documents``: the source fields and the outlet's voice."""

    outlet_voice: Voice = Field(description="Voice of the outlet's own sentences")
    outlet_reason: str | None = Field(default=None, description="Why the outlet has that voice (registry entry, rule)")
    claims: dict[str, int] = Field(default_factory=dict, description="How many claims per voice")


class CorpusOut(BaseModel):
    """A corpus and how many documents it holds."""

    corpus: str
    documents: int


class DocumentWrite(BaseModel):
    """Body of ``POST /v1/documents``: a document as plain text, or a whole web page as ``html``."""

    model_config = ConfigDict(
        extra="forbid",
        # The body rule, for clients and fuzzers: plain text with a title, or a page (its title is read).
        json_schema_extra={
            "anyOf": [{"required": ["text", "title"]}, {"required": ["html"]}],
            "not": {"required": ["text", "html"]},
        },
    )

    corpus: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,64}$")] = Field(
        description="The corpus to add the document to"
    )
    doc_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,128}$")] | None = Field(
        default=None, description="Stable id; derived from the corpus, title and text when not given"
    )
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=r"\S")] | None = Field(
        default=None, description="Title as printed (taken from the page when html is given and this is not)"
    )
    publisher: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"\S")] = Field(
        description="The outlet or body that published it"
    )
    author: str | None = Field(default=None, max_length=300, description="Author as printed")
    published: str | None = Field(default=None, max_length=40, description="ISO date (or month)")
    url: str | None = Field(default=None, max_length=2000, description="Where it was published")
    genre: Genre = Field(default=Genre.NEWS, description="news, analysis or opinion")
    outlet_voice: Voice | None = Field(default=None, description="Voice of the outlet's own sentences, if known")
    text: Annotated[str, StringConstraints(min_length=1, pattern=r"\S")] = Field(
        default=None, description="The article as plain text (not blank)"
    )
    html: Annotated[str, StringConstraints(min_length=1, pattern=r"\S")] = Field(
        default=None, description="A whole web page; the article is extracted from it"
    )
    replace: bool = Field(default=False, description="Replace a stored document of the same id with other content")

    @field_validator("published")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?(T[\d:.+Z-]*)?", value):
            raise ValueError("published must be an ISO date such as 2022-01-07 (or a month: 2022-01)")
        return value

    @model_validator(mode="after")
    def _one_body(self) -> "DocumentWrite":
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of text or html")
        body = self.text if self.text is not None else self.html
        if not body or not body.strip():
            raise ValueError("the document is empty")
        return self


class DocumentWritten(DocumentSummary):
    """Answer to ``POST /v1/documents``: the stored document and what its claims are."""

    status: Literal["created", "updated", "unchanged"] = Field(description="What the write did")


class DocumentDetail(DocumentSummary):
    """A document with the cleaned text that quote offsets refer to."""

    text: str = Field(description="The cleaned text; quote offsets refer to it")


class Health(BaseModel):
    """Body of ``GET /healthz``."""

    status: Literal["ok", "unavailable"] = Field(description="'ok' when questions can be answered")
    documents: int = Field(description="Documents in the index")
    chunks: int = Field(description="Chunks in the index")
    passages: int | None = Field(default=None, description="Passages (claims within sentences) in the index")
    lexical: Literal["ready", "building"] | None = Field(
        default=None,
        description="The BM25 index: 'building' for a while after a first start on a large index (answers then "
        "rest on the dense search alone)",
    )
    detail: str | None = Field(default=None, description="When unavailable: why, and what to run or check")


class Readiness(BaseModel):
    """Body of ``GET /readyz``."""

    ready: bool = Field(description="True when the store answers, the model is loaded and the index holds passages")
    checks: dict[str, str] = Field(description="Each check: 'ok' or why not")


class ErrorBody(BaseModel):
    """Body of every error answer."""

    detail: Any = Field(description="What went wrong and what to do about it")
