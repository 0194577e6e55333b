"""Ingest into a real (embedded) Chroma store: bad input is reported and loses nothing, re-ingest is
idempotent, documents dropped from the manifest leave the store, and the CLI says what happened."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ingest.pipeline import ingest_corpus
from tests.support import small_corpus
from sourcewise.settings import PROJECT_ROOT, Settings
from vectorstore.embeddings import load_embedder
from vectorstore.store import KnowledgeStore

SAMPLE = PROJECT_ROOT / "corpus" / "sample"


def store_for(settings: Settings) -> KnowledgeStore:
    return KnowledgeStore.connect(settings, dimension=load_embedder(settings).dimension)


@pytest.fixture()
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def test_reingest_is_idempotent_and_removed_documents_leave_the_store(tmp_path, settings):
    corpus = small_corpus(tmp_path / "corpus", ["politiks-troops-quell-protests", "daryo-csto-january-crisis"])
    first = ingest_corpus(corpus, settings)
    assert first.ok and first.documents == 2
    counts = store_for(settings).counts()
    assert counts == {"documents": 2, "chunks": first.chunks, "passages": first.passages}
    assert first.written == {"created": 2}

    again = ingest_corpus(corpus, settings)
    assert store_for(settings).counts() == counts, "re-ingest must not duplicate anything"
    assert again.chunks == first.chunks and again.written == {"unchanged": 2}

    manifest = yaml.safe_load((corpus / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["documents"] = [d for d in manifest["documents"] if d["doc_id"] != "daryo-csto-january-crisis"]
    (corpus / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    (corpus / "004_0022a5442dcb9cb3.txt").unlink()
    third = ingest_corpus(corpus, settings)
    assert third.removed == ["daryo-csto-january-crisis"]
    assert store_for(settings).document_ids() == ["politiks-troops-quell-protests"]


def test_bad_files_are_named_and_the_rest_is_ingested(tmp_path, settings):
    corpus = small_corpus(tmp_path / "corpus", ["politiks-troops-quell-protests"])
    manifest = yaml.safe_load((corpus / "manifest.yaml").read_text(encoding="utf-8"))
    extra = [
        ("empty-doc", "empty.txt", b""),
        ("binary-doc", "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20),
        ("latin1-doc", "latin1.txt", "Le caf\u00e9 de la gare a ferm\u00e9.".encode("latin-1")),
    ]
    for doc_id, name, raw in extra:
        (corpus / name).write_bytes(raw)
        manifest["documents"].append({"doc_id": doc_id, "file": name, "title": doc_id, "publisher": "X", "genre": "news"})
    manifest["documents"].append({"doc_id": "ghost-doc", "file": "ghost.txt", "title": "g", "publisher": "X", "genre": "news"})
    (corpus / "stray.txt").write_text("A file nobody listed.", encoding="utf-8")
    (corpus / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")

    report = ingest_corpus(corpus, settings)
    messages = "\n".join(p.message for p in report.problems)
    assert report.documents == 1 and not report.ok
    for expected in ("empty.txt", "photo.txt", "latin1.txt", "ghost.txt", "stray.txt"):
        assert expected in messages
    assert "not valid UTF-8" in messages and "binary" in messages and "no manifest entry" in messages
    assert store_for(settings).document_ids() == ["politiks-troops-quell-protests"]


def test_a_broken_file_keeps_its_last_good_version(tmp_path, settings):
    corpus = small_corpus(tmp_path / "corpus", ["politiks-troops-quell-protests"])
    assert ingest_corpus(corpus, settings).ok
    (corpus / "002_6812b3a8bd426133.txt").write_bytes(b"\x00\x01\x02" * 100)
    report = ingest_corpus(corpus, settings)
    assert not report.ok
    assert store_for(settings).get_document("politiks-troops-quell-protests") is not None


def _cli(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    env = {"SOURCEWISE_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "sourcewise.cli", *args], capture_output=True, text=True, env=env, timeout=600)


def test_cli_prints_a_summary_and_exits_non_zero_on_problems(tmp_path):
    corpus = small_corpus(tmp_path / "corpus", ["politiks-troops-quell-protests"])
    ok = _cli(["ingest", "--corpus", str(corpus), "--quiet"], tmp_path / "data")
    assert ok.returncode == 0, ok.stderr
    for word in ("documents 1", "corpus 'sample'", "passages", "chunks", "russian_state", "kazakh_government", "took"):
        assert word in ok.stdout
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\x00\x00binary")
    bad = _cli(["ingest", "--corpus", str(corpus), "--quiet"], tmp_path / "data")
    assert bad.returncode == 1
    assert "broken.txt" in bad.stderr


def test_cli_reports_a_missing_manifest_plainly(tmp_path):
    (tmp_path / "empty").mkdir()
    result = _cli(["ingest", "--corpus", str(tmp_path / "empty"), "--quiet"], tmp_path / "data")
    assert result.returncode == 2
    assert "manifest" in result.stderr and "Traceback" not in result.stderr


def test_two_corpora_side_by_side_keep_each_others_documents(tmp_path, settings):
    sample = small_corpus(tmp_path / "sample", ["politiks-troops-quell-protests", "daryo-csto-january-crisis"])
    mine = small_corpus(tmp_path / "mine", ["spiked-russia-hasnt-invaded"])
    for folder, name in ((sample, "sample"), (mine, None)):
        manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
        manifest.pop("corpus", None)
        if name:
            manifest["corpus"] = name
        (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    assert ingest_corpus(sample, settings).ok
    report = ingest_corpus(mine, settings)
    assert report.ok and report.corpus == "mine"  # the folder's name when the manifest names none
    assert report.removed == []
    store = store_for(settings)
    assert store.corpora() == {"mine": 1, "sample": 2}
    # Re-ingesting the sample (as `make run` does) never touches the other corpus.
    again = ingest_corpus(sample, settings)
    assert again.removed == [] and store_for(settings).corpora() == {"mine": 1, "sample": 2}
    # Removing a document from one manifest removes it from that corpus only.
    manifest = yaml.safe_load((mine / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["documents"] = []
    (mine / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    (mine / "003_6a07b0190c358063.txt").unlink()
    assert ingest_corpus(mine, settings).removed == ["spiked-russia-hasnt-invaded"]
    assert store_for(settings).corpora() == {"sample": 2}


def test_a_doc_id_of_another_corpus_is_refused_not_overwritten(tmp_path, settings):
    first = small_corpus(tmp_path / "first", ["politiks-troops-quell-protests"])
    second = small_corpus(tmp_path / "second", ["politiks-troops-quell-protests"])
    for folder in (first, second):
        manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
        manifest.pop("corpus", None)
        (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    assert ingest_corpus(first, settings).ok
    report = ingest_corpus(second, settings)
    assert not report.ok and "belongs to corpus 'first'" in report.problems[0].message
    assert store_for(settings).corpora() == {"first": 1}


@pytest.mark.parametrize("bad_file", ["../outside.txt", "/etc/passwd", "link.txt"])
def test_a_manifest_file_outside_the_corpus_folder_is_refused(tmp_path, settings, bad_file):
    corpus = small_corpus(tmp_path / "corpus", ["politiks-troops-quell-protests"])
    (tmp_path / "outside.txt").write_text("A secret outside the corpus folder, which must never be ingested.", encoding="utf-8")
    (corpus / "link.txt").symlink_to(tmp_path / "outside.txt")
    manifest = yaml.safe_load((corpus / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["documents"].append({"doc_id": "escape", "file": bad_file, "title": "t", "publisher": "X", "genre": "news"})
    (corpus / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    report = ingest_corpus(corpus, settings)
    assert not report.ok
    assert any(p.name == "escape" and "refused" in p.message for p in report.problems)
    assert "escape" not in store_for(settings).document_ids()


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", max_document_bytes=2048)
    corpus = small_corpus(tmp_path / "corpus", ["politiks-troops-quell-protests"])
    report = ingest_corpus(corpus, settings)
    assert not report.ok and "over the limit" in report.problems[0].message and report.documents == 0


def test_an_html_page_ingests_to_its_article(tmp_path, settings):
    corpus = tmp_path / "pages"
    corpus.mkdir()
    (corpus / "page.html").write_text(
        "<html><head><title>Peskov on the mission</title><meta name='author' content='Jane Roe'>"
        "<meta property='article:published_time' content='2022-01-11'></head><body><nav>Home | World | Sport</nav>"
        "<article><h1>Peskov on the mission</h1><p>Kremlin spokesman Dmitry Peskov said on Tuesday that the decision "
        "to end the mission was entirely a matter for Kazakhstan, and that Russia would not interfere in it.</p>"
        "<p>The withdrawal was due to begin within two days, the Kazakh president said earlier.</p></article>"
        "<footer>Subscribe to our newsletter</footer></body></html>",
        encoding="utf-8",
    )
    (corpus / "manifest.yaml").write_text(yaml.safe_dump({"documents": [
        {"doc_id": "page", "file": "page.html", "title": "Peskov on the mission", "publisher": "Example Wire", "genre": "news",
         "outlet_voice": "independent"}]}), encoding="utf-8")
    assert ingest_corpus(corpus, settings).ok
    doc = store_for(settings).get_document("page")
    assert "Subscribe" not in doc.text and "Home | World" not in doc.text
    assert doc.meta.author == "Jane Roe" and doc.meta.published == "2022-01-11"
    peskov = next(c for c in doc.claims if "Peskov" in c.text)
    assert peskov.attribution.speaker.name == "Dmitry Peskov"


def test_an_outlet_nothing_classifies_is_named_with_its_default_voice(tmp_path, settings):
    corpus = small_corpus(tmp_path / "corpus", ["politiks-troops-quell-protests"])
    manifest = yaml.safe_load((corpus / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["documents"][0].update(publisher="The Velmar Courier", url="https://velmar-courier.example/a", outlet_voice=None)
    (corpus / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    report = ingest_corpus(corpus, settings)
    voice, reason = report.assumed_outlets["The Velmar Courier"]
    assert voice == "independent" and "State Media Matrix" in reason
