"""The evaluation metrics on hand-made documents and responses (invented events, not the corpus)."""

from __future__ import annotations

from typing import Any

import pytest

from evals.metrics import (
    aggregate,
    build_gold_index,
    claim_spans,
    gold_sentence_spans,
    iter_quotes,
    locate,
    percentile,
    score_question,
    separation_leaks,
    sentence_end,
)
from evals.schema import EvalQuestion, GoldSentence
from sourcewise.types import Voice

# An independent outlet's report on an invented flood, quoting a state agency, a minister, an
# opposition figure and rumour; sentence by sentence so spans are easy to follow.
REPORT = (
    "Heavy rain flooded the harbour town of Eastmere on Monday. "
    "The state agency Vestnik reported that “foreign saboteurs opened the dams on purpose.” "
    "Local reporters found no damage to the dams at all. "
    "Water Minister Ilse Varga said that 40 people were evacuated. "
    "Opposition leader Tomas Brel called the response “a disgrace”. "
    "Some residents say the sirens never sounded."
)
REPORT_ID = "eastmere-flood"
OTHER = "The U.S. embassy in Eastmere offered help. It sent two pumps."
OTHER_ID = "embassy-note"
DOCS = {REPORT_ID: REPORT, OTHER_ID: OTHER}

LABELS = [
    GoldSentence(doc_id=REPORT_ID, text="The state agency Vestnik reported", voice=Voice.RUSSIAN_STATE),
    GoldSentence(doc_id=REPORT_ID, text="Water Minister Ilse Varga said", voice=Voice.KAZAKH_GOVERNMENT),
    GoldSentence(doc_id=REPORT_ID, text="Opposition leader Tomas Brel", voice=Voice.OPPOSITION),
    GoldSentence(doc_id=REPORT_ID, text="Some residents say", voice=Voice.UNATTRIBUTED),
    GoldSentence(doc_id=OTHER_ID, text="The U.S. embassy in Eastmere", voice=Voice.FOREIGN_GOVERNMENT),
]


def sentence(doc_id: str, prefix: str) -> tuple[int, int, str]:
    """Offsets and text of the sentence of ``doc_id`` that starts with ``prefix``."""
    text = DOCS[doc_id]
    start = text.index(prefix)
    end = sentence_end(text, start, start + len(prefix))
    return start, end, text[start:end]


def quote(doc_id: str, prefix: str, qid: str = "q1", shift: int = 0) -> dict[str, Any]:
    """A quote of the sentence starting with ``prefix``; ``shift`` moves its offsets (a bug)."""
    start, end, text = sentence(doc_id, prefix)
    return {
        "id": qid,
        "text": text,
        "start": start + shift,
        "end": end + shift,
        "speaker": {"name": None, "role": None, "voice": "independent"},
        "source": {"doc_id": doc_id, "title": "t", "publisher": "p", "author": None, "published": None, "url": None, "genre": "news"},
        "score": 1.0,
    }


def response(*sections: tuple[str, list[dict[str, Any]]], supported: bool = True) -> dict[str, Any]:
    """An ``/v1/ask`` response with the given (voice, quotes) sections."""
    return {
        "question": "q",
        "supported": supported,
        "answer": "",
        "sections": [{"voice": v, "label": v, "quotes": qs} for v, qs in sections],
    }


def question(claims: list[tuple[str, str, Voice]] | None = None, **fields: Any) -> EvalQuestion:
    """A question with gold claims given as (doc_id, text, voice)."""
    data: dict[str, Any] = {"id": "q-test", "question": "What happened?", "kind": "voice", "answerable": True}
    data.update(fields)
    if claims is None:  # answerable questions need a claim; this one no test quote covers
        claims = [(OTHER_ID, "It sent two pumps", Voice.INDEPENDENT)] if data["answerable"] else []
    data["claims"] = [{"doc_id": d, "text": t, "voice": v} for d, t, v in claims]
    return EvalQuestion.model_validate(data)


@pytest.fixture
def gold() -> dict[str, list[Any]]:
    return build_gold_index(gold_sentence_spans(LABELS, DOCS), [])


def test_gold_label_covers_its_whole_sentence_and_no_more() -> None:
    spans = gold_sentence_spans(LABELS, DOCS)
    agency = spans[0]
    assert REPORT[agency.start : agency.end] == (
        "The state agency Vestnik reported that “foreign saboteurs opened the dams on purpose.”"
    )
    # "U.S." is an abbreviation, not the end of the embassy's sentence.
    embassy = spans[-1]
    assert OTHER[embassy.start : embassy.end] == "The U.S. embassy in Eastmere offered help."


def test_gold_text_is_found_when_cleaning_straightened_the_quotes() -> None:
    cleaned = REPORT.replace("“", '"').replace("”", '"')
    found = locate(cleaned, "“foreign saboteurs opened the dams")
    assert found is not None
    assert cleaned[found[0] : found[1]] == '"foreign saboteurs opened the dams'


def test_state_quote_under_independent_is_a_leak(gold: dict[str, list[Any]]) -> None:
    bad = iter_quotes(response(("independent", [quote(REPORT_ID, "The state agency")])), DOCS)
    good = iter_quotes(response(("russian_state", [quote(REPORT_ID, "The state agency")])), DOCS)
    leaks = separation_leaks(bad, gold)
    assert [leak.kind for leak in leaks] == ["state_claim_under_non_state"]
    assert separation_leaks(good, gold) == []


def test_state_quote_shown_as_unattributed_or_opposition_is_also_a_leak(gold: dict[str, list[Any]]) -> None:
    for voice in ("unattributed", "opposition"):
        quotes = iter_quotes(response((voice, [quote(REPORT_ID, "The state agency")])), DOCS)
        assert len(separation_leaks(quotes, gold)) == 1


def test_author_narration_under_a_state_voice_is_a_leak(gold: dict[str, list[Any]]) -> None:
    quotes = iter_quotes(response(("kazakh_government", [quote(REPORT_ID, "Local reporters found")])), DOCS)
    leaks = separation_leaks(quotes, gold)
    assert [leak.kind for leak in leaks] == ["independent_claim_under_state"]
    # The same narration in a state outlet's document is that state's own voice: no leak.
    assert separation_leaks(quotes, gold, outlet_voices={REPORT_ID: Voice.KAZAKH_GOVERNMENT}) == []


def test_minister_under_independent_is_misattributed_but_not_a_leak(gold: dict[str, list[Any]]) -> None:
    resp = response(("independent", [quote(REPORT_ID, "Water Minister")]))
    result = score_question(question(), resp, 0.1, DOCS, gold)
    assert result.leaks == []
    assert (result.attribution_correct, result.attribution_judged) == (0, 1)


def test_attribution_counts_only_quotes_that_touch_gold(gold: dict[str, list[Any]]) -> None:
    resp = response(
        ("kazakh_government", [quote(REPORT_ID, "Water Minister", "a")]),
        ("opposition", [quote(REPORT_ID, "Opposition leader", "b")]),
        ("independent", [quote(REPORT_ID, "Heavy rain", "c"), quote(REPORT_ID, "Some residents", "d")]),
    )
    result = score_question(question(), resp, 0.1, DOCS, gold)
    # "Heavy rain" touches no label and is not judged; "Some residents" is unattributed, not independent.
    assert (result.attribution_correct, result.attribution_judged) == (2, 3)


def test_a_chunk_mixing_voices_cannot_be_correctly_attributed(gold: dict[str, list[Any]]) -> None:
    start = REPORT.index("The state agency")
    end = REPORT.index("Opposition leader")
    chunk = dict(quote(REPORT_ID, "The state agency"), start=start, end=end, text=REPORT[start:end])
    result = score_question(question(), response(("russian_state", [chunk])), 0.1, DOCS, gold)
    assert (result.attribution_correct, result.attribution_judged) == (0, 1)


def test_a_chunk_mostly_of_narration_under_a_state_voice_is_a_leak(gold: dict[str, list[Any]]) -> None:
    end = REPORT.index("Water Minister")
    chunk = dict(quote(REPORT_ID, "Heavy rain"), start=0, end=end, text=REPORT[:end])
    result = score_question(question(), response(("russian_state", [chunk])), 0.1, DOCS, gold)
    assert [leak.kind for leak in result.leaks] == ["independent_claim_under_state"]


def test_offset_mismatch_lowers_the_verbatim_rate(gold: dict[str, list[Any]]) -> None:
    resp = response(
        ("independent", [quote(REPORT_ID, "Heavy rain", "a"), quote(REPORT_ID, "Local reporters", "b", shift=3)])
    )
    metrics = aggregate([score_question(question(), resp, 0.1, DOCS, gold)])
    assert metrics.verbatim_rate == 0.5


def test_quote_of_an_unknown_document_is_not_verbatim(gold: dict[str, list[Any]]) -> None:
    bad = quote(REPORT_ID, "Heavy rain")
    bad["source"] = dict(bad["source"], doc_id="no-such-doc")
    metrics = aggregate([score_question(question(), response(("independent", [bad])), 0.1, DOCS, gold)])
    assert metrics.verbatim_rate == 0.0


def test_recall_counts_a_quote_that_covers_the_claim(gold: dict[str, list[Any]]) -> None:
    q = question(
        [
            (REPORT_ID, "40 people were evacuated", Voice.KAZAKH_GOVERNMENT),
            (REPORT_ID, "the sirens never sounded", Voice.UNATTRIBUTED),
        ]
    )
    resp = response(("independent", [quote(REPORT_ID, "Water Minister")]))
    result = score_question(q, resp, 0.1, DOCS, gold)
    assert [hit.found for hit in result.claims] == [True, False]
    assert result.claim_recall == 0.5
    assert result.claim_recall_right_section == 0.0
    assert result.claims[0].shown_under == ["independent"]


def test_recall_needs_real_overlap_not_a_touching_edge(gold: dict[str, list[Any]]) -> None:
    # A quote that ends two characters into the claim's sentence does not cover the claim.
    start, _, _ = sentence(REPORT_ID, "Water Minister")
    edge = dict(quote(REPORT_ID, "Heavy rain"), start=0, end=start + 2, text=REPORT[: start + 2])
    q = question([(REPORT_ID, "Water Minister Ilse Varga said that 40 people were evacuated.", Voice.KAZAKH_GOVERNMENT)])
    result = score_question(q, response(("independent", [edge])), 0.1, DOCS, gold)
    assert result.claim_recall == 0.0


def test_question_claims_count_as_gold_for_leaks() -> None:
    # No sentence labels at all: the question's own state claim still exposes the leak.
    q = question([(REPORT_ID, "foreign saboteurs opened the dams", Voice.RUSSIAN_STATE)])
    only_claims = build_gold_index([], claim_spans(q, DOCS))
    resp = response(("independent", [quote(REPORT_ID, "The state agency")]))
    result = score_question(q, resp, 0.1, DOCS, only_claims)
    assert len(result.leaks) == 1


def test_forbidden_voice_of_a_loaded_question_is_a_leak(gold: dict[str, list[Any]]) -> None:
    q = question(
        [(REPORT_ID, "40 people were evacuated", Voice.KAZAKH_GOVERNMENT)], kind="loaded", forbidden_voices=["independent"]
    )
    bad = score_question(q, response(("independent", [quote(REPORT_ID, "Water Minister")])), 0.1, DOCS, gold)
    good = score_question(q, response(("kazakh_government", [quote(REPORT_ID, "Water Minister")])), 0.1, DOCS, gold)
    assert [leak.kind for leak in bad.leaks] == ["forbidden_voice"]
    assert good.leaks == []


def test_a_loaded_questions_own_independent_claim_may_stand_as_independent(gold: dict[str, list[Any]]) -> None:
    # The forbidden voice guards the other claims: the question's independent claim, shown as
    # independent, is exactly right.
    q = question(
        [
            (REPORT_ID, "40 people were evacuated", Voice.KAZAKH_GOVERNMENT),
            (REPORT_ID, "Heavy rain", Voice.INDEPENDENT),
        ],
        kind="loaded",
        forbidden_voices=["independent"],
    )
    result = score_question(q, response(("independent", [quote(REPORT_ID, "Heavy rain")])), 0.1, DOCS, gold)
    assert result.leaks == []


def test_abstention(gold: dict[str, list[Any]]) -> None:
    unanswerable = question(kind="unanswerable", answerable=False)
    answerable = question([(REPORT_ID, "40 people were evacuated", Voice.KAZAKH_GOVERNMENT)])
    declined = response(supported=False)
    answered = response(("independent", [quote(REPORT_ID, "Heavy rain")]))
    assert score_question(unanswerable, declined, 0.1, DOCS, gold).abstention_correct
    assert not score_question(unanswerable, answered, 0.1, DOCS, gold).abstention_correct
    assert not score_question(answerable, declined, 0.1, DOCS, gold).abstention_correct
    assert score_question(answerable, answered, 0.1, DOCS, gold).abstention_correct
    # "Not supported" but still showing quotes is not an abstention.
    half = dict(answered, supported=False)
    assert not score_question(unanswerable, half, 0.1, DOCS, gold).abstention_correct


def test_failed_request_costs_recall_and_abstention(gold: dict[str, list[Any]]) -> None:
    q = question([(REPORT_ID, "40 people were evacuated", Voice.KAZAKH_GOVERNMENT)])
    result = score_question(q, None, 0.1, DOCS, gold, error="HTTP 500")
    metrics = aggregate([result])
    assert (metrics.errors, metrics.claim_recall, metrics.abstention_accuracy) == (1, 0.0, 0.0)


def test_aggregate_pools_claims_and_latency(gold: dict[str, list[Any]]) -> None:
    q1 = question([(REPORT_ID, "40 people were evacuated", Voice.KAZAKH_GOVERNMENT)], id="q-one")
    q2 = question(
        [(REPORT_ID, "the sirens never sounded", Voice.UNATTRIBUTED), (REPORT_ID, "no damage to the dams", Voice.INDEPENDENT)],
        id="q-two",
    )
    r1 = score_question(q1, response(("kazakh_government", [quote(REPORT_ID, "Water Minister")])), 1.0, DOCS, gold)
    r2 = score_question(q2, response(("unattributed", [quote(REPORT_ID, "Some residents")])), 3.0, DOCS, gold)
    metrics = aggregate([r1, r2])
    assert metrics.claim_recall == pytest.approx(2 / 3)
    assert metrics.claim_recall_mean == pytest.approx(0.75)
    assert metrics.latency_median_s == pytest.approx(2.0)
    assert metrics.latency_p95_s == pytest.approx(2.9)
    assert metrics.leaks == 0 and metrics.attribution_accuracy == 1.0


def test_percentile_interpolates() -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == pytest.approx(2.5)
    assert percentile([1.0], 95) == 1.0


def test_speaker_match_allows_for_transliteration_but_not_for_another_name():
    from evals.attribution import same_speaker

    assert same_speaker("Qasym-Zhomart Toqaev", "Kassym-Jomart Tokayev")
    assert same_speaker("Putin", "Vladimir Putin")
    assert not same_speaker("Sergei Lavrov", "Sergei Shoigu")
