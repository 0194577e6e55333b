"""``SourcewiseRetriever``: attributed, verbatim evidence for LangChain applications, over the REST API.

A LangChain application that asks Sourcewise gets one :class:`~langchain_core.documents.Document`
per quoted claim, never an anonymous chunk: ``page_content`` is the claim exactly as printed, and
the metadata say who makes it (speaker, role, voice), who relayed it (conduit), which words
attribute it (cue), where it was printed (title, publisher, date, URL, document id) and where in
that document (offsets into ``GET /v1/documents/{doc_id}``'s text). Documents come in the API's
order: voice by voice, best first within a voice, so a state claim keeps its label all the way to
the prompt.

    from ui.langchain_retriever import SourcewiseRetriever

    retriever = SourcewiseRetriever(api_url="http://127.0.0.1:8000", top_k=10, voices=["russian_state"])
    for doc in retriever.invoke("Why were CSTO troops sent to Kazakhstan?"):
        print(doc.metadata["voice"], doc.metadata["speaker"], "|", doc.page_content)
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import Field, PrivateAttr, SecretStr

from ui.api_client import AskFilters, Quote, SourcewiseClient


class SourcewiseRetriever(BaseRetriever):
    """Retrieves attributed claims from a Sourcewise service (``POST /v1/ask``)."""

    api_url: str = Field(default="http://127.0.0.1:8000", description="The Sourcewise API")
    api_key: SecretStr | None = Field(default=None, description="A read key, where the API has keys")
    top_k: int = Field(default=10, ge=1, le=50, description="At most this many claims (the API's top_k)")
    voices: list[str] = Field(default_factory=list, description="Only claims of these voices")
    corpora: list[str] = Field(default_factory=list, description="Only claims from these corpora")
    publishers: list[str] = Field(default_factory=list, description="Only claims printed by these publishers")
    speakers: list[str] = Field(default_factory=list, description="Only claims of these speakers")
    timeout_s: float = Field(default=120.0, gt=0, description="Seconds an answer may take")

    _client: SourcewiseClient | None = PrivateAttr(default=None)

    def _api(self) -> SourcewiseClient:
        if self._client is None:
            key = self.api_key.get_secret_value() if self.api_key is not None else None
            self._client = SourcewiseClient(self.api_url, api_key=key, ask_timeout_s=self.timeout_s)
        return self._client

    def _filters(self) -> AskFilters:
        filters: AskFilters = {}
        for name in ("voices", "corpora", "publishers", "speakers"):
            if getattr(self, name):
                filters[name] = list(getattr(self, name))  # type: ignore[literal-required]
        return filters

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        """The claims that answer ``query``; none when the corpus does not answer it.

        Raises :class:`~ui.api_client.SourcewiseAPIError` (with the API's message) when the API
        refuses the question or cannot be reached.
        """
        answer = self._api().ask(query, top_k=self.top_k, filters=self._filters() or None)
        documents = []
        for section in answer["sections"]:
            for quote in section["quotes"]:
                documents.append(Document(page_content=quote["text"], metadata=claim_metadata(quote, section["label"]),
                                          id=quote["id"]))
        return documents


def claim_metadata(quote: Quote, voice_label: str) -> dict[str, Any]:
    """The provenance of one quoted claim, flat (vector stores and tracers keep flat metadata best)."""
    speaker, source = quote["speaker"], quote["source"]
    cue = quote.get("cue") or None
    return {
        "quote_id": quote["id"],
        "speaker": speaker.get("name"),
        "role": speaker.get("role"),
        "voice": speaker["voice"],
        "voice_label": voice_label,
        "conduit": quote.get("conduit"),
        "how": quote.get("how"),
        "cue": cue["text"] if cue else None,
        "doc_id": source["doc_id"],
        "title": source["title"],
        "publisher": source["publisher"],
        "author": source.get("author"),
        "published": source.get("published"),
        "url": source.get("url"),
        "genre": source.get("genre"),
        "start": quote["start"],
        "end": quote["end"],
        "score": quote.get("score"),
    }
