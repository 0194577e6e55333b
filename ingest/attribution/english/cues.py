"""Cues: reporting verbs, "according to", passives and conduits, and the subject each one gives.

One of the roles of a document's run (:class:`.run.DocumentRun`): which cue governs a claim, and
whose speech it reports ("told BelTA" names the conduit, never the speaker).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.attribution.english.common import Found
from ingest.attribution.english.patterns import _IN_WORDS_RE
from ingest.attribution.english.syntax import _SUBORDINATORS, _is_relay, _misparsed_main_verb, _names_any, _noun_phrase, _noun_phrase_span, _shares_finite_subject, _subject_span
from ingest.attribution.sources import UNATTRIBUTED, Source
from sourcewise.types import Voice


class CueReading:
    """Cue verbs, "according to" and conduits, and the speakers they give. Mixed into :class:`.run.DocumentRun`, whose state it reads."""

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
        # "…,” the statement noted, demanding Israel stop …": a participle's clause is what was said, no speaker.
        after = "" if re.match(r"[a-z]+ing\b", after) else re.split(r",\s+(?=[a-z]+ing\b)", after)[0]
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

    def _quoted_as(self, verb, doc, i: int) -> Found | None:
        """"The agency quoted Minister Rebrov as saying ...": the one quoted speaks; the subject that
        quotes them is the conduit."""
        if self.lex.lemma(verb.text) not in ("quote", "cite"):
            return None
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        says = any(c.dep_ == "prep" and c.lower_ == "as" and any(self._cue_word(g.text) for g in c.children)
                   for c in verb.children)
        # "a news agency quoted Aliyev criticizing the Parliament": the participle says what was said.
        says = says or any(c.dep_ in ("acl", "xcomp", "advcl", "ccomp") and c.text.endswith("ing") and self._cue_word(c.text)
                           for c in [*verb.children, *(obj.children if obj is not None else ())])
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
            if verb is cue_verb and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.i > 0 and doc[verb.i - 1].text == "," \
                    and not self._source_noun(verb.head) and verb.head.pos_ in ("NOUN", "PROPN"):
                # "X touched upon Grossi's visit tonight to Iran, saying that …": the parser hung the
                # participle on a noun (and may split the sentence); it shares the subject of the verb before.
                finite = [t for t in doc[: verb.i] if t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBD", "VBZ", "VBP")
                          and any(c.dep_ == "nsubj" for c in t.children)]
                if finite:
                    subj0 = next(c for c in finite[-1].children if c.dep_ == "nsubj")
                    if subj0.lower_ not in self.lex.pronouns:
                        found = self._resolve_subject(doc, subj0, i, finite[-1])
                        if found is not None:
                            return replace(found, cue=(base + subj0.left_edge.idx, base + verb.idx + len(verb.text)))
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
        # "Gaza is believed to be on the brink": a belief no one is named for, not the last speaker's.
        if verb.lower_ in ("believed", "thought", "said", "understood", "reported", "alleged") and subject is not None \
                and subject.lower_ not in self.lex.pronouns and any(c.dep_ == "xcomp" for c in verb.children):
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
            if any(c.dep_ == "aux" and c.lower_ in ("will", "to", "'ll", "would") for c in tok.children):
                return False
            # "The European Union made a statement on the referendum.": an event named with only its topic,
            # and nothing after it that says anything (no verb, quote or colon), is an act.
            noun = next(c for c in tok.children if c.dep_ == "dobj" and c.lower_ in lex.speech_event_nouns)
            topic_only = noun.lower_ in ("statement", "statements", "speech", "address", "interview", "briefing") \
                and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children) \
                and any(c.dep_ == "prep" and c.lower_ in ("on", "about", "regarding", "concerning", "over") for c in [*noun.children, *tok.children]) \
                and not any(t.pos_ in ("VERB", "AUX") for t in tok.doc[noun.i + 1 :]) \
                and not any(t.is_quote or t.text in ("“", "”", "«", "»") for t in tok.doc) \
                and not tok.doc.text.rstrip().endswith(":")
            return not topic_only
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
        if any(c.dep_ in ("dobj", "nsubjpass") and c.lower_ in lex.objects_not_speech.get(lemma, ()) for c in tok.children):
            return False
        # "will meet on Monday to discuss the floods": a purpose, not a claim (unless it reports one).
        if tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and not any(
            c.dep_ == "ccomp" for c in tok.children
        ):
            return False
        # Requests (lexicon ``requests``): only a source's own finite call or demand carries a claim.
        # ("called on X to ...", "called for ..."; not "called the attack X, on a member state": the
        # preposition of a call follows the verb)
        request = lemma in self.lex.requests and (
            lemma != "call" or any(c.dep_ == "prep" and c.lower_ in ("for", "on") and c.i == tok.i + 1 for c in tok.children))
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
        # "Ms. Nauert decided to tell about my meeting": a decision or wish to speak, with nothing said.
        if tok.dep_ == "xcomp" and tok.head.lower_ in lex.intention_heads and not any(
                c.dep_ in ("ccomp", "dobj", "parataxis") for c in tok.children) \
                and not any(t.is_quote for t in tok.doc[tok.i : tok.i + 4]):
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
