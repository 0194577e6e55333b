"""Fixtures for the chat clients' tests.

The Sourcewise API is always the real service (the ``live_api`` fixture of ``tests/conftest.py``).
Only Slack is replaced: its servers cannot be reached from a test machine, so
:class:`FakeSlackWebAPI` stands in for the Slack Web API and for slash-command response URLs on
loopback, recording what the bot sends.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from slack_sdk.signature import SignatureVerifier

from sourcewise.settings import get_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STREAMLIT_APP = PROJECT_ROOT / "ui" / "streamlit_app.py"

#: A question the sample corpus (the CSTO deployment in Kazakhstan, January 2022) answers.
CORPUS_QUESTION = "Why were CSTO troops sent to Kazakhstan?"
SLACK_BOT_TOKEN = "xoxb-test-token"
SLACK_SIGNING_SECRET = "test-signing-secret"
BOT_USER_ID = "UBOT0001"


@dataclass
class SlackCall:
    """One request the bot made to the stand-in Slack."""

    method: str  # Web API method ("chat.postMessage") or "response_url"
    body: dict[str, Any]
    authorization: str | None
    path: str


@dataclass
class FakeSlackWebAPI:
    """A stand-in for ``https://slack.com/api/`` and response URLs, on loopback (Slack itself is unreachable).

    It answers the few methods the bot uses the way Slack documents them, and remembers every
    call so that tests can assert on what people in Slack would see.
    """

    calls: list[SlackCall] = field(default_factory=list)
    thread_messages: list[dict[str, Any]] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _ts_counter: int = 0
    port: int = 0

    @property
    def base_url(self) -> str:
        """Give this to ``WebClient(base_url=...)``."""
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str) -> str:
        """A slash command's ``response_url`` that lands here."""
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def record(self, call: SlackCall) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def next_ts(self) -> str:
        with self._cond:
            self._ts_counter += 1
            return f"1700000100.{self._ts_counter:06d}"

    def wait_for(
        self, method: str, predicate: Callable[[SlackCall], bool] = lambda call: True, timeout: float = 120.0
    ) -> SlackCall:
        """The first recorded call of ``method`` that satisfies ``predicate``; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for call in self.calls:
                    if call.method == method and predicate(call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.body.get("text", "")[:80]) for c in self.calls]
                    raise AssertionError(f"no {method} call within {timeout:.0f} s; calls seen: {seen}")
                self._cond.wait(remaining)

    def of(self, method: str) -> list[SlackCall]:
        with self._cond:
            return [call for call in self.calls if call.method == method]


def _make_handler(fake: FakeSlackWebAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            if not raw:
                return query
            if self.headers.get("Content-Type", "").startswith("application/json"):
                return {**query, **json.loads(raw)}
            body: dict[str, Any] = {k: v[0] for k, v in parse_qs(raw).items()}
            for key in ("blocks", "metadata"):  # form-encoded calls send these as JSON strings
                if isinstance(body.get(key), str):
                    body[key] = json.loads(body[key])
            return {**query, **body}

        def _reply(self, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self.do_POST()

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            body = self._body()
            if path.startswith("/response/"):
                fake.record(SlackCall("response_url", body, self.headers.get("Authorization"), path))
                return self._reply({"ok": True})
            method = path.removeprefix("/api/")
            fake.record(SlackCall(method, body, self.headers.get("Authorization"), path))
            if method == "auth.test":
                return self._reply(
                    {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "sourcewise",
                     "team_id": "T0001", "user_id": BOT_USER_ID, "bot_id": "B0001"}
                )
            if method == "chat.postMessage":
                ts = fake.next_ts()
                message = {"type": "message", "user": BOT_USER_ID, "bot_id": "B0001", "ts": ts, **body}
                fake.thread_messages.append(message)
                return self._reply({"ok": True, "channel": body.get("channel"), "ts": ts, "message": message})
            if method == "conversations.replies":
                thread = body.get("ts")
                messages = [m for m in fake.thread_messages if thread in (m.get("ts"), m.get("thread_ts"))]
                return self._reply({"ok": True, "messages": messages, "has_more": False})
            return self._reply({"ok": False, "error": "unknown_method"})

    return Handler


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackWebAPI]:
    """The Slack Web API stand-in, serving on a free loopback port for one test."""
    fake = FakeSlackWebAPI()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(fake))
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="fake-slack", daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_api_url() -> str:
    """An address where nothing listens: the Sourcewise API is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot's secrets, set the only way the bot reads them: environment variables."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", SLACK_BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SLACK_SIGNING_SECRET)


@pytest.fixture
def serve_asgi() -> Iterator[Callable[[Any], str]]:
    """Serve ASGI apps with uvicorn in a thread on free loopback ports; returns their base URLs."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: Any) -> str:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start within 20 s")
            time.sleep(0.05)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def signed_headers(body: str, *, content_type: str, secret: str = SLACK_SIGNING_SECRET) -> dict[str, str]:
    """Headers as Slack sends them: a v0 signature of timestamp and body with the signing secret."""
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }


@pytest.fixture
def streamlit_api_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Point the Streamlit app (run in-process by AppTest) at an API address via SOURCEWISE_API_URL."""

    def use(url: str) -> None:
        monkeypatch.setenv("SOURCEWISE_API_URL", url)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def corpus_answer(live_api: str) -> dict[str, Any]:
    """The real service's answer to :data:`CORPUS_QUESTION`, to compare what the clients show."""
    response = httpx.post(f"{live_api}/v1/ask", json={"question": CORPUS_QUESTION}, timeout=120)
    response.raise_for_status()
    answer = response.json()
    assert answer["supported"] and answer["sections"], (
        f"the service found nothing for {CORPUS_QUESTION!r} in the sample corpus: {answer['answer']}"
    )
    return answer


@pytest.fixture
def sign() -> Callable[..., dict[str, str]]:
    """:func:`signed_headers`, for tests."""
    return signed_headers


@pytest.fixture(scope="session")
def corpus_question() -> str:
    """:data:`CORPUS_QUESTION`, for tests."""
    return CORPUS_QUESTION
