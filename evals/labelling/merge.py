"""Merge the labellers' files of a development set into one corpus folder the scorer reads.

``python -m evals.labelling.merge SET OUT [IDS]``: every ``SET/manifest_*.yaml`` and
``SET/gold_*.yaml`` (``GUIDE.md``) become ``OUT/manifest.yaml`` and ``OUT/gold.yaml``, with the
texts from ``SET/all``; with ``IDS`` (a file of doc_ids, one per line) only those documents, so that
a set's study part and its unseen third are scored apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def merge(set_dir: Path, out: Path, keep: set[str] | None = None) -> tuple[int, int]:
    """Write the merged corpus; return (documents, labels)."""
    manifest: list[dict] = []
    gold: list[dict] = []
    for path in sorted(set_dir.glob("manifest_*.yaml")):
        manifest += yaml.safe_load(path.read_text(encoding="utf-8"))["documents"]
    for path in sorted(set_dir.glob("gold_*.yaml")):
        gold += yaml.safe_load(path.read_text(encoding="utf-8"))["documents"]
    if keep is not None:
        manifest = [m for m in manifest if m["doc_id"] in keep]
        gold = [g for g in gold if g["doc_id"] in keep]
    out.mkdir(parents=True, exist_ok=True)
    for entry in manifest:
        entry["title"] = entry.get("title") or ""
        if entry.get("published") is not None:
            entry["published"] = str(entry["published"])
        source = set_dir / "all" / entry["file"]
        (out / entry["file"]).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (out / "manifest.yaml").write_text(
        yaml.safe_dump({"corpus": out.name, "documents": manifest}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (out / "gold.yaml").write_text(yaml.safe_dump({"documents": gold}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(manifest), sum(len(g["claims"]) for g in gold)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        print("usage: python -m evals.labelling.merge SET OUT [IDS]", file=sys.stderr)
        return 2
    keep = set(Path(args[2]).read_text(encoding="utf-8").split()) if len(args) == 3 else None
    documents, labels = merge(Path(args[0]), Path(args[1]), keep)
    print(f"{documents} documents, {labels} labels -> {args[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
