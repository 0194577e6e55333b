"""Schemas of the evaluation data, and the checks that tie the data to the corpus.

The question set and the gold attribution labels are data that people extend; these models
reject a malformed entry with a message that names it, and :func:`check_claims_in_corpus`
proves that every gold span is copied verbatim from its document (a paraphrased gold span
would silently score zero recall).
"""

from __future__ import annotations

import logging
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sourcewise.types import Voice

logger = logging.getLogger(__name__)

#: Where the evaluation's data files live (shipped with the package).
DATA_DIR = Path(__file__).resolve().parent / "data"
QUESTIONS_PATH = DATA_DIR / "questions.yaml"
GOLD_ATTRIBUTION_PATH = DATA_DIR / "gold_attribution.yaml"


class EvalDataError(ValueError):
    """An evaluation data file is missing or malformed; the message says which and where."""


class QuestionKind(str, Enum):
    """What a question tests."""

    VOICE = "voice"  # what one voice (or one speaker) says
    FOLLOW_UP = "follow_up"  # only understood with the chat history
    DISAGREEMENT = "disagreement"  # sources give different facts; each must keep its source
    UNANSWERABLE = "unanswerable"  # the corpus does not say; the service must abstain
    LOADED = "loaded"  # a leading phrasing; the answer must stay with who claims what


class ChatTurn(BaseModel):
    """An earlier turn of the conversation, as the API's ``history`` takes it."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"] = Field(description="Who said it")
    content: str = Field(min_length=1, description="What was said")


class GoldClaim(BaseModel):
    """A claim a good answer should quote, under the voice of whoever makes it."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(description="Document the claim is in (manifest doc_id)")
    text: str = Field(
        min_length=8,
        description="Verbatim substring of the document, on one line and unique in it: the part that carries the claim",
    )
    voice: Voice = Field(description="Voice of whoever makes the claim (not of the outlet that printed it)")
    note: str | None = Field(default=None, description="Why this voice, where it is not obvious")

    @field_validator("text")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value or value != value.strip():
            raise ValueError("claim text must be one line without surrounding whitespace")
        return value


class EvalQuestion(BaseModel):
    """One evaluation question with its gold claims."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,63}$", description="Stable id, unique in the set")
    question: str = Field(min_length=1, max_length=2000, description="The question as a user types it")
    history: list[ChatTurn] = Field(
        default_factory=list, max_length=20, description="Earlier turns, oldest first (follow-ups need them)"
    )
    kind: QuestionKind = Field(description="What the question tests")
    answerable: bool = Field(description="Whether the corpus answers it (false: the service must abstain)")
    claims: list[GoldClaim] = Field(default_factory=list, description="Gold claims; empty when unanswerable")
    forbidden_voices: list[Voice] = Field(
        default_factory=list,
        description="Voices under which this question's claims must never appear (a loaded question's trap)",
    )
    note: str | None = Field(default=None, description="What the question is for, for people extending the set")

    @model_validator(mode="after")
    def _consistent(self) -> "EvalQuestion":
        if self.answerable and not self.claims:
            raise ValueError("an answerable question needs at least one gold claim")
        if not self.answerable and self.claims:
            raise ValueError("an unanswerable question has no gold claims")
        if self.kind is QuestionKind.UNANSWERABLE and self.answerable:
            raise ValueError("kind 'unanswerable' requires answerable: false")
        if self.kind is QuestionKind.FOLLOW_UP and not self.history:
            raise ValueError("a follow-up question needs the history that makes it understandable")
        return self


class QuestionSet(BaseModel):
    """The whole question file."""

    model_config = ConfigDict(extra="forbid")

    questions: list[EvalQuestion] = Field(min_length=1, description="Every evaluation question")

    @model_validator(mode="after")
    def _unique_ids(self) -> "QuestionSet":
        duplicates = [qid for qid, count in Counter(q.id for q in self.questions).items() if count > 1]
        if duplicates:
            raise ValueError(f"question ids appear more than once: {', '.join(sorted(duplicates))}")
        return self


class GoldSentence(BaseModel):
    """A gold attribution label: who makes the claim of the sentence that starts with ``text``."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(description="Document the sentence is in")
    text: str = Field(min_length=1, description="Verbatim substring at the start of the sentence")
    speaker: str | None = Field(default=None, description="Who makes the claim, as the text names them")
    role: str | None = Field(default=None, description="The speaker's role")
    voice: Voice = Field(description="Gold voice of the sentence's claim")
    conduit: str | None = Field(default=None, description="Outlet or body that relayed the claim")
    note: str | None = Field(default=None, description="Why this label, where it is not obvious")


class GoldAttributionFile(BaseModel):
    """``gold_attribution.yaml``: either a bare list of labels or ``{sentences: [...]}``."""

    model_config = ConfigDict(extra="forbid")

    sentences: list[GoldSentence] = Field(description="Gold labels, one per sentence")


def _read_yaml(path: Path) -> object:
    if not path.is_file():
        raise EvalDataError(f"{path}: file not found")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise EvalDataError(f"{path}: not valid YAML: {exc}") from exc


def load_questions(path: Path) -> QuestionSet:
    """Read and validate a question file (``{questions: [...]}``)."""
    raw = _read_yaml(Path(path))
    try:
        return QuestionSet.model_validate(raw or {})
    except ValidationError as exc:
        raise EvalDataError(f"{path}: {exc}") from exc


def load_gold_attribution(path: Path) -> list[GoldSentence]:
    """Read and validate the gold attribution labels; an absent file yields no labels (logged)."""
    path = Path(path)
    if not path.is_file():
        logger.warning("No gold attribution file at %s: sentence-level metrics use question claims only", path)
        return []
    raw = _read_yaml(path)
    # The claim-level format (docs/attribution.md): documents with their labelled claims.
    if isinstance(raw, dict) and "documents" in raw:
        from evals.attribution import GoldError, load_gold

        try:
            documents = load_gold(path)
        except GoldError as exc:
            raise EvalDataError(str(exc)) from exc
        return [
            GoldSentence(doc_id=d.doc_id, text=c.text.strip(), speaker=c.speaker, role=c.role, voice=c.voice,
                         conduit=c.conduit, note=c.note)
            for d in documents
            for c in d.claims
        ]
    # The file's author may keep labels under a top-level key or as a bare list; both are read.
    if isinstance(raw, list):
        raw = {"sentences": raw}
    elif isinstance(raw, dict) and "sentences" not in raw:
        lists = [value for value in raw.values() if isinstance(value, list)]
        if len(lists) == 1:
            raw = {"sentences": lists[0]}
    try:
        return GoldAttributionFile.model_validate(raw or {"sentences": []}).sentences
    except ValidationError as exc:
        raise EvalDataError(f"{path}: {exc}") from exc


def corpus_texts(corpus_dir: Path) -> dict[str, str]:
    """Raw text of every document named in ``corpus_dir``'s manifest, by doc_id."""
    from ingest.manifest import load_manifest  # ingest is only needed for the corpus checks

    manifest = load_manifest(Path(corpus_dir))
    return {
        doc.doc_id: (Path(corpus_dir) / doc.file).read_text(encoding="utf-8") for doc in manifest.documents
    }


def check_claims_in_corpus(question_set: QuestionSet, texts: dict[str, str]) -> list[str]:
    """Every problem with the gold claims against the documents' texts; empty when all is well.

    A claim must name a known document and occur in it exactly once, so that its span is
    unambiguous when recall is scored.
    """
    problems: list[str] = []
    for question in question_set.questions:
        for claim in question.claims:
            text = texts.get(claim.doc_id)
            if text is None:
                problems.append(f"{question.id}: unknown doc_id {claim.doc_id!r}")
                continue
            count = text.count(claim.text)
            if count == 0:
                problems.append(f"{question.id}: claim not found verbatim in {claim.doc_id}: {claim.text!r}")
            elif count > 1:
                problems.append(f"{question.id}: claim occurs {count} times in {claim.doc_id}: {claim.text!r}")
    return problems


def check_gold_sentences_in_corpus(labels: list[GoldSentence], texts: dict[str, str]) -> list[str]:
    """Every gold attribution label whose text is not found in its document; empty when all is well."""
    problems: list[str] = []
    for label in labels:
        text = texts.get(label.doc_id)
        if text is None:
            problems.append(f"unknown doc_id {label.doc_id!r} in gold attribution")
        elif label.text not in text:
            problems.append(f"gold sentence not found verbatim in {label.doc_id}: {label.text!r}")
    return problems
