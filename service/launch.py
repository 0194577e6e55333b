"""Start a server in a subprocess and wait until it answers its health check.

One piece of code for the benchmark and the test fixtures, which run the API (uvicorn), the chat
page (Streamlit) and a Chroma server (``chroma run``) as real processes on loopback.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from sourcewise.settings import PROJECT_ROOT, Settings


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


class ChromaServer:
    """A real ``chroma run`` process on loopback, for the tests that need a server."""

    def __init__(self, path: Path, log_path: Path) -> None:
        executable = Path(sys.executable).parent / "chroma"
        if not executable.exists():
            found = shutil.which("chroma")
            if found is None:
                raise RuntimeError("The `chroma` command of the chromadb package is not installed")
            executable = Path(found)
        self.port = free_port()
        self.log_path = log_path
        self._log = log_path.open("wb")
        env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
        self.process = subprocess.Popen(
            [str(executable), "run", "--path", str(path), "--port", str(self.port), "--host", "127.0.0.1"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Return once the heartbeat answers; fail with the server's log otherwise."""
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/api/v2/heartbeat"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(url, timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        log = self.log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"Chroma server on port {self.port} did not start:\n{log}")

    def stop(self) -> None:
        """Terminate the server (kill it if it lingers)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()

    def settings(self, **overrides: object) -> Settings:
        """Settings that point the store at this server."""
        return Settings(chroma_host="127.0.0.1", chroma_port=self.port, chroma_ssl=False, **overrides)
