"""The registry: outlets seeded from the State Media Matrix by editorial control, hand entries
that must say why, and user files that extend it."""

from __future__ import annotations

import pytest

from sourcewise.registry import RegistryError, load_registry
from sourcewise.types import Voice


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.mark.parametrize(
    "outlet, voice",
    [
        ("TASS", Voice.RUSSIAN_STATE),  # SC
        ("RIA Novosti", Voice.RUSSIAN_STATE),  # SC
        ("Izvestia", Voice.RUSSIAN_STATE),  # CaPu: state controls the editorial line
        ("Kazinform", Voice.KAZAKH_GOVERNMENT),  # SC, Kazakhstan
        ("Xinhua", Voice.FOREIGN_GOVERNMENT),  # SC, China
        ("Radio Free Asia", Voice.INDEPENDENT),  # ISFM: state-funded, not state-controlled
    ],
)
def test_matrix_outlets_get_their_voice_from_editorial_control(registry, outlet, voice):
    speaker, entity = registry.resolve(outlet)
    assert speaker.voice == voice
    assert entity is not None and entity.kind == "outlet"


@pytest.mark.parametrize(
    "phrase, voice",
    [
        ("the Russian agency Novaya Lenta", Voice.RUSSIAN_STATE),
        ("Kremlin spokesman", Voice.RUSSIAN_STATE),
        ("the Kazakh embassy in Rome", Voice.KAZAKH_GOVERNMENT),
        ("former Prime Minister of Kazakhstan", Voice.OPPOSITION),
        ("a Chinese foreign ministry spokesman", Voice.FOREIGN_GOVERNMENT),
        ("the CSTO secretary general", Voice.CSTO),
        ("a French newspaper", Voice.INDEPENDENT),
    ],
)
def test_descriptors_cover_names_the_registry_lacks(registry, phrase, voice):
    speaker, _ = registry.resolve(phrase, context_country="Kazakhstan")
    assert speaker.voice == voice


def test_language_words_and_country_words_are_not_outlets(registry):
    # The Matrix lists editions like "People's Daily (Russian)" and "Kazakh TV".
    assert registry.resolve("Russian") is None
    assert registry.resolve("Kazakh") is None


def test_hand_added_outlet_without_a_reason_is_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n  - {name: Foo Times, voice: independent, kind: outlet}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="note"):
        load_registry([bad])


def test_malformed_registry_file_names_the_file(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("entities:\n  - {name: X, voice: not_a_voice}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="broken.yaml"):
        load_registry([bad])
