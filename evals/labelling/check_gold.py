"""Check a hand-labelled gold file's form against its texts, never the attribution.

``python -m evals.labelling.check_gold TEXTS_DIR GOLD.yaml`` reports every label whose fragment is
not in its document (copied with other quotes or dashes), appears more than once, or comes before
the label above it, and every document with no labels; it exits 1 if there is any. A labeller runs
it before handing a set over (``GUIDE.md``), so that a mistyped fragment does not score as a miss.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from evals.attribution import GoldError, fragment_pattern, load_gold


def _count(text: str, fragment: str) -> tuple[int, int]:
    """How often ``fragment`` occurs in ``text`` (allowing other whitespace), and where first."""
    at = text.find(fragment)
    if at >= 0:
        return text.count(fragment), at
    pattern = fragment_pattern(fragment)
    found = list(re.finditer(pattern, text)) if pattern else []
    return len(found), (found[0].start() if found else -1)


def check(texts_dir: Path, gold_path: Path) -> list[str]:
    """The problems of a gold file's labels against the texts in ``texts_dir`` (``<doc_id>.txt``)."""
    problems: list[str] = []
    for doc in load_gold(gold_path):
        path = texts_dir / f"{doc.doc_id}.txt"
        if not path.is_file():
            problems.append(f"{doc.doc_id}: no text file {path}")
            continue
        text = path.read_text(encoding="utf-8")
        if not doc.claims:
            problems.append(f"{doc.doc_id}: no labels")
        last = -1
        for claim in doc.claims:
            n, at = _count(text, claim.text)
            if n == 0:
                problems.append(f"{doc.doc_id}: not found: {claim.text!r}")
                continue
            if n > 1:
                problems.append(f"{doc.doc_id}: not unique ({n} times): {claim.text!r}")
            if at < last:
                problems.append(f"{doc.doc_id}: out of document order: {claim.text!r}")
            last = max(last, at)
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m evals.labelling.check_gold TEXTS_DIR GOLD.yaml", file=sys.stderr)
        return 2
    try:
        problems = check(Path(args[0]), Path(args[1]))
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
