"""The corpus manifest: one YAML file naming every document and what is known about it."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sourcewise.types import DocumentMeta

MANIFEST_NAME = "manifest.yaml"
#: A manifest larger than this is refused before it is parsed (10,000 documents take about 3 MB).
MAX_MANIFEST_BYTES = 8 * 1024 * 1024


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
        seen: dict[str, tuple[int, str]] = {}
        for number, doc in enumerate(self.documents, start=1):
            if doc.doc_id in seen:
                first, file = seen[doc.doc_id]
                raise ValueError(
                    f"doc_id {doc.doc_id!r} appears twice: document {first} (file {file}) and "
                    f"document {number} (file {doc.file}); give each document its own id"
                )
            seen[doc.doc_id] = (number, doc.file)
        return self


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing anchors and aliases: a manifest never needs them, and a
    few hundred bytes of nested aliases (a "billion laughs") expand to gigabytes."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ManifestError(f"line {event.start_mark.line + 1}: YAML aliases (*name) are not allowed in a manifest")
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise ManifestError(f"line {event.start_mark.line + 1}: YAML anchors (&name) are not allowed in a manifest")
        return super().compose_node(parent, index)


def load_manifest(corpus_dir: Path) -> Manifest:
    """Read and validate ``corpus_dir/manifest.yaml``."""
    path = Path(corpus_dir) / MANIFEST_NAME
    if not path.is_file():
        raise ManifestError(f"{path}: no manifest; a corpus folder needs a {MANIFEST_NAME} listing its documents")
    size = path.stat().st_size
    if size > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{path}: {size:,} bytes, over the limit of {MAX_MANIFEST_BYTES:,} for a manifest")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliasLoader)  # noqa: S506 (a safe loader)
    except ManifestError as exc:
        raise ManifestError(f"{path}: {exc}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return Manifest.model_validate(raw or {})
    except ValidationError as exc:
        raise ManifestError(f"{path}: {exc}") from exc
