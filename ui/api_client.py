"""A small typed HTTP client of the Sourcewise REST API (the contract is ``API.md``).

Every failure becomes a :class:`SourcewiseAPIError` whose message a person can act on: the API's
own ``detail`` for 4xx/5xx answers, or a hint to start the API when it cannot be reached. The
clients show that message as it is, never a stack trace.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any, Literal, NotRequired, TypedDict
from urllib.parse import quote

import httpx

logger = logging.getLogger(__name__)

#: Answers can take a while (retrieval plus composition on CPU); everything else is quick.
ASK_TIMEOUT_S = 120.0
DEFAULT_TIMEOUT_S = 15.0
#: The API accepts at most this many earlier turns (API.md, POST /v1/ask ``history``).
MAX_HISTORY_TURNS = 20


class HistoryTurn(TypedDict):
    """One earlier turn of the chat, oldest first."""

    role: Literal["user", "assistant"]
    content: str


class AskFilters(TypedDict, total=False):
    """Optional restrictions on which quotes may be used."""

    voices: list[str]
    publishers: list[str]
    doc_ids: list[str]
    corpora: list[str]
    speakers: list[str]


class Speaker(TypedDict):
    """Who makes a claim, and with which voice."""

    name: str | None
    role: str | None
    voice: str


class Source(TypedDict):
    """The document a quote comes from."""

    doc_id: str
    title: str
    publisher: str
    author: str | None
    published: str | None
    url: str | None
    genre: str


class Cue(TypedDict):
    """The words that attribute a claim ("Peskov told reporters")."""

    text: str
    start: int
    end: int


class Quote(TypedDict):
    """A verbatim span of a document, with its speaker and source."""

    id: str
    text: str
    start: int
    end: int
    speaker: Speaker
    source: Source
    score: float
    #: The outlet or body that relayed the claim when it is not the speaker (e.g. "TASS").
    conduit: NotRequired[str | None]
    #: How the speaker was found: quote, reported, according_to, transcript, carry_over, author, unattributed_cue.
    how: NotRequired[str]
    #: The verbatim words that attribute the claim, with their offsets; None for the author's own sentences.
    cue: NotRequired[Cue | None]


class Section(TypedDict):
    """All quotes of one voice."""

    voice: str
    label: str
    quotes: list[Quote]


class Answer(TypedDict):
    """The response of ``POST /v1/ask``."""

    question: str
    supported: bool
    answer: str
    sections: list[Section]


class SlackAnswer(TypedDict):
    """The response of ``POST /v1/ask/slack``: the answer rendered as Block Kit."""

    text: str
    blocks: list[dict[str, Any]]
    answer: Answer


class DocumentInfo(TypedDict):
    """An entry of ``GET /v1/documents``."""

    doc_id: str
    title: str
    publisher: str
    author: str | None
    published: str | None
    url: str | None
    genre: str
    outlet_voice: str
    corpus: NotRequired[str]
    claims: NotRequired[dict[str, int]]


class CorpusInfo(TypedDict):
    """An entry of ``GET /v1/corpora``."""

    corpus: str
    documents: int


class Written(DocumentInfo):
    """``POST /v1/documents``: the stored document, and whether it was created, updated or unchanged."""

    status: str


class Claim(TypedDict):
    """One claim of ``GET /v1/documents/{doc_id}/claims``."""

    id: str
    text: str
    start: int
    end: int
    speaker: Speaker


class Document(DocumentInfo):
    """``GET /v1/documents/{doc_id}``: the entry plus the cleaned text that offsets refer to."""

    text: str


class Health(TypedDict):
    """``GET /healthz``."""

    status: str
    documents: int
    chunks: int
    detail: NotRequired[str]


class SourcewiseAPIError(Exception):
    """The API could not be reached or refused the request; ``str(error)`` is for people."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: HTTP status of the API's answer; ``None`` when there was no answer at all.
        self.status_code = status_code

    @property
    def unreachable(self) -> bool:
        """True when the API did not answer (down, wrong address, timed out)."""
        return self.status_code is None


def _detail_text(detail: Any) -> str:
    """Turn the API's ``detail`` (a string, or FastAPI's list of validation errors) into one line."""
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict) and "msg" in item:
                # FastAPI's 422 items: loc is ("body", "question"), msg says what is wrong.
                loc = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
                parts.append(f"{loc}: {item['msg']}" if loc else str(item["msg"]))
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return str(detail)


class SourcewiseClient:
    """Calls the Sourcewise API at ``base_url`` (e.g. ``http://127.0.0.1:8000``).

    Usable as a context manager; one instance can be shared across threads (httpx clients are).
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        ask_timeout_s: float = ASK_TIMEOUT_S,
        transport: httpx.BaseTransport | None = None,
        api_key: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"User-Agent": "sourcewise-ui"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._ask_timeout = httpx.Timeout(ask_timeout_s, connect=5.0)
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout_s, connect=5.0),
            transport=transport,
            headers=headers,
        )

    def __enter__(self) -> SourcewiseClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    # -- endpoints ---------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        *,
        history: list[HistoryTurn] | None = None,
        top_k: int | None = None,
        filters: AskFilters | None = None,
    ) -> Answer:
        """``POST /v1/ask``: quotes by voice and an overview for ``question``."""
        return self._request(
            "POST", "/v1/ask", json=self._ask_body(question, history, top_k, filters), timeout=self._ask_timeout
        )

    def ask_slack(
        self,
        question: str,
        *,
        history: list[HistoryTurn] | None = None,
        top_k: int | None = None,
        filters: AskFilters | None = None,
    ) -> SlackAnswer:
        """``POST /v1/ask/slack``: the same answer, rendered as Slack Block Kit by the API."""
        return self._request(
            "POST",
            "/v1/ask/slack",
            json=self._ask_body(question, history, top_k, filters),
            timeout=self._ask_timeout,
        )

    def documents(self, corpus: str | None = None) -> list[DocumentInfo]:
        """``GET /v1/documents``: every indexed document's metadata (of one corpus when given), page by page."""
        found: list[DocumentInfo] = []
        while True:
            params: dict[str, Any] = {"limit": 500, "offset": len(found)}
            if corpus:
                params["corpus"] = corpus
            page = self._request("GET", "/v1/documents", params=params)
            found.extend(page)
            if len(page) < 500:
                return found

    def corpora(self) -> list[CorpusInfo]:
        """``GET /v1/corpora``: each corpus and how many documents it holds."""
        return self._request("GET", "/v1/corpora")

    def claims(self, doc_id: str) -> list[Claim]:
        """``GET /v1/documents/{doc_id}/claims``: every claim of a document in text order."""
        return self._request("GET", f"/v1/documents/{quote(doc_id, safe='')}/claims")["claims"]

    def add_document(self, **fields: Any) -> Written:
        """``POST /v1/documents``: add a document (``text`` or ``html``, with its metadata) to a corpus."""
        body = {key: value for key, value in fields.items() if value not in (None, "")}
        return self._request("POST", "/v1/documents", json=body, timeout=self._ask_timeout)

    def delete_document(self, doc_id: str) -> None:
        """``DELETE /v1/documents/{doc_id}``."""
        self._request("DELETE", f"/v1/documents/{quote(doc_id, safe='')}")

    def document(self, doc_id: str) -> Document:
        """``GET /v1/documents/{doc_id}``: metadata plus the cleaned text."""
        return self._request("GET", f"/v1/documents/{quote(doc_id, safe='')}")

    def health(self) -> Health:
        """``GET /healthz``: document and chunk counts."""
        return self._request("GET", "/healthz")

    # -- plumbing ----------------------------------------------------------------------------

    @staticmethod
    def _ask_body(
        question: str,
        history: list[HistoryTurn] | None,
        top_k: int | None,
        filters: AskFilters | None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"question": question}
        if history:
            # The API refuses more than 20 turns; the most recent ones matter for a follow-up.
            body["history"] = list(history)[-MAX_HISTORY_TURNS:]
        if top_k is not None:
            body["top_k"] = top_k
        if filters:
            nonempty = {key: value for key, value in filters.items() if value}
            if nonempty:
                body["filters"] = nonempty
        return body

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            logger.warning("Sourcewise API %s %s timed out: %s", method, path, exc)
            if isinstance(exc, httpx.ConnectTimeout):
                raise SourcewiseAPIError(self._unreachable_message()) from exc
            raise SourcewiseAPIError(
                f"the Sourcewise API at {self.base_url} took too long to answer; try again, "
                "or ask a narrower question"
            ) from exc
        except httpx.TransportError as exc:
            logger.warning("Sourcewise API %s %s unreachable: %s", method, path, exc)
            raise SourcewiseAPIError(self._unreachable_message()) from exc

        if response.status_code == 204:
            return None
        if response.is_success:
            try:
                return response.json()
            except ValueError as exc:
                raise SourcewiseAPIError(
                    f"the Sourcewise API at {self.base_url} answered with something that is not JSON; "
                    "is SOURCEWISE_API_URL pointing at the API?",
                    status_code=response.status_code,
                ) from exc
        raise SourcewiseAPIError(self._error_message(response), status_code=response.status_code)

    def _unreachable_message(self) -> str:
        return f"cannot reach the Sourcewise API at {self.base_url}: is it running? (make api)"

    @staticmethod
    def _error_message(response: httpx.Response) -> str:
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if isinstance(payload, dict) and payload.get("detail"):
            return _detail_text(payload["detail"])
        # Not the API's own error (a proxy, a wrong address): say what came back.
        snippet = response.text.strip().replace("\n", " ")[:200]
        return f"the Sourcewise API answered HTTP {response.status_code}" + (f": {snippet}" if snippet else "")
