"""The labellers' tools: the checker catches a fragment that would silently score as a miss, and
merge builds a corpus the scorer reads, with the unseen third kept apart."""

from __future__ import annotations

from pathlib import Path

import yaml

from evals.attribution import load_gold
from evals.labelling.check_gold import check, main
from evals.labelling.merge import merge
from ingest.manifest import load_manifest

TEXT = "“We will not leave,” Ivo Sarn said. The talks ended. The talks ended.\n\nZorbia's minister replied."


def _set(tmp_path: Path, claims: list[dict], name: str = "a", doc_id: str = "one") -> Path:
    (tmp_path / "all").mkdir(exist_ok=True)
    (tmp_path / "all" / f"{doc_id}.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / f"gold_{name}.yaml").write_text(yaml.safe_dump({"documents": [
        {"doc_id": doc_id, "outlet_voice": "independent", "claims": claims}]}), encoding="utf-8")
    (tmp_path / f"manifest_{name}.yaml").write_text(yaml.safe_dump({"documents": [
        {"doc_id": doc_id, "file": f"{doc_id}.txt", "title": None, "publisher": "Example Wire", "genre": "news",
         "published": "2022-01-08"}]}), encoding="utf-8")
    return tmp_path


def test_the_checker_reports_a_retyped_fragment_a_repeated_one_and_one_out_of_order(tmp_path):
    claims = [
        {"text": '"We will not leave," Ivo Sarn said.', "voice": "unclassified"},  # straight quotes: not the text's
        {"text": "Zorbia's minister replied.", "voice": "foreign_government"},
        {"text": "The talks ended.", "voice": "independent"},  # twice in the text, and before the one above
    ]
    problems = check(_set(tmp_path, claims) / "all", tmp_path / "gold_a.yaml")
    assert any("not found" in p and "We will not leave" in p for p in problems)
    assert any("not unique (2 times)" in p for p in problems)
    assert any("out of document order" in p for p in problems)
    assert main([str(tmp_path / "all"), str(tmp_path / "gold_a.yaml")]) == 1


def test_clean_labels_pass_the_checker(tmp_path):
    claims = [{"text": "“We will not leave,” Ivo Sarn said.", "voice": "unclassified"},
              {"text": "Zorbia's minister replied.", "voice": "foreign_government"}]
    assert check(_set(tmp_path, claims) / "all", tmp_path / "gold_a.yaml") == []


def test_merge_builds_a_corpus_the_scorer_reads_and_keeps_only_the_listed_documents(tmp_path):
    claims = [{"text": "Zorbia's minister replied.", "voice": "foreign_government"}]
    _set(tmp_path, claims, name="a", doc_id="one")
    _set(tmp_path, claims, name="b", doc_id="two")
    (tmp_path / "unseen.txt").write_text("two\n", encoding="utf-8")
    assert merge(tmp_path, tmp_path / "unseen", {"two"}) == (1, 1)
    manifest = load_manifest(tmp_path / "unseen")
    assert [d.doc_id for d in manifest.documents] == ["two"] and manifest.documents[0].title == ""
    assert [d.doc_id for d in load_gold(tmp_path / "unseen" / "gold.yaml")] == ["two"]
