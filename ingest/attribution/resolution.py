"""Names across a document: one referent per person or body, however the text names them later.

A document names someone fully once ("Russia's ambassador to the UN, Vassily Nebenzia") and then
by a bare surname ("Nebenzia insisted"), a variant spelling ("Toqaev" for "Tokayev"), a
description ("the Russian envoy", "the Kremlin spokesman", "the ministry") or a pronoun ("he",
"it"). :class:`DocumentNames` keeps the referents in the order the text introduces them and
resolves each later form to the one the document already named, so that the claim carries the
full name, role and voice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.attribution.sources import Source
from sourcewise.registry import name_key, offices_held
from sourcewise.types import Voice

_DETERMINERS = ("the", "this", "that", "these", "those", "its", "his", "her", "their")
#: Words that make an office one its holder no longer holds, or held first ("former president").
_PAST_TITLE = frozenset({"former", "ex", "ex-", "first", "late", "outgoing"})
#: Adjectives that say who supports someone ("Russian-backed", "Western-allied"), not what they are.
_SPONSOR_RE = re.compile(r"-(?:backed|allied|supported|friendly|leaning|aligned|installed|sponsored)$")
#: Description heads that may name a body or person the document already named.


@dataclass
class Referent:
    """A person, body or outlet the document has named, with every form it was named by."""

    source: Source
    forms: set[str] = field(default_factory=set)
    first_seen: int = 0
    last_spoke: int | None = None  # sentence index of its latest claim (-1: the headline)
    mentions: list[int] = field(default_factory=list)  # sentence indexes where the text names it
    titles: set[str] = field(default_factory=set)  # titles the text itself gave ("Prime Minister" Dmitry Medvedev)

    @property
    def surname_key(self) -> str | None:
        if self.source.kind != "person" or not self.source.name:
            return None
        words = self.source.name.replace(",", " ").split()
        return name_key(words[-1]) if words else None


class DocumentNames:
    """The referents of one document, and the look-ups that resolve later forms to them."""

    def __init__(self) -> None:
        self.referents: list[Referent] = []

    def observe(self, source: Source, surface: str, sentence: int) -> Source:
        """Register a source named in sentence ``sentence``; an earlier referent of the same person
        or body absorbs it (a bare surname takes the full name and role named before)."""
        earlier = self._same(source, surface)
        if earlier is not None:
            earlier.forms.add(surface.lower())
            merged = _merge(earlier.source, source)
            earlier.source = merged
            earlier.mentions.append(sentence)
            return merged
        self.referents.append(Referent(source, {surface.lower()}, sentence, mentions=[sentence]))
        return source

    def titled(self, source: Source, title: str) -> None:
        """The text has put ``title`` before a name it gave ``source`` (a headline's "Prime Minister Dmitry
        Medvedev" in 2012): later descriptions by that title refer to them, whatever office the registry
        gives them today."""
        ref = self._same(source, source.name or "")
        if ref is not None:
            ref.titles.add(title.lower())

    def describe(self, source: Source, described: Source) -> None:
        """The text has said who ``source`` is: later mentions of them carry ``described``."""
        ref = self._same(source, source.name or "")
        if ref is not None:
            ref.source = described

    def last_mentioned(self, sentence: int, pronoun: str, within: int = 3) -> Source | None:
        """The person most recently named within ``within`` sentences whom ``pronoun`` can refer to."""
        best: Referent | None = None
        best_at = -10**9
        for ref in self.referents:
            if ref.source.kind != "person" or not ref.source.could_be(pronoun):
                continue
            before = [m for m in ref.mentions if m < sentence]
            if before and sentence - max(before) <= within and max(before) > best_at:
                best, best_at = ref, max(before)
        return best.source if best else None

    def spoke(self, source: Source, sentence: int) -> None:
        """Record that ``source`` made a claim in ``sentence`` (pronouns later refer to speakers)."""
        ref = self._same(source, source.name or "")
        if ref is None and source.name:
            ref = Referent(source, {source.name.lower()}, sentence)
            self.referents.append(ref)
        if ref is not None:
            ref.last_spoke = sentence

    def _same(self, source: Source, surface: str) -> Referent | None:
        for ref in reversed(self.referents):
            if source.entity is not None and ref.source.entity is source.entity:
                return ref
            if source.name and ref.source.name and source.name.lower() == ref.source.name.lower():
                return ref
            if source.kind == "person" and ref.source.kind == "person" and source.name and ref.source.name:
                if _same_person(source.name, ref.source.name):
                    return ref
        return None

    def by_name(self, surface: str) -> Source | None:
        """The referent a bare name or variant spelling names ("Nebenzia", "Toqaev", "Mr Petrov")."""
        words = [w for w in re.sub(r"(?i)^(mr|mrs|ms|dr)\.?\s+", "", surface.strip()).split() if w]
        if not words or not all(w[:1].isupper() for w in words):
            return None
        for ref in reversed(self.referents):
            if ref.source.kind != "person" or not ref.source.name:
                continue
            if _same_person(" ".join(words), ref.source.name):
                return ref.source
        return None

    def by_description(
        self,
        phrase: str,
        country_names: set[str],
        synonyms: dict[str, list[str]] | None = None,
        role_only: bool = False,
        country_words: frozenset[str] = frozenset(),
        published: str | None = None,
    ) -> Source | None:
        """The referent a description names: "the ministry", "the spokesman", "the Russian envoy".

        The description's head noun must be in the referent's name or role, and a country it names
        must be the referent's; the most recent such referent wins. A person the registry gives dated
        offices is what they were on the document's date: in 2018 "the Prime Minister" is not Boris
        Johnson, then Foreign Secretary.
        """
        words = re.findall(r"[\w’'-]+", phrase.lower())
        if not words:
            return None
        # "An official who asked not to be named" is someone new, never one named before.
        # "Russia's top diplomat": a country's possessive determines the description as "the" does (a bare
        # adjective does not: "Georgian diplomat said" names someone new).
        possessive = words[0] in country_words and words[0].endswith(("'s", "’s"))
        if words[0] in ("a", "an", "another"):
            return None
        if words[0] not in _DETERMINERS and not possessive and not role_only:
            # "Russian ambassador to Sudan earlier told TASS": a bare title is someone new, unless it
            # repeats word for word the office, with what it is of or to, of a person named before.
            if len(words) < 3 or not {"of", "to"} & set(words[1:-1]):
                return None
            exact = " ".join(words)
            return next((ref.source for ref in reversed(self.referents) if ref.source.kind == "person"
                         and " ".join(re.findall(r"[\w’'-]+", (ref.source.role or "").lower())) == exact), None)
        # The head noun of the description: "the press service of the Belarusian president" is a service;
        # an office whose name holds "of" ("the head of state") is one head.
        bare = " ".join(w for w in words if w not in _DETERMINERS and w not in country_words)
        if synonyms is not None and " " in bare and bare in synonyms:
            head_words, head = [bare], bare
        else:
            head_words = words[: words.index("of")] if "of" in words[1:] else words
            head = head_words[-1]
        # Only a singular role or body noun the lexicon knows refers back ("the ministry", "the envoy");
        # "the media", "the agencies" are groups, not one referent.
        if synonyms is None or head not in synonyms:
            return None
        heads = [head, *synonyms[head]]
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in heads) + ")")
        # "the Russian-backed president": who backs someone describes them; it is not a word of their office.
        content = {w for w in head_words if w not in _DETERMINERS and len(w) > 2 and w not in country_words
                   and not _SPONSOR_RE.search(w)}
        best, best_score = None, -1
        for ref in reversed(self.referents):
            s = ref.source
            titles = " ".join(sorted(ref.titles))  # what the text itself calls them
            text = f"{s.name or ''} {s.role or ''} {titles}".lower()
            # A person is what their role's head says: the former head of a committee is no committee.
            own = re.split(r"\b(?:of|at|to|for|in)\b", (s.role or "").lower())[0] if s.kind == "person" else text
            held = ([o.title.lower() for o in offices_held(s.entity, published)]
                    if published and s.entity is not None and s.entity.offices else None)
            if held is not None:
                # "the president" is not the "former" or "first president" the registry also lists.
                own = " ".join(t for t in held if t.split()[0] not in _PAST_TITLE or t.split()[0] in words)
            own = f"{own} {titles}"
            if not pattern.search(own):
                continue
            if country_names and (s.country not in country_names):
                continue
            # Every word of the description but its head must be the referent's: "the Interior
            # Ministry" is not the foreign ministry named before.
            if any(w not in text and _stem(w) not in text for w in content - {head}):
                continue
            score = sum(1 for w in content if w in text or _stem(w) in text)
            if score > best_score:
                best, best_score = s, score
        return best

    def last_speaker(
        self, sentence: int, kinds: tuple[str, ...], within: int = 4, pronoun: str | None = None,
        known_gender: bool = False,
    ) -> Source | None:
        """The most recent speaker of one of ``kinds`` within ``within`` sentences before ``sentence``
        (one "she" or "he" can refer to, when a pronoun is given)."""
        best: Referent | None = None
        for ref in self.referents:
            if pronoun is not None and not ref.source.could_be(pronoun):
                continue
            if known_gender and not ref.source.gender_known():
                continue
            if ref.last_spoke is not None and ref.source.kind in kinds and 0 <= sentence - ref.last_spoke <= within:
                if best is None or ref.last_spoke > best.last_spoke:
                    best = ref
        return best.source if best else None


def _stem(word: str) -> str:
    """An adjective's noun ("presidential" ~ "president", "governmental" ~ "government")."""
    return re.sub(r"(?:ial|al)$", "", word) if len(word) > 6 else word


def _same_person(a: str, b: str) -> bool:
    """Whether two person names name the same person: the same surname (spelling-tolerant) and no
    clash of given names ("Nebenzia" ~ "Vassily Nebenzia"; "Ivan Petrov" !~ "Olga Petrova")."""
    wa, wb = a.replace(",", " ").split(), b.replace(",", " ").split()
    if not wa or not wb:
        return False
    # A bare family name written first ("Wang" for "Wang Yi").
    if len(wa) == 1 and len(wb) == 2 and name_key(wa[0]) == name_key(wb[0]) and name_key(wa[0]) != name_key(wb[1]):
        return True
    if name_key(wa[-1]) != name_key(wb[-1]) or not name_key(wa[-1]):
        return False
    if len(wa) > 1 and len(wb) > 1:
        return wa[0][0].lower() == wb[0][0].lower()
    return True


def _merge(earlier: Source, later: Source) -> Source:
    """The earlier (fuller) referent, taking a voice or role the later form adds."""
    if earlier.voice is Voice.UNCLASSIFIED and later.voice is not Voice.UNCLASSIFIED:
        return later if (later.name and len(later.name) >= len(earlier.name or "")) else Source(
            name=earlier.name, role=later.role or earlier.role, voice=later.voice, kind=earlier.kind,
            entity=later.entity, country=later.country, reason=later.reason,
        )
    if not earlier.role and later.role:
        return Source(name=earlier.name, role=later.role, voice=earlier.voice, kind=earlier.kind,
                      entity=earlier.entity, country=earlier.country or later.country, reason=earlier.reason)
    return earlier
