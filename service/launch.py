"""Start a server in a subprocess and wait until it answers its health check.

One piece of code for the benchmark and the test fixtures, which run the API (uvicorn) and the
chat page (Streamlit) as real processes on loopback.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from sourcewise.settings import PROJECT_ROOT


class ServerStartError(RuntimeError):
    """The server exited or did not become healthy; the message ends with the tail of its log."""


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def api_command(port: int) -> list[str]:
    """The uvicorn command that serves the Sourcewise API on a loopback port."""
    return [
        sys.executable, "-m", "uvicorn", "service.app:app_factory", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip


def log_tail(path: Path, chars: int = 6000) -> str:
    """The end of a log file (empty when there is none)."""
    return (path.read_text(errors="replace") if path.exists() else "")[-chars:]


@contextmanager
def running_server(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    health_url: str,
    log_path: Path,
    timeout: float,
    name: str = "the server",
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` until the block ends; enter only once ``health_url`` answers 200."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(list(command), cwd=PROJECT_ROOT, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(process, health_url, log_path, timeout, name)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_healthy(process: subprocess.Popen[bytes], url: str, log_path: Path, timeout: float, name: str) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while True:
        if process.poll() is not None:
            raise ServerStartError(f"{name} exited with code {process.returncode}:\n{log_tail(log_path)}")
        if time.monotonic() > deadline:
            raise ServerStartError(f"{name} was not healthy within {timeout:.0f} s ({last}):\n{log_tail(log_path)}")
        try:
            response = httpx.get(url, timeout=5)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}: {response.text[:300]}"
        except httpx.HTTPError as exc:
            last = f"{type(exc).__name__}: {exc}"
        time.sleep(0.25)
