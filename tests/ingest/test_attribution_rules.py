"""Attribution rules on sentences we wrote ourselves, with other people, outlets and events than the
sample corpus, to show the rules are general. Voices come from the registry (and the State Media
Matrix for outlets), never from the sentences."""

from __future__ import annotations


from ingest.attribution import Attributor
from ingest.sentences import split_sentences
from sourcewise.registry import load_registry
from sourcewise.types import DocumentMeta, Voice


def attribute(text: str, registry=None, country: str | None = "Kazakhstan", publisher: str = "Example Review"):
    registry = registry or load_registry()
    meta = DocumentMeta(doc_id="t", file="t.txt", title="t", publisher=publisher, genre="news", author="A. Writer")
    spans = split_sentences(text)
    voice = registry.outlet_voice(publisher)
    atts = Attributor(registry, meta, voice, country).attribute(text, spans)
    return [(text[s.start : s.end], a) for s, a in zip(spans, atts)]


def test_quote_with_speaker_after_it_takes_a_state_outlet_from_the_matrix():
    (_, a), = attribute("“The harvest broke every record this autumn.”, reports the Belarusian agency BelTA.")
    assert a.kind == "direct_quote"
    assert a.speaker.name.lower().startswith("belta")
    assert a.speaker.voice == Voice.FOREIGN_GOVERNMENT  # BelTA is state-controlled (SC) in the Matrix


def test_multi_sentence_quote_in_guillemets_belongs_to_the_speaker_named_at_its_end():
    text = "«Our grain exports doubled. The new port opened in March. Nobody expected it», the Kazakh embassy said in a statement."
    result = attribute(text)
    assert len(result) == 3
    assert {a.speaker.voice for _, a in result} == {Voice.KAZAKH_GOVERNMENT}
    assert all(a.kind == "direct_quote" for _, a in result)


def test_single_quotes_and_apostrophes_are_told_apart():
    (_, a), = attribute("‘It’s a very long road to peace’, said Antony Blinken, after the talks in Oslo.")
    assert a.speaker.name == "Antony Blinken" and a.speaker.voice == Voice.FOREIGN_GOVERNMENT


def test_reported_speech_with_cue_verbs_and_descriptors():
    text = (
        "Kremlin spokesman Dmitry Peskov reiterated that the convoy carried only medicine. "
        "The Russian Foreign Ministry claimed that the border incident was staged. "
        "Political scientist Ivan Petrov argued that the sanctions had little effect. "
        "The opposition activist Dana Serik declared that the vote was rigged."
    )
    voices = [a.speaker.voice for _, a in attribute(text)]
    assert voices == [Voice.RUSSIAN_STATE, Voice.RUSSIAN_STATE, Voice.INDEPENDENT, Voice.OPPOSITION]


def test_according_to_an_outlet_relaying_a_named_official_makes_the_outlet_the_conduit():
    (_, a), = attribute("According to the Russian agency TASS, Alexander Lukashenko has a different view of the harvest.")
    assert a.speaker.name == "Alexander Lukashenko"
    assert a.speaker.voice == Voice.FOREIGN_GOVERNMENT
    assert a.conduit == "TASS"


def test_carry_over_takes_the_previous_speaker():
    text = (
        "Sergei Lavrov stated that the talks had failed. He believes that the West is to blame. "
        "According to him, new talks are pointless."
    )
    result = attribute(text)
    assert [a.speaker.name for _, a in result] == ["Sergei Lavrov"] * 3
    assert [a.kind for _, a in result][1:] == ["carry_over", "carry_over"]


def test_passive_claim_with_agent_and_unnamed_sources():
    text = (
        "The floods were described as sabotage by Russian state television. "
        "Some say the dam was never inspected. "
        "The mayor was reportedly arrested on Monday."
    )
    result = attribute(text)
    assert result[0][1].speaker.voice == Voice.RUSSIAN_STATE
    assert result[1][1].speaker.voice == Voice.UNATTRIBUTED
    assert result[2][1].speaker.voice == Voice.UNATTRIBUTED


def test_the_authors_own_sentences_take_the_outlets_voice():
    text = "The dam was built in 1962. Engineers inspected it last year. It holds back a lake of 40 square kilometres."
    for _, a in attribute(text):
        assert a.kind == "author"
        assert a.speaker.voice == Voice.INDEPENDENT
    # A state outlet's own sentences speak with its state's voice.
    for _, a in attribute("The dam was built in 1962.", publisher="TASS"):
        assert a.speaker.voice == Voice.RUSSIAN_STATE


def test_scare_quotes_do_not_make_a_speaker():
    (_, a), = attribute("The “peace” mission lasted three weeks.")
    assert a.kind == "author"


def test_unqualified_ministry_takes_the_country_named_beside_it_else_the_corpus_country():
    text = (
        "The Ministry of Foreign Affairs of Ukraine issued a note, and according to the Foreign Ministry, the troops must leave. "
        "The Interior Ministry said that 40 people were detained."
    )
    result = attribute(text)
    assert result[0][1].speaker.voice == Voice.FOREIGN_GOVERNMENT
    assert result[1][1].speaker.voice == Voice.KAZAKH_GOVERNMENT


def test_a_user_registry_file_teaches_new_speakers_without_code(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "entities:\n"
        "  - {name: Aigerim Nurlanova, aliases: [Nurlanova], role: exiled blogger, voice: opposition, kind: person}\n"
        "  - {name: Steppe Wire, aliases: [Steppe Wire], role: news site, voice: independent, kind: outlet, note: private site}\n",
        encoding="utf-8",
    )
    registry = load_registry([extra])
    (_, a), = attribute("Nurlanova said that the election was a farce.", registry=registry)
    assert a.speaker.voice == Voice.OPPOSITION and a.speaker.name == "Aigerim Nurlanova"
    (_, unknown), = attribute("Nurlanova said that the election was a farce.")
    assert unknown.speaker.voice != Voice.OPPOSITION or unknown.speaker.name != "Aigerim Nurlanova"
