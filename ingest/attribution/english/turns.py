"""Transcript turns: who a "Name:" label, a "Question:" and an unnamed "Answer:" are.

One of the roles of a document's run (:class:`.run.DocumentRun`): the speaker frame and its turns.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.attribution.english.common import Found, _parse_phrase, load_nlp
from ingest.attribution.english.syntax import _names_publisher, _noun_phrase_span, _questioner_for, _strip_dateline, _subject_phrase
from ingest.attribution.mentions import INITIALLED_NAME_RE
from ingest.attribution.sources import Source, from_entity
from sourcewise.types import Voice


#: A page that answers "a media question" (one the publisher chose and worded), not a press conference.
_MEDIA_QUESTION_RE = re.compile(r"(?i)\b(?:reply|replies|answer|answers|response|responses|comments?)\s+(?:to|on)\s+(?:a\s+|the\s+)?media\s+questions?\b")


class TurnReading:
    """Transcript turns and the document's speaker frame. Mixed into :class:`.run.DocumentRun`, whose state it reads."""

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
            return re.search(r"(?i)\b(?:regarding|about|concerning|over|on)\b[^.\n]{0,60}$", before) is not None \
                or _asked_about(before)

        def _asked_about(before: str) -> bool:
            # "Question: How would you comment on the statements by … Sir Alan Duncan …?": everyone a
            # question names is what it asks about, however far into it.
            line = before.rsplit("\n", 1)[-1]
            label = line.split(":", 1)[0].strip().lower() if ":" in line else ""
            return label in self.lex.question_labels
        for match in self.registry.find_entities(heading):
            if match.entity.kind == "person" and not topic(heading[: match.start]):
                return from_entity(match.entity, "the interview's subject, named in its title or opening")
        for line in heading.splitlines():
            line = _strip_dateline(line)
            # "Remarks by … spokesperson Geng Shuang’s on …": a possessive ending is no part of the name.
            line = re.sub(r"(?<=[a-z])[’']s(?=\s+(?:on|at|about|regarding|remarks?|statement|comments?)\b)", "", line)
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
            if generic and _MEDIA_QUESTION_RE.search(self.document.meta.title or ""):
                # "Embassy reply to a media question regarding …", "Ambassador X's answer to media question":
                # the body publishes the question it answers, in its own words; it is the publisher's.
                own = self._outlet_as_speaker()
                return replace(own, role=f"the question {own.name} published", reason="a media question the publisher "
                               "put and answered on its own page")
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
