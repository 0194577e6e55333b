"""A language's attribution vocabulary, read from YAML (``lexicon_en.yaml`` for English)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

LEXICON_DIR = Path(__file__).resolve().parent


class Lexicon(BaseModel):
    """Cue verbs and the nouns, pronouns and labels the rules read; see the YAML for what each is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cue_verbs: frozenset[str]
    irregular_forms: dict[str, str] = Field(default_factory=dict)
    passive_only: frozenset[str] = frozenset()
    needs_clause: frozenset[str] = frozenset()
    media_topic_verbs: frozenset[str] = frozenset()
    belief: frozenset[str] = frozenset()
    inference_verbs: frozenset[str] = frozenset()
    needs_content: frozenset[str] = frozenset()
    active_only: frozenset[str] = frozenset()
    judgement_preps: dict[str, list[str]] = Field(default_factory=dict)
    judgement_objects: dict[str, list[str]] = Field(default_factory=dict)
    #: Objects with which a cue verb says nothing ("the shelling has claimed the lives of ...").
    objects_not_speech: dict[str, list[str]] = Field(default_factory=dict)
    #: Verbs of deciding or wanting: a cue verb they govern with nothing said is an intention, no claim.
    intention_heads: frozenset[str] = frozenset()
    needs_message: frozenset[str] = frozenset()
    phrasal_not_speech: frozenset[str] = frozenset()
    performative_verbs: frozenset[str] = frozenset()
    performative_objects: frozenset[str] = frozenset()
    message_nouns: frozenset[str] = frozenset()
    message_subject_verbs: frozenset[str] = frozenset()
    text_nouns: frozenset[str] = frozenset()
    titles_with_to: frozenset[str] = frozenset()
    framing: frozenset[str] = frozenset()
    source_nouns: frozenset[str] = frozenset()
    speech_event_verbs: frozenset[str] = frozenset()
    speech_event_nouns: frozenset[str] = frozenset()
    speech_event_needs_colon: frozenset[str] = frozenset()
    cancelling_heads: frozenset[str] = frozenset()
    person_pronouns: frozenset[str] = frozenset()
    group_pronouns: frozenset[str] = frozenset()
    relative_pronouns: frozenset[str] = frozenset()
    min_claim_words: int = 4
    not_speaker_labels: frozenset[str] = frozenset()
    question_labels: frozenset[str] = frozenset()
    chair_labels: frozenset[str] = frozenset()
    answer_labels: frozenset[str] = frozenset()
    speech_genres: frozenset[str] = frozenset()
    role_synonyms: dict[str, list[str]] = Field(default_factory=dict)
    requests: frozenset[str] = frozenset()
    making_plain: frozenset[str] = frozenset()

    def model_post_init(self, __context) -> None:  # noqa: D401 - pydantic hook
        forms: dict[str, str] = {}
        for lemma in sorted(self.cue_verbs):
            for form in _forms(lemma):
                forms.setdefault(form, lemma)
        forms.update(self.irregular_forms)
        object.__setattr__(self, "_forms", forms)

    def lemma(self, word: str) -> str | None:
        """The cue lemma a word form belongs to, or None."""
        return self._forms.get(word.lower())  # type: ignore[attr-defined]

    @property
    def pronouns(self) -> frozenset[str]:
        return self.person_pronouns | self.group_pronouns


def _forms(lemma: str) -> set[str]:
    forms = {lemma, lemma + "s", lemma + "ed", lemma + "d", lemma + "es", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms.update({lemma[:-1] + "ied", lemma[:-1] + "ies"})
    if len(lemma) > 2 and lemma[-1] in "tpgdnm" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})  # "admitted", "committing"
    return forms


@lru_cache(maxsize=4)
def load_lexicon(language: str = "en") -> Lexicon:
    """The lexicon of ``language`` (``lexicon_<language>.yaml`` beside this module)."""
    path = LEXICON_DIR / f"lexicon_{language}.yaml"
    return Lexicon.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
