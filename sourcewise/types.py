"""Domain types shared by ingest, the store, the service and the clients.

The chain is explicit: a :class:`DocumentMeta` (manifest entry) becomes a
:class:`ProcessedDocument`: its cleaned text, the :class:`Claim` s the attribution finds in it
(verbatim spans, each with its :class:`Attribution`: speaker, voice, conduit, how and cue), the
:class:`Passage` s (a claim's words within one sentence: the unit that is embedded, scored and
quoted) and the :class:`Chunk` s (whole sentences embedded together for retrieval). Offsets always
refer to the cleaned text, so ``text[start:end]`` is the span itself.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator


class Voice(str, Enum):
    """Whose claim a sentence carries (ids of ``API.md``), in the order sections are shown."""

    RUSSIAN_STATE = "russian_state"
    KAZAKH_GOVERNMENT = "kazakh_government"
    CSTO = "csto"
    FOREIGN_GOVERNMENT = "foreign_government"
    OPPOSITION = "opposition"
    INDEPENDENT = "independent"
    UNATTRIBUTED = "unattributed"
    UNCLASSIFIED = "unclassified"

    @property
    def label(self) -> str:
        """A human label for section headings."""
        return VOICE_LABELS[self]


VOICE_LABELS: dict[Voice, str] = {
    Voice.RUSSIAN_STATE: "Russian state sources",
    Voice.KAZAKH_GOVERNMENT: "Kazakh government",
    Voice.CSTO: "CSTO",
    Voice.FOREIGN_GOVERNMENT: "Other governments",
    Voice.OPPOSITION: "Kazakh opposition",
    Voice.INDEPENDENT: "Independent media and analysts",
    Voice.UNATTRIBUTED: "Unattributed claims",
    Voice.UNCLASSIFIED: "Unclassified sources",
}

#: Voices that speak for a state; never to be mixed with independent reporting.
STATE_VOICES: frozenset[Voice] = frozenset(
    {Voice.RUSSIAN_STATE, Voice.KAZAKH_GOVERNMENT, Voice.FOREIGN_GOVERNMENT, Voice.CSTO}
)


class Genre(str, Enum):
    """What kind of text a document is."""

    NEWS = "news"
    ANALYSIS = "analysis"
    OPINION = "opinion"


class DocumentMeta(BaseModel):
    """One manifest entry: what is known about a document before reading it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    doc_id: str = Field(description="Stable id, unique in the corpus", pattern=r"^[A-Za-z0-9_.-]{1,128}$")
    file: str = Field(description="Path of the text file, relative to the manifest")
    title: str = Field(description="Title as printed (or a descriptive one where none is printed)")
    publisher: str = Field(description="The outlet that printed the document")
    author: str | None = Field(default=None, description="Author as printed, null when not given")
    published: str | None = Field(default=None, description="Publication date, ISO 8601 (may be a month: 2022-01)")
    url: str | None = Field(default=None, description="Where the document was published, null when unknown")
    genre: Genre = Field(description="news, analysis or opinion")
    outlet_voice: Voice | None = Field(
        default=None, description="Voice of the outlet's own sentences; looked up in the registry when null"
    )
    corpus: str = Field(default="default", description="The corpus the document belongs to", pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    licence: str | None = Field(default=None, description="The licence the text is used under, where it matters")
    event: str | None = Field(default=None, description="The contested event the document is about, if labelled")
    outlet_kind: str | None = Field(
        default=None,
        validation_alias=AliasChoices("outlet_kind", "kind"),
        description="What kind of publisher it is (wire, state media, official site ...), for per-kind figures",
    )

    @field_validator("published", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        """A date written bare in YAML (``published: 2022-01-08``) is read as a date; keep it as ISO 8601."""
        return value.isoformat() if isinstance(value, _dt.date) else value


class Speaker(BaseModel):
    """Who makes a claim: a person, body or outlet, and the voice they speak with."""

    name: str | None = Field(default=None, description="Name as the registry or the text gives it")
    role: str | None = Field(default=None, description="Role or description, e.g. 'Kremlin spokesman'")
    voice: Voice = Field(description="The voice of the claim")


#: How a claim's speaker was found (``API.md``, "v1 additions").
How = Literal["quote", "reported", "according_to", "transcript", "carry_over", "author", "unattributed_cue"]
HOWS: tuple[str, ...] = ("quote", "reported", "according_to", "transcript", "carry_over", "author", "unattributed_cue")


class Cue(BaseModel):
    """The verbatim words that attribute a claim ("Peskov reiterated", "according to TASS")."""

    text: str
    start: int = Field(description="Offset in the cleaned text")
    end: int = Field(description="Offset after the last character")


class Attribution(BaseModel):
    """Who a claim belongs to, and how the text says so."""

    speaker: Speaker
    conduit: str | None = Field(
        default=None, description="The outlet or body that relayed the claim, when it is not the speaker"
    )
    how: How = Field(description="How the speaker was found")
    cue: Cue | None = Field(default=None, description="The words that attribute the claim, when there are any")


class Claim(BaseModel):
    """A verbatim span carrying one speaker's claim: a clause, a sentence, or several sentences."""

    doc_id: str
    index: int = Field(description="Position in the document, from 0")
    start: int = Field(description="Offset of the first character in the cleaned text")
    end: int = Field(description="Offset after the last character")
    text: str
    attribution: Attribution


class Passage(BaseModel):
    """A claim's words within one sentence: what is embedded, scored and quoted.

    A sentence that carries one claim is one passage; a sentence with two speakers' claims is two;
    a quote over three sentences is three passages of one claim.
    """

    doc_id: str
    index: int = Field(description="Position in the document, from 0")
    start: int = Field(description="Offset of the first character in the cleaned text")
    end: int = Field(description="Offset after the last character")
    text: str
    sentence: int = Field(description="Index of the sentence the passage lies in")
    claim: int = Field(description="Index of the claim the passage belongs to")
    paragraph: int = Field(default=0, description="Index of the paragraph the passage lies in")
    gap_after: str = Field(default="", description="The text between this passage and the next (a space, a line break)")
    attribution: Attribution


class Chunk(BaseModel):
    """Consecutive whole sentences embedded together for retrieval."""

    chunk_id: str = Field(description="Deterministic id: document, position and content hash")
    doc_id: str
    index: int
    start: int
    end: int
    text: str
    first_passage: int = Field(description="Index of the chunk's first passage")
    last_passage: int = Field(description="Index of the chunk's last passage (inclusive)")
    voices: list[Voice] = Field(description="Voices of the passages inside, without duplicates")
    speakers: list[str] = Field(description="Named speakers inside, without duplicates")


class ProcessedDocument(BaseModel):
    """A document after ingest: metadata, cleaned text, attributed sentences and chunks."""

    meta: DocumentMeta
    outlet_voice: Voice = Field(description="The resolved voice of the outlet's own sentences")
    outlet_reason: str = Field(default="", description="Why the outlet has that voice (manifest, registry entry, rule)")
    outlet_assumed: bool = Field(
        default=False, description="No entry, name or address classifies the outlet: its voice is the default"
    )
    text: str = Field(description="Cleaned text; all offsets refer to it")
    claims: list[Claim]
    passages: list[Passage]
    chunks: list[Chunk]
