"""Helpers for the vector store tests: hand-built documents and a real Chroma server process.

(A module of its own, not conftest.py, so that test files can import it by a unique name.)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from service.launch import free_port
from sourcewise.settings import Settings
from sourcewise.types import (
    Attribution,
    Chunk,
    Claim,
    Cue,
    DocumentMeta,
    Genre,
    How,
    Passage,
    ProcessedDocument,
    Speaker,
    Voice,
)


@dataclass(frozen=True)
class Said:
    """One sentence of a hand-built document and who says it (one claim, one passage)."""

    text: str
    voice: Voice = Voice.INDEPENDENT
    name: str | None = None
    role: str | None = None
    conduit: str | None = None
    how: How = "author"


DocumentFactory = Callable[..., ProcessedDocument]


def build_document(
    doc_id: str,
    said: list[Said],
    *,
    publisher: str = "Test Herald",
    genre: Genre = Genre.NEWS,
    per_chunk: int = 2,
    author: str | None = None,
    url: str | None = None,
    published: str | None = None,
    manifest_voice: Voice | None = None,
    outlet_voice: Voice = Voice.INDEPENDENT,
    title: str | None = None,
    corpus: str = "test",
) -> ProcessedDocument:
    """A processed document as ingest would make it: text joined from the sentences, one claim and
    one passage per sentence, offsets into the text, and chunks of ``per_chunk`` sentences."""
    claims: list[Claim] = []
    passages: list[Passage] = []
    parts: list[str] = []
    offset = 0
    for index, item in enumerate(said):
        if parts:
            parts.append(" ")
            offset += 1
        attribution = Attribution(
            speaker=Speaker(name=item.name, role=item.role, voice=item.voice),
            conduit=item.conduit,
            how=item.how,
            cue=None if item.how == "author" else Cue(text=item.text[:5], start=offset, end=offset + 5),
        )
        end = offset + len(item.text)
        claims.append(Claim(doc_id=doc_id, index=index, start=offset, end=end, text=item.text, attribution=attribution))
        passages.append(Passage(doc_id=doc_id, index=index, start=offset, end=end, text=item.text, sentence=index,
                                claim=index, paragraph=0, gap_after=" " if index + 1 < len(said) else "",
                                attribution=attribution))
        parts.append(item.text)
        offset = end
    text = "".join(parts)
    chunks: list[Chunk] = []
    for index, first in enumerate(range(0, len(passages), per_chunk)):
        group = passages[first : first + per_chunk]
        chunk_text = text[group[0].start : group[-1].end]
        digest = hashlib.sha1(chunk_text.encode()).hexdigest()[:8]
        voices = list(dict.fromkeys(p.attribution.speaker.voice for p in group))
        speakers = list(dict.fromkeys(p.attribution.speaker.name for p in group if p.attribution.speaker.name))
        chunks.append(
            Chunk(
                chunk_id=f"{doc_id}:c{index}:{digest}",
                doc_id=doc_id,
                index=index,
                start=group[0].start,
                end=group[-1].end,
                text=chunk_text,
                first_passage=group[0].index,
                last_passage=group[-1].index,
                voices=voices,
                speakers=speakers,
            )
        )
    meta = DocumentMeta(
        doc_id=doc_id,
        file=f"{doc_id}.txt",
        title=title or f"Report {doc_id}",
        publisher=publisher,
        author=author,
        published=published,
        url=url,
        genre=genre,
        outlet_voice=manifest_voice,
        corpus=corpus,
    )
    return ProcessedDocument(meta=meta, outlet_voice=outlet_voice, text=text, claims=claims, passages=passages,
                             chunks=chunks)


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
