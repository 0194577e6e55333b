"""``sourcewise load``: the service under concurrent clients, one worker against two, on loopback.

A ``chroma run`` server holds the sample corpus; the service runs as ``sourcewise serve`` would
(uvicorn, the app factory), first with one worker, then with two (the documented production run on
two cores). Each client thread asks the evaluation questions in turn (a mix of plain questions,
follow-ups with their history and filtered ones) for the whole duration, and honours a 503's
``Retry-After`` (a shed request, counted apart from errors). Meanwhile one more thread times
``GET /healthz`` every 100 ms and another samples the service's resident memory every 2 s.
Prints a markdown report (and writes it with ``--output``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from evals.bench.report import Row, Section, Target, fmt_ms, markdown_table, percentile, progress, rss_kib
from service.launch import ChromaServer, free_port, running_server
from sourcewise.settings import PROJECT_ROOT, Settings

TARGET_SCALING = Target(">=", 1.7, "x")
TARGET_HEALTH_P99_MS = Target("<=", 100.0, "ms")
TARGET_ERRORS = Target("<=", 0.0, "")
TARGET_SHED_MS = Target("<=", 1500.0, "ms")


@dataclass
class Tally:
    """What the clients saw in one run."""

    latencies_ms: list[float] = field(default_factory=list)
    shed_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    health_ms: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # CPU seconds used during the run by the service (all workers), the Chroma server and this load
    # generator: on a machine the three share, what the service could use at most.
    cpu_s: dict[str, float] = field(default_factory=dict)


def payloads() -> list[dict[str, Any]]:
    """The evaluation questions as request bodies: plain, follow-ups with history, some filtered."""
    from evals.schema import QUESTIONS_PATH, load_questions

    bodies = []
    for number, question in enumerate(load_questions(QUESTIONS_PATH).questions):
        body: dict[str, Any] = {"question": question.question}
        if question.history:
            body["history"] = [turn.model_dump() for turn in question.history]
        if number % 4 == 0:
            body["filters"] = {"corpora": ["sample"]}
        elif number % 7 == 0:
            body["filters"] = {"voices": ["russian_state", "independent"]}
        bodies.append(body)
    return bodies


def _client(url: str, bodies: Sequence[dict[str, Any]], offset: int, stop: threading.Event, tally: Tally) -> None:
    # The standard library's client: the generator shares the machine with the service, so it should
    # cost as little CPU per request as it can (httpx costs several times more).
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    encoded = [json.dumps(body).encode() for body in bodies]
    index = offset
    while not stop.is_set():
        body = encoded[index % len(encoded)]
        index += 1
        started = time.perf_counter()
        try:
            connection.request("POST", "/v1/ask", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            with tally.lock:
                tally.errors.append(type(exc).__name__)
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            continue
        ms = (time.perf_counter() - started) * 1000
        retry_after = response.getheader("retry-after")
        if response.status == 200:
            with tally.lock:
                tally.latencies_ms.append(ms)
        elif response.status == 503 and retry_after:
            with tally.lock:
                tally.shed_ms.append(ms)
            stop.wait(min(float(retry_after), 2.0))
        else:
            with tally.lock:
                tally.errors.append(f"HTTP {response.status}")
    connection.close()


def _health(url: str, stop: threading.Event, tally: Tally) -> None:
    with httpx.Client(base_url=url, timeout=10) as client:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                client.get("/healthz")
                tally.health_ms.append((time.perf_counter() - started) * 1000)
            except httpx.HTTPError:
                tally.errors.append("healthz failed")
            stop.wait(0.1)


def _tree_pids(pid: int) -> list[int]:
    """A process and its descendants."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def _tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and its descendants (uvicorn's workers), in MiB."""
    return sum(rss_kib(p) or 0.0 for p in _tree_pids(pid)) / 1024


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of a process tree so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in _tree_pids(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _memory(pid: int, stop: threading.Event, tally: Tally) -> None:
    while not stop.is_set():
        tally.rss_mib.append(_tree_rss_mib(pid))
        stop.wait(2.0)


@contextmanager
def service(settings: Settings, workdir: Path, workers: int) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {**os.environ, "CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(settings.chroma_port),
           "SOURCEWISE_COLLECTION_PREFIX": settings.collection_prefix, "SOURCEWISE_DATA_DIR": str(workdir / f"data-{workers}"),
           "HF_HUB_OFFLINE": "1", "SOURCEWISE_LOG_LEVEL": "WARNING"}
    env.pop("SOURCEWISE_API_KEYS", None)
    command = [sys.executable, "-m", "sourcewise.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]
    url = f"http://127.0.0.1:{port}"
    with running_server(command, env=env, health_url=f"{url}/readyz", log_path=workdir / f"serve-{workers}.log",
                        timeout=180, name=f"the service ({workers} workers)") as process:
        # Every worker has loaded its model once /readyz has answered a few times.
        for _ in range(workers * 4):
            httpx.post(f"{url}/v1/ask", json={"question": "Why were CSTO troops sent to Kazakhstan?"}, timeout=120)
        yield url, process.pid


def run(url: str, pid: int, clients: int, seconds: float, chroma_pid: int | None = None) -> Tally:
    bodies = payloads()
    tally = Tally()
    before = {"service": _cpu_seconds(pid), "generator": time.process_time(),
              "chroma": _cpu_seconds(chroma_pid) if chroma_pid else 0.0}
    stop = threading.Event()
    threads = [threading.Thread(target=_client, args=(url, bodies, n * 7, stop, tally), daemon=True) for n in range(clients)]
    threads += [threading.Thread(target=_health, args=(url, stop, tally), daemon=True),
                threading.Thread(target=_memory, args=(pid, stop, tally), daemon=True)]
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    after = {"service": _cpu_seconds(pid), "generator": time.process_time(),
             "chroma": _cpu_seconds(chroma_pid) if chroma_pid else 0.0}
    tally.cpu_s = {k: after[k] - before[k] for k in before}
    return tally


def row_of(name: str, tally: Tally, seconds: float) -> list[str]:
    lat = tally.latencies_ms
    rss = tally.rss_mib
    return [name, f"{len(lat) / seconds:.1f}/s", fmt_ms(percentile(lat, 50)), fmt_ms(percentile(lat, 95)),
            fmt_ms(percentile(lat, 99)), str(len(tally.shed_ms)), str(len(tally.errors)),
            fmt_ms(percentile(tally.health_ms, 99)),
            f"{rss[0]:.0f} → {max(rss):.0f} → {rss[-1]:.0f} MiB" if rss else "—",
            " / ".join(f"{tally.cpu_s.get(k, 0.0) / seconds:.2f}" for k in ("service", "chroma", "generator")),
            f"{tally.cpu_s.get('service', 0.0) * 1000 / max(len(lat), 1):.0f} ms"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sourcewise load", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each run (default 60)")
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50], help="concurrent clients per run")
    parser.add_argument("--output", type=Path, default=None, help="also write the report here (markdown)")
    args = parser.parse_args(argv)
    from ingest.pipeline import ingest_corpus

    results: list[list[str]] = []
    tallies: dict[tuple[int, int], Tally] = {}
    with tempfile.TemporaryDirectory(prefix="sourcewise-load-") as tmp:
        workdir = Path(tmp)
        server = ChromaServer(workdir / "chroma", workdir / "chroma.log")
        try:
            server.wait_ready()
            settings = server.settings(collection_prefix="load", data_dir=workdir / "ingest")
            progress("load: ingesting the sample corpus into a Chroma server")
            ingest_corpus(PROJECT_ROOT / "corpus" / "sample", settings)
            for workers in (1, 2):
                with service(settings, workdir, workers) as (url, pid):
                    for clients in args.clients:
                        progress(f"load: {workers} worker(s), {clients} clients, {args.seconds:.0f} s")
                        tally = run(url, pid, clients, args.seconds, server.process.pid)
                        tallies[(workers, clients)] = tally
                        results.append(row_of(f"{workers} worker(s), {clients} clients", tally, args.seconds))
        finally:
            server.stop()
    most = max(args.clients)
    one, two = tallies[(1, most)], tallies[(2, most)]
    scaling = len(two.latencies_ms) / max(len(one.latencies_ms), 1)
    errors = sum(len(t.errors) for t in tallies.values())
    shed = [ms for t in tallies.values() for ms in t.shed_ms]
    section = Section(
        title="Load (sourcewise load)",
        method=(f"{', '.join(map(str, args.clients))} concurrent clients for {args.seconds:.0f} s each, the sample "
                "corpus in a `chroma run` server, `sourcewise serve --workers 1` then `--workers 2`; the evaluation "
                "questions in turn (a quarter filtered by corpus, some by voice, follow-ups with history); a 503 "
                "with Retry-After is a shed request (the client waits and goes on), anything else not 200 an error."),
    )
    section.rows = [
        Row(f"throughput, 2 workers / 1 worker at {most} clients", f"{scaling:.2f}x", target=TARGET_SCALING, actual=scaling),
        Row(f"/healthz p99 at {most} clients, 1 worker", fmt_ms(percentile(one.health_ms, 99)),
            target=TARGET_HEALTH_P99_MS, actual=percentile(one.health_ms, 99)),
        Row("errors (not 200, not a 503 with Retry-After)", str(errors), target=TARGET_ERRORS, actual=float(errors)),
        Row("time to a 503 when over capacity, p95", fmt_ms(percentile(shed, 95)) if shed else "none shed",
            target=TARGET_SHED_MS if shed else None, actual=percentile(shed, 95) if shed else float("nan")),
    ]
    table = markdown_table(["Run", "Answers", "p50", "p95", "p99", "Shed (503)", "Errors", "/healthz p99",
                            "RSS first → max → last", "cores used: service / Chroma / load generator",
                            "service CPU per answer"], results)
    # What the machine left the service: its cores less what Chroma and the load generator used.
    cores = os.cpu_count() or 1
    cpu = {w: {k: v / args.seconds for k, v in tallies[(w, most)].cpu_s.items()} for w in (1, 2)}
    others = {w: cpu[w].get("chroma", 0.0) + cpu[w].get("generator", 0.0) for w in (1, 2)}
    section.rows.append(Row(
        f"cores the service used at {most} clients, 1 worker → 2 workers (of {cores}; Chroma and the load "
        f"generator used the rest: {others[1]:.2f} → {others[2]:.2f})",
        f"{cpu[1].get('service', 0.0):.2f} → {cpu[2].get('service', 0.0):.2f}"))
    report = section.markdown() + "\n\n" + table + "\n"
    print(report)
    if args.output:
        args.output.write_text("# Load\n\n" + report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
