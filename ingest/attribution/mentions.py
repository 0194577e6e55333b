"""Mentions: who a phrase of the text names, from the registry, NER, titles and appositions.

:class:`SourceDescriber` reads a speaker phrase (a subject, an agent, the X of "according to X")
and says which :class:`~ingest.attribution.sources.Source` it names:

1. a registry entity by a whole name or alias ("the Russian agency TASS", "Peskov");
2. a person or organisation the text names that the registry does not know, found by spaCy's NER
   or as a run of proper nouns, with the role and country the text itself gives: titles before the
   name ("Kazakh Foreign Minister Mukhtar Tileuberdi", "President Venn") and appositions ("Russia's
   ambassador to the UN, Vassily Nebenzia"; "Ivan Petrov, a political scientist,");
3. a description with no name, by the registry's rules ("the Kazakh embassy", "Kremlin spokesman",
   "a senior Russian official").

The voice of a name the registry does not know comes from that role (:mod:`.voice`), else it is
``unclassified``.
"""

from __future__ import annotations

import re

from sourcewise.registry import Registry
from sourcewise.types import Voice

from ingest.dateline import read_dateline, strip_dateline
from ingest.attribution.lexicon import Lexicon
from ingest.attribution.sources import Source, from_entity
from ingest.attribution.voice import voice_from_role

#: Words that make a proper name an organisation's rather than a person's.
_ORG_WORDS = frozenset(
    """ministry committee council agency party group bank service office department news times post tv radio press
    institute university union organization organisation front movement association foundation centre center
    court parliament assembly commission government administration forces army police guard company corporation
    network channel daily herald journal gazette review fund federation republic bureau directorate mission
    secretariat headquarters staff command alliance coalition campaign team club society corps church diocese
    patriarchate synod""".split()
)
#: A surname after one or two initials, as texts translated from Russian write them ("A.Glaz",
#: "S.V.Lavrov"); NER does not read them as names.
INITIALLED_NAME_RE = re.compile(r"(?:[A-ZА-Я]\.\s?){1,2}[A-ZА-Я][a-zа-я’'-]+")
_NAME_TOKEN_RE = re.compile(r"^[A-ZÀ-ÖØ-ÞА-Я][\w’'.-]*$")
#: Official words too general to say that two offices are one ("officials", "a spokesman").
_GENERIC_OFFICE_WORDS = frozenset(
    """official officials authorities spokesman spokesperson spokeswoman leader leaders leadership government
    governments administration regime deputy deputies aide adviser advisor delegation diplomat diplomats""".split()
)
_CHANNEL_OF_RE = re.compile(
    r"(?i)^(?:the\s+)?(?:official\s+)?(?:instagram|telegram|facebook|twitter|x|vk|youtube|website|web\s+site|press\s+service|"
    r"site|page|account|channel)(?:\s+(?:page|account|channel|site))?\s+of\s+"
)


def _office_stems(term: str) -> frozenset[str]:
    """The words of an official term, spelt one way ("Defence Minister" ~ "defense ministry")."""
    words = re.findall(r"[a-z]+", term.lower().replace("defence", "defense"))
    return frozenset("minist" if w.startswith("minist") else w for w in words if w not in ("of", "the", "for"))


class OfficeCountries:
    """Which country the document gives each office it names with one ("the Chinese defense
    minister", "Ministry of Foreign Affairs of Ukraine"), so that the same office named later with
    no country ("Defense Minister Wei Fenghe", "ministry spokesman Wu Qian") is that country's, not
    the document's."""

    def __init__(self, registry: Registry, text: str, title: str = "") -> None:
        self.registry = registry
        #: (offset, the office's words, country) for every office the text gives a country; the
        #: headline's ("Russian embassy says ...", then "the embassy said") come before the text's.
        self.pairs: list[tuple[int, frozenset[str], object]] = []
        for source, offset in ((title, -1), (text, None)):
            for m, country in registry.officials_with_countries(source):
                stems = _office_stems(m.group(0))
                if stems - _GENERIC_OFFICE_WORDS:
                    self.pairs.append((m.start() if offset is None else offset, stems, country))

    def country_of(self, role: str, before: int, sentence_start: int = 0):
        """The country of the nearest office before ``before`` that ``role`` names again, or None.
        An office given two countries in the role's own sentence says nothing."""
        wanted = [_office_stems(m.group(0)) - _GENERIC_OFFICE_WORDS for m in self.registry.official_terms_in(role)]
        wanted = [w for w in wanted if w]
        if not wanted:
            return None
        matching = [(at, country) for at, stems, country in self.pairs
                    if at < before and any(w <= stems for w in wanted)]
        if not matching:
            return None
        same_sentence = {c.country for at, c in matching if at >= sentence_start}
        if len(same_sentence) > 1:
            matching = [(at, c) for at, c in matching if at < sentence_start]
        return matching[-1][1] if matching else None


class SourceDescriber:
    """Reads speaker phrases into sources, for one document (its corpus country and date)."""

    def __init__(
        self,
        registry: Registry,
        lexicon: Lexicon,
        context_country: str | None,
        published: str | None,
        office_country: str | None = None,
    ) -> None:
        self.registry = registry
        self.lexicon = lexicon
        self.context_country = context_country
        self.published = published
        #: Whose officials an office with no country names ("the Prime Minister" on Armenia's government site).
        self.office_country = office_country or context_country
        self.offices: OfficeCountries | None = None
        self._sentence = (0, 0)

    def read_document(self, text: str, title: str = "") -> None:
        """Note the offices the document and its headline give a country (see :class:`OfficeCountries`)."""
        self.offices = OfficeCountries(self.registry, text, title)

    def at(self, start: int, end: int) -> None:
        """The document offsets of the sentence whose phrases are read next."""
        self._sentence = (start, end)

    def _office_country(self, role: str | None) -> str | None:
        """Whose office a role with no country names: the country the document gave the same office
        before, else the document's own."""
        if role and self.offices is not None and not self.registry.find_countries(role):
            country = self.offices.country_of(role, self._sentence[1], self._sentence[0])
            if country is not None:
                return country.country
        return self.office_country

    # -- plain phrases --------------------------------------------------------------------

    def phrase(self, phrase: str, sentence: str | None = None) -> Source | None:
        """The source a plain phrase names by the registry alone (entities, offices, rules).

        An unqualified "the Foreign Ministry" takes the country the sentence gives it ("the Ministry
        of Foreign Affairs of Ukraine ..., according to the Foreign Ministry"), else the corpus's.
        """
        near = self.registry.country_near_official(sentence) if sentence is not None else None
        country = near.country if near is not None else self._office_country(phrase)
        # "the Instagram page of the Interior Ministry" speaks for the ministry.
        phrase = _CHANNEL_OF_RE.sub("", phrase.strip())
        metonym = self.country_as_speaker(phrase) if not self.registry.find_entities(phrase) else None
        if metonym is not None:
            return metonym
        found = self.registry.resolve(phrase, context_country=country, published=self.published)
        if found is None:
            return self._home_official(phrase)
        if found.entity is not None:
            source = from_entity(found.entity, found.reason)
            if found.speaker.name != found.entity.name:  # someone speaking for a body ("TASS correspondent")
                return Source(
                    name=found.speaker.name, role=found.speaker.role, voice=found.speaker.voice, kind="person",
                    country=found.entity.country, reason=found.reason,
                )
            return source
        kind = "group"
        if self.registry.has_official_term(phrase) or self.registry.has_media_term(phrase):
            kind = "body"
        return Source(
            name=found.speaker.name,
            role=found.speaker.role,
            voice=found.speaker.voice,
            kind=kind,
            country=found.country.country if found.country else None,
            reason=found.reason,
        )

    def _home_official(self, phrase: str) -> Source | None:
        """An unnamed official the text gives no country ("a state-appointed ombudswoman", "a senior
        official"): the document's own country's, as for a named one (see :mod:`.voice`)."""
        home = self.registry.country(self._office_country(phrase))
        words = phrase.split()
        if home is None or not self.registry.has_official_term(phrase) or self.registry.find_countries(phrase):
            return None
        if len(words) > 6 or any(w[:1].isupper() for w in words[1:]):
            return None
        # "Orvania's electoral body": an office the phrase gives an owner the registry does not know is that
        # owner's, not the document's country's.
        if re.match(r"^(?:the\s+)?[A-Z][\w-]*['’]s\b", phrase.strip()):
            return None
        return Source(name=re.sub(r"(?i)^(the|a|an)\s+", "", phrase), role=f"{home.country} official", voice=home.voice,
                      kind="person", country=home.country,
                      reason=f"an office with no country in the text: taken as {home.country}'s, the document's country")

    def country_as_speaker(self, phrase: str) -> Source | None:
        """A country or its seat of government standing for its government ("Moscow has said",
        "Kazakhstan insists", "the US warned"); adjectives ("Russian") never stand alone for one."""
        bare = re.sub(r"(?i)^the\s+", "", phrase.strip(" ,"))
        listed = self._countries_listed(bare)
        if listed is not None:
            return listed
        # "Russia, Uzbekistan's traditional ally and top trade partner, indicated …": the country, then an
        # apposition saying what it is to another.
        if "," in bare:
            head = bare.split(",", 1)[0].strip()
            if self.registry.country(head) is not None and _names_the_country(head, self.registry.country(head)):
                bare = head
        country = self.registry.country(bare)
        if country is None or not bare[:1].isupper() or not _names_the_country(bare, country):
            return None
        return Source(name=f"Government of {country.country}", role=f"{bare!r} for {country.country}'s government",
                      voice=country.voice, kind="body", country=country.country,
                      reason=f"{bare!r} stands for {country.country}'s government")

    def _countries_listed(self, bare: str) -> Source | None:
        """Several countries standing for their governments ("the US, UK, Turkey and other coalition
        members called on ..."): one group, with the voice they share (none when they differ)."""
        parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", bare) if p.strip()]
        if len(parts) < 2:
            return None
        countries = []
        for part in parts:
            word = re.sub(r"(?i)^the\s+", "", part)
            country = self.registry.country(word)
            if country is not None and word[:1].isupper() and _names_the_country(word, country):
                countries.append(country)
            elif not (part.islower() and part.split()[-1].endswith("s")):  # "other coalition members", "their allies"
                return None
        if len(countries) < 2:
            return None
        names = ", ".join(dict.fromkeys(c.country for c in countries))
        # Governments of different voices speaking together ("Russia and China said") are still
        # governments: the claim takes the first one's voice, never the author's.
        voice = countries[0].voice
        shared = "" if len({c.voice for c in countries}) == 1 else f"; voices differ, the first named ({countries[0].country}) is taken"
        return Source(name=bare, role=f"the governments of {names}", voice=voice, kind="group",
                      reason=f"{bare!r} lists countries standing for their governments ({names}){shared}")

    # -- parsed phrases -------------------------------------------------------------------

    def span(self, span) -> Source | None:
        """The source a parsed phrase (a spaCy span: a subject with its appositions) names."""
        text = span.text
        known = self.registry.find_entities(text)
        if any(m.entity.kind == "person" for m in known):
            return self.phrase(text)
        taken = [(span.start_char + m.start, span.start_char + m.end) for m in known]
        name_tokens = [t for t in self._name_tokens(span) if not any(a <= t.idx < b for a, b in taken)]
        if all(t.is_punct for t in name_tokens):
            name_tokens = []
        # "Nagorno-Karabakh authorities": a country's name the tokenizer split at its hyphen is no one's name.
        if name_tokens and self.registry.country(_span_text(name_tokens)) is not None:
            return None
        if not name_tokens or _only_modifies(span.root, name_tokens):
            return None
        name = _join(name_tokens)
        role = self._role_of(span, name_tokens)
        kind = "org" if any(t.lower_ in _ORG_WORDS for t in name_tokens) else "person"
        if kind == "org":
            # An organisation the registry does not know: its own name may say whose it is ("the
            # Zhetisu Regional Prosecutor's Office of Kazakhstan"); a body named by its function alone
            # ("the National Security Committee") is the document's country's, as an unnamed office is.
            by_name = self.registry.resolve(text, context_country=self._office_country(text), published=self.published)
            if by_name is None and name != text:
                # "the Chairman of the Security Council": the body the office is of says whose it is.
                by_name = self.registry.resolve(name, context_country=self._office_country(text), published=self.published)
            if by_name is not None and by_name.speaker.voice is not Voice.UNATTRIBUTED:
                country = by_name.country.country if by_name.country else None
                return Source(name=name, role=role, voice=by_name.speaker.voice, kind="body", country=country,
                              reason=f"the name says it: {by_name.reason}")
            # "Foreign Affairs and Expatriates Ministry said" in a Syrian agency's copy: a body of government
            # the text gives no country is the document's country's, as an office with no country is.
            home = self.registry.country(self._role_country(span, name))
            # (not when a people's adjective of no known nation qualifies it: "the Zorbian Foreign Ministry")
            unknown_people = any(_PEOPLES_ADJECTIVE_RE.fullmatch(t.text) and not self._is_title_or_country(t)
                                 for t in name_tokens)
            if home is not None and self.registry.has_official_term(name) and not self.registry.find_countries(text) \
                    and not unknown_people:
                return Source(name=name, role=role, voice=home.voice, kind="body", country=home.country,
                              reason=f"a body of government the text gives no country: taken as {home.country}'s, "
                                     f"the document's country")
            return voice_from_role(self.registry, name, role, "body", self._role_country(span, role), self.published)
        source = voice_from_role(self.registry, name, role, "person", self._role_country(span, role), self.published)
        bodies = [m.entity for m in known if m.entity.kind in ("body", "outlet")]
        if source.voice is Voice.UNCLASSIFIED and len(bodies) == 1:
            # "Paul Stronski, of the Carnegie Endowment", "HRW's Jane Buchanan": a person the text
            # places in a body the registry knows speaks with that body's voice.
            body = bodies[0]
            return Source(name=name, role=role or f"of {body.name}", voice=body.voice, kind="person",
                          country=body.country, reason=f"the text places them in {body.name} ({body.note or body.role})")
        return source

    def _role_country(self, span, role: str | None) -> str | None:
        """The country an office with no known country is taken to be of; None where the text puts
        it in a nation or place the registry does not know ("Orvanian Defence Minister Ana Lopez"):
        its voice is then not known, not the document's country's."""
        # (the whole sentence's entities: a role may run before the parsed phrase, "Zorbian defence
        # minister and army chief X")
        for ent in span.doc.ents:
            if ent.end <= span.end and ent.label_ in ("NORP", "GPE") and role and ent.text in role and not self.registry.find_countries(ent.text):
                return None
        return self._office_country(role)

    def _name_tokens(self, span) -> list:
        """The tokens of the proper name a phrase holds: a NER person or organisation, else the run
        of proper nouns at its head that is no title, country word or registry term."""
        # The name at the phrase's head first ("Zorbian Foreign Minister Anton Rebrov": Rebrov, not the
        # adjective the tagger may also call a person), then people before organisations.
        head = span.root
        # A surname after its initials ("Press Secretary of the Foreign Ministry A.Glaz").
        initialled = [t for t in span if INITIALLED_NAME_RE.fullmatch(t.text)]
        if initialled:
            return initialled[-1:]
        # A person before an organisation, and of several the last: an English noun phrase ends on its
        # head ("Deputy Commander of Special Operations Forces ... Sergei Andreyev").
        for ent in sorted(span.ents, key=lambda e: (e.label_ != "PERSON", not (e.start <= head.i < e.end), -e.end)):
            if ent.label_ == "PERSON":
                tokens = [t for t in ent if not self._is_title_or_country(t)]
                if tokens and all(_NAME_TOKEN_RE.match(t.text) or t.text in "-'’" for t in tokens):
                    return tokens
            elif ent.label_ == "ORG":
                if not (ent.start <= head.i < ent.end) and head.pos_ == "PROPN" and not head.ent_type_ \
                        and not self._is_title_or_country(head):
                    # "Yeldos Kilimzhanov, Deputy Head of 1st Service of ...": the tagger missed the name at
                    # the phrase's head and took words of the title for an organisation.
                    continue
                # An organisation's name keeps its official words ("Ministry of Foreign Affairs of Uzbekistan"),
                # not the abbreviation the tagger ran into ("the World Health Organization (WHO").
                tokens = [t for t in ent if t.lower_ != "the"]
                bracket = next((k for k, t in enumerate(tokens) if t.text == "("), None)
                if bracket is not None and not any(t.text == ")" for t in tokens[bracket:]):
                    tokens = tokens[:bracket]
                # ... but a person's name the tagger ran on after it ("the Presidential Administration
                # Ivan Sorin") is the person's.
                heads = [k for k, t in enumerate(tokens) if t.lower_ in _ORG_WORDS]
                tail = tokens[heads[-1] + 1 :] if heads else []
                if len(tail) >= 2 and all(_NAME_TOKEN_RE.match(t.text) and not self._is_title_or_country(t) for t in tail):
                    return tail
                # "State Secretary of the Security Council of Belarus Aleksandr Volfovich": the body's
                # country comes between; the proper nouns that end the phrase, at its head, are the name.
                end = len(tokens)
                while end > 0 and _NAME_TOKEN_RE.match(tokens[end - 1].text) and tokens[end - 1].pos_ == "PROPN" \
                        and not self._is_title_or_country(tokens[end - 1]) and tokens[end - 1].lower_ not in _ORG_WORDS:
                    end -= 1
                tail = tokens[end:]
                if heads and len(tail) >= 2 and end > heads[-1] + 1 and (head in tail or self._is_title_or_country(head)):
                    return tail
                if not heads:
                    # A person the tagger took for an organisation, with the place before the name
                    # ("Chargé d'Affaires in Astana Pavel Kirov"): the place is no part of the name.
                    tokens = [t for t in tokens if not self._is_title_or_country(t)]
                if tokens and any(_NAME_TOKEN_RE.match(t.text) and not self._is_title_or_country(t) for t in tokens):
                    return tokens
        run: list = []
        for tok in span:
            # A place, a people or a date in the phrase ("residents of Syunik") is no one's name.
            if tok.pos_ == "PROPN" and _NAME_TOKEN_RE.match(tok.text) and not self._is_title_or_country(tok) \
                    and tok.ent_type_ not in ("GPE", "LOC", "NORP", "DATE", "FAC"):
                run.append(tok)
            elif run:
                break
        # A lone proper noun that is an acronym or a common capitalised word is too weak to be a name,
        # unless an apposition says who it is ("Saule, a 58-year-old construction worker, said").
        if len(run) == 1 and (run[0].text.isupper() or run[0].is_sent_start) and not (
                run[0].is_sent_start and not run[0].text.isupper()
                and any(c.dep_ == "appos" and c.pos_ == "NOUN" for c in run[0].children)):
            return []
        return run

    def _is_title_or_country(self, tok) -> bool:
        low = tok.text.lower().strip(".")
        return (
            low in self.registry.title_words
            or self.registry.country(tok.text) is not None
            or low in ("'s", "’s", "the")
        )

    def _role_of(self, span, name_tokens) -> str | None:
        """The role the text gives a name: title words before it, an apposition after it, or the
        noun phrase it is the apposition of ("Russia's ambassador to the UN, Vassily Nebenzia")."""
        first, last = name_tokens[0].i, name_tokens[-1].i
        doc = span.doc
        # '"We will not allow it," Georgian President X': the closing mark of a quote is no part of a role.
        before = doc[span.start : first].text.strip(" ,\"“”«»‘’")
        after = doc[last + 1 : span.end].text.strip(" ,\"“”«»‘’")
        if after.startswith(":"):
            after = ""  # "Defence Minister X: Mr President, ...": a turn label, then the words of the turn
        # "the head of the State Committee, which also includes the border guards": the relative clause
        # says more of the body; it is no part of the role.
        after = re.split(r",\s+(?:which|who|whose)\b", after)[0]
        # "Jeremy Laurence Spokesperson for the UN Human Rights Office, made …": the parser may end the
        # phrase at the title and hang "for …" on the verb; the body the title is of is part of the role.
        if after and span.end < len(doc) and doc[span.end].lower_ in ("for", "of", "at") and doc[span.end].dep_ == "prep" \
                and self.registry.has_official_term(after.split()[-1]):
            tail = doc[span.end : doc[span.end].right_edge.i + 1].text
            if self.registry.find_entities(tail):
                after = f"{after} {tail}"
        # A photo credit glued before a caption ("Aurel Obreja/AP Moldovan President Maia Sandu") is
        # no part of the role: the role is the title words after it.
        before = _CREDIT_RE.sub("", before)
        # "TBILISI, Georgia (AP) — Georgia's President Mikhail Saakashvili": nor is the dateline.
        before = strip_dateline(before)
        # "Deputy Minister of Defense of Kazakhstan Mukhamedzhan Talassov": the parser hangs the name on
        # the title's last "of"; the title it hangs from is the name's role.
        # A list may make the name a conjunct of its own title ("Zas, Deputy Minister of Defense of
        # Kazakhstan major general Mukhamedzhan Talassov, and ..."): no comma or "and" between them.
        top = name_tokens[-1]
        while True:
            if top.dep_ == "pobj" and top.head.dep_ == "prep" and top.head.lower_ == "of" and top.head.head.i < first:
                top = top.head.head
            elif top.dep_ == "conj" and top.head.i < first and top.head.pos_ in ("NOUN", "PROPN") and not any(
                    t.dep_ in ("cc", "punct") for t in doc[top.head.i + 1 : first]):
                top = top.head
            else:
                break
        # "Deputy Prime Minister and Foreign Minister X", "former CIA officer and State Department official
        # X": two titles joined by "and" are both the name's; the parser makes the name a conjunct of the
        # first, so the role runs from the first title to the name (and "former" covers both).
        if top is name_tokens[-1] and top.dep_ == "conj" and top.head.i < first and top.head.pos_ in ("NOUN", "PROPN") \
                and top.head.lower_ in self.registry.title_words \
                and [t.lower_ for t in doc[top.head.i + 1 : first] if t.dep_ == "cc"] == ["and"] \
                and not any(t.is_punct for t in doc[top.head.i + 1 : first]) \
                and any(t.lower_ in self.registry.title_words for t in doc[top.head.i + 2 : first]):
            before = doc[top.head.left_edge.i : first].text.strip(" ,")
        elif top is not name_tokens[-1] and top.left_edge.i < span.start:
            title = doc[top.left_edge.i : first].text.strip(" ,")
            if self.registry.has_official_term(title) or any(t.lower_ in self.registry.title_words for t in doc[top.left_edge.i : top.i + 1]):
                before = title
        if not self.registry.has_official_term(before) and not any(w.lower() in self.registry.title_words for w in before.split()):
            # "welcome the Deputy Assistant Secretary of State for Cuba and Venezuela Carrie Filipetti":
            # the parser may end the name's phrase inside its title; the title is the run of title-case
            # words and small words right before the phrase.
            k = span.start - 1
            while k >= 0 and span.start - k <= 12 and (
                (doc[k].pos_ in ("PROPN", "NOUN", "ADJ") and doc[k].text[:1].isupper())
                or doc[k].lower_ in ("of", "for", "and", "to")
            ):
                k -= 1
            run = doc[k + 1 : first].text.strip(" ,")
            if k + 1 < span.start and self.registry.has_official_term(doc[k + 1 : span.start].text):
                before = re.sub(r"^(?:of|for|and|to)\s+", "", run)
        parts = []
        if before and not re.fullmatch(r"(?i)(the|a|an|mr|mrs|ms|dr)\.?", before):
            parts.append(re.sub(r"(?i)^(the|a|an)\s+", "", before))
        if after and (
            re.match(r"(?i)^(the|a|an|who is|its|his|her|former|deputy|head|chief)\b", after)
            or (doc[last + 1 : last + 2].text == "," and self.registry._person_words(after.lower()))
            or self.registry.has_official_term(after)
        ):
            parts.append(re.sub(r"(?i)^(who is)\s+", "", after))
        head = name_tokens[-1]
        dateline = read_dateline(doc.text)
        # "TBILISI, Georgia (AP) — … Levan Kiknadze": the parser may hang the name on the dateline's city.
        if head.dep_ == "appos" and head.head.i < first and not (dateline and head.head.idx < dateline.end):
            parts.append(doc[head.head.left_edge.i : head.head.i + 1].text)
        role = ", ".join(p for p in parts if p)
        return role or None


#: A capitalised people's adjective ("Zorbian", "Orvanese"): the form of a nation's name, known or not.
_PEOPLES_ADJECTIVE_RE = re.compile(r"[A-Z][a-z]+(?:ian|ean|ese|ish)")

#: A photo credit, "Name/AGENCY" or "AGENCY/Name", and everything before it in a caption.
_CREDIT_RE = re.compile(r"^.*\S/\S+\s+")

#: Endings of a people's adjective or plural ("Russian", "Chinese", "British", "Thai", "Swiss",
#: "Kazakh", "Russians"), which never stand alone for a government as a country's name does ("Britain").
_DEMONYM_END_RE = re.compile(r"(?:an|ese|ish|i|ic|ch|ss|s|kh|ek|ik|yz|men)$")


def _names_the_country(word: str, country) -> bool:
    """Whether ``word`` is a name of the country or its seat ("Britain", "UK", "Moscow"), not an adjective."""
    if word.lower() == country.country.lower() or word in country.seats or (word.isupper() and len(word) > 1):
        return True
    return word in country.names and not _DEMONYM_END_RE.search(word)


def _only_modifies(root, name_tokens) -> bool:
    """Whether a name only modifies a common noun through "of" ("residents of Syunik", "supporters of
    Ivan Sorin"): the speaker is the noun, not the name."""
    if root.pos_ != "NOUN" or any(t.i == root.i for t in name_tokens):
        return False
    of_phrases = [c for c in root.children if c.dep_ == "prep" and c.lower_ in ("of", "in", "from")]
    return bool(of_phrases) and all(any(t in c.subtree for c in of_phrases) for t in name_tokens) \
        and not any(t.dep_ == "appos" for t in name_tokens)


def _span_text(tokens) -> str:
    """The text the tokens span, as written (hyphens without spaces)."""
    return tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text


def _join(tokens) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()
