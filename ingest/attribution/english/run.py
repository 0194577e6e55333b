"""One document's attribution, in order: frame, names, quotes, cues per sentence, claims.

The run reads the document once; its roles live in mixins by job: transcript turns
(:mod:`.turns`), speakers (:mod:`.speakers`) and cues (:mod:`.cues`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from ingest.attribution.base import DocumentInput
from ingest.attribution.claims import Part, _depth, assemble_claims, split_sentence
from ingest.attribution.english.common import Found, load_nlp
from ingest.attribution.english.cues import CueReading
from ingest.attribution.english.patterns import _ACCORDING_OPEN_RE, _ACCORDING_RE, _ANSWERED_REQUEST_RE, _BACKWARD_EVENT_RE, _BACKWARD_RE, _CONTRAST_TAIL_RE, _DASH_NAME_RE, _FIRST_PERSON_RE, _IN_WORDS_RE, _NOUN_CUE_RE, _UNNAMED_CLAIM_RE, _WE_RE
from ingest.attribution.english.speakers import SpeakerResolution
from ingest.attribution.english.syntax import _SUBORDINATORS, _cued_report, _in_verb_adjunct, _main_found, _noun_phrase_span
from ingest.attribution.english.turns import TurnReading
from ingest.attribution.frame import DocumentFrame, detect_frame
from ingest.attribution.mentions import _ORG_WORDS, SourceDescriber
from ingest.attribution.quotes import Quote, find_quotes
from ingest.attribution.resolution import DocumentNames
from ingest.attribution.sources import UNATTRIBUTED, Source, from_entity
from sourcewise.types import STATE_VOICES, Claim, Voice


class DocumentRun(TurnReading, SpeakerResolution, CueReading):
    """One document's attribution: its parses, names, frame and per-sentence results."""

    def __init__(self, engine, document: DocumentInput) -> None:
        self.lex = engine.lexicon
        self.registry = engine.registry
        self.document = document
        self.text = document.text
        self.spans = document.sentences
        meta = document.meta
        self.describer = SourceDescriber(
            self.registry, self.lex, document.context_country, meta.published, document.publisher_country
        )
        self.describer.read_document(self.text, meta.title or "")
        self.names = DocumentNames()
        self.author = self._known_author() or Source(
            name=meta.author or document.outlet_name,
            role="author" if meta.author else f"{document.outlet_name} (outlet)",
            voice=document.outlet_voice,
            kind="outlet",
            reason="the outlet's own sentence",
        )
        self.frame: DocumentFrame = detect_frame(self.text, self.spans, meta, self.lex, self._names_a_person,
                                                  self._names_an_outlet)
        self.quotes = [q for q in find_quotes(self.text) if q.words >= self.lex.min_claim_words]
        self._starts = [s.start for s in self.spans]
        nlp = load_nlp()
        self.docs = list(nlp.pipe(self.text[s.start : s.end] for s in self.spans))
        self.results: list[list[Part] | None] = [None] * len(self.spans)
        self._previous: Found | None = None
        self._previous_media: Found | None = None
        self._index = 0
        self._frame_speaker: Found | None = None
        self._turn_speakers: dict[int, Found] = {}

    def _known_author(self) -> Source | None:
        """The author when the registry knows them by their whole name: an article or address signed
        by an official ("Sergey Lavrov", "Nursultan Nazarbayev") speaks with the official's voice in
        whatever outlet prints it; a journalist the registry does not know writes in the outlet's."""
        author = (self.document.meta.author or "").strip()
        matches = self.registry.find_entities(author) if author else []
        if len(matches) == 1 and matches[0].entity.kind == "person" and matches[0].start == 0 \
                and matches[0].end >= len(author):
            entity = matches[0].entity
            return replace(from_entity(entity, "registry"), reason=f"the document's author, {entity.name} ({entity.role})")
        # "Russian Ambassador to Indonesia" signing a letter to a newspaper: an author given by an office
        # of a country the registry knows writes with that government's voice.
        if author and not matches and self.registry.has_official_term(author) and not self.registry.has_media_term(author):
            found = self.registry.resolve(author, published=self.document.meta.published)
            if found is not None and found.country is not None and found.speaker.voice in STATE_VOICES:
                return Source(name=author, role=author, voice=found.speaker.voice, kind="person",
                              country=found.country.country, reason=f"the document's author, an office: {found.reason}")
        return None

    # ------------------------------------------------------------------------------- driving

    def claims(self) -> list[Claim]:
        self._observe_mentions()
        self._author_by_text()
        self._resolve_frame()
        quote_starts: dict[int, list[tuple[Quote, list[int]]]] = {}
        for quote in self.quotes:
            covered = self._sentences_between(quote.start, quote.end)
            if covered:
                quote_starts.setdefault(covered[0], []).append((quote, covered))
        media_age = 0
        paragraph_frame: Found | None = None
        for i, span in enumerate(self.spans):
            self._index = i
            self.describer.at(span.start, span.end)
            framed = self._framed(span.start)
            for quote, covered in quote_starts.get(i, []):
                found = self._quote_speaker(quote, covered)
                if found is None:
                    continue
                found = replace(found, how="quote")
                for j in covered:
                    if self.results[j] is None:
                        self.results[j] = self._quote_parts(j, quote, found)
            if self.results[i] is None:
                self.results[i] = self._sentence_parts(i, framed)
            self.results[i] = [replace(p, found=self._own_outlet(p.found)) if p.found is not None else p
                               for p in self.results[i]]
            self.results[i] = [replace(p, found=self._introduced(p.found)) if p.found is not None else p
                               for p in self.results[i]]
            parts = self.results[i]
            main = _main_found(parts)
            # A paragraph that opens "According to X, …" reports X throughout, unless a sentence names another source.
            sentence_text = self.text[span.start : span.end]
            if i == 0 or self.spans[i - 1].paragraph != span.paragraph:
                paragraph_frame = main if _ACCORDING_OPEN_RE.match(sentence_text) and main is not None else None
            elif paragraph_frame is not None and main is None and framed is None and not self._subject_names_other(i, paragraph_frame):
                found = replace(paragraph_frame, how="carry_over", cue=None)
                self.results[i] = [Part(span.start, span.end, found)]
                main = found
            for part in self.results[i]:
                if part.found is not None and part.found.source.voice is not Voice.UNATTRIBUTED:
                    self.names.spoke(part.found.source, i)
            # Carry-over reaches only into the same or the next paragraph.
            self._previous = main
            if main is not None and main.source.is_media:
                self._previous_media, media_age = main, 0
            else:
                media_age += 1
                if media_age > 5:
                    self._previous_media = None
            if i + 1 < len(self.spans) and self.spans[i + 1].paragraph - span.paragraph > 1:
                self._previous = None
        self._echoed_quotes()
        self._backward_statements()
        self._paragraph_final_cues()
        self._colon_speech()
        self._named_later()
        parts_by_sentence = [
            [p if p.found is not None else replace(p, found=self._default(p.start)) for p in parts or []]
            for parts in self.results
        ]
        return assemble_claims(self.document.meta.doc_id, self.text, self.spans, parts_by_sentence, self.frame)

    def _named_later(self) -> None:
        """"A Chinese Foreign Ministry spokesperson said …" and, further on, "Spokesperson Wang Wenbin made the
        remarks at a regular press briefing": a speaker described by an office before the text names
        them is the one person it later names with that office (agency copy names its source last)."""
        found_at = [(j, k, p.found) for j, parts in enumerate(self.results) for k, p in enumerate(parts or [])
                    if p.found is not None]
        named: dict[str, Source | None] = {}
        people = [f.source for _, _, f in found_at] + [r.source for r in self.names.referents]
        for source in people:
            words = (source.name or "").split()
            if source.kind == "person" and len(words) >= 2 and all(w[:1].isupper() for w in words) and source.role:
                office = source.role.split()[-1].lower()
                if office in self.registry.title_words:
                    if office in named and (named[office] is None or named[office].name != source.name):
                        named[office] = None  # two people with the office: no one to resolve to
                    else:
                        named[office] = source
        for j, k, f in found_at:
            source = f.source
            words = (source.name or "").split()
            if not words or source.kind not in ("person", "body") or words[-1].lower() not in named:
                continue
            person = named[words[-1].lower()]
            # a description, not a name: an office with a country or body before it ("Chinese foreign
            # ministry spokesperson", "the spokesperson")
            if person is None or source.name == person.name or any(w[:1].isupper() and w.lower() not in
                    self.registry.title_words and self.registry.country(w) is None and not self.registry.has_official_term(w)
                    for w in words[:-1]) or source.voice not in (person.voice, Voice.UNCLASSIFIED):
                continue
            # (the description says more of the office than a bare "Spokesperson" before the name)
            role = source.name if len((person.role or "").split()) <= 1 else person.role
            self.results[j][k] = replace(self.results[j][k], found=replace(f, source=replace(person, role=role)))

    def _introduced(self, found: Found) -> Found:
        """"…, a political commentator has said. Ivo Tamm added …": a person the text names, with no
        role, right after a claim by a description with no name is the one it described."""
        source = found.source
        if (source.kind != "person" or source.voice is not Voice.UNCLASSIFIED or source.role or not source.name
                or any(w.lower() in _ORG_WORDS for w in source.name.split())):
            return found
        previous = self._previous_person(self._index)
        if (previous is None or previous.source.name is None or previous.source.kind not in ("person", "group", "body")
                or previous.source.voice in (Voice.UNCLASSIFIED, Voice.UNATTRIBUTED) or previous.source.entity is not None):
            return found
        head = previous.source.name.split()[-1]
        cue = self.text[previous.cue[0] : previous.cue[1]] if previous.cue else ""
        # One person described ("a political commentator", "an analyst"), not a group ("analysts").
        indefinite = previous.source.kind != "body" and not any(w[:1].isupper() for w in previous.source.name.split()) \
            and re.search(rf"(?i)\ban?\s+(?:[\w-]+\s+){{0,3}}?{re.escape(head)}\b", cue)
        # "…, Moscow's ambassador to Afghanistan explained on Monday. … Dmitry Zhirnov revealed …": a
        # lead that gives the office, and the name in the next sentence.
        office = head.islower() and head in self.registry.title_words and not head.endswith("s") \
            and not any(w[:1].isupper() for w in previous.source.name.split()[1:])
        if not indefinite and not office:
            return found
        described = replace(source, role=previous.source.name, voice=previous.source.voice, country=previous.source.country,
                            reason=f"introduced just before as {previous.source.name!r}: {previous.source.reason}")
        self.names.describe(source, described)
        return replace(found, source=described)

    def _backward_statements(self) -> None:
        """"This was stated by Kremlin spokesman Dmitry Peskov": the speaker of what came before.

        The sentences before it in its paragraph that no cue attributes become that speaker's claim;
        the pointer sentence itself says nothing more and stays the author's."""
        for i, span in enumerate(self.spans):
            parts = self.results[i]
            if not parts or len(parts) != 1 or parts[0].found is None:
                continue
            sentence = self.text[span.start : span.end]
            if not _BACKWARD_RE.match(sentence) and not _BACKWARD_EVENT_RE.match(sentence):
                continue
            found = parts[0].found
            if found.source.voice is Voice.UNATTRIBUTED:
                continue
            changed = False
            for j in range(i - 1, max(-1, i - 3), -1):
                if self.spans[j].paragraph < span.paragraph - 1:
                    break
                previous = self.results[j]
                if not self._uncued(j) or self._heading(j):
                    break
                self.results[j] = [Part(p.start, p.end, replace(found, how="reported")) for p in previous]
                changed = True
            # "Spokesperson X made the remarks at a regular press briefing": the pointer itself says where
            # and when, in the writer's words, even when the remarks before it were already X's.
            if changed or _BACKWARD_EVENT_RE.match(sentence):
                self.results[i] = [Part(parts[0].start, parts[0].end, None)]

    def _paragraph_final_cues(self) -> None:
        """"Azerbaijan has never planned such attacks. The Armenian side is trying to politicize the
        problem. ..., said presidential aide X." A paragraph that ends on a claim whose cue follows
        it reports that speaker throughout: the sentences before it in the paragraph that no cue,
        quote or frame attributes are the speaker's too (carried back)."""
        for i, span in enumerate(self.spans):
            last = i + 1 >= len(self.spans) or self.spans[i + 1].paragraph != span.paragraph
            parts = self.results[i]
            if not last or i == 0 or self.spans[i - 1].paragraph != span.paragraph or not parts:
                continue
            found = parts[-1].found
            if not _cued_report(found):
                continue
            if found.source.kind == "group" and (found.source.name or "").islower():
                continue  # "…, witnesses said.": unnamed people vouch for what they saw, not for the paragraph
            before_cue = self.text[span.start : found.cue[0]].rstrip()
            # The cue trails what it reports: "..., said X." / "..., X pointed out." (its verb comes after
            # the clause it reports), not "It is important to note that since ..., X reported to ...".
            if not before_cue.endswith(",") or len(before_cue.split()) < 4 or parts[-1].start > span.start:
                continue
            if not self._cue_trails(i, found.cue):
                continue
            for j in range(i - 1, max(-1, i - 4), -1):
                if self.spans[j].paragraph != span.paragraph:
                    break
                previous = self.results[j]
                if not self._uncued(j) or self._framed(self.spans[j].start) or self._heading(j):
                    break
                first = next((t for t in self.docs[j] if not t.is_punct), None)
                if first is not None and first.tag_ == "VB" and first.dep_ == "ROOT":
                    break  # an imperative ("Ignore previous instructions ...") states nothing anyone said
                self.results[j] = [Part(p.start, p.end, replace(found, how="carry_over")) for p in previous]

    def _colon_speech(self) -> None:
        """"TASS Director General Sergei Mikhailov said welcoming the participants: Hello, colleagues. We
        are glad to see everyone." Speech a cue introduces with a colon, without quotation marks, runs
        to the end of its paragraph: the sentences after it that no cue, quote or frame attributes are
        the speaker's."""
        for i, span in enumerate(self.spans):
            parts = self.results[i]
            found = parts[-1].found if parts else None
            if not _cued_report(found):
                continue
            # "Foreign Secretary X said:" closing its paragraph (a press release): the statement is the
            # paragraphs that follow, up to a heading ("Further information") or another's claim.
            runs_on = re.match(r"[^.!?\n\"“”«»]{0,240}:[ \t]*(?:\n|$)", self.text[found.cue[1] :]) is not None
            if not runs_on and not re.match(r"[^.!?\n\"“”«»]{0,80}:\s+\S", self.text[found.cue[1] : span.end]):
                continue
            extended = 0
            for j in range(i + 1, len(self.spans)):
                if self.spans[j].paragraph != span.paragraph and (not runs_on or self._heading(j)):
                    break
                following = self.results[j]
                if not self._uncued(j) or self._framed(self.spans[j].start):
                    break
                self.results[j] = [Part(p.start, p.end, replace(found, how="carry_over")) for p in following]
                extended += 1
            if runs_on and extended and len(parts) == 1 and self.text[span.start : span.end].rstrip().endswith(":"):
                # "X provided the following summary:" / "X noted in his remarks:": the lead says who speaks
                # and is the writer's; the claim is the speech that follows it.
                self.results[i] = [Part(parts[0].start, parts[0].end, None)]

    def _uncued(self, j: int) -> bool:
        """Whether no cue, quote or carry-over has given sentence ``j`` a speaker yet (a "we" that a cue
        read as the writer's own names no one else either)."""
        parts = self.results[j]
        return bool(parts) and all(p.found is None or p.found.how == "author" for p in parts)

    def _heading(self, j: int) -> bool:
        """Whether sentence ``j`` is a dateline or a heading (no verb, or a few words)."""
        return not any(t.pos_ in ("VERB", "AUX") for t in self.docs[j]) or len(self.docs[j]) < 4

    def _cue_trails(self, i: int, cue: tuple[int, int]) -> bool:
        """Whether the cue verb in sentence ``i`` follows the clause it reports ("..., said X")."""
        base = self.spans[i].start
        for tok in self.docs[i]:
            if cue[0] <= base + tok.idx < cue[1] and self.lex.lemma(tok.text) is not None:
                reported = [c for c in tok.children if c.dep_ in ("ccomp", "parataxis")]
                if any(c.i < tok.i for c in reported) or (tok.dep_ == "parataxis" and tok.head.i < tok.i):
                    return True
        return False

    def _own_outlet(self, found: Found | None) -> Found | None:
        """A claim the text gives to the publisher itself ("..., Kazinform correspondent reports") is
        the outlet's own sentence."""
        if found is None or found.how == "transcript":
            return found
        name = (found.source.name or "").lower()
        outlet = self.document.outlet_name.lower()
        entity = self.document.outlet_entity
        if (entity is not None and found.source.entity is entity) or (name and name == outlet):
            return Found(self.author, "author")
        if entity is not None and name and any(
            re.search(rf"(?i)(?<![\w-]){re.escape(alias)}(?![\w-])", found.source.name or "")
            for alias in [entity.name, *entity.aliases] if len(alias) > 3
        ) and found.source.voice == self.author.voice:
            return Found(self.author, "author")
        return found

    def _default(self, offset: int) -> Found:
        """Who owns words no cue attributes: the turn's speaker, the text's speaker, else the author."""
        framed = self._framed(offset)
        return framed if framed is not None else Found(self.author, "author")

    def _framed(self, offset: int) -> Found | None:
        turn = self.frame.turn_at(offset)
        if turn is not None:
            return self._turn_speakers.get(turn.label_start)
        if self._frame_speaker is not None and offset >= self.frame.body_start:
            return self._frame_speaker
        return None

    def _sentences_between(self, start: int, end: int) -> list[int]:
        """Indexes of the sentences overlapping [start, end), by binary search (linear overall)."""
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        out = []
        for i in range(first, len(self.spans)):
            s = self.spans[i]
            if s.start >= end:
                break
            if s.end > start:
                out.append(i)
        return out

    def _sentence_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    # ------------------------------------------------------------------------ names and frame

    def _author_by_text(self) -> None:
        """"Statement by Ambassador Barbara Woodward, UK Permanent Representative to the UN" signed by
        Barbara Woodward: an author the registry does not know whom the text itself names with an office
        writes with that office's voice, as a registry official does."""
        author = (self.document.meta.author or "").strip()
        if not author or self.author.kind != "outlet" or len(author.split()) < 2:
            return
        named = self.names.by_name(author)
        if named is not None and named.kind == "person" and named.voice in STATE_VOICES:
            self.author = replace(named, reason=f"the document's author, whom the text names as {named.role}")

    def _observe_mentions(self) -> None:
        """Register everyone the text names with a role or a full name, so later surnames,
        descriptions and pronouns resolve to them."""
        for i, doc in enumerate(self.docs):
            self.describer.at(self.spans[i].start, self.spans[i].end)
            for ent in doc.ents:
                if ent.label_ != "PERSON" or len(ent) < 2:
                    continue
                np = _noun_phrase_span(doc, ent.root.head if ent.root.dep_ == "appos" else ent.root)
                source = self.describer.span(np)
                if source is not None and source.kind == "person":
                    source = self._placed(source, np.text, i)
                    self.names.observe(source, ent.text, i)
            for match in self.registry.find_entities(doc.text):
                if match.entity.kind == "person":
                    source = self.names.observe(from_entity(match.entity, "registry"), match.alias, i)
                    # "Prime Minister Dmitry Medvedev holds meeting ...": the title the text gives them.
                    title = re.search(r"((?:[A-Z][\w-]*\s+){1,4})$", doc.text[: match.start])
                    words = title.group(1).split() if title else []
                    while words and words[0].lower() not in self.registry.title_words:
                        words = words[1:]
                    if words and all(w.lower() in self.registry.title_words for w in words):
                        self.names.titled(source, " ".join(words))
        # "He says he sees external interference" opening a text whose headline names Lukashenka.
        for match in self.registry.find_entities(self.document.meta.title):
            if match.entity.kind == "person":
                source = self.names.observe(from_entity(match.entity, "registry"), match.alias, -1)
                self.names.spoke(source, -1)
                break

















    # -------------------------------------------------------------------- phrase resolution



    # ---------------------------------------------------------------------------- quotes

    def _quote_speaker(self, quote: Quote, covered: list[int]) -> Found | None:
        text, spans = self.text, self.spans
        first, last = covered[0], covered[-1]
        # After the quote, in its last sentence: “…”, reports the Russian agency TASS.
        tail_end = spans[last].end
        nxt = re.search(r"[“«‘\"]", text[quote.end : tail_end])
        tail_stop = quote.end + nxt.start() if nxt else tail_end
        dash = _DASH_NAME_RE.match(text[quote.end : tail_stop])
        if dash:
            source = self._phrase_source(dash.group("x"), text[spans[last].start : spans[last].end])
            if source is not None:
                start = quote.end + dash.start("x")
                return Found(source, "quote", None, (start, start + len(dash.group("x"))))
        found = self._cue_in_fragment(quote.end, tail_stop, last)
        if found:
            quoted = text[quote.start : quote.end]
            # An outlet "transmitting" first-person words relays the person named just before.
            if found.source.kind == "outlet" and _FIRST_PERSON_RE.search(quoted):
                person = self._previous_person(first)
                if person:
                    return Found(person.source, "quote", found.source.name, found.cue)
            return found
        # '… on the “situation in Kazakhstan,” according to Peskov.': the source the sentence closes on.
        according = _ACCORDING_RE.search(text[quote.end : tail_stop])
        if according and not re.search(r"[.;!?]", text[quote.end : quote.end + according.start()]):
            doc = self.docs[last]
            offset = quote.end - spans[last].start
            sentence = text[spans[last].start : spans[last].end]
            shifted = _ACCORDING_RE.search(sentence, offset)
            found = self._according_to(shifted, sentence, doc, last) if shifted else None
            if found is not None:
                return found
        # Before the quote, in its first sentence: X said that “…”.
        head_start = spans[first].start
        # "According to her, Blinken “mocked …”": the source of the report, not the one reported on.
        according = _ACCORDING_RE.search(text[head_start : quote.start])
        if according:
            doc = self.docs[first]
            found = self._according_to(according, text[head_start : spans[first].end], doc, first)
            if found is not None:
                return replace(found, how="quote")
        found = self._cue_before(head_start, quote.start, first)
        if found:
            return found
        head = text[head_start : quote.start]
        # A quote with no cue of its own continues the previous speaker.
        if not head.strip():
            framed = self._framed(quote.start)
            if framed is not None:
                return framed
            if self._previous is not None and self._previous.source.voice is not Voice.UNATTRIBUTED:
                return replace(self._previous, how="quote", cue=None)
            # A paragraph of quotation after a paragraph that reported its speaker ("Tokayev stressed
            # that ..." then "“...”"): the speaker who spoke just before.
            recent = self.names.last_speaker(first, ("person", "body", "outlet"), within=3)
            if recent is not None:
                return Found(recent, "quote")
            # "… Mirziyoyev held a meeting …, where he asked the people to rally around." then a paragraph of
            # first-person quotation: the person just named speaks it.
            if _WE_RE.search(text[quote.start : quote.end]):
                named = self.names.last_mentioned(first, "he", within=2) or self.names.last_mentioned(first, "she", within=2)
                if named is not None and named.voice is not Voice.UNATTRIBUTED:
                    return Found(named, "quote")
            return None
        # "The agencies send the same message, namely that “…”": the sentence's subject makes the claim.
        doc = self.docs[first]
        return self._main_subject(doc, first, exclude=(len(head), len(head)), limit=len(head))

    def _quote_parts(self, j: int, quote: Quote, found: Found) -> list[Part]:
        """A sentence a quote covers is the quote's speaker's, but for a trailing "but ..." remark after
        the quote that has no cue of its own ("..., but he did not provide any evidence")."""
        span = self.spans[j]
        if quote.end < span.end:
            tail = self._subordinate_claim_after(j, quote.end, found)
            if tail is not None:
                return [Part(span.start, tail.start, found), tail]
            m = _CONTRAST_TAIL_RE.search(self.text, quote.end, span.end)
            if m and not any(self._cue_word(w) for w in re.findall(r"[\w’'-]+", self.text[m.end() : span.end])):
                return [Part(span.start, m.start(1), found), Part(m.start(1), span.end, None)]
        return [Part(span.start, span.end, found)]

    def _subordinate_claim_after(self, j: int, after: int, found: Found) -> Part | None:
        """"X shed light on the “…” in an interview on Monday, a day after the Guards Corps announced
        it had arrested ...": a clause of time after the quote with a cue and a speaker of its own is
        that speaker's claim, from where the clause begins to the sentence's end."""
        doc, base, span = self.docs[j], self.spans[j].start, self.spans[j]
        for tok in doc:
            if base + tok.idx <= after or tok.dep_ != "advcl":
                continue
            if not any(t.lower_ in _SUBORDINATORS for t in doc[tok.left_edge.i : tok.i]) or not self._is_cue(tok):
                continue
            if any(c.dep_ == "nsubj" for c in tok.children):
                other = self._verb_speaker(tok, doc, j)
            else:
                # The parser may take the subject for the object of "after": the words between.
                mark = max(t.i for t in doc[tok.left_edge.i : tok.i] if t.lower_ in _SUBORDINATORS)
                phrase = doc[mark + 1 : tok.i].text.strip(" ,")
                source = self._phrase_source(phrase, doc.text) if phrase else None
                other = Found(source, "reported", None, (base + doc[mark + 1].idx, base + tok.idx + len(tok.text))) \
                    if source is not None else None
            if other is None or other.source.voice is Voice.UNATTRIBUTED or other.source.name == found.source.name:
                continue
            node = tok
            while node.head.i != node.i and node.head.dep_ not in ("ROOT",) and base + node.head.left_edge.idx > after:
                node = node.head
            start = base + node.left_edge.idx
            if start <= after or tok.right_edge.i < len(doc) - 2:
                continue
            return Part(start, span.end, replace(other, how="reported"))
        return None





    # ------------------------------------------------------------- sentences without a quote

    def _sentence_parts(self, i: int, framed: Found | None) -> list[Part]:
        """The claims of one sentence: one part per clause with its own speaker, else one part."""
        span = self.spans[i]
        sentence = self.text[span.start : span.end]
        doc = self.docs[i]
        whole = [Part(span.start, span.end, None)]
        if framed is not None:
            # Inside a turn or an address the speaker's own words are theirs; a claim they report
            # names its own speaker ("So Tokayev here is saying that ...", "According to the official
            # comments by officers of the Investigative Committee, …" in a rights group's statement).
            m = _ACCORDING_RE.search(sentence)
            found = self._according_to(m, sentence, doc, i) if m else None
            if found is not None and found.source.name != framed.source.name and found.source.kind != "outlet" \
                    and found.source.voice not in (Voice.UNATTRIBUTED, Voice.UNCLASSIFIED):
                return [Part(span.start, span.end, found)]
            return self._framed_parts(i, framed) or whole
        m = _ACCORDING_RE.search(sentence) or _IN_WORDS_RE.search(sentence)
        if m:
            found = self._according_to(m, sentence, doc, i)
            if found is not None:
                # "... gas prices which, according to the government, were due to price fixing": the
                # source speaks for the clause "according to" qualifies, not the author's main clause.
                head = next((t.head for t in doc if t.idx == m.start() and t.lower_ in ("according", "as", "citing")), None)
                if head is not None and head.pos_ in ("VERB", "AUX"):
                    # "He assured that the measures aim at ..., however according to him, they are not
                    # enough": a cue of another clause keeps its own claim.
                    owners = [(head, found)]
                    for tok in doc:
                        if tok is not head and tok not in head.subtree and self._is_cue(tok):
                            other = self._verb_speaker(tok, doc, i)
                            if other:
                                owners.append((tok, other))
                    citing = next((t for t in doc if t.idx == m.start() and t.lower_ == "citing"), None)
                    relay = next((f for tok, f in owners[1:] if f.source.kind == "outlet" and citing is not None
                                  and citing in tok.subtree), None)
                    if relay is not None and found.source.kind != "outlet":
                        # "Interfax reported, citing the defence ministry, that ...": the agency relays
                        # the ministry's claim; the ministry speaks, the agency is the conduit.
                        return [Part(span.start, span.end, Found(found.source, "reported", relay.source.name, relay.cue))]
                    owners.sort(key=lambda o: _depth(o[0]))
                    return split_sentence(doc, span.start, owners, whole[0], self.lex)
                return [Part(span.start, span.end, found)]
        owners: list[tuple[object, Found]] = []
        for tok in doc:
            if self._is_cue(tok):
                found = self._verb_speaker(tok, doc, i)
                if found:
                    owners.append((tok, found))
        if owners:
            # "ARMENPRESS reports CSTO spokesperson Zaynetdinov informed TASS": the publisher's own
            # cue frames another's claim; the claim is Zaynetdinov's.
            own = [o for o in owners if self._own_outlet(o[1]) is not o[1]]
            if own and len(own) < len(owners):
                owners = [o for o in owners if o not in own]
            if len(owners) == 1 and owners[0][0].lower_ == "citing" and owners[0][0].dep_ == "advcl" \
                    and not self._is_cue(owners[0][0].head) and all(t.is_punct for t in doc[owners[0][0].right_edge.i + 1 :]):
                # "Belarusian authorities have blocked several outlets, citing the spread of 'extremist
                # materials'": the act is the writer's report; the grounds cited are the subject's claim.
                cut = span.start + owners[0][0].left_edge.idx
                if cut > span.start:
                    return [Part(span.start, cut, None), Part(cut, span.end, owners[0][1])]
            trailing = next((o for o in owners if self._trailing_report(o[0])), None)
            if trailing is not None and len(owners) > 1:
                # "…, and its leadership has assured officials that …, Moscow's ambassador explained on
                # Monday.": a reporting clause closing the sentence reports all before it, whatever
                # verb the parser hung it on; cues before it are inside what it reports.
                return [Part(span.start, span.end, trailing[1])]
            # Of several cues naming the same speaker, the one nearest the root governs ("the ministry,
            # cited by Interfax, said" is the ministry's, relayed by Interfax).
            owners.sort(key=lambda o: _depth(o[0]))
            return split_sentence(doc, span.start, self._with_conduits(owners, doc), whole[0], self.lex)
        m = _NOUN_CUE_RE.search(sentence)
        noun = next((t for t in doc if t.idx == m.start()), None) if m else None
        if noun is not None and self.lex.lemma(noun.text) in self.lex.requests and (
                _in_verb_adjunct(noun) or _ANSWERED_REQUEST_RE.search(sentence[: m.start()])):
            # "… in line with the request of President X to mitigate …", "in response to the request by
            # X": a request the sentence's act answers; only a request the sentence is about reports one.
            m = None
        if m:
            source = self._phrase_source(m.group("x"), sentence)
            if source:
                return [Part(span.start, span.end, Found(source, "reported", None, (span.start + m.start(), span.start + m.end())))]
        cue = self.registry.unattributed_cue(sentence) or _UNNAMED_CLAIM_RE.search(sentence)
        if cue and self._governs_sentence(doc, cue.start(), cue.end()):
            return [Part(span.start, span.end, Found(UNATTRIBUTED, "unattributed_cue", None, (span.start + cue.start(), span.start + cue.end())))]
        return whole

    def _framed_parts(self, i: int, framed: Found) -> list[Part] | None:
        """Cues inside a speaker's own turn that name someone else; pronouns and "I"/"we" stay the
        turn speaker's, and a pronoun continues a speaker the turn itself reported."""
        doc = self.docs[i]
        span = self.spans[i]
        owners = []
        saved = self._previous
        if saved is not None and saved.how == "transcript":
            self._previous = None
        for tok in doc:
            if not self._is_cue(tok):
                continue
            # "I would like to thank ...", "I want to say that ...": the subject of the verb the cue completes.
            head = tok
            while head.dep_ == "xcomp" and head.head.i != head.i and not any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
                head = head.head
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.lower_ in ("i", "we"):
                continue  # "I stated that ...": the speaker of the turn reports their own words
            if subj is not None and subj.lower_ in self.lex.pronouns and self._previous is None:
                # In a turn, "he" is never the speaker (who says "I"): it is someone the turn just named.
                named = self.names.last_mentioned(i, pronoun=subj.lower_, within=2) if subj.lower_ in ("he", "she") else None
                if named is not None and named.name != framed.source.name:
                    owners.append((tok, Found(named, "carry_over", None, (span.start + subj.idx, span.start + tok.idx + len(tok.text)))))
                continue
            found = self._verb_speaker(tok, doc, i)
            if found is not None and found.source.name != framed.source.name and found.source.voice is not Voice.UNATTRIBUTED \
                    and not self._own_government(found.source, framed.source):
                owners.append((tok, found))
        self._previous = saved
        if not owners:
            return None
        owners.sort(key=lambda o: _depth(o[0]))
        verb, found = owners[0]
        # "QUESTION: And the foreign minister said Russia aims to ...": the turn's speaker says whose
        # claim it relays; the relayed words are the reported speaker's.
        content = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
        if len(owners) == 1 and verb.dep_ == "ROOT" and content is not None:
            cut = span.start + content.left_edge.idx
            if cut > span.start and len(doc[content.left_edge.i :]) >= 4:
                return [Part(span.start, cut, None), Part(cut, span.end, found)]
        return split_sentence(doc, span.start, owners, Part(span.start, span.end, None), self.lex)

    def _own_government(self, source: Source, speaker: Source) -> bool:
        """"China expresses strong indignation" in the Chinese spokesperson's answer, "Russia protested" in
        the Russian embassy's: the speaker's own country standing for its government is the speaker
        speaking for it, no one else's claim."""
        country = speaker.country or (speaker.entity.country if speaker.entity is not None else None)
        if country is None and speaker.kind == "outlet" and self.document.publisher_country:
            country = self.document.publisher_country
        return source.kind == "body" and source.name == f"Government of {country}" and source.voice == speaker.voice

    def _with_conduits(self, owners, doc):
        """A cue relaying another's claim ("cited by Interfax", "as quoted by TASS") makes its
        outlet the conduit of the governing speaker's claim, not a speaker of its own."""
        relays = [(tok, f) for tok, f in owners if tok.dep_ in ("acl", "advcl") and self.lex.lemma(tok.text) in ("cite", "quote")
                  and f.source.kind == "outlet"]
        if not relays or len(relays) == len(owners):
            return owners
        kept = [(tok, f) for tok, f in owners if (tok, f) not in relays]
        tok0, f0 = kept[0]
        kept[0] = (tok0, replace(f0, conduit=f0.conduit or relays[0][1].source.name))
        return kept

    def _governs_sentence(self, doc, start: int, end: int) -> bool:
        """Whether the words at [start, end) qualify the sentence's main claim ("Reportedly, ...",
        "... was reportedly detained"), not a noun inside it ("a member allegedly involved")."""
        tokens = [t for t in doc if start <= t.idx < end]
        if not tokens or len(tokens) > 1 or not any(t.pos_ in ("VERB", "AUX") for t in doc):
            return True
        tok = tokens[0]
        head = tok.head
        while head.dep_ in ("aux", "auxpass", "xcomp") and head.head.i != head.i:
            head = head.head
        return head.dep_ in ("ROOT", "ccomp", "conj", "advcl", "relcl") and head.pos_ in ("VERB", "AUX")





















    # ---------------------------------------------------------------------------- echoes

    def _echoed_quotes(self) -> None:
        """A quote left to the author that a nearby sentence attributes ("Troops sent against “X”" as a
        heading, then "what the government calls “X.”") takes that sentence's speaker."""
        def inner(q: Quote) -> str:
            return re.sub(r"[\W_]+", " ", self.text[q.start + 1 : q.end - 1]).strip().lower()

        located = [(q, self._sentence_of(q.start)) for q in self.quotes]
        by_sentence: dict[int, list[Quote]] = {}
        for q, j in located:
            by_sentence.setdefault(j, []).append(q)
        for q, i in located:
            parts = self.results[i]
            if not parts or len(parts) != 1 or parts[0].found is not None:
                continue
            for j in range(i + 1, min(i + 4, len(self.spans))):
                target = self.results[j]
                found = _main_found(target) if target else None
                if found is None or found.how != "quote":
                    continue
                a = inner(q)
                if a and any(a in inner(o) or inner(o) in a for o in by_sentence.get(j, [])):
                    self.results[i] = [Part(parts[0].start, parts[0].end, replace(found, cue=None))]
                    break

    # ------------------------------------------------------------------------------ cues
