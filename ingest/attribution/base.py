"""The attribution interface: a document's text in, its claims out.

An :class:`AttributionEngine` turns one cleaned document (its text, sentence spans and metadata)
into :class:`~sourcewise.types.Claim` s that cover the whole text, in order, each a verbatim span
with its speaker, voice, conduit, ``how`` and ``cue``. The English rule engine
(:mod:`ingest.attribution.english`) is one implementation; another language, or a statistical
model, plugs in by subclassing :class:`AttributionEngine` and registering under a language code.

Every engine works in the same stages, each testable alone:

1. **frame** (:mod:`.frame`): a speaker given once for the whole text or for a turn ("Full text
   of the address of the Head of State", "Defence Minister Sergei Shoigu: Mr President, ...");
2. **mentions** (:mod:`.mentions`): who the text names, from the registry, NER, titles and
   appositions ("Russia's ambassador to the UN, Vassily Nebenzia");
3. **names** (:mod:`.resolution`): one referent per person or body across the document (a bare
   surname, "the Kremlin spokesman", "the ministry", "he", a variant spelling);
4. **cues and claim spans** (:mod:`.claims` with the engine's rules): which words attribute which
   span, a sentence split where two speakers' claims share it;
5. **voice** (:mod:`.voice`): the registry, then the role and country the text gives, else
   ``unclassified``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from ingest.sentences import SentenceSpan
from sourcewise.registry import Entity, Registry
from sourcewise.types import Claim, DocumentMeta, Voice


@dataclass(frozen=True)
class DocumentInput:
    """What an engine reads: the cleaned text and what is known about it."""

    meta: DocumentMeta
    text: str
    sentences: list[SentenceSpan]
    outlet_voice: Voice
    outlet_name: str
    context_country: str | None = None
    #: The outlet or body the registry says published it, when it knows.
    outlet_entity: Entity | None = None
    #: The country of an official publisher (a ministry's site): whose offices an unqualified title names.
    publisher_country: str | None = None


class AttributionEngine(ABC):
    """Finds every claim of a document and who makes it."""

    #: The language code the engine reads (ISO 639-1).
    language: str = ""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    @abstractmethod
    def attribute(self, document: DocumentInput) -> list[Claim]:
        """The document's claims in text order; together they cover every sentence."""


_ENGINES: dict[str, Callable[[Registry], AttributionEngine]] = {}


def register_engine(language: str, factory: Callable[[Registry], AttributionEngine]) -> None:
    """Make ``factory`` the engine for ``language`` (a later registration replaces an earlier one)."""
    _ENGINES[language] = factory


def get_engine(registry: Registry, language: str = "en") -> AttributionEngine:
    """The engine for ``language``; a clear error when none is registered."""
    if language == "en" and "en" not in _ENGINES:
        from ingest.attribution import english  # noqa: F401  (registers itself)
    try:
        return _ENGINES[language](registry)
    except KeyError:
        known = ", ".join(sorted(_ENGINES)) or "none"
        raise ValueError(f"No attribution engine for language {language!r} (registered: {known})") from None
