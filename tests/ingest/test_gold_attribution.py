"""Attribution against the hand-labelled gold: the whole sample corpus, and the committed real
articles of the development corpus (labelled before the rules were developed on them)."""

from __future__ import annotations


from evals.attribution import GOLD_PATH, format_report, load_gold, score_attribution
from ingest.pipeline import read_corpus
from sourcewise.settings import PROJECT_ROOT, ChunkingParams

REAL = PROJECT_ROOT / "corpus" / "real"


def test_sample_attribution_matches_the_gold(sample_documents):
    score = score_attribution(list(sample_documents.values()), load_gold(GOLD_PATH))
    report = format_report(score, verbose=True)
    print(report)
    assert not score.unmatched_gold, f"gold entries not found in the cleaned text: {score.unmatched_gold}"
    assert score.gold >= 100
    # Never: a Russian-state or CSTO claim shown as independent, or the reverse.
    assert score.leaks_state == [], report
    assert score.voice_accuracy >= 0.95, report
    assert score.speaker_precision >= 0.85, report
    assert score.speaker_recall >= 0.85, report
    assert score.outlets_right == score.outlets == 5


def test_the_tokayev_peskov_sentence_is_two_claims_with_their_voices(sample_documents):
    doc = sample_documents["daryo-csto-january-crisis"]
    tokayev = next(c for c in doc.claims if c.text.startswith("President Tokayev, in a televised address, acknowledged"))
    peskov = next(c for c in doc.claims if "Peskov reiterated" in c.text)
    assert tokayev is not peskov and tokayev.end <= peskov.start
    assert tokayev.attribution.speaker.voice.value == "kazakh_government"
    assert (peskov.attribution.speaker.name, peskov.attribution.speaker.voice.value) == ("Dmitry Peskov", "russian_state")


def test_committed_real_articles_meet_the_thresholds(registry, token_counter):
    documents, problems, _ = read_corpus(REAL, registry, count_tokens=token_counter, chunking=ChunkingParams())
    assert not problems, problems
    score = score_attribution(documents, load_gold(REAL / "gold.yaml"))
    report = format_report(score, verbose=True)
    print(report)
    assert not score.unmatched_gold, score.unmatched_gold
    assert score.gold >= 100
    assert score.voice_accuracy >= 0.92, report
    # One confusion is known and left alone: Wikipedia's paraphrase of the CSTO charter
    # ("Signatories are prohibited from joining other military alliances.") carries the
    # charter's voice over from the sentence before in the labeller's reading; no general
    # rule tells such a carry-over from the narrator's own summary (see docs/attribution.md).
    assert len(score.gov_confusions) <= 1, report
    assert len(score.leaks_state) <= 1, report
    assert score.outlets_right == score.outlets, report
    assert score.speaker_recall >= 0.80, report
