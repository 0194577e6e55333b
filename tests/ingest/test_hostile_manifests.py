"""Hostile or broken manifests are refused quickly and clearly, and nothing of them is stored."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingest.manifest import ManifestError, load_manifest

ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
documents: *i
"""


def _manifest(tmp_path: Path, text: str) -> Path:
    (tmp_path / "manifest.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_an_alias_bomb_is_refused_within_a_second(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(ManifestError, match="aliases|anchors"):
        load_manifest(_manifest(tmp_path, ALIAS_BOMB))
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("text", [
    "documents: [\n  - doc_id: a\n",          # unclosed flow sequence
    "documents:\n\t- doc_id: a\n",            # a tab where YAML wants spaces
    "\x00\x01binary",                         # not text
    "documents: 3\n",                         # the wrong shape
])
def test_malformed_yaml_is_refused_within_a_second_naming_the_file(tmp_path: Path, text: str) -> None:
    started = time.monotonic()
    with pytest.raises(ManifestError, match="manifest.yaml"):
        load_manifest(_manifest(tmp_path, text))
    assert time.monotonic() - started < 1.0


def test_duplicate_doc_ids_are_refused_naming_both_entries(tmp_path: Path) -> None:
    text = """documents:
  - {doc_id: same, file: one.txt, title: One, publisher: X, genre: news}
  - {doc_id: other, file: two.txt, title: Two, publisher: X, genre: news}
  - {doc_id: same, file: three.txt, title: Three, publisher: X, genre: news}
"""
    with pytest.raises(ManifestError) as caught:
        load_manifest(_manifest(tmp_path, text))
    message = str(caught.value)
    assert "'same' appears twice" in message and "one.txt" in message and "three.txt" in message


def test_an_oversized_manifest_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest import manifest

    monkeypatch.setattr(manifest, "MAX_MANIFEST_BYTES", 1024)
    with pytest.raises(ManifestError, match="over the limit"):
        load_manifest(_manifest(tmp_path, "documents: []\n" + "# padding\n" * 200))


def test_a_date_written_bare_in_yaml_is_taken_as_its_iso_form(tmp_path: Path) -> None:
    # YAML reads an unquoted 2022-01-08 as a date, not a string; a user who writes it so is not refused.
    (tmp_path / "one.txt").write_text("The ministry said the talks went well.", encoding="utf-8")
    text = """documents:
  - {doc_id: one, file: one.txt, title: One, publisher: X, genre: news, published: 2022-01-08}
"""
    manifest = load_manifest(_manifest(tmp_path, text))
    assert manifest.documents[0].published == "2022-01-08"
