"""The English rule engine: claims, speakers and voices from the parse of each sentence.

The package splits the engine by role: :mod:`.run` reads one document in order and mixes in
:mod:`.turns` (transcript turns), :mod:`.speakers` (who a phrase names) and :mod:`.cues` (which cue
governs a claim); :mod:`.patterns` holds the surface patterns and :mod:`.syntax` the parse helpers.

Rules, in order of how explicit the text is:

1. A speaker frame (:mod:`.frame`): a "Name:" turn or a text that is wholly someone's address.
2. Direct quotes (“…”, «…», ‘…’, "…"), also over several sentences and paragraphs: the speaker
   named after the quote (“…”, reports the Russian agency TASS.) or before it (X said that “…”);
   a quote with no cue of its own continues the previous speaker.
3. "According to X" / "as per X"; when X is an outlet relaying someone named in the sentence,
   that someone is the speaker and X the conduit.
4. Reported speech: a cue verb (said, claimed, reiterated, told ...) and its grammatical subject,
   the agent of a passive ("was deemed ... by X"), or the noun a relative clause hangs on ("X, who
   said ..."). The addressee ("told BelTA", "in an interview with Russian media") is the conduit,
   never the speaker; "when asked by journalists" names no speaker.
5. Carry-over: a pronoun subject ("He believes ...", "It said") takes the person or body the
   document just quoted; a description ("the ministry", "the Russian leader") takes the referent
   the document already named (:mod:`.resolution`).
6. Cues that name no source ("some say", "reportedly") make the claim unattributed.
7. Everything else is the author's own and takes the outlet's voice.

A sentence whose clauses carry different speakers' claims ("Tokayev thanked Putin, while Peskov
reiterated that ...") is split into one claim per clause (:mod:`.claims`).
Who a phrase names, and with which voice, is the registry's business and the text's own
appositions (:mod:`.mentions`); no rule here names a person, outlet or document.
"""

from __future__ import annotations

from ingest.attribution.base import AttributionEngine, DocumentInput, register_engine
from ingest.attribution.english.common import load_nlp
from ingest.attribution.english.run import DocumentRun
from ingest.attribution.lexicon import Lexicon, load_lexicon
from sourcewise.registry import Registry
from sourcewise.types import Claim

__all__ = ["EnglishRuleEngine", "load_nlp"]


class EnglishRuleEngine(AttributionEngine):
    """The rule engine for English text."""

    language = "en"

    def __init__(self, registry: Registry, lexicon: Lexicon | None = None) -> None:
        super().__init__(registry)
        self.lexicon = lexicon or load_lexicon("en")

    def attribute(self, document: DocumentInput) -> list[Claim]:
        """Every claim of the document, in text order."""
        return DocumentRun(self, document).claims()


register_engine("en", EnglishRuleEngine)
