"""Attribution quality against the hand-labelled gold (``evals/data/gold_attribution.yaml``).

Every gold entry is a sentence (identified by its verbatim opening) that carries someone's claim,
with speaker and voice. Sentences without a gold entry are the author's own. Reported:
speaker precision and recall, voice accuracy over gold sentences, and the confusions that must
never happen: a Russian-state claim labelled independent, or an independent one (including the
author's own sentences) labelled Russian state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from evals.schema import GoldSentence, load_gold_attribution
from sourcewise.types import ProcessedDocument, Voice

GOLD_PATH = Path(__file__).resolve().parent / "data" / "gold_attribution.yaml"


def load_gold(path: Path = GOLD_PATH) -> list[GoldSentence]:
    """The gold labels, schema-checked (the schema is shared with the answer evaluation)."""
    return load_gold_attribution(path)


def _tokens(name: str | None) -> set[str]:
    stop = {"the", "of", "a", "an", "and", "in", "on", "for", "russian", "president", "s"}
    return {t for t in re.findall(r"[a-z]+", (name or "").lower().replace("’", "'")) if t not in stop and len(t) > 1}


def same_speaker(gold: str | None, predicted: str | None) -> bool:
    """Lenient name match: the names share a distinctive word ("Putin" ~ "Vladimir Putin")."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return bool(_tokens(gold) & _tokens(predicted))


@dataclass
class AttributionScore:
    """The figures, and the rows behind them."""

    gold: int = 0
    predicted_attributed: int = 0
    speaker_hits: int = 0
    voice_hits: int = 0
    true_positive_predictions: int = 0
    state_as_independent: list[str] = field(default_factory=list)
    independent_as_state: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    unmatched_gold: list[str] = field(default_factory=list)

    @property
    def speaker_recall(self) -> float:
        return self.speaker_hits / self.gold if self.gold else 0.0

    @property
    def speaker_precision(self) -> float:
        return self.true_positive_predictions / self.predicted_attributed if self.predicted_attributed else 0.0

    @property
    def voice_accuracy(self) -> float:
        return self.voice_hits / self.gold if self.gold else 0.0

    @property
    def leaks(self) -> int:
        return len(self.state_as_independent) + len(self.independent_as_state)


def score_attribution(documents: list[ProcessedDocument], gold: list[GoldSentence]) -> AttributionScore:
    """Compare predicted sentence attributions with the gold labels."""
    score = AttributionScore()
    by_doc = {d.meta.doc_id: d for d in documents}
    labelled: dict[tuple[str, int], GoldSentence] = {}
    for entry in gold:
        doc = by_doc.get(entry.doc_id)
        at = doc.text.find(entry.text) if doc else -1
        if doc is None or at < 0:
            score.unmatched_gold.append(f"{entry.doc_id}: {entry.text[:60]}")
            continue
        sentence = next((s for s in doc.sentences if s.start <= at < s.end), None)
        if sentence is None:
            score.unmatched_gold.append(f"{entry.doc_id}: {entry.text[:60]}")
            continue
        labelled[(doc.meta.doc_id, sentence.index)] = entry
    score.gold = len(labelled)
    for doc in documents:
        for s in doc.sentences:
            att = s.attribution
            entry = labelled.get((doc.meta.doc_id, s.index))
            predicted_claim = att.kind != "author"
            gold_voice = entry.voice if entry else doc.outlet_voice
            where = f"{doc.meta.doc_id}#{s.index}: {s.text[:70]}"
            if predicted_claim:
                score.predicted_attributed += 1
            if entry is not None:
                voice_ok = att.speaker.voice == entry.voice
                speaker_ok = predicted_claim and (
                    same_speaker(entry.speaker, att.speaker.name) or entry.voice == Voice.UNATTRIBUTED == att.speaker.voice
                )
                score.voice_hits += voice_ok
                score.speaker_hits += speaker_ok
                score.true_positive_predictions += speaker_ok
                if not (voice_ok and speaker_ok):
                    score.misses.append(
                        f"{where} | gold {entry.voice.value}/{entry.speaker} | got {att.speaker.voice.value}/{att.speaker.name} ({att.kind})"
                    )
            elif predicted_claim:
                score.misses.append(f"{where} | gold author | got {att.speaker.voice.value}/{att.speaker.name} ({att.kind})")
            if gold_voice == Voice.RUSSIAN_STATE and att.speaker.voice == Voice.INDEPENDENT:
                score.state_as_independent.append(where)
            if gold_voice == Voice.INDEPENDENT and att.speaker.voice == Voice.RUSSIAN_STATE:
                score.independent_as_state.append(where)
    return score
