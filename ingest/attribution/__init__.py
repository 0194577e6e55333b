"""Attribution: the claims of a document, who makes each, and with which voice.

``get_engine(registry, language)`` gives the engine for a language (English: the rule engine in
:mod:`ingest.attribution.english`); see :mod:`ingest.attribution.base` for the interface and the
stages every engine follows.
"""

from ingest.attribution.base import AttributionEngine, DocumentInput, get_engine, register_engine

__all__ = ["AttributionEngine", "DocumentInput", "get_engine", "register_engine"]
