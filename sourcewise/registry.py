"""The registry: who is who. Outlets, people and bodies with aliases, role and voice.

Knowledge lives in data (``data/registry.yaml`` plus the State Media Matrix and any
user files), never in code. :class:`Registry` answers one question: given the phrase a text
uses for a source ("the Russian agency TASS", "Kremlin spokesman", "the Kazakh embassy"),
who is it and with which voice do they speak?
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sourcewise.settings import DATA_DIR
from sourcewise.types import Speaker, Voice

logger = logging.getLogger(__name__)

BUILTIN_REGISTRY = DATA_DIR / "registry.yaml"
STATE_MEDIA_MATRIX = DATA_DIR / "state_media" / "State_Media_Matrix.csv"
#: Typology codes under which the state controls the editorial line (see the Matrix's README).
STATE_CONTROLLED_TYPOLOGIES = frozenset({"SC", "CaPu", "CaPr"})
#: Pseudo-voice in descriptor rules: the government of the country the corpus is about.
CONTEXT_GOVERNMENT = "context_government"

EntityKind = Literal["person", "body", "outlet"]


class RegistryError(ValueError):
    """A registry file is malformed; the message names the file and the field."""


class Entity(BaseModel):
    """A known source: a person, a body or an outlet."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Canonical name")
    aliases: list[str] = Field(default_factory=list, description="Other ways texts name it (whole words)")
    role: str | None = Field(default=None, description="Role or description shown with quotes")
    voice: Voice = Field(description="The voice it speaks with")
    kind: EntityKind = Field(default="person", description="person, body or outlet")
    note: str | None = Field(default=None, description="Why, for hand judgements (required for hand-added outlets)")
    source: str = Field(default="registry", description="Where the entry comes from")


class Country(BaseModel):
    """A country, the words that name it and its officials' voice."""

    model_config = ConfigDict(extra="forbid")

    country: str
    voice: Voice
    names: list[str]


class Descriptor(BaseModel):
    """A rule for sources the registry does not name, matched on the speaker phrase."""

    model_config = ConfigDict(extra="forbid")

    pattern: str
    voice: str = Field(description="A voice id, or 'context_government'")
    role: str | None = None
    fallback: bool = Field(
        default=False,
        description="Try only after country words ('the Russian agency X' is a country's media, not a generic one)",
    )


class RegistryFile(BaseModel):
    """Schema of a registry YAML file (every section optional, so user files can be small)."""

    model_config = ConfigDict(extra="forbid")

    countries: list[Country] = Field(default_factory=list)
    official_terms: list[str] = Field(default_factory=list)
    media_terms: list[str] = Field(default_factory=list)
    state_media_countries: list[str] = Field(default_factory=list)
    descriptors: list[Descriptor] = Field(default_factory=list)
    unattributed_cues: list[str] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)


def _alias_regex(aliases: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation of whole-word aliases, longest first so 'Vladimir Putin' beats 'Putin'."""
    parts = sorted({a for a in aliases if a}, key=len, reverse=True)
    if not parts:
        return None
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


class Registry:
    """Merged registry data with look-ups by phrase."""

    def __init__(self, data: RegistryFile, matrix_outlets: list[Entity] | None = None) -> None:
        self.data = data
        # Hand entries win over Matrix rows of the same alias: they exist to correct or extend it.
        self.entities: list[Entity] = list(data.entities) + list(matrix_outlets or [])
        country_words = {_norm(n) for c in data.countries for n in [c.country, *c.names]}
        self._by_alias: dict[str, Entity] = {}
        for entity in self.entities:
            for alias in [entity.name, *entity.aliases]:
                # A Matrix alias that is only a country word ("Kazakh" from "Kazakh TV") names no outlet.
                if entity.source != "registry" and _norm(alias) in country_words:
                    continue
                self._by_alias.setdefault(_norm(alias), entity)
        self._entity_re = _alias_regex(self._by_alias)
        self._country_by_name: dict[str, Country] = {}
        for country in data.countries:
            for name in [country.country, *country.names]:
                self._country_by_name[_norm(name)] = country
        self._country_re = _alias_regex(self._country_by_name)
        self._official_re = _alias_regex(data.official_terms)
        self._media_re = _alias_regex(data.media_terms)
        self._descriptors = [(re.compile(d.pattern, re.IGNORECASE), d) for d in data.descriptors]
        self._unattributed = [re.compile(p, re.IGNORECASE) for p in data.unattributed_cues]
        self.state_media_countries = {c.lower() for c in data.state_media_countries}

    # -- look-ups -------------------------------------------------------------------------

    def find_entities(self, text: str) -> list[tuple[int, int, Entity]]:
        """Every known entity named in ``text`` as (start, end, entity), in text order.

        A match must contain a capital letter in the text, so that common words that happen to
        be outlet names ("mir", "spiked" in running prose) are not taken for sources.
        """
        if not self._entity_re:
            return []
        found = []
        for m in self._entity_re.finditer(text):
            entity = self._by_alias[_norm(m.group(0))]
            written_lower = any(a.islower() for a in [entity.name, *entity.aliases] if _norm(a) == _norm(m.group(0)))
            if not written_lower and not any(ch.isupper() for ch in m.group(0)):
                continue
            found.append((m.start(), m.end(), entity))
        return found

    def find_countries(self, text: str) -> list[tuple[int, int, Country]]:
        """Countries named in ``text`` (by name or adjective), in text order."""
        if not self._country_re:
            return []
        return [(m.start(), m.end(), self._country_by_name[_norm(m.group(0))]) for m in self._country_re.finditer(text)]

    def country(self, name: str | None) -> Country | None:
        """The country entry for a name, if known."""
        return self._country_by_name.get(_norm(name)) if name else None

    def entity(self, name: str) -> Entity | None:
        """The entity with this name or alias."""
        return self._by_alias.get(_norm(name))

    def is_unattributed_cue(self, text: str) -> bool:
        """Whether the text gives its claim to no identifiable source ("some say", "reportedly")."""
        return any(p.search(text) for p in self._unattributed)

    def country_near_official(self, text: str) -> Country | None:
        """The country an official term in ``text`` belongs to ("Ministry of Foreign Affairs of Ukraine")."""
        if not self._official_re:
            return None
        countries = self.find_countries(text)
        for m in self._official_re.finditer(text):
            for start, end, country in countries:
                gap = text[end : m.start()] if end <= m.start() else text[m.end() : start]
                if len(gap.split()) <= 3 and not re.search(r"[,;.]", gap):
                    return country
        return None

    def resolve(self, phrase: str, *, context_country: str | None = None) -> tuple[Speaker, Entity | None] | None:
        """Who a source phrase names, and with which voice; None when it names no source we know.

        Order: a registry entity (people before bodies before outlets), then a country's officials
        or state media, then descriptor rules.
        """
        phrase = phrase.strip(" ,.;:“”\"'‘’«»()")
        if not phrase:
            return None
        entities = self.find_entities(phrase)
        if entities:
            rank = {"person": 0, "body": 1, "outlet": 2}
            _, _, best = min(entities, key=lambda e: (rank[e[2].kind], -e[0]))
            # "the Russian agency TASS" names the outlet; "a Kazakh minister" names nobody we know.
            return Speaker(name=best.name, role=best.role, voice=best.voice), best
        countries = self.find_countries(phrase)
        # Role descriptors ("former Prime Minister of Kazakhstan", "political scientist") say more
        # than the country word they may contain; generic government words say less.
        specific = [d for d in self._descriptors if not (d[1].fallback or d[1].voice == CONTEXT_GOVERNMENT)]
        generic = [d for d in self._descriptors if d[1].fallback or d[1].voice == CONTEXT_GOVERNMENT]
        found = self._match_descriptor(phrase, specific, context_country, countries)
        if found:
            return found
        if countries:
            country = countries[0][2]
            if self._official_re and self._official_re.search(phrase):
                return Speaker(name=_tidy(phrase), role=f"{country.country} officials", voice=country.voice), None
            if self._media_re and self._media_re.search(phrase):
                voice = country.voice if country.country.lower() in self.state_media_countries else Voice.INDEPENDENT
                return Speaker(name=_tidy(phrase), role=f"{country.country} media", voice=voice), None
        return self._match_descriptor(phrase, generic, context_country, countries)

    def _match_descriptor(self, phrase, descriptors, context_country, countries):
        lowered = phrase.lower()
        for pattern, rule in descriptors:
            if pattern.search(lowered):
                voice = self._descriptor_voice(rule.voice, context_country, countries)
                if voice is not None:
                    return Speaker(name=_tidy(phrase), role=rule.role, voice=voice), None
        return None

    def _descriptor_voice(self, voice: str, context_country: str | None, countries: list) -> Voice | None:
        if voice != CONTEXT_GOVERNMENT:
            return Voice(voice)
        if countries:
            return countries[0][2].voice
        country = self.country(context_country)
        return country.voice if country else None

    def outlet_voice(self, publisher: str) -> Voice:
        """The voice of an outlet's own sentences: its registry voice, else independent."""
        for _, _, entity in self.find_entities(publisher):
            if entity.kind == "outlet":
                return entity.voice
        return Voice.INDEPENDENT


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("’", "'")).strip().lower()


def _tidy(phrase: str) -> str:
    phrase = re.sub(r"\s+", " ", phrase).strip()
    return re.sub(r"^(the|a|an)\s+", "", phrase, flags=re.IGNORECASE)


def _asset_names(asset: str) -> list[str]:
    """Names an outlet goes by, from a Matrix 'Main assets' cell ('Print: Izvestia', 'Russia-1 (Россия-1)')."""
    asset = re.sub(r"^[A-Za-z ]{2,20}:\s*", "", asset.strip())
    main = re.sub(r"\s*\([^)]*\)\s*", " ", asset).strip()
    names = [main]
    # A bracketed name in another script is the outlet's own name; bracketed Latin words are
    # mostly editions ("(Russian)") and would turn a language into an outlet.
    names += [n for n in re.findall(r"\(([^)]+)\)", asset) if re.search(r"[^\x00-\x7f]", n) and len(n) > 3]
    short = re.sub(r"\s+(News|International|TV|Online)$", "", main)
    if short != main and len(short) >= 4:
        names.append(short)
    return [n for n in names if len(n) >= 2 and n[0].isalnum()]


def load_state_media_matrix(path: Path = STATE_MEDIA_MATRIX, countries: list[Country] | None = None) -> list[Entity]:
    """Outlet entities from the State Media Matrix, with voices by editorial control and country."""
    voice_of = {c.country.lower(): c.voice for c in countries or []}
    outlets: dict[str, Entity] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            typology = (row.get("Typology") or "").strip().rstrip("?")
            if typology not in STATE_CONTROLLED_TYPOLOGIES | {"ISFM", "ISF", "ISM", "IP"}:
                continue  # malformed rows (shifted columns) carry no usable typology
            country = (row.get("Country") or "").strip()
            if typology in STATE_CONTROLLED_TYPOLOGIES:
                voice = voice_of.get(country.lower(), Voice.FOREIGN_GOVERNMENT)
            else:
                voice = Voice.INDEPENDENT
            names = _asset_names(row.get("Main assets") or "")
            if not names:
                continue
            key = _norm(names[0])
            if key in outlets:
                outlets[key].aliases.extend(n for n in names[1:] if n not in outlets[key].aliases)
                continue
            outlets[key] = Entity(
                name=names[0],
                aliases=names[1:],
                role=f"{country} outlet ({typology})",
                voice=voice,
                kind="outlet",
                note=f"State Media Matrix: {row.get('Media company', '').strip()}, typology {typology}",
                source="state_media_matrix",
            )
    return list(outlets.values())


def _read_registry_file(path: Path) -> RegistryFile:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return RegistryFile.model_validate(raw)
    except FileNotFoundError as exc:
        raise RegistryError(f"{path}: registry file not found") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise RegistryError(f"{path}: {exc}") from exc


def merge(base: RegistryFile, extra: RegistryFile) -> RegistryFile:
    """``extra`` over ``base``: its entities come first (they win on shared aliases), lists are joined."""
    return RegistryFile(
        countries=extra.countries + base.countries,
        official_terms=base.official_terms + extra.official_terms,
        media_terms=base.media_terms + extra.media_terms,
        state_media_countries=base.state_media_countries + extra.state_media_countries,
        descriptors=extra.descriptors + base.descriptors,
        unattributed_cues=base.unattributed_cues + extra.unattributed_cues,
        entities=extra.entities + base.entities,
    )


def load_registry(extra_paths: Iterable[Path] = ()) -> Registry:
    """The built-in registry, the State Media Matrix and any user files (later files win)."""
    data = _read_registry_file(BUILTIN_REGISTRY)
    for path in extra_paths:
        data = merge(data, _read_registry_file(path))
    for entity in data.entities:
        if entity.kind == "outlet" and not entity.note:
            raise RegistryError(f"hand-added outlet {entity.name!r} needs a note saying why it is added")
    return Registry(data, load_state_media_matrix(countries=data.countries))


@lru_cache(maxsize=8)
def cached_registry(extra_paths: tuple[Path, ...] = ()) -> Registry:
    """A process-wide registry per set of user files."""
    return load_registry(extra_paths)
