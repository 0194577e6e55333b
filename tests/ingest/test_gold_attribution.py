"""Attribution against the hand-labelled gold for the whole sample corpus."""

from __future__ import annotations

from evals.attribution import load_gold, score_attribution


def test_attribution_matches_the_gold(sample_documents):
    score = score_attribution(list(sample_documents.values()), load_gold())
    report = (
        f"speaker precision {score.speaker_precision:.3f}, recall {score.speaker_recall:.3f}, "
        f"voice accuracy {score.voice_accuracy:.3f} over {score.gold} gold sentences"
    )
    print(report)
    assert not score.unmatched_gold, f"gold entries not found in the cleaned text: {score.unmatched_gold}"
    assert score.gold >= 90
    # Never: a Russian-state claim labelled independent, or an independent one labelled Russian state.
    assert score.state_as_independent == [] and score.independent_as_state == []
    assert score.voice_accuracy >= 0.95, report + "\n" + "\n".join(score.misses)
    assert score.speaker_precision >= 0.85, report
    assert score.speaker_recall >= 0.85, report
