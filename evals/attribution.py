"""Attribution quality of a corpus against hand-labelled gold claims.

The gold format (``gold.yaml`` beside a corpus, or ``evals/data/gold_attribution.yaml`` for the
sample) is documented in ``docs/attribution.md``. In short::

    documents:
      - doc_id: tass-peskov-2022-01-12
        outlet_voice: russian_state        # the voice of the outlet's own sentences
        unlisted: author                   # sentences with no entry are the author's (or: unlabelled)
        claims:
          - text: "verbatim fragment, unique in the document"
            speaker: Dmitry Peskov
            role: Kremlin spokesman
            voice: russian_state
            how: reported                  # optional

Each gold claim is matched to the predicted claim that overlaps its fragment most. Reported:

- **voice accuracy**: gold claims whose matched claim has the gold voice;
- **speaker recall**: gold claims of someone other than the author (the unattributed included)
  whose matched claim names the same speaker;
- **speaker precision**: predicted claims of someone other than the author, among those matched
  to gold, that name the gold speaker (in ``unlisted: author`` documents, a claim the gold leaves
  to the author counts against it);
- **state/independent leaks**: a Russian-state or CSTO claim shown as independent, or the reverse;
- **government/independent confusions**: any government's claim (Russian, Kazakh, CSTO, other)
  shown as independent, or the reverse;
- **outlet voices**: documents whose outlet voice is the gold one; and voice accuracy per outlet kind.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sourcewise.types import STATE_VOICES, Claim, ProcessedDocument, Voice
from sourcewise.registry import name_key

GOLD_PATH = Path(__file__).resolve().parent / "data" / "gold_attribution.yaml"
_RUSSIAN_SIDE = frozenset({Voice.RUSSIAN_STATE, Voice.CSTO})


class GoldError(ValueError):
    """A gold file is missing or malformed; the message names the file and the entry."""


class GoldClaimLabel(BaseModel):
    """One labelled claim: a verbatim fragment and who makes it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=2, description="Verbatim fragment of the document, unique in it")
    speaker: str | None = Field(default=None, description="Who makes the claim (the outlet or author for its own)")
    role: str | None = Field(default=None, description="The speaker's role")
    voice: Voice = Field(description="Gold voice")
    how: str | None = Field(default=None, description="quote, reported, according_to, transcript, carry_over, author, unattributed_cue")
    conduit: str | None = Field(default=None, description="The outlet that relayed it, if any")
    note: str | None = Field(default=None, description="Why, where it is a hard call")


class GoldDocument(BaseModel):
    """The labels of one document."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    outlet_voice: Voice | None = Field(default=None, description="Gold voice of the outlet's own sentences")
    unlisted: Literal["author", "unlabelled"] = Field(
        default="unlabelled", description="What sentences without an entry are: the author's own, or not labelled"
    )
    claims: list[GoldClaimLabel] = Field(default_factory=list)


class GoldFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[GoldDocument]


def load_gold(path: Path = GOLD_PATH) -> list[GoldDocument]:
    """The gold documents of a file, schema-checked."""
    path = Path(path)
    if not path.is_file():
        raise GoldError(f"{path}: gold file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {"documents": []}
        return GoldFile.model_validate(raw).documents
    except (yaml.YAMLError, ValidationError) as exc:
        raise GoldError(f"{path}: {exc}") from exc


def _tokens(name: str | None) -> set[str]:
    stop = {"the", "of", "a", "an", "and", "in", "on", "for", "russian", "president", "s", "mr", "ms", "mrs"}
    return {t for t in re.findall(r"[a-z]+", (name or "").lower().replace("’", "'")) if t not in stop and len(t) > 1}


def same_speaker(gold: str | None, predicted: str | None) -> bool:
    """Lenient name match: the names share a distinctive word ("Putin" ~ "Vladimir Putin"), allowing
    for transliteration ("Qasym-Zhomart Toqaev" ~ "Kassym-Jomart Tokayev", the registry's name key)."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    # Two people's full names are one person only with one family name ("Sergei Lavrov" is not "Sergei Shoigu").
    gw, pw = gold.split(), predicted.split()
    if all(2 <= len(w) <= 4 and all(x[:1].isupper() for x in w) for w in (gw, pw)) and not (
            {"Ministry", "Department", "Office", "Service", "Council", "Committee"} & {*gw, *pw}):
        return name_key(gw[-1]) == name_key(pw[-1])
    g, p = _tokens(gold), _tokens(predicted)
    if g & p:
        return True
    return bool(_name_keys(g) & _name_keys(p))


def _name_keys(words: set[str]) -> set[str]:
    return {k for k in (name_key(w) for w in words if len(w) >= 5) if len(k) >= 3}


@dataclass
class AttributionScore:
    """The figures, and the rows behind them."""

    gold: int = 0
    voice_hits: int = 0
    speaker_gold: int = 0
    speaker_hits: int = 0
    predicted_attributed: int = 0
    predicted_right: int = 0
    leaks_state: list[str] = field(default_factory=list)
    gov_confusions: list[str] = field(default_factory=list)
    outlets: int = 0
    outlets_right: int = 0
    outlet_misses: list[str] = field(default_factory=list)
    per_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[str] = field(default_factory=list)
    unmatched_gold: list[str] = field(default_factory=list)

    @property
    def voice_accuracy(self) -> float:
        return self.voice_hits / self.gold if self.gold else 0.0

    @property
    def speaker_recall(self) -> float:
        return self.speaker_hits / self.speaker_gold if self.speaker_gold else 0.0

    @property
    def speaker_precision(self) -> float:
        return self.predicted_right / self.predicted_attributed if self.predicted_attributed else 0.0

    @property
    def leaks(self) -> int:
        return len(self.leaks_state)

    def summary(self) -> dict[str, float | int]:
        """The headline figures, for reports and tests."""
        return {
            "gold claims": self.gold,
            "voice accuracy": round(self.voice_accuracy, 3),
            "speaker precision": round(self.speaker_precision, 3),
            "speaker recall": round(self.speaker_recall, 3),
            "russian-state/csto <-> independent": len(self.leaks_state),
            "any government <-> independent": len(self.gov_confusions),
            "outlet voices right": f"{self.outlets_right} of {self.outlets}",
        }


def fragment_pattern(fragment: str) -> str | None:
    """A regex for a gold fragment that allows any whitespace between its words: a fragment copied
    from the raw capture may span a line break the cleaner doubled. None for a blank fragment."""
    words = fragment.split()
    return r"\s+".join(re.escape(w) for w in words) if words else None


def _locate(text: str, fragment: str) -> tuple[int, int] | None:
    for candidate in (fragment, fragment.strip()):
        at = text.find(candidate)
        if at >= 0 and candidate:
            return at, at + len(candidate)
    pattern = fragment_pattern(fragment)
    m = re.search(pattern, text) if pattern else None
    return (m.start(), m.end()) if m else None


def _best_claim(claims: list[Claim], start: int, end: int) -> Claim | None:
    best, overlap = None, 0
    for claim in claims:
        o = min(end, claim.end) - max(start, claim.start)
        if o > overlap:
            best, overlap = claim, o
    return best


def _confusion(gold: Voice, predicted: Voice) -> tuple[bool, bool]:
    """(Russian-state/CSTO vs independent, any government vs independent)."""
    state_leak = (gold in _RUSSIAN_SIDE and predicted is Voice.INDEPENDENT) or (
        gold is Voice.INDEPENDENT and predicted in _RUSSIAN_SIDE
    )
    gov = (gold in STATE_VOICES and predicted is Voice.INDEPENDENT) or (
        gold is Voice.INDEPENDENT and predicted in STATE_VOICES
    )
    return state_leak, gov


def score_attribution(
    documents: list[ProcessedDocument], gold: list[GoldDocument], kinds: dict[str, str] | None = None
) -> AttributionScore:
    """Compare the predicted claims of ``documents`` with the gold labels."""
    score = AttributionScore()
    by_doc = {d.meta.doc_id: d for d in documents}
    for entry in gold:
        doc = by_doc.get(entry.doc_id)
        if doc is None:
            score.unmatched_gold.append(f"{entry.doc_id}: document not ingested")
            continue
        kind = (kinds or {}).get(entry.doc_id) or doc.meta.outlet_kind or "unknown"
        if entry.outlet_voice is not None:
            score.outlets += 1
            if doc.outlet_voice == entry.outlet_voice:
                score.outlets_right += 1
            else:
                score.outlet_misses.append(
                    f"{entry.doc_id}: outlet {doc.meta.publisher!r} gold {entry.outlet_voice.value}, got "
                    f"{doc.outlet_voice.value} ({doc.outlet_reason})"
                )
        covered: list[tuple[int, int]] = []
        for label in entry.claims:
            located = _locate(doc.text, label.text)
            if located is None:
                score.unmatched_gold.append(f"{entry.doc_id}: {label.text[:60]!r}")
                continue
            start, end = located
            covered.append(located)
            claim = _best_claim(doc.claims, start, end)
            if claim is None:
                score.unmatched_gold.append(f"{entry.doc_id}: {label.text[:60]!r} (no claim)")
                continue
            att = claim.attribution
            predicted = att.speaker.voice
            gold_author = label.how == "author"
            score.gold += 1
            score.per_kind[kind][1] += 1
            voice_ok = predicted == label.voice
            score.voice_hits += voice_ok
            score.per_kind[kind][0] += voice_ok
            speaker_ok = True
            if not gold_author:
                score.speaker_gold += 1
                # The document's own author can be the speaker (a minister's remarks on her ministry's site).
                speaker_ok = same_speaker(label.speaker, att.speaker.name) or (
                    label.voice == Voice.UNATTRIBUTED == predicted
                )
                score.speaker_hits += speaker_ok
            if att.how != "author":
                score.predicted_attributed += 1
                score.predicted_right += (not gold_author) and speaker_ok
            where = f"{entry.doc_id}@{start}: {doc.text[start:end][:80]!r}"
            state_leak, gov = _confusion(label.voice, predicted)
            if state_leak:
                score.leaks_state.append(where)
            if gov:
                score.gov_confusions.append(where)
            if not voice_ok or (not gold_author and not speaker_ok) or (gold_author and att.how != "author"):
                score.misses.append(
                    f"{where} | gold {label.voice.value}/{label.speaker} ({label.how or '-'}) | got "
                    f"{predicted.value}/{att.speaker.name} ({att.how}; cue {att.cue.text if att.cue else None!r})"
                )
        if entry.unlisted == "author":
            gold_voice = entry.outlet_voice or doc.outlet_voice
            for claim in doc.claims:
                if any(min(b, claim.end) - max(a, claim.start) > 0 for a, b in covered):
                    continue
                att = claim.attribution
                where = f"{entry.doc_id}@{claim.start}: {claim.text[:80]!r}"
                if att.how != "author":
                    score.predicted_attributed += 1
                    score.misses.append(f"{where} | gold author | got {att.speaker.voice.value}/{att.speaker.name} ({att.how})")
                state_leak, gov = _confusion(gold_voice, att.speaker.voice)
                if state_leak:
                    score.leaks_state.append(where)
                if gov:
                    score.gov_confusions.append(where)
    return score


def format_report(score: AttributionScore, verbose: bool = False) -> str:
    """The figures as a small table (and, verbose, every disagreement)."""
    lines = [f"{k:<40} {v}" for k, v in score.summary().items()]
    lines.append("voice accuracy by outlet kind:")
    for kind, (hits, total) in sorted(score.per_kind.items()):
        lines.append(f"  {kind:<38} {hits / total:.3f}  ({hits}/{total})")
    if score.unmatched_gold:
        lines.append(f"gold fragments not found in the cleaned text: {len(score.unmatched_gold)}")
    if verbose:
        for line in score.outlet_misses:
            lines.append(f"  outlet: {line}")
        for line in score.misses:
            lines.append(f"  miss: {line}")
        for line in score.unmatched_gold:
            lines.append(f"  unmatched: {line}")
    return "\n".join(lines)
