"""Speakers: who a phrase, a pronoun or a grammatical subject names, and in which voice.

One of the roles of a document's run (:class:`.run.DocumentRun`): phrases to sources, with the
document's names (:mod:`ingest.attribution.resolution`) and the text's own titles.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.attribution.english.common import Found, _parse_phrase
from ingest.attribution.english.patterns import _STATEMENT_REACH
from ingest.attribution.english.syntax import _PERSON_NOUN_RE, _QUANTITY_NOUNS, _cue_span, _main_found, _names_publisher, _subject_phrase, _subject_span
from ingest.attribution.mentions import _CHANNEL_OF_RE
from ingest.attribution.sources import Source, from_entity
from sourcewise.types import Voice


class SpeakerResolution:
    """From phrases, pronouns and subjects to sources. Mixed into :class:`.run.DocumentRun`, whose state it reads."""

    def _works_for_publisher(self, role: str | None) -> bool:
        """Whether a role the text gives places its holder at the publisher ("director at Access Now")."""
        if not role:
            return False
        names = {n for n in (self.document.outlet_name, self.document.meta.publisher) if n and len(n) > 2}
        return any(
            re.search(rf"(?i)(?:\b(?:at|of|with|from|for)\s+(?:the\s+)?{re.escape(n)}\b|\b{re.escape(n)}(?:’s|'s)?\s*$)", role)
            for n in names
        )

    def _placed(self, described: Source, phrase: str, sentence: int) -> Source:
        """A person the text names with a role, placed where the page puts them: an NGO's own staff, or
        the office of the person "his"/"her" refers to (both where names are first observed and where a
        cue's speaker is resolved)."""
        return self._of_possessor(self._as_ngo_staff(described, phrase), sentence)

    def _of_possessor(self, described: Source, sentence: int) -> Source:
        """"Mirziyoyev wished a speedy recovery, his spokesman, Sherzod Asadov, said": an office given as
        "his"/"her" is of the person just named, whose country and voice it takes (not the document's)."""
        m = re.match(r"(?i)(his|her)\s", described.role or "")
        if described.kind != "person" or described.entity is not None or m is None:
            return described
        owner = self.names.last_mentioned(sentence + 1, pronoun="he" if m.group(1).lower() == "his" else "she", within=2)
        if owner is None or owner.name == described.name or owner.voice in (Voice.UNCLASSIFIED, Voice.UNATTRIBUTED) \
                or not owner.country:
            return described
        return replace(described, voice=owner.voice, country=owner.country,
                       reason=f"'{m.group(1).lower()}' office of {owner.name}: {owner.reason}")

    def _as_ngo_staff(self, described: Source, phrase: str) -> Source:
        """"…,” said Daniel Calingaert, acting president." on Freedom House's own page: an NGO's release
        names its own staff by a bare title; the office is the NGO's, not a country's."""
        if not self._staff_of_ngo_publisher(described, phrase):
            return described
        own = self._outlet_as_speaker()
        return replace(described, voice=own.voice, country=None,
                       reason=f"a bare title on the page of {own.name}, an NGO: its own staff")

    def _staff_of_ngo_publisher(self, described: Source, phrase: str) -> bool:
        """Whether a person the text names with a title alone ("acting president", "Regional Director,
        Eastern Europe and Central Asia") stands on an NGO's own page (the registry's role for the
        publisher says NGO), with no country, body or registry entry of their own."""
        entity = self.document.outlet_entity
        if entity is None or entity.voice is not Voice.INDEPENDENT or not re.search(r"\bNGO\b", entity.role or ""):
            return False
        if described.kind != "person" or described.entity is not None or not described.role:
            return False
        role = described.role
        if self.registry.find_countries(role) or self.registry.find_countries(phrase) or self.registry.find_entities(role):
            return False
        # "director at Human Rights Watch", "head of the Zorb Foundation": the role names its own body.
        return not re.search(r"\b(?:of|at|for|with|from)\s+(?:the\s+)?[A-Z]", role)

    def _outlet_as_speaker(self) -> Source:
        return Source(name=self.document.outlet_name, role=self.author.role, voice=self.author.voice,
                      kind="outlet", reason="the publisher's own statement")

    def _phrase_source(self, phrase: str, sentence: str, doc=None, tok=None, verb=None, span=None) -> Source | None:
        """The source a speaker phrase names, resolved against the document's referents.

        Order: a person the registry knows; a bare surname or variant the document named before;
        a name the text gives with its role (NER, titles, appositions); a description of a referent
        ("the ministry", "the Russian envoy"); the registry's bodies, outlets and rules."""
        phrase = _CHANNEL_OF_RE.sub("", phrase.strip(" ,.;:“”\"'‘’«»()"))
        if not phrase:
            return None
        matches = self.registry.find_entities(phrase)
        people = [m for m in matches if m.entity.kind == "person"]
        if people:
            source = self.describer.phrase(phrase, sentence)
            if source is not None:
                if source.entity is not None:
                    return self.names.observe(source, people[-1].alias, self._index)
                return source
        bare = self.names.by_name(phrase)
        # "Nur-Sultan said": a name the tagger took for a person's, with no role, that is a country's or
        # its seat's stands for the government (the metonym below), not for that "person".
        if bare is not None and (bare.role or bare.entity is not None or not self.registry.country(phrase)):
            return bare
        if span is not None:
            np = span
        else:
            np = _subject_span(doc, tok, verb) if tok is not None and doc is not None else _parse_phrase(phrase)
        # "The United States expresses ...": a country's name standing for its government, before the
        # parse can take "United States" for a name of unknown affiliation.
        metonym = self.describer.country_as_speaker(phrase) if not matches else None
        if metonym is not None:
            return metonym
        if not any(m.entity.kind in ("body", "outlet") and m.end - m.start >= len(phrase) - 4 for m in matches):
            described = self.describer.span(np)
            if described is not None and described.voice is Voice.UNCLASSIFIED and described.name \
                    and self._works_for_publisher(described.role or phrase.partition(described.name)[2]):
                # "Anastasiya Zhyrmont, Regional Outreach Coordinator at Access Now" in Access Now's own
                # statement: the publisher's staff speak with its voice.
                own = self._outlet_as_speaker()
                role = described.role or phrase.partition(described.name)[2].strip(" ,") or None
                described = replace(described, voice=own.voice, role=role,
                                    reason=f"the text places them at the publisher, {own.name}")
            if described is not None and described.name:
                described = self._placed(described, phrase, self._index)
                return self.names.observe(described, described.name, self._index)
        countries = {c.country for _, _, c in self.registry.find_countries(phrase)}
        role_only = all(
            w.lower() in self.registry.title_words or self.registry.country(w) is not None or w.lower() in ("the", "a", "an")
            for w in re.findall(r"[\w’'-]+", phrase)
        )
        if role_only and countries:
            # "Kazakhstan's president": the registry knows who held the office at the time.
            holder = self.registry.office_holder(phrase, published=self.document.meta.published)
            if holder is not None:
                return self.names.observe(from_entity(holder[0], "office"), holder[0].name, self._index)
        # Country words a description may drop ("the Russian envoy" is the envoy); a seat of government
        # ("the Kremlin official") says more than the country and must match.
        country_words = frozenset(m.group(0).lower() for m in re.finditer(r"[\w’'-]+", phrase)
                                  if (c := self.registry.country(stem := re.sub(r"['’]s$", "", m.group(0)))) is not None
                                  and stem not in c.seats)
        by_description = self.names.by_description(phrase, countries, self.lex.role_synonyms, role_only, country_words,
                                                    self.document.meta.published)
        # "The Kremlin official also noted": a description through a body ("Kremlin") still refers to
        # the person of that body the document named (a known person named outright stays theirs).
        if by_description is not None and (not matches or (
            by_description.kind == "person" and all(m.entity.kind != "person" for m in matches))):
            return by_description
        source = self.describer.phrase(phrase, sentence)
        if source is None and _names_publisher(phrase, self.document):
            return self._outlet_as_speaker()
        if source is not None and source.kind == "person" and source.name:
            return self.names.observe(source, source.name, self._index)
        return source

    def _pronoun_source(self, word: str) -> Found | None:
        """The speaker a pronoun continues: the last person (he, she) or body (it, they) quoted."""
        low = word.lower()
        kinds = ("person",) if low in self.lex.person_pronouns else ("body", "outlet", "group", "person")
        previous = self._previous
        if previous is not None and low in ("she", "her", "he", "him", "his") and not previous.source.gender_known():
            # "According to her, Blinken …": a person whose gender the text does not show yields to a
            # speaker just before who is known to be "she".
            known = self.names.last_speaker(self._index, ("person",), pronoun=low, known_gender=True)
            if known is not None and known.name != previous.source.name:
                return Found(known, "carry_over")
        if previous is not None and previous.source.voice is not Voice.UNATTRIBUTED and previous.source.could_be(low):
            if previous.source.kind in kinds or low in ("they", "them", "their"):
                return previous
        source = self.names.last_speaker(self._index, kinds, pronoun=low)
        if source is None and low in ("he", "she", "him", "her", "his"):
            # "Tsikhanouskaya went into hiding ... In a video, she said ...": the person just named.
            source = self.names.last_mentioned(self._index, pronoun=low)
        if source is not None:
            return Found(source, "carry_over")
        return None

    def _previous_person(self, index: int) -> Found | None:
        for j in range(index - 1, max(-1, index - 3), -1):
            parts = self.results[j]
            named = [p.found for p in parts or [] if p.found is not None and p.found.source.voice is not Voice.UNATTRIBUTED]
            if named:
                return named[-1]
            if parts is None:
                saved = self._index
                self._index = j
                found = _main_found(self._sentence_parts(j, None))
                self._index = saved
                if found is not None:
                    return found
        return None

    def _resolve_text(self, phrase: str, doc, i: int, tok=None, verb=None) -> Source | None:
        """Resolve a phrase; a treaty text ("Article 4 of its statutes") speaks with the voice of the
        organisation named in this or the previous sentence."""
        source = self._phrase_source(phrase, doc.text, doc, tok, verb)
        if source:
            return source
        if re.search(r"\b(statutes?|charter|treaty|article \d+)\b", phrase, re.IGNORECASE):
            # The organisation named before the phrase ("It has invoked Article 4 of its statutes").
            at = doc.text.find(phrase)
            recent = (self.docs[i - 1].text + " " if i else "") + (doc.text[:at] if at >= 0 else doc.text)
            bodies = [m for m in self.registry.find_entities(recent) if m.entity.kind == "body"]
            if bodies:
                entity = bodies[-1].entity
                return Source(name=entity.name, role="treaty text", voice=entity.voice, kind="body", entity=entity)
        return None

    def _resolve_subject(self, doc, subj, i: int, verb=None) -> Found | None:
        """A subject phrase's speaker; "the agencies" after "the Russian agencies" is the same speaker."""
        phrase = _subject_phrase(doc, subj, verb)
        base = self.spans[i].start
        # "Navalny's wife Yulia said": a noun with a name right after it names that person.
        appos_name = next((c for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.i == subj.i + 1), None)
        if subj.pos_ == "NOUN" and not self._source_noun(subj) and not self.registry.find_entities(subj.text) \
                and subj.lower_ not in self.lex.message_nouns | self.lex.text_nouns and appos_name is None:
            return None  # "CSTO intervention announced": the name only modifies a noun that is no source
        cue = _cue_span(doc, subj, verb, base)
        # "X, representing the CSTO, issued a statement": X speaks for the body.
        rep = re.search(r"\b(?:representing|on behalf of|speaking for)\s+((?:the\s+)?[^,;]+)", phrase)
        if rep:
            body = self._phrase_source(rep.group(1), doc.text)
            person = self._phrase_source(phrase[: rep.start()], doc.text)
            if body and person:
                return Found(Source(name=person.name, role=f"for {body.name}", voice=body.voice, kind="person",
                                    reason=f"speaks for {body.name}"), "reported", None, cue)
        source = self._resolve_text(phrase, doc, i, subj, verb)
        if source and verb is not None and "stands for" in source.reason \
                and self.lex.lemma(verb.text) in ("thank", "welcome", "discuss"):
            return None  # "Kazakhstan welcomed the troops": the state acts, it claims nothing
        if source:
            return Found(source, "reported", self._conduit_of(verb) or self._relay_of(subj), cue)
        named = any(t.pos_ in ("PROPN", "ADJ") and t.text[:1].isupper() for t in subj.subtree if t.i < subj.i)
        if subj.pos_ == "NOUN" and (self._people_noun(subj) or (
            self._source_noun(subj) and (named or self.registry.find_countries(phrase))
        )):
            # "An international team of investigators said": a source the text describes, whose
            # affiliation neither the text nor the registry gives: honestly not known.
            name = re.sub(r"(?i)^(the|a|an)\s+", "", phrase)
            return Found(Source(name=name, role=None, voice=Voice.UNCLASSIFIED, kind="group",
                                reason="described by the text with no affiliation it or the registry gives"),
                         "reported", self._conduit_of(verb), cue)
        previous = self._previous
        definite = any(t.lower_ in ("the", "this", "that", "these", "those") for t in subj.lefts)
        if definite and subj.lower_ in self.lex.message_nouns | self.lex.text_nouns and not any(c.dep_ == "prep" for c in subj.children):
            # "The report emphasizes that ...", "The statement adds ...": the statement the text just
            # reported, so its speaker's.
            speaker = self.names.last_speaker(i, ("person", "body", "outlet", "group"), within=_STATEMENT_REACH)
            if speaker is not None and speaker.voice is not Voice.UNATTRIBUTED:
                return Found(speaker, "carry_over", previous.conduit if previous else None, cue)
        if previous is not None and previous.source.name and previous.source.voice is not Voice.UNATTRIBUTED:
            head = subj.lower_
            if len(head) > 3 and head in previous.source.name.lower() and any(
                t.lower_ in ("the", "these", "this", "those") for t in subj.lefts
            ):
                return Found(previous.source, "carry_over", previous.conduit, cue)
        if definite and subj.pos_ == "NOUN" and self._source_noun(subj) and subj.lower_ not in self.lex.message_nouns \
                and subj.lower_ not in _QUANTITY_NOUNS:
            # "The mission also said ...", "the committee said" with nothing before it to name it: a
            # source whose affiliation is not known, not the author's own words.
            name = re.sub(r"(?i)^(the|this|that|these|those)\s+", "", phrase)
            return Found(Source(name=name, role=None, voice=Voice.UNCLASSIFIED, kind="group",
                                reason="a source the text names only by a common noun, with no affiliation"),
                         "reported", self._conduit_of(verb), cue)
        return None

    def _source_noun(self, tok) -> bool:
        """A noun that can name who speaks: the lexicon's source nouns, the registry's titles, roles and
        official words ("ombudswoman"), or a word formed as a person noun ("economist", "chairwoman")."""
        word = tok.lower_
        # "an international team of investigators", "a group of experts": the people it is made of.
        members = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        if any(self._source_noun(m) for m in members):
            return True
        lemma = tok.lemma_.lower()
        return (
            word in self.lex.source_nouns
            or (lemma != word and tok.tag_ in ("NNS", "NNPS") and lemma in self.lex.source_nouns)
            or word in self.registry.title_words
            or self.registry.has_official_term(word)
            or self.registry.has_media_term(word)
            or self.registry.is_person_role(word)
            or _PERSON_NOUN_RE.fullmatch(word) is not None
        )

    def _people_noun(self, tok) -> bool:
        """A noun for people in a role ("investigators", "a team of monitors"), not for a thing."""
        members = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        word = tok.lower_
        return (
            any(self._people_noun(m) for m in members)
            or self.registry.is_person_role(word)
            or _PERSON_NOUN_RE.fullmatch(word) is not None
        )

    def _person_after(self, fragment: str) -> Found | None:
        people = [m for m in self.registry.find_entities(fragment) if m.entity.kind == "person"]
        if not people:
            return None
        return Found(from_entity(people[0].entity, "registry"), "reported")

    def _person_before(self, doc, index: int) -> Source | None:
        """The closest known person named before token ``index`` in the sentence."""
        people = [m for m in self.registry.find_entities(doc[:index].text) if m.entity.kind == "person"]
        if people:
            return from_entity(people[-1].entity, "registry")
        return None
