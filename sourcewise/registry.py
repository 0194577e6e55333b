"""The registry: who is who. Outlets, people and bodies with aliases, role, country and voice.

Knowledge lives in data (``data/registry.yaml`` plus the State Media Matrix and any user files),
never in code. :class:`Registry` answers two questions:

- given the phrase a text uses for a source ("the Russian agency TASS", "Kremlin spokesman",
  "the Kazakh embassy"), who is it and with which voice do they speak (:meth:`Registry.resolve`)?
- given a document's publisher and URL, with which voice does the outlet itself speak
  (:meth:`Registry.classify_outlet`)?

Names match as **whole names**, never as parts of longer ones: "Press" (from the Matrix's "Press
TV") is not found in "Associated Press", "Izvestia" not in "Novye Izvestia", "PETRA" not in "Petra
Kovacs". Every answer carries its reason, and :meth:`Registry.explain` prints it
(``sourcewise registry explain "Associated Press"``).
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sourcewise.settings import DATA_DIR
from sourcewise.types import Speaker, Voice

logger = logging.getLogger(__name__)
#: "a representative of the General Prosecutor's Office", "the spokesperson for the ministry": a person
#: speaking for the body the phrase ends on.
_MEMBER_OF_RE = re.compile(
    r"^(?i:(?:the |a |an )?(?:senior |official |press |deputy )?(?:representatives?|spokes(?:man|woman|person|people|men|women)|"
    r"members?|staff(?:ers?)?|employees?|observers?|officials?|delegates?|monitors?)\s+(?:of|for|from)\s+)(?P<body>(?:the\s+)?[A-Z].+)$"
)
#: "AFP (via France 24)", "Reuters via Yahoo News", "Reuters (reprinted by Business Recorder)", "Xinhua
#: (reprinted on the People's Daily app)": a known outlet's text on another outlet's page.
_VIA_RE = re.compile(
    r"^(?P<source>[^()]+?)\s*(?:\(\s*(?:via|(?:reprinted|republished|reposted|carried)\s+(?:by|on|in)|repost\s+on)\s+(?P<host>[^)]+)\)"
    r"|\s+via\s+(?P<host2>.+))\s*$",
    re.IGNORECASE,
)

BUILTIN_REGISTRY = DATA_DIR / "registry.yaml"
STATE_MEDIA_MATRIX = DATA_DIR / "state_media" / "State_Media_Matrix.csv"
#: Typology codes under which the state controls the editorial line (see the Matrix's README).
STATE_CONTROLLED_TYPOLOGIES = frozenset({"SC", "CaPu", "CaPr"})
TYPOLOGY_LABELS = {
    "SC": "state-controlled",
    "CaPu": "captured public media (state controls the editorial line)",
    "CaPr": "captured private media (state controls the editorial line)",
    "ISFM": "independent, state-funded and state-managed",
    "ISF": "independent, state-funded",
    "ISM": "independent, state-managed",
    "IP": "independent public media",
}
#: The same typologies as a reader would say them, for the roles shown beside quotes.
TYPOLOGY_SHORT = {
    "SC": "state-controlled", "CaPu": "captured public media", "CaPr": "captured private media",
    "ISFM": "state-funded and state-managed", "ISF": "state-funded", "ISM": "state-managed", "IP": "public media",
}
#: Pseudo-voice in descriptor rules: the government of the country the corpus is about.
CONTEXT_GOVERNMENT = "context_government"
#: Words an office's title and a phrase naming it may differ by ("the head of state", "head of the state").
_SMALL_WORDS = frozenset({"the", "a", "an", "of"})
#: Hosts that carry many outlets' pages; a Matrix URL on them names no outlet by domain.
_SHARED_HOSTS = frozenset(
    "facebook.com youtube.com twitter.com x.com t.me telegram.me instagram.com vk.com ok.ru tiktok.com "
    "rutube.ru linkedin.com medium.com blogspot.com wordpress.com google.com apple.com soundcloud.com".split()
)

EntityKind = Literal["person", "body", "outlet"]


class RegistryError(ValueError):
    """A registry file is malformed; the message names the file and the field."""


class Office(BaseModel):
    """An office a person holds, so that "the Kazakh president" can name them when the text does not."""

    model_config = ConfigDict(extra="forbid")

    country: str = Field(description="Country (as in `countries`) whose office it is")
    title: str = Field(description="The office's words, e.g. 'president', 'foreign minister', 'spokesman'")
    since: str | None = Field(default=None, description="ISO date the holder took office, if it matters")
    until: str | None = Field(default=None, description="ISO date the holder left office, if they did")


class Entity(BaseModel):
    """A known source: a person, a body or an outlet."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Canonical name")
    aliases: list[str] = Field(default_factory=list, description="Other ways texts name it (whole names)")
    role: str | None = Field(default=None, description="Role or description shown with quotes")
    voice: Voice = Field(description="The voice it speaks with")
    kind: EntityKind = Field(default="person", description="person, body or outlet")
    country: str | None = Field(default=None, description="The country it belongs to, if any")
    domains: list[str] = Field(default_factory=list, description="Web domains whose pages it publishes")
    offices: list[Office] = Field(default_factory=list, description="Offices that name it (people)")
    gender: Literal["f", "m"] | None = Field(default=None, description="For people: whom 'she' and 'he' can refer to")
    note: str | None = Field(default=None, description="Why, for hand judgements (required for hand-added outlets)")
    source: str = Field(default="registry", description="Where the entry comes from")


class Country(BaseModel):
    """A country, the words that name it and its officials' voice."""

    model_config = ConfigDict(extra="forbid")

    country: str
    voice: Voice
    names: list[str]
    seats: list[str] = Field(default_factory=list, description="Capital and seats of government ('Moscow', 'Kremlin')")
    places: list[str] = Field(default_factory=list, description="Cities and regions whose officials are the country's")
    domains: list[str] = Field(
        default_factory=list, description="Its top-level web domains ('kz'; 'gov' for the United States)"
    )


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
    titles: list[str] = Field(default_factory=list, description="Words that stand before a name as a title")
    person_roles: list[str] = Field(
        default_factory=list, description="Words for a person in a role ('spokesman', 'correspondent')"
    )
    media_terms: list[str] = Field(default_factory=list)
    state_media_countries: list[str] = Field(default_factory=list)
    state_media_words: list[str] = Field(
        default_factory=list, description="Words that make a country's media its state's ('state-run media')"
    )
    descriptors: list[Descriptor] = Field(default_factory=list)
    ambiguous_names: list[str] = Field(
        default_factory=list, description="Common words that State Media Matrix outlets are named ('Star'): never matched as names"
    )
    unattributed_cues: list[str] = Field(default_factory=list)
    official_domain_labels: list[str] = Field(
        default_factory=list,
        description="Parts of a web address that make a site its country's official one ('gov' in mfa.gov.by)",
    )
    entities: list[Entity] = Field(default_factory=list)


@dataclass(frozen=True)
class EntityMatch:
    """An entity named in a text, where, and by which alias."""

    start: int
    end: int
    entity: Entity
    alias: str


@dataclass(frozen=True)
class RejectedMatch:
    """An alias found inside a longer name, and not taken (shown by ``registry explain``)."""

    start: int
    end: int
    entity: Entity
    longer_name: str


@dataclass(frozen=True)
class Resolution:
    """Who a phrase names, with which voice, and why."""

    speaker: Speaker
    entity: Entity | None
    reason: str
    country: Country | None = None


@dataclass(frozen=True)
class OutletVerdict:
    """The voice of a document's own sentences, and why."""

    voice: Voice
    name: str
    entity: Entity | None
    reason: str
    #: The country whose official body publishes it (its officials' titles are that country's).
    official_country: str | None = None
    #: Nothing classifies the publisher: the voice is the default (independent or unclassified).
    assumed: bool = False
    #: The publisher whose page carries another outlet's text (a wire's copy), when it is not that outlet.
    carried_by: str | None = None


#: Head nouns of a body's proper name ("... Affairs Department", "... Security Committee").
_BODY_HEADS = frozenset("department ministry committee office service agency council commission administration "
                        "directorate bureau".split())
_CAPITALISED_RUN_RE = re.compile(r"\s+((?:[A-Z][\w’'-]*\s+){0,3}[A-Z][\w’'-]*)")


def _alias_regex(aliases: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation of whole-word aliases, longest first so 'Vladimir Putin' beats 'Putin'."""
    parts = sorted({a for a in aliases if a}, key=len, reverse=True)
    if not parts:
        return None
    # (either apostrophe matches either: the curly one is made straight before the class goes in)
    body = "|".join(re.escape(p.replace("’", "'")).replace(r"\ ", r"\s+").replace("'", "['’]") for p in parts)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def name_key(word: str) -> str:
    """A spelling-tolerant key for a name: lower case, the consonant skeleton, transliteration
    variants folded ("Tokayev", "Tokaev", "Toqaev" -> "tkv"; "Zhaparov", "Japarov" -> "jprv")."""
    w = re.sub(r"(?:'s|’s|')$", "", word.lower())
    for a, b in (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("q", "k"), ("ts", "c"), ("tz", "c"), ("x", "ks"),
                 ("w", "v"), ("ph", "f"), ("ck", "k"), ("y", "")):
        w = w.replace(a, b)
    w = re.sub(r"[aeiouáéíóúäöüıə'’\-]", "", w)
    return re.sub(r"(.)\1+", r"\1", w)


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("’", "'")).strip().lower()


def _tidy(phrase: str) -> str:
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,.;:")
    return re.sub(r"^(the|a|an)\s+", "", phrase, flags=re.IGNORECASE)


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(alias) <= 8


#: Capitalised words that start sentences or dates and never extend a name ("In TASS's words", "TASS Monday").
_FUNCTION_WORDS = frozenset(
    """the a an in on at for by from with as and but or of to its his her their our this that these those when while
    after before according meanwhile however also earlier later today yesterday tomorrow on said says mr mrs ms dr
    january february march april may june july august september october november december monday tuesday wednesday
    thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec if since then there it he she
    they we i you""".split()
)
_PATRONYMIC_RE = re.compile(r"(?:vich|vna|ovich|evich|yevich|ovna|evna|ich|ovych|ivna|ly|qyzy|uly)$", re.IGNORECASE)
_WORD_BEFORE_RE = re.compile(r"([A-Za-zÀ-ÿ][\w’'.-]*)[ \t]$")
_WORD_AFTER_RE = re.compile(r"^[ \t]([A-Za-zÀ-ÿ][\w’'-]*)")


class Registry:
    """Merged registry data with look-ups by phrase and by web address."""

    def __init__(self, data: RegistryFile, matrix_outlets: list[Entity] | None = None) -> None:
        self.data = data
        # Hand entries win over Matrix rows of the same alias: they exist to correct or extend it.
        self.entities: list[Entity] = list(data.entities) + list(matrix_outlets or [])
        country_words = {_norm(n) for c in data.countries for n in [c.country, *c.names, *c.seats, *c.places]}
        ambiguous = {_norm(n) for n in data.ambiguous_names}
        self._ambiguous = frozenset(ambiguous)
        self._by_alias: dict[str, Entity] = {}
        self._written: dict[str, set[str]] = {}
        for entity in self.entities:
            for alias in [entity.name, *entity.aliases]:
                # A Matrix alias that is only a country word ("Kazakh" from "Kazakh TV") or a common word
                # ("Star", "Today") names no outlet in running text; its domain still does.
                if entity.source != "registry" and (_norm(alias) in country_words or _norm(alias) in ambiguous):
                    continue
                key = _norm(alias)
                if key not in self._by_alias:
                    self._by_alias[key] = entity
                if self._by_alias[key] is entity:
                    self._written.setdefault(key, set()).add(alias.replace("’", "'"))
        self._entity_re = _alias_regex(self._by_alias)
        self._country_by_name: dict[str, Country] = {}
        for country in data.countries:
            for name in [country.country, *country.names, *country.seats, *country.places]:
                self._country_by_name.setdefault(_norm(name), country)
        self._country_re = _alias_regex(self._country_by_name)
        self._official_re = _alias_regex(data.official_terms)
        self._media_re = _alias_regex(data.media_terms)
        self._state_media_re = _alias_regex(data.state_media_words)
        self._descriptors = [(re.compile(d.pattern, re.IGNORECASE), d) for d in data.descriptors]
        self._unattributed = [re.compile(p, re.IGNORECASE) for p in data.unattributed_cues]
        self.state_media_countries = {c.lower() for c in data.state_media_countries}
        self.title_words = frozenset(t.lower() for t in [*data.titles, *data.official_terms] if " " not in t)
        self._not_name_words = _FUNCTION_WORDS | self.title_words | country_words | {
            w.lower() for t in data.media_terms for w in t.split()
        }
        self._person_roles = frozenset(w.lower() for w in data.person_roles)
        self._country_by_tld: dict[str, Country] = {}
        for country in data.countries:
            for domain in country.domains:
                self._country_by_tld.setdefault(domain.lower(), country)
        self._official_labels = frozenset(label.lower() for label in data.official_domain_labels)
        self._by_domain: dict[str, Entity] = {}
        for entity in self.entities:
            for domain in entity.domains:
                self._by_domain.setdefault(domain.lower().removeprefix("www."), entity)

    # -- names in text --------------------------------------------------------------------

    def find_entities(self, text: str) -> list[EntityMatch]:
        """Every known entity named in ``text`` by a whole name, in text order."""
        return self._scan(text)[0]

    def partial_matches(self, text: str) -> list[RejectedMatch]:
        """Aliases found only inside longer names (not taken), for explanations."""
        return self._scan(text)[1]

    def _scan(self, text: str) -> tuple[list[EntityMatch], list[RejectedMatch]]:
        if not self._entity_re:
            return [], []
        found: list[EntityMatch] = []
        rejected: list[RejectedMatch] = []
        for m in self._entity_re.finditer(text):
            key = _norm(m.group(0))
            entity = self._by_alias[key]
            if not self._case_fits(key, m.group(0)):
                continue
            longer = self._longer_name(text, m.start(), m.end(), entity)
            if longer:
                rejected.append(RejectedMatch(m.start(), m.end(), entity, longer))
                continue
            found.append(EntityMatch(m.start(), m.end(), entity, m.group(0)))
        return found, rejected

    def _case_fits(self, key: str, written: str) -> bool:
        """Acronyms match in capitals only ("PETRA", not the name "Petra"); other names need a capital
        letter ("mir" in running prose is no outlet) unless the registry writes them in lower case."""
        forms = self._written.get(key, set())
        if forms and all(_is_acronym(f) for f in forms):
            return any(written.replace("’", "'") == f for f in forms) or written.isupper()
        if any(f.islower() for f in forms):
            return True
        return any(ch.isupper() for ch in written)

    def _longer_name(self, text: str, start: int, end: int, entity: Entity) -> str | None:
        """The longer proper name the match is part of, or None when it is a whole name."""
        before = _WORD_BEFORE_RE.search(text, max(0, start - 40), start)
        after = _WORD_AFTER_RE.match(text[end : end + 40])
        acronym = _is_acronym(text[start:end])

        def extends(word: str) -> bool:
            w = word.strip(".’'").lower()
            return word[:1].isupper() and w not in self._not_name_words and not w.endswith(("'s", "’s"))

        if before and extends(before.group(1)) and not (acronym and before.group(1).isupper()):
            word = before.group(1)
            # Given names, their hyphenated halves and their other spellings ("Kasim-Jomart", "Jomart",
            # "Qasym-Zhomart") may stand before a known surname.
            given = {name_key(part) for a in [entity.name, *entity.aliases] if " " in a
                     for part in [_norm(a).split()[0], *_norm(a).split()[0].split("-")]}
            person_prefix = entity.kind == "person" and (
                re.fullmatch(r"[A-Z]\.", word) or _PATRONYMIC_RE.search(word)
                or name_key(word) in given or all(name_key(p) in given for p in word.split("-") if p)
                # Another name of the same person before the name ("Elbasy Nursultan Nazarbayev").
                or _norm(word) in {_norm(a) for a in entity.aliases}
            )
            if not person_prefix:
                return f"{word} {text[start:end]}"
        if after and extends(after.group(1)) and not acronym:
            return f"{text[start:end]} {after.group(1)}"
        # "Foreign Policy Affairs Department": capitalised words ending in a body's head make a longer
        # name, even where the first of them is a title word.
        run = _CAPITALISED_RUN_RE.match(text[end : end + 60])
        if entity.kind != "person" and not acronym and run and run.group(1).split()[-1].lower() in _BODY_HEADS:
            return f"{text[start:end]} {run.group(1)}"
        return None

    def find_countries(self, text: str) -> list[tuple[int, int, Country]]:
        """Countries named in ``text`` (by name, adjective or capital), in text order."""
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

    def unattributed_cue(self, text: str) -> re.Match[str] | None:
        """The first words that give a claim to no identifiable source, if any."""
        found = [m for p in self._unattributed if (m := p.search(text))]
        return min(found, key=lambda m: m.start()) if found else None

    def has_official_term(self, text: str) -> bool:
        """Whether ``text`` holds a word of government ("ministry", "spokesman", "president")."""
        return bool(self._official_re and self._official_re.search(text))

    def official_terms_in(self, text: str) -> list[re.Match[str]]:
        """Every word of government in ``text``, longest first where two overlap."""
        return list(self._official_re.finditer(text)) if self._official_re else []

    def has_media_term(self, text: str) -> bool:
        """Whether ``text`` holds a word of the media ("agency", "newspaper", "TV")."""
        return bool(self._media_re and self._media_re.search(text))

    def country_near_official(self, text: str) -> Country | None:
        """The country an official term in ``text`` belongs to ("Ministry of Foreign Affairs of Ukraine")."""
        return next((country for _, country in self.officials_with_countries(text)), None)

    def officials_with_countries(self, text: str) -> list[tuple[re.Match[str], Country]]:
        """Each word of government in ``text`` that a country word stands next to ("the Chinese defence
        minister", "Ministry of Foreign Affairs of Ukraine": at most three words between, no
        punctuation), with that country, in text order."""
        countries = self.find_countries(text)
        found = []
        for m in self.official_terms_in(text):
            for start, end, country in countries:
                # (a seat that is itself the term, "the Kremlin", "the White House", leaves no gap)
                gap = text[end : m.start()] if end <= m.start() else text[m.end() : start]
                if len(gap.split()) <= 3 and not re.search(r"[,;.]", gap):
                    found.append((m, country))
                    break
        return found

    # -- phrases --------------------------------------------------------------------------

    def resolve(
        self, phrase: str, *, context_country: str | None = None, published: str | None = None
    ) -> Resolution | None:
        """Who a source phrase names, and with which voice; None when it names no source we know.

        Order: a registry entity named by a whole name (people before bodies before outlets); an
        office the phrase describes ("the Kazakh president") and its holder at the date; a
        country's officials or media; then descriptor rules.
        """
        phrase = self.owner_part(phrase.strip(" ,.;:“”\"'‘’«»()"))
        if not phrase:
            return None
        matches = self.find_entities(phrase)
        countries = self.find_countries(phrase)
        # "a representative of the General Prosecutor's Office", "a spokesperson for the ministry": someone
        # speaking for a body the phrase names, with its voice.
        member = _MEMBER_OF_RE.match(phrase)
        if member and not matches:
            body = self.resolve(member.group("body"), context_country=context_country, published=published)
            if body is not None and body.speaker.voice not in (Voice.UNATTRIBUTED, Voice.UNCLASSIFIED) \
                    and (body.entity is None or body.entity.kind != "person"):
                return Resolution(
                    Speaker(name=_tidy(phrase), role=f"for {body.speaker.name}", voice=body.speaker.voice),
                    None,
                    f"someone speaking for {body.speaker.name}: {body.reason}",
                    body.country,
                )
        # "a Kremlin critic", "an opponent of Lukashenko": the name is whom they oppose.
        if matches and re.search(r"(?i)\b(critics?|opponents?)\b", phrase):
            found = self._match_descriptor(phrase, self._descriptors, None, countries)
            if found is not None:
                return found
        if matches:
            # "Kazakh Foreign Office": another country's word right before a body's alias that is an office
            # of government ("Foreign Office" is also the UK's) makes it that country's office, not the entity.
            matches = [m for m in matches if not (
                m.entity.kind == "body" and m.entity.country and _generic_office(m.alias, self) and any(
                    c.country != m.entity.country and end <= m.start and not phrase[end : m.start].strip(" '’s")
                    for _, end, c in countries))]
        if matches:
            rank = {"person": 0, "body": 1, "outlet": 2}
            best = min(matches, key=lambda e: (rank[e.entity.kind], -e.start))
            entity = best.entity
            rest = (phrase[: best.start] + " " + phrase[best.end :]).lower()
            if entity.kind == "person":
                related = self._related_to_person(phrase, best)
                if related is not None:
                    return related
            if entity.kind == "person" or not self._person_words(rest):
                return Resolution(
                    Speaker(name=entity.name, role=entity.role, voice=entity.voice),
                    entity,
                    f"registry: {best.alias!r} names {entity.name} ({_entity_source(entity)})",
                )
            # "former CIA officer and State Department official X": who once worked for a body does not
            # speak for it now; the descriptors say what they are.
            if re.search(r"(?i)\b(former|ex-|retired)\s", phrase[: best.start]):
                found = self._match_descriptor(phrase, self._descriptors, context_country, countries)
                if found is not None:
                    return found
            # "Kremlin spokesman", "a TASS correspondent": a person speaking for the body or outlet.
            holder = self.office_holder(phrase, countries, context_country, published)
            if holder is not None:
                return Resolution(
                    Speaker(name=holder[0].name, role=holder[0].role, voice=holder[0].voice),
                    holder[0],
                    f"office: {holder[1].country} {holder[1].title} is {holder[0].name} (registry)",
                )
            return Resolution(
                Speaker(name=_tidy(phrase), role=f"for {entity.name}", voice=entity.voice),
                None,
                f"registry: {best.alias!r} names {entity.name} ({_entity_source(entity)}); the phrase names "
                f"someone speaking for it",
            )
        holder = self.office_holder(phrase, countries, context_country, published)
        if holder is not None:
            entity, office = holder
            return Resolution(
                Speaker(name=entity.name, role=entity.role, voice=entity.voice),
                entity,
                f"office: {office.country} {office.title} is {entity.name} (registry)",
            )
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
                return Resolution(
                    Speaker(name=_tidy(phrase), role=f"{country.country} officials", voice=country.voice),
                    None,
                    f"rule: country word {country.country!r} with an official term: {country.country}'s government",
                    country,
                )
            if self._media_re and self._media_re.search(phrase):
                state = country.country.lower() in self.state_media_countries or bool(
                    self._state_media_re and self._state_media_re.search(phrase)
                )
                voice = country.voice if state else Voice.INDEPENDENT
                why = (
                    f"{country.country}'s state media"
                    if state
                    else f"{country.country} media, not listed as state-controlled"
                )
                return Resolution(
                    Speaker(name=_tidy(phrase), role=f"{country.country} media", voice=voice),
                    None,
                    f"rule: country word {country.country!r} with a media term: {why}",
                    country,
                )
        return self._match_descriptor(phrase, generic, context_country, countries)

    def owner_part(self, phrase: str) -> str:
        """The part of a role phrase that says whose the role is: "Russia's ambassador to the UN" is
        Russia's, "the US envoy in Moscow" the United States'; after an envoy's title, the words after
        "to"/"in"/"at" name where they serve ("director at Human Rights Watch" keeps its employer)."""
        # ("Permanent Mission of the Russian Federation to the United Nations": the sender may come between)
        m = re.search(
            r"\b(?:ambassadors?|envoys?|representatives?|delegates?|delegation|mission|consul|embassy|correspondents?)"
            r"(?:\s+of\s+(?:the\s+)?[A-Z][^,;()]{1,60}?)?\s+(?:to|in|at)\b",
            phrase,
            re.IGNORECASE,
        )
        if m:
            return phrase[: m.end()].rsplit(" ", 1)[0].strip(" ,")
        return phrase

    def _related_to_person(self, phrase: str, match: EntityMatch) -> Resolution | None:
        """A phrase naming someone through a person ("an aide to Putin", "the Tokayev government",
        "Nazarbayev's nephew"): not that person, but with their side's voice (a former one unclassified)."""
        before = phrase[: match.start].lower()
        after = phrase[match.end :].lower()
        person = match.entity
        by_role = re.search(r"\b([a-z-]+)\s+(?:to|of|for)\s+(?:the\s+)?((?:[a-z]+\s+){0,3})$", before)
        if by_role and by_role.group(2).strip():
            # "President of Kazakhstan Kassym-Jomart Tokayev": a title, its country, the name (but "an aide
            # to Russian President Vladimir Putin" is related to Putin).
            rest = by_role.group(2)
            for a, b, _ in reversed(self.find_countries(rest)):
                rest = rest[:a] + " " + rest[b:]
            if rest != by_role.group(2) and not set(rest.split()) - {"the", "republic", "of", "federation"}:
                by_role = None
        body_after = re.match(r"^\s*(?:'s|’s)?\s*(government|administration|regime|cabinet|camp|team|office|circle|allies)\b", after)
        kin_words = re.match(r"^\s*(?:'s|’s)\s+((?:[a-z-]+\s*){1,3})", after)
        kin = None
        if kin_words:
            office_words = kin_words.group(1).split()
            if person.country and person.offices is not None:
                holder = self.office_holder(f"{person.country} {' '.join(office_words)}", published=None)
                if holder is not None and holder[0] is not person:
                    return Resolution(
                        Speaker(name=holder[0].name, role=holder[0].role, voice=holder[0].voice), holder[0],
                        f"office: {person.name}'s {' '.join(office_words)} is {holder[0].name} (registry)",
                    )
            role_word = next((w for w in office_words if w in self._person_roles | {"aide", "ally", "daughter", "son",
                                                                                   "nephew", "wife", "spokesman"}), None)
            kin = (role_word,) if role_word else None
        if by_role and by_role.group(1) in self._person_roles | {"aide", "aides", "ally", "allies", "daughter", "son",
                                                                   "nephew", "niece", "wife", "husband", "brother",
                                                                   "sister", "friend", "associate", "associates"}:
            relation = by_role.group(1)
        elif body_after:
            return Resolution(
                Speaker(name=_tidy(phrase), role=f"{person.name}'s {body_after.group(1)}", voice=person.voice),
                None,
                f"registry: {person.name} ({person.voice.value}); the phrase names their {body_after.group(1)}",
            )
        elif kin:
            relation = kin[0]
        else:
            return None
        voice = Voice.UNCLASSIFIED if re.search(r"\b(former|ex)\b", before) else person.voice
        return Resolution(
            Speaker(name=_tidy(phrase), role=f"{relation} of {person.name}", voice=voice),
            None,
            f"registry: {person.name} ({person.voice.value}); the phrase names their {relation}"
            + (" (former: affiliation not known now)" if voice is Voice.UNCLASSIFIED else ""),
        )

    def is_person_role(self, word: str) -> bool:
        """Whether a word is one of the registry's roles of a person ("spokeswoman", "envoy")."""
        return word.lower() in self._person_roles

    def _person_words(self, text: str) -> bool:
        """Whether ``text`` has a word for a person in a role ("spokesman", "minister", "correspondent")."""
        words = set(re.findall(r"[a-z-]+", text))
        return bool(words & self._person_roles)

    def office_holder(
        self,
        phrase: str,
        countries: list[tuple[int, int, Country]] | None = None,
        context_country: str | None = None,
        published: str | None = None,
    ) -> tuple[Entity, Office] | None:
        """The person whose office the phrase describes, by country and the office's exact words.

        "the Kazakh president" and "Russia's foreign minister" name their holders; "the Russian
        Foreign Ministry spokesman" is not "the Kremlin spokesman" (the words differ), and a phrase
        naming no country takes the corpus's country only when it has no other qualifier.
        """
        words = set(re.findall(r"[a-z]+", phrase.lower()))
        country_names = {c.country for _, _, c in (countries if countries is not None else self.find_countries(phrase))}
        if not country_names and context_country and len(words - {"the", "a", "an", "of"}) <= 2:
            country_names = {context_country}
        if not country_names:
            return None
        country_word_set = {w for c in self.data.countries if c.country in country_names for n in [c.country, *c.names]
                            for w in re.findall(r"[a-z]+", n.lower())}
        office_words = words - country_word_set - _SMALL_WORDS - {"s", "his", "her", "its"}
        if not office_words or office_words & {"former", "ex", "deputy", "vice", "acting", "first"}:
            return None
        for entity in self.entities:
            for office in entity.offices:
                # "the Head of State" is the office "head of state": its small words count in neither.
                if office.country in country_names and set(office.title.lower().split()) - _SMALL_WORDS == office_words:
                    if _in_office(office, published):
                        return entity, office
        return None

    def _match_descriptor(self, phrase, descriptors, context_country, countries) -> Resolution | None:
        lowered = phrase.lower()
        for pattern, rule in descriptors:
            if pattern.search(lowered):
                voice, country = self._descriptor_voice(rule.voice, context_country, countries)
                if voice is not None:
                    where = f" of {country.country}" if rule.voice == CONTEXT_GOVERNMENT and country else ""
                    return Resolution(
                        Speaker(name=_tidy(phrase), role=rule.role, voice=voice),
                        None,
                        f"descriptor rule {rule.pattern!r}: {rule.role or voice.value}{where}",
                        country,
                    )
        return None

    def _descriptor_voice(self, voice: str, context_country: str | None, countries: list) -> tuple[Voice | None, Country | None]:
        if voice != CONTEXT_GOVERNMENT:
            return Voice(voice), None
        if countries:
            return countries[0][2].voice, countries[0][2]
        country = self.country(context_country)
        return (country.voice, country) if country else (None, None)

    # -- outlets --------------------------------------------------------------------------

    def entity_for_url(self, url: str | None) -> tuple[Entity, str] | None:
        """The outlet or body whose domain a web address is on (``news.tass.com`` is on tass.com)."""
        host = _host(url)
        if not host:
            return None
        parts = host.split(".")
        for i in range(len(parts) - 1):
            domain = ".".join(parts[i:])
            entity = self._by_domain.get(domain)
            if entity is not None:
                return entity, domain
        return None

    def official_site(self, url: str | None) -> tuple[Country, str] | None:
        """The country whose official site a web address is on, by its form (``mfa.gov.by``,
        ``president.az``, ``whitehouse.gov``): an official label before the country's domain."""
        host = _host(url)
        if not host:
            return None
        parts = host.split(".")
        country = self._country_by_tld.get(parts[-1])
        if country is None:
            return None
        if parts[-1] in self._official_labels:  # .gov, .mil: the domain itself is official
            return country, host
        for i, label in enumerate(parts[:-1]):
            if label in self._official_labels:
                return country, ".".join(parts[i:])
        return None

    def classify_outlet(self, publisher: str, url: str | None = None, *, published: str | None = None) -> OutletVerdict:
        """The voice of a document's own sentences, by its web address, its publisher's name, then the
        rules that classify speakers (an official body is its government's voice), then the form of an
        official address. A publisher none of these knows is a medium or organisation outside the State
        Media Matrix, which lists the state and state-affiliated media of the world: it is taken as
        independent, and the reason says so, so that a registry entry can correct it."""
        # "AFP (via Asharq Al-Awsat)": the manifest says the text is a known outlet's, carried by the host
        # whose address the page has; the text speaks with the outlet's voice, not the host's.
        carried = _VIA_RE.match(publisher or "")
        if carried is not None:
            source = self.resolve(carried.group("source").strip(), published=published)
            if source is not None and source.entity is not None and source.entity.kind == "outlet":
                entity = source.entity
                return OutletVerdict(entity.voice, entity.name, entity,
                                     f"the publisher names {entity.name} as the text's source, carried by "
                                     f"{(carried.group('host') or carried.group('host2')).strip()}: {source.reason}")
        by_url = self.entity_for_url(url)
        if by_url is not None:
            entity, domain = by_url
            return OutletVerdict(entity.voice, entity.name, entity, f"domain {domain} is {entity.name} ({_entity_source(entity)})")
        resolution = self.resolve(publisher, published=published)
        host, aside = (_host(url) if url else None), ""
        # ``by_url`` above found no outlet on this page's domain, so a named outlet with known domains is
        # not on it.
        if resolution is not None and resolution.entity is not None and resolution.entity.kind == "outlet" and host \
                and re.sub(r"^the ", "", _norm(publisher)) in self._ambiguous and resolution.entity.domains:
            # "The Star" on thestar.com.my is not the Matrix's The Star of iol.co.za: a publisher named by a
            # common word (``ambiguous_names``) is the known outlet only on that outlet's own domains.
            aside = (f"{publisher!r} would name {resolution.entity.name} ({', '.join(resolution.entity.domains)}), "
                     f"but this page is on {host} and the name is a common word, so it is set aside; ")
            resolution = None
        if resolution is not None and resolution.entity is not None and resolution.entity.kind != "person":
            entity = resolution.entity
            return OutletVerdict(entity.voice, entity.name, entity, resolution.reason)
        if resolution is not None and resolution.speaker.voice not in (Voice.UNATTRIBUTED, Voice.UNCLASSIFIED):
            official = resolution.country.country if resolution.country and self.has_official_term(publisher) else None
            return OutletVerdict(resolution.speaker.voice, publisher, None, resolution.reason, official_country=official)
        official = self.official_site(url)
        if official is not None:
            country, domain = official
            return OutletVerdict(
                country.voice, publisher, None, f"{domain} is an official address of {country.country} ({country.voice.value})",
                official_country=country.country,
            )
        if self.has_official_term(publisher):
            return OutletVerdict(
                Voice.UNCLASSIFIED,
                publisher,
                None,
                "an official body by its name, of no country the registry lists: unclassified until an entry "
                "(or the manifest's outlet_voice) says whose it is",
                assumed=True,
            )
        return OutletVerdict(
            Voice.INDEPENDENT,
            publisher,
            None,
            aside + "not in the registry, not an official body by name or address, and not in the State Media Matrix "
            "(which lists state and state-affiliated media): taken as independent; a registry entry or the "
            "manifest's outlet_voice says otherwise",
            assumed=True,
        )

    def outlet_voice(self, publisher: str, url: str | None = None) -> Voice:
        """The voice of an outlet's own sentences (see :meth:`classify_outlet`)."""
        return self.classify_outlet(publisher, url).voice

    def explain(self, phrase: str, url: str | None = None) -> list[str]:
        """Lines saying what in the registry a phrase (and an address) matches, and why the voice follows."""
        lines = [f"phrase: {phrase!r}" + (f"  url: {url}" if url else "")]
        matches, rejected = self._scan(phrase)
        for m in matches:
            e = m.entity
            lines.append(f"  whole-name match {m.alias!r}: {e.name} [{e.kind}, {e.voice.value}] from {_entity_source(e)}")
            if e.note:
                lines.append(f"    note: {e.note}")
        for r in rejected:
            lines.append(
                f"  not taken: {phrase[r.start:r.end]!r} ({r.entity.name}, {_entity_source(r.entity)}) is part of "
                f"the longer name {r.longer_name!r}"
            )
        for _, _, country in self.find_countries(phrase):
            lines.append(f"  country word for {country.country} (officials: {country.voice.value})")
        if url:
            by_url = self.entity_for_url(url)
            lines.append(
                f"  domain: {by_url[1]} is {by_url[0].name}" if by_url else f"  domain: {_host(url) or url} is not in the registry"
            )
        resolution = self.resolve(phrase)
        if resolution is None:
            lines.append("  as a speaker: names no known source (a named person or body there would be unclassified)")
        else:
            s = resolution.speaker
            lines.append(f"  as a speaker: {s.name} ({s.role or 'no role'}) -> {s.voice.value}; {resolution.reason}")
        verdict = self.classify_outlet(phrase, url)
        lines.append(f"  as a publisher: {verdict.voice.value}; {verdict.reason}")
        return lines


def offices_held(entity: Entity | None, published: str | None) -> list[Office]:
    """The offices a person held on the date ``published`` (all current ones when it is unknown)."""
    return [o for o in (entity.offices if entity is not None else []) if _in_office(o, published)]


def _in_office(office: Office, published: str | None) -> bool:
    if not published:
        return office.until is None
    date = published[:10]
    if office.since and date < office.since[: len(date)]:
        return False
    if office.until and date > office.until[: len(date)]:
        return False
    return True


def _entity_source(entity: Entity) -> str:
    if entity.source == "registry":
        return "registry entry" + (f": {entity.note}" if entity.note and entity.kind == "outlet" else "")
    return entity.note or entity.source


def _host(url: str | None) -> str | None:
    if not url:
        return None
    parsed = urlparse(url if "//" in url else f"//{url}")
    host = (parsed.hostname or "").lower().removeprefix("www.")
    return host or None


#: Words that make an owner's name a medium's name ("... News Agency", "... Broadcasting Corporation").
_MEDIUM_NAME_RE = re.compile(r"(?i)\b(?:news agency|press agency|associated press|broadcasting|television|radio|news service)\b")

#: Words many newspapers' names share, never an outlet's name alone.
_GENERIC_TITLE_WORDS = frozenset({"daily", "weekly", "morning", "evening", "sunday", "national", "world", "global",
                                  "local", "city", "business", "people", "public", "free", "new"})


def _generic_office(alias: str, registry: "Registry") -> bool:
    """Whether an alias is made only of office words ("Foreign Office", "Interior Ministry"), no name."""
    words = re.findall(r"[\w-]+", alias.lower())
    return bool(words) and all(w in registry.title_words or registry.has_official_term(w)
                               or w in ("office", "ministry", "affairs", "department", "of", "the", "and") for w in words)


def _asset_names(asset: str) -> list[str]:
    """Names an outlet goes by, from a Matrix 'Main assets' cell ('Print: Izvestia', 'Russia-1 (Россия-1)')."""
    asset = re.sub(r"(?i)^(?:print(?: media)?|television|tv|radio|news agency|online|website|magazine|newspaper):\s*", "", asset.strip())
    main = re.sub(r"\s*\([^)]*\)\s*", " ", asset).strip()
    names = [main]
    # A bracketed name in another script is the outlet's own name; bracketed Latin words are
    # mostly editions ("(Russian)") and would turn a language into an outlet.
    names += [n for n in re.findall(r"\(([^)]+)\)", asset) if re.search(r"[^\x00-\x7f]", n) and len(n) > 3]
    # A bracketed acronym is the name the outlet is known by ("China Central Television (CCTV)"); capitals
    # match only as capitals.
    names += [n for n in re.findall(r"\(([A-Z][A-Z0-9&-]{1,7})\)", asset)]
    # "Sputnik News" is also "Sputnik"; "Press TV" is never "Press", so "TV" is not stripped.
    short = re.sub(r"\s+(News|Online)$", "", main)
    # ... but "The First News" is not "The First": a short name needs a word of its own before it.
    # ... nor is "Daily News" "Daily": a generic word of newspapers' names names no outlet ("The Zimbabwe Daily").
    if short != main and len(short) >= 5 and not short.lower().startswith("the ") and short.lower() not in _GENERIC_TITLE_WORDS:
        names.append(short)
    return [n for n in names if len(n) >= 2 and n[0].isalnum()]


def load_state_media_matrix(path: Path = STATE_MEDIA_MATRIX, countries: list[Country] | None = None) -> list[Entity]:
    """Outlet entities from the State Media Matrix, with voices by editorial control and country."""
    voice_of = {}
    for c in countries or []:
        for name in [c.country, *c.names]:
            voice_of[name.lower()] = c.voice
    outlets: dict[str, Entity] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            typology = (row.get("Typology") or "").strip().rstrip("?")
            if typology not in TYPOLOGY_LABELS:
                continue  # malformed rows (shifted columns) carry no usable typology
            country = (row.get("Country") or "").strip()
            if typology in STATE_CONTROLLED_TYPOLOGIES:
                voice = voice_of.get(country.lower(), Voice.FOREIGN_GOVERNMENT)
            else:
                voice = Voice.INDEPENDENT
            names = _asset_names(row.get("Main assets") or "")
            if not names:
                continue
            # The owner's name when it is itself a medium's ("Associated Press of Pakistan (APP)", "Emirates
            # News Agency (WAM)"): how texts and manifests name the agency; a holding's name is not.
            owner = re.sub(r"\s*\([^)]*\)\s*|\*", " ", row.get("Media company") or "").strip()
            if owner and owner not in names and _MEDIUM_NAME_RE.search(owner):
                names.append(owner)
            domain = _host((row.get("URL") or "").strip())
            domains = [domain] if domain and not any(domain == h or domain.endswith("." + h) for h in _SHARED_HOSTS) else []
            key = f"{_norm(names[0])}|{country.lower()}"
            if key in outlets:
                outlets[key].aliases.extend(n for n in names[1:] if n not in outlets[key].aliases)
                outlets[key].domains.extend(d for d in domains if d not in outlets[key].domains)
                continue
            outlets[key] = Entity(
                name=names[0],
                aliases=names[1:],
                # "state media of Russia (State Media Matrix: state-controlled)": a label, not a code.
                role=(f"{'state' if typology in STATE_CONTROLLED_TYPOLOGIES else 'public'} media of {country} "
                      f"(State Media Matrix: {TYPOLOGY_SHORT[typology]})"),
                voice=voice,
                kind="outlet",
                country=country or None,
                domains=domains,
                note=f"State Media Matrix: {row.get('Media company', '').strip()}, {country}, typology {typology} "
                f"({TYPOLOGY_LABELS[typology]})",
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
        titles=base.titles + extra.titles,
        person_roles=base.person_roles + extra.person_roles,
        media_terms=base.media_terms + extra.media_terms,
        state_media_countries=base.state_media_countries + extra.state_media_countries,
        state_media_words=base.state_media_words + extra.state_media_words,
        descriptors=extra.descriptors + base.descriptors,
        ambiguous_names=base.ambiguous_names + extra.ambiguous_names,
        unattributed_cues=base.unattributed_cues + extra.unattributed_cues,
        official_domain_labels=base.official_domain_labels + extra.official_domain_labels,
        entities=extra.entities + base.entities,
    )


def load_registry(extra_paths: Iterable[Path] = ()) -> Registry:
    """The built-in registry, the State Media Matrix and any user files (later files win)."""
    data = _read_registry_file(BUILTIN_REGISTRY)
    for path in extra_paths:
        data = merge(data, _read_registry_file(path))
    known = {c.country for c in data.countries}
    for entity in data.entities:
        if entity.kind == "outlet" and not entity.note:
            raise RegistryError(f"hand-added outlet {entity.name!r} needs a note saying why it is added")
        for office in entity.offices:
            if office.country not in known:
                raise RegistryError(f"{entity.name!r}: office in unknown country {office.country!r} (add it to countries)")
    return Registry(data, load_state_media_matrix(countries=data.countries))


@lru_cache(maxsize=8)
def cached_registry(extra_paths: tuple[Path, ...] = ()) -> Registry:
    """A process-wide registry per set of user files."""
    return load_registry(extra_paths)
