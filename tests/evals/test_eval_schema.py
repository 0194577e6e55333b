"""The evaluation data: the question set and gold labels load, cover what they must, and match the corpus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.metrics import claim_spans, gold_sentence_spans, overlap
from evals.schema import (
    GOLD_ATTRIBUTION_PATH,
    QUESTIONS_PATH,
    EvalDataError,
    QuestionKind,
    QuestionSet,
    check_claims_in_corpus,
    check_gold_sentences_in_corpus,
    corpus_texts,
    load_gold_attribution,
    load_questions,
)
from sourcewise.settings import PROJECT_ROOT
from sourcewise.types import Voice

SAMPLE_CORPUS = PROJECT_ROOT / "corpus" / "sample"


@pytest.fixture(scope="module")
def question_set() -> QuestionSet:
    return load_questions(QUESTIONS_PATH)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return corpus_texts(SAMPLE_CORPUS)


def test_question_file_is_large_enough_and_covers_every_kind(question_set: QuestionSet) -> None:
    kinds = Counter(q.kind for q in question_set.questions)
    assert len(question_set.questions) >= 40
    assert set(kinds) == set(QuestionKind)


def test_every_voice_is_in_several_gold_claims(question_set: QuestionSet) -> None:
    questions_per_voice = Counter(v for q in question_set.questions for v in {c.voice for c in q.claims})
    # The five sample articles name no speaker of unknown affiliation: `unclassified` is the
    # real-article set's to test.
    assert set(questions_per_voice) == set(Voice) - {Voice.UNCLASSIFIED}
    assert min(questions_per_voice.values()) >= 3, questions_per_voice


def test_follow_ups_carry_history(question_set: QuestionSet) -> None:
    follow_ups = [q for q in question_set.questions if q.kind is QuestionKind.FOLLOW_UP]
    assert len(follow_ups) >= 3
    assert all(q.history and q.history[0].role == "user" for q in follow_ups)


def test_unanswerable_questions_have_no_claims(question_set: QuestionSet) -> None:
    unanswerable = [q for q in question_set.questions if not q.answerable]
    assert len(unanswerable) >= 5
    assert all(not q.claims for q in unanswerable)


def test_disagreement_questions_cite_more_than_one_source(question_set: QuestionSet) -> None:
    for q in question_set.questions:
        if q.kind is QuestionKind.DISAGREEMENT:
            assert len({(c.doc_id, c.voice) for c in q.claims}) >= 2, q.id


def test_every_claim_is_verbatim_and_unique_in_its_document(question_set: QuestionSet, texts: dict[str, str]) -> None:
    assert check_claims_in_corpus(question_set, texts) == []


def test_gold_attribution_labels_are_found_in_their_documents(texts: dict[str, str]) -> None:
    labels = load_gold_attribution(GOLD_ATTRIBUTION_PATH)
    assert labels, "gold_attribution.yaml holds no labels"
    assert check_gold_sentences_in_corpus(labels, texts) == []


def test_claim_voices_agree_with_the_gold_sentence_labels(question_set: QuestionSet, texts: dict[str, str]) -> None:
    """A claim inside a labelled sentence has that sentence's voice; one in narration is independent.

    Quotes are whole sentences, so a disagreement here would make the same quote both right and
    wrong: one of the two data files is mistaken.
    """
    sentences = gold_sentence_spans(load_gold_attribution(GOLD_ATTRIBUTION_PATH), texts)
    conflicts = []
    for q in question_set.questions:
        for claim, span in zip(q.claims, claim_spans(q, texts), strict=True):
            assert span is not None
            labels = {s.voice for s in sentences if s.doc_id == span.doc_id and overlap(s.start, s.end, span.start, span.end)}
            expected = labels or {Voice.INDEPENDENT}
            if expected != {claim.voice}:
                conflicts.append(f"{q.id}: claim {claim.voice.value}, sentence {sorted(v.value for v in expected)}")
    assert conflicts == []


def test_a_paraphrased_claim_is_reported(question_set: QuestionSet, texts: dict[str, str]) -> None:
    first = question_set.questions[0]
    claim = first.claims[0].model_copy(update={"text": first.claims[0].text.upper() + " (paraphrased)"})
    broken = QuestionSet(questions=[first.model_copy(update={"claims": [claim]})])
    problems = check_claims_in_corpus(broken, texts)
    assert len(problems) == 1 and "not found verbatim" in problems[0]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "questions.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "questions:\n  - {id: a1, question: 'Q?', kind: unanswerable, answerable: false,"
            " claims: [{doc_id: d, text: some claim text, voice: independent}]}\n",
            "unanswerable question has no gold claims",
        ),
        ("questions:\n  - {id: a1, question: 'And then?', kind: follow_up, answerable: false}\n", "needs the history"),
        ("questions:\n  - {id: a1, question: 'Q?', kind: voice, answerable: true}\n", "at least one gold claim"),
        (
            "questions:\n  - {id: a1, question: 'Q?', kind: unanswerable, answerable: false}\n"
            "  - {id: a1, question: 'R?', kind: unanswerable, answerable: false}\n",
            "more than once",
        ),
        ("questions:\n  - {id: a1, question: 'Q?', kind: unanswerable, answerable: false, typo: 1}\n", "typo"),
        (
            "questions:\n  - {id: a1, question: 'Q?', kind: voice, answerable: true,"
            " claims: [{doc_id: d, text: some claim text, voice: kremlin}]}\n",
            "voice",
        ),
    ],
)
def test_malformed_question_files_are_rejected_with_the_reason(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(EvalDataError, match=message):
        load_questions(_write(tmp_path, body))


def test_the_real_article_set_is_large_varied_and_verbatim() -> None:
    from collections import Counter

    from evals.runner import EVAL_SETS
    from evals.schema import check_claims_in_corpus, corpus_texts
    from sourcewise.settings import PROJECT_ROOT

    real = EVAL_SETS["real"]
    questions = load_questions(real.questions)
    kinds = Counter(q.kind.value for q in questions.questions)
    assert len(questions.questions) >= 40
    assert kinds["voice"] >= 10 and kinds["follow_up"] >= 5 and kinds["loaded"] >= 5 and kinds["unanswerable"] >= 8
    assert not check_claims_in_corpus(questions, corpus_texts(PROJECT_ROOT / "corpus" / "real"))
    assert {m.metric for m in real.thresholds} >= {"leaks", "quote_precision", "claim_recall", "unanswerable_abstained"}
