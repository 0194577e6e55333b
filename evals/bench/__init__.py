"""``sourcewise bench``: how fast Sourcewise ingests and answers, and how it grows, in one run.

The sections are in :mod:`evals.bench.runs`, the large corpus in :mod:`evals.bench.corpus`, the
report in :mod:`evals.bench.report`. The run starts one ``chroma run`` server in a temporary folder,
ingests the sample corpus, writes the large corpus to the server, serves both from it (one replica,
then two), and rewrites ``docs/benchmarks.md``. ``--quick`` is the same run at a tenth of the size
(a smoke run, five minutes); the full run takes about a quarter of an hour on two cores.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from evals.bench.report import Machine, Section, progress, render_report
from sourcewise.settings import PROJECT_ROOT

DEFAULT_OUTPUT = PROJECT_ROOT / "docs" / "benchmarks.md"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sourcewise bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the size: 250 documents, fewer rounds")
    parser.add_argument("--documents", type=int, default=None, help="documents in the large corpus (default 2,500)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the report goes")
    parser.add_argument("--no-output", action="store_true", help="print the report only")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when it ran (1 with ``--check`` and a missed target), 2 when it could not run."""
    from evals.bench import runs
    from service.launch import ChromaServer

    args = build_parser().parse_args(argv)
    size = runs.QUICK if args.quick else runs.FULL
    if args.documents is not None:
        if args.documents < 1:
            print("sourcewise bench: --documents must be at least 1", file=sys.stderr)
            return 2
        size = runs.Size(args.documents, size.questions, size.rounds, size.ingest_runs)
    command = " ".join(["sourcewise", "bench", *(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))])
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    machine = Machine.current()
    sections: list[Section] = []
    progress(f"{machine.cpus} CPUs, load average {machine.load_average[0]:.2f}; {size.documents:,} documents")
    with tempfile.TemporaryDirectory(prefix="sourcewise-bench-") as tmp:
        workdir = Path(tmp)
        server = ChromaServer(workdir / "chroma", workdir / "chroma.log")
        try:
            server.wait_ready()
            ingest, embed_rate = runs.bench_ingest(workdir, size.ingest_runs)
            sections.append(ingest)
            sample_settings = server.settings(collection_prefix="bench-sample")
            _ingest_sample(sample_settings, workdir)
            large_section, large_settings = runs.build_large(server, size.documents, embed_rate)
            sections.append(large_section)
            sample = runs.bench_serving("sample", sample_settings, "sample", workdir, size)
            large = runs.bench_serving("large", large_settings, "bench-ngo", workdir, size)
            sections.append(runs.serving_section(sample, large))
            sections.append(runs.bench_replicas(large_settings, workdir))
        except (RuntimeError, OSError) as exc:
            print(f"sourcewise bench: {exc}\n{runs.tail(workdir / 'chroma.log')}", file=sys.stderr)
            return 2
        finally:
            server.stop()
    seconds = time.perf_counter() - started
    report = render_report(sections, command=command, started=started_at, seconds=seconds, machine=machine,
                           load_at_end=os.getloadavg() if hasattr(os, "getloadavg") else None)
    print(report)
    if not args.no_output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report, encoding="utf-8")
        progress(f"written to {args.output} ({seconds / 60:.1f} min)")
    missed = [f"{s.title}: {r.measure} {r.result}" for s in sections for r in s.rows if r.missed]
    for line in missed:
        print(f"target missed - {line}", file=sys.stderr)
    return 1 if args.check and missed else 0


def _ingest_sample(settings, workdir: Path) -> None:
    """The sample corpus on the benchmark's server (what the sample replica serves)."""
    from ingest.pipeline import ingest_corpus

    progress("sample corpus: ingesting into the Chroma server")
    report = ingest_corpus(PROJECT_ROOT / "corpus" / "sample", settings.model_copy(update={"data_dir": workdir / "sample"}))
    if not report.ok:
        raise RuntimeError(f"ingest of the sample failed: {report.problems[0].message}")


if __name__ == "__main__":
    raise SystemExit(main())
