"""The benchmark's report: targets, samples and their percentiles, sections and the markdown file.

Nothing here measures anything; :mod:`evals.bench.runs` does, and every figure of one report
comes from one run of it.
"""

from __future__ import annotations

import math
import os
import platform
import re
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Target:
    """A bound from the issue that one measured figure must meet."""

    bound: Literal["<=", ">="]
    value: float
    unit: str = ""

    def met(self, actual: float) -> bool:
        """Whether ``actual`` meets the bound (NaN never does)."""
        if math.isnan(actual):
            return False
        return actual <= self.value if self.bound == "<=" else actual >= self.value

    def describe(self) -> str:
        """The bound as written in the tables, e.g. ``<= 60 ms``."""
        unit = self.unit if self.unit in ("", "x") else f" {self.unit}"
        return f"{self.bound} {self.value:g}{unit}"

    def shortfall(self, actual: float) -> str:
        """By how much ``actual`` misses the bound, e.g. ``12.3 ms over (+21%)``; empty when met."""
        if self.met(actual):
            return ""
        if math.isnan(actual):
            return "not measured"
        gap = abs(actual - self.value)
        direction = "over" if self.bound == "<=" else "under"
        unit = self.unit if self.unit in ("", "x") else f" {self.unit}"
        relative = f" ({(actual - self.value) / self.value:+.0%})" if self.value else ""
        return f"{gap:.3g}{unit} {direction}{relative}"


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0 to 100) of ``values``, linearly interpolated as numpy's default.

    NaN for no values.
    """
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0 and 100, got {q}")
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Stats:
    """Median and p95 of timing samples, in milliseconds."""

    count: int
    median: float
    p95: float

    @classmethod
    def of(cls, samples_ms: Sequence[float]) -> Stats:
        """Summarise ``samples_ms``."""
        return cls(len(samples_ms), percentile(samples_ms, 50), percentile(samples_ms, 95))


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured markdown table; pipes and line breaks inside cells are escaped."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ").strip()

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row {list(row)!r} has {len(row)} cells for {len(headers)} columns")
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    return "\n".join(lines)


def select_questions(questions: Sequence[Any], count: int) -> list[Any]:
    """Up to ``count`` questions taken in turn from each ``kind``, in file order: a varied, stable set."""
    by_kind: dict[Any, list[Any]] = {}
    for question in questions:
        by_kind.setdefault(question.kind, []).append(question)
    picked: list[Any] = []
    queues = [list(group) for group in by_kind.values()]
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    return picked


@dataclass
class Row:
    """One line of a result table: a measure, its median (or value) and p95, and its target."""

    measure: str
    median: str
    p95: str = "—"
    target: Target | None = None
    actual: float = math.nan

    @property
    def result(self) -> str:
        """``PASS``, ``MISS: by how much``, or ``—`` without a target."""
        if self.target is None:
            return "—"
        if self.target.met(self.actual):
            return "PASS"
        return f"MISS: {self.target.shortfall(self.actual)}"

    @property
    def missed(self) -> bool:
        """Whether the row has a target and misses it."""
        return self.target is not None and not self.target.met(self.actual)


@dataclass
class Section:
    """One section of the report: what was measured and how, its table, and why targets were missed."""

    title: str
    method: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)

    def table(self) -> str:
        """The section's rows as a markdown table."""
        headers = ["Measure", "Median / value", "p95", "Target", "Result"]
        return markdown_table(
            headers,
            [[r.measure, r.median, r.p95, r.target.describe() if r.target else "—", r.result] for r in self.rows],
        )

    def markdown(self) -> str:
        """The section as markdown: heading, method, table, notes and the reasons for misses."""
        parts = [f"## {self.title}", "", self.method, "", self.table()]
        if self.notes:
            parts += [""] + [f"- {note}" for note in self.notes]
        if self.why:
            parts += ["", "**Why the target is missed:**", ""] + [f"- {reason}" for reason in self.why]
        return "\n".join(parts)


@dataclass(frozen=True)
class Machine:
    """What the run ran on."""

    cpus: int
    memory_gib: float
    cpu_model: str
    load_average: tuple[float, float, float]
    python: str
    system: str

    @classmethod
    def current(cls) -> Machine:
        """This machine, now."""
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        memory = math.nan
        model = platform.processor() or platform.machine()
        try:
            meminfo = Path("/proc/meminfo").read_text()
            match = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.MULTILINE)
            memory = int(match.group(1)) / 1024**2 if match else math.nan
            cpuinfo = Path("/proc/cpuinfo").read_text()
            found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
            model = found.group(1).strip() if found else model
        except OSError:
            pass
        load = os.getloadavg() if hasattr(os, "getloadavg") else (math.nan,) * 3
        return cls(
            cpus, memory, model, tuple(round(x, 2) for x in load), platform.python_version(), platform.platform()
        )

    def describe(self) -> str:
        """One line for the report."""
        load = ", ".join(f"{x:.2f}" for x in self.load_average)
        return (
            f"{self.cpus} CPUs ({self.cpu_model}), {self.memory_gib:.1f} GiB RAM, {self.system}, "
            f"Python {self.python}; load average at start {load}"
        )


def render_report(
    sections: Sequence[Section],
    *,
    command: str,
    started: datetime,
    seconds: float,
    machine: Machine,
    load_at_end: Sequence[float] | None = None,
) -> str:
    """The whole ``docs/benchmarks.md``: the static intro, the run's context and every section."""
    header = f"""# Benchmarks

How fast Sourcewise ingests and answers, and how that grows from the five-document sample to a
corpus of 2,500 documents and 100,000 passages, against the targets of the issues.
`sourcewise bench` (or `make bench`) measures everything in one run and rewrites this file;
`sourcewise bench --quick` is the same run at a tenth of the size. Medians and p95 are over the
samples of one run; ratios compare figures taken side by side in that run, so that load on the
machine slows both sides alike. Absolute times on a shared machine are noisy: compare ratios, and
rerun before drawing conclusions from a few milliseconds.

## This run

- Command: `{command}`
- Date: {started.strftime("%Y-%m-%d %H:%M UTC")} (took {seconds / 60:.1f} min)
- Machine: {machine.describe()}
- All timings are wall-clock (`time.perf_counter`); p95 is linearly interpolated.
"""
    if load_at_end is not None:
        header += f"- Load average at the end: {', '.join(f'{x:.2f}' for x in load_at_end)}\n"
    targeted = [(section, row) for section in sections for row in section.rows if row.target is not None]
    summary = markdown_table(
        ["Section", "Measure", "Median / value", "p95", "Target", "Result"],
        [
            [section.title, row.measure, row.median, row.p95, row.target.describe(), row.result]
            for section, row in targeted
        ],
    )
    body = [f"## Targets\n\n{summary}"] + [section.markdown() for section in sections]
    return header + "\n" + "\n\n".join(body) + "\n"


def progress(message: str) -> None:
    """Progress for the person waiting: stderr, so stdout holds only the results."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fmt_ms(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.1f} ms"


def fmt_s(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.2f} s"


def fmt_mib(kib: float | None) -> str:
    return "—" if kib is None or math.isnan(kib) else f"{kib / 1024:.0f} MiB"


def timed_ms(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """``call(*args, **kwargs)`` and the milliseconds it took."""
    started = time.perf_counter()
    result = call(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000


def peak_rss_kib(pid: int) -> float | None:
    """Peak resident memory (``VmHWM``) of a live process, in KiB; None where /proc cannot tell."""
    return _proc_status_kib(pid, "VmHWM")


def own_peak_rss_kib() -> float:
    """Peak resident memory of this process so far, in KiB (Linux reports ru_maxrss in KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform == "darwin" else float(peak)


def rss_kib(pid: int) -> float | None:
    """Resident memory (``VmRSS``) of a live process now, in KiB; None where /proc cannot tell."""
    return _proc_status_kib(pid, "VmRSS")


def _proc_status_kib(pid: int, field: str) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return float(match.group(1)) if match else None
