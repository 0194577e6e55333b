"""The corpus manifest: one YAML file naming every document and what is known about it."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sourcewise.types import DocumentMeta

MANIFEST_NAME = "manifest.yaml"


class ManifestError(ValueError):
    """The manifest is missing or malformed; the message says where."""


class Manifest(BaseModel):
    """A corpus folder's manifest."""

    model_config = ConfigDict(extra="forbid")

    corpus: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_.-]{1,64}$",
        description="The corpus the documents belong to (default: the folder's name)",
    )
    country: str | None = Field(
        default=None,
        description="The country the corpus is about: an unqualified 'the government' or 'the Interior Ministry' is its own",
    )
    documents: list[DocumentMeta] = Field(description="Every document of the corpus")

    @model_validator(mode="after")
    def _unique_ids(self) -> "Manifest":
        seen: set[str] = set()
        for doc in self.documents:
            if doc.doc_id in seen:
                raise ValueError(f"doc_id {doc.doc_id!r} appears twice")
            seen.add(doc.doc_id)
        return self


def load_manifest(corpus_dir: Path) -> Manifest:
    """Read and validate ``corpus_dir/manifest.yaml``."""
    path = Path(corpus_dir) / MANIFEST_NAME
    if not path.is_file():
        raise ManifestError(f"{path}: no manifest; a corpus folder needs a {MANIFEST_NAME} listing its documents")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return Manifest.model_validate(raw or {})
    except ValidationError as exc:
        raise ManifestError(f"{path}: {exc}") from exc
