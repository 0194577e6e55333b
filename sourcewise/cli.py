"""The ``sourcewise`` command line: ingest, serve, run, eval, attribution, bench."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sourcewise.settings import PROJECT_ROOT, Settings, get_settings

logger = logging.getLogger("sourcewise")


def _ingest(args: argparse.Namespace) -> int:
    from ingest.manifest import ManifestError
    from ingest.pipeline import ingest_corpus
    from vectorstore.store import IndexMismatch, StoreUnavailable

    settings = get_settings()
    corpus = Path(args.corpus or settings.corpus_dir)
    try:
        report = ingest_corpus(corpus, settings, progress=not args.quiet)
    except (ManifestError, StoreUnavailable, IndexMismatch) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"\nIngested {corpus} as corpus {report.corpus!r} into {_store_location(settings)}")
    written = ", ".join(f"{n} {status}" for status, n in sorted(report.written.items())) or "none"
    print(f"  documents {report.documents} ({written})   sentences {report.sentences}   passages {report.passages}   "
          f"chunks {report.chunks}   quoted claims {report.quotes}")
    if report.removed:
        print(f"  removed from the store (no longer in the manifest): {', '.join(report.removed)}")
    if report.orphans:
        print(f"  removed {report.orphans} records an interrupted earlier ingest had left")
    print(f"  {'voice':<20} {'claims':>9} {'speakers':>9}  examples")
    for voice in _voice_ids():
        speakers = sorted(report.speakers_per_voice.get(voice, set()))
        sample = ", ".join(speakers[:4]) + (" …" if len(speakers) > 4 else "")
        print(f"  {voice:<20} {report.claims_per_voice.get(voice, 0):>9} {len(speakers):>9}  {sample}")
    print(f"  took {report.seconds:.1f} s (embedding {report.embed_seconds:.1f} s)")
    for outlet, (voice, reason) in sorted(report.assumed_outlets.items()):
        print(f"note: publisher {outlet!r}: its own sentences are {voice!r} by default ({reason}); "
              f"`sourcewise registry explain {outlet!r}` shows what was tried", file=sys.stderr)
    for problem in report.problems:
        print(f"problem: {problem.message}", file=sys.stderr)
    if report.problems:
        print(f"{len(report.problems)} file(s) not ingested; the rest is in the store.", file=sys.stderr)
        return 1
    return 0


def _voice_ids() -> list[str]:
    from sourcewise.types import Voice

    return [v.value for v in Voice]


def _store_location(settings: Settings) -> str:
    if settings.chroma_host:
        return f"Chroma server {settings.chroma_host}:{settings.chroma_port}"
    return str(settings.chroma_path)


def _index_is_empty(settings: Settings) -> bool:
    from vectorstore.embeddings import load_embedder
    from vectorstore.store import KnowledgeStore

    store = KnowledgeStore.connect(settings, dimension=load_embedder(settings).dimension)
    return store.counts().get("chunks", 0) == 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from vectorstore.store import IndexMismatch, StoreUnavailable

    settings = get_settings()
    try:
        if args.build_index and _index_is_empty(settings):
            print("The index is empty: building it from the sample corpus first.")
            code = _ingest(argparse.Namespace(corpus=None, quiet=False))
            if code == 2:
                return code
    except (StoreUnavailable, IndexMismatch) as exc:
        # The API still starts: it answers 503 with this message until the store is back.
        print(f"warning: {exc}", file=sys.stderr)
    # log_config=None: the app configures logging itself (text or JSON lines, with request ids).
    uvicorn.run("service.app:app_factory", factory=True, host=args.host or settings.host, port=args.port or settings.port,
                workers=args.workers or settings.workers, log_config=None, access_log=False)
    return 0


def _run(args: argparse.Namespace) -> int:
    """The API and the chat UI together, until Ctrl-C."""
    settings = get_settings()
    port, ui_port = args.port or settings.port, args.ui_port
    env = dict(os.environ, SOURCEWISE_API_URL=f"http://127.0.0.1:{port}")
    bin_dir = Path(sys.executable).parent
    api = subprocess.Popen([str(bin_dir / "sourcewise"), "serve", "--port", str(port), "--host", settings.host], env=env)
    ui = subprocess.Popen(
        [str(bin_dir / "streamlit"), "run", str(PROJECT_ROOT / "ui" / "streamlit_app.py"), "--server.port", str(ui_port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.address", settings.ui_host],
        env=env,
    )
    print(f"\n  Sourcewise API:  http://{settings.host}:{port}  (docs: http://{settings.host}:{port}/docs)")
    print(f"  Sourcewise chat: http://{settings.ui_host}:{ui_port}\n  Ctrl-C stops both.\n", flush=True)
    try:
        while api.poll() is None and ui.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for proc in (api, ui):
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in (api, ui):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


def _attribution(args: argparse.Namespace) -> int:
    from evals.attribution import GOLD_PATH, GoldError, format_report, load_gold, score_attribution
    from ingest.manifest import ManifestError
    from ingest.pipeline import read_corpus
    from sourcewise.registry import cached_registry
    from vectorstore.embeddings import load_embedder

    settings = get_settings()
    corpus = Path(args.corpus or settings.corpus_dir)
    gold_path = Path(args.gold) if args.gold else (corpus / "gold.yaml" if (corpus / "gold.yaml").is_file() else GOLD_PATH)
    try:
        gold = load_gold(gold_path)
        embedder = load_embedder(settings)
        documents, problems, _ = read_corpus(
            corpus, cached_registry(tuple(settings.registry_paths)),
            count_tokens=embedder.count_tokens, chunking=settings.chunking,
        )
    except (GoldError, ManifestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"problem: {problem.message}", file=sys.stderr)
    score = score_attribution(documents, gold)
    print(f"corpus {corpus}  gold {gold_path}  documents {len(documents)}")
    print(format_report(score, verbose=args.verbose))
    return 0


def _registry(args: argparse.Namespace) -> int:
    from sourcewise.registry import RegistryError, cached_registry

    settings = get_settings()
    try:
        registry = cached_registry(tuple(settings.registry_paths))
    except RegistryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in registry.explain(args.name, url=args.url):
        print(line)
    return 0


def _keys(args: argparse.Namespace) -> int:
    import json

    from service.access import hash_key, new_key

    if args.key:
        key, digest = args.key, hash_key(args.key)
    else:
        key, digest = new_key()
    spec = {"name": args.name, "sha256": digest, "access": "write" if args.write else "read", "per_minute": args.per_minute}
    print(f"key (give it to the client; it is not stored anywhere): {key}")
    print("add this to SOURCEWISE_API_KEYS (a JSON list):")
    print(json.dumps(spec))
    return 0


def _eval(rest: list[str]) -> int:
    from evals.runner import main as eval_main

    return eval_main(rest)


def _bench(rest: list[str]) -> int:
    from evals.bench import main as bench_main

    return bench_main(rest)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``sourcewise`` command."""
    logging.basicConfig(level=os.environ.get("SOURCEWISE_LOG_LEVEL", "WARNING"), format="%(levelname)s %(name)s: %(message)s")
    argv = list(sys.argv[1:] if argv is None else argv)
    # eval and bench own their options.
    if argv and argv[0] in ("eval", "bench", "load"):
        if argv[0] == "load":
            from evals.bench.load import main as load_main

            return load_main(argv[1:])
        return (_eval if argv[0] == "eval" else _bench)(argv[1:])
    parser = argparse.ArgumentParser(prog="sourcewise", description="Quote-first, speaker-attributed answers.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="build or update the index from a corpus folder with manifest.yaml")
    p.add_argument("--corpus", help="corpus folder (default: SOURCEWISE_CORPUS_DIR or the sample corpus)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=_ingest)
    p = sub.add_parser("serve", help="serve the REST API")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--build-index", action="store_true", help="ingest the sample corpus first if the index is empty")
    p.add_argument("--workers", type=int, help="service processes on the one port (default: SOURCEWISE_WORKERS or 1)")
    p.set_defaults(func=_serve)
    p = sub.add_parser("run", help="serve the API and the chat UI")
    p.add_argument("--port", type=int)
    p.add_argument("--ui-port", type=int, default=8501)
    p.set_defaults(func=_run)
    p = sub.add_parser("attribution", help="score claims, speakers and voices of a corpus against hand-labelled gold")
    p.add_argument("--corpus", help="corpus folder (default: the sample corpus)")
    p.add_argument("--gold", help="gold file (default: the corpus's gold.yaml, else the sample gold)")
    p.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    p.set_defaults(func=_attribution)
    p = sub.add_parser("registry", help="inspect the registry of who is who")
    registry_sub = p.add_subparsers(dest="registry_command", required=True)
    q = registry_sub.add_parser("explain", help="what a name (and a web address) matches, and why it has its voice")
    q.add_argument("name")
    q.add_argument("--url", help="a document's web address, to see which outlet its domain names")
    q.set_defaults(func=_registry)
    p = sub.add_parser("keys", help="API keys")
    keys_sub = p.add_subparsers(dest="keys_command", required=True)
    q = keys_sub.add_parser("new", help="make a key and print the hash line for SOURCEWISE_API_KEYS")
    q.add_argument("--name", required=True)
    q.add_argument("--write", action="store_true", help="allow POST/DELETE /v1/documents")
    q.add_argument("--per-minute", type=int, default=120)
    q.add_argument("--key", help="hash this key instead of making a new one")
    q.set_defaults(func=_keys)
    sub.add_parser("eval", help="run the evaluation set (see `sourcewise eval --help`)")
    sub.add_parser("bench", help="run the benchmark (see `sourcewise bench --help`)")
    sub.add_parser("load", help="the service under 10 and 50 concurrent clients, 1 and 2 workers (`--help`)")
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
