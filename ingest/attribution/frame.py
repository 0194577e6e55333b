"""The document's speaker frame: a speaker given once for the whole text, or for each turn.

Two shapes, both common on official sites and in reprints:

- **Turns**: a paragraph opens with a speaker's label and a colon ("Vladimir Putin: Colleagues,
  ...", "Defence Minister Sergei Shoigu: Mr President, ...", "MR PRICE: ...", "QUESTION: ...");
  the turn runs until the next label.
- **A whole-text speaker**: the title or an opening line says the text is someone's address,
  statement or commentary ("Full text of the address of the Head of State", "Commentary of the
  Ministry of Foreign Affairs", "Statement by the CSTO Secretariat"); what follows is theirs.

Inside a frame, sentences with no cue of their own belong to the frame's speaker (``how:
transcript``), not to the outlet that printed them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.attribution.lexicon import Lexicon
from ingest.sentences import SentenceSpan
from sourcewise.types import DocumentMeta

_LABEL_RE = re.compile(r"^(?P<label>[A-ZÀ-ÖØ-ÞА-Я][^:\n]{0,140}?)\s*:\s+(?=\S)")
_CONNECTORS = frozenset("of the and de von van der al bin ibn la le du di da".split())
#: Words a role after the name may hold besides capitalised ones ("Representative ... to the OPCW").
_ROLE_CONNECTORS = frozenset("to for in at on".split())


@dataclass(frozen=True)
class Turn:
    """A stretch of text spoken by one labelled speaker."""

    start: int  # where the turn's words begin (after the label)
    end: int  # where the turn ends (before the next label, or the text's end)
    label_start: int
    label_end: int  # after the colon
    phrase: str  # the label without its colon ("Defence Minister Sergei Shoigu")
    question: bool = False  # a questioner's turn ("QUESTION:", "Journalist:", "NAME, BYLINE:")
    answer: bool = False  # an interviewee's turn labelled only "Answer:"


@dataclass
class DocumentFrame:
    """Who speaks where the text itself gives no cue."""

    turns: list[Turn] = field(default_factory=list)
    speaker_phrase: str | None = None  # the whole text's speaker, when it is an address or statement
    speaker_cue: tuple[int, int] | None = None  # where the text says so, when it does
    body_start: int = 0  # where the whole-text speaker's words begin

    def turn_at(self, offset: int) -> Turn | None:
        """The turn that covers ``offset``, if any."""
        for turn in self.turns:
            if turn.label_start <= offset < turn.end:
                return turn
        return None


def detect_frame(
    text: str,
    spans: list[SentenceSpan],
    meta: DocumentMeta,
    lexicon: Lexicon,
    names_a_person: Callable[[str], bool] = lambda label: True,
    names_an_outlet: Callable[[str], bool] = lambda label: False,
) -> DocumentFrame:
    """The turns and the whole-text speaker of a document.

    ``names_a_person`` tells a speaker's label ("Defence Minister Sergei Shoigu", "MR PRICE") from a
    heading that happens to end in a colon ("Russia: key player in the CSTO?").
    """
    frame = DocumentFrame(turns=_turns(text, lexicon, names_a_person, names_an_outlet))
    if not frame.turns:
        found = _genre_frame(meta.title, lexicon)
        # "Kazakhstan: Speech on behalf of High Representative Josep Borrell at the EP Plenary": a topic
        # before a colon, then the line that says whose text it is.
        topic = re.match(r"^[^:\n]{2,40}:\s+(?P<rest>\S.*)$", meta.title)
        if found is None and topic is not None:
            found = _genre_frame(topic.group("rest"), lexicon)
        if found is not None:
            frame.speaker_phrase = found
            cue = text.find(meta.title)
            frame.speaker_cue = (cue, cue + len(meta.title)) if cue >= 0 else None
            if cue >= 0:
                # The headline line that says whose text follows is the publisher's, not the speaker's.
                line_end = text.find("\n", cue + len(meta.title))
                frame.body_start = len(text) if line_end < 0 else line_end
            else:
                # "Below is the transcript of the address provided by the Prime Minister's Office:": the
                # publisher's own lines introduce the text; the speaker's words begin after them.
                genres = "|".join(re.escape(g) for g in sorted({*lexicon.speech_genres, "transcript", "text"}, key=len, reverse=True))
                for k, paragraph in enumerate(re.finditer(r"[^\n]+", text)):
                    if k > 6:
                        break
                    line = paragraph.group(0).strip()
                    if line.endswith(":") and re.search(rf"(?i)\b(?:{genres})\b", line):
                        frame.body_start = paragraph.end()
                        break
        else:
            # "Full text of the address of the Head of State:" as an opening line of the body, or a heading
            # further down that says whose text follows ("The Speech of the President Ilham Aliyev" after
            # the report of the ceremony): the text is theirs from there on.
            for k, paragraph in enumerate(re.finditer(r"[^\n]+", text)):
                line = paragraph.group(0).strip()
                if k >= 3 and (len(line.split()) > 12 or line.endswith((".", "!", "?", "”", '"'))):
                    continue
                phrase = _genre_frame(paragraph.group(0), lexicon, opening_line=True)
                if phrase is not None:
                    frame.speaker_phrase = phrase
                    frame.speaker_cue = (paragraph.start(), paragraph.end())
                    frame.body_start = paragraph.end()
                    break
    return frame


def _turns(
    text: str, lexicon: Lexicon, names_a_person: Callable[[str], bool],
    names_an_outlet: Callable[[str], bool] = lambda label: False,
) -> list[Turn]:
    candidates = []
    for paragraph in re.finditer(r"[^\n]+", text):
        # A label may stand on a line of its own ("Ambassador X, Permanent Representative ...:").
        m = _LABEL_RE.match(text[paragraph.start() : paragraph.end() + 4])
        if not m:
            continue
        label = m.group("label").strip()
        if not _is_speaker_label(label, lexicon):
            continue
        # "Kazakhstan's Tokayev: once loyal protege tightens grip" (a related-story link): a headline,
        # whose words after the colon open in lower case and end with no stop, is no one's turn.
        rest = text[paragraph.start() + m.end() : paragraph.end()].strip()
        if rest[:1].islower() and not rest.endswith((".", "!", "?", "…", '"', "”", "»", ")")):
            continue
        low = label.lower().rstrip(".")
        role = low.rsplit(",", 1)[-1].strip()
        question = low in lexicon.question_labels or ("," in low and role in lexicon.question_labels)
        answer = low in lexicon.answer_labels
        candidates.append((paragraph.start(), paragraph.start() + m.end(), label, question, answer))
    # A label is a turn when it is a question or answer label or names a person; then also one with
    # the surname of such a label ("MARTÍNEZ:" after or before "A MARTÍNEZ, HOST:"), and the capitals
    # of a transcript that labels its turns in capitals ("CHARLES MAYNES, BYLINE:").
    accepted = [c for c in candidates if c[3] or c[4] or names_a_person(c[2])]
    # At a briefing the questioner may be labelled by their outlet ("CCTV: ..."): a question turn
    # once the text has other turns.
    if accepted:
        as_questions = {c: (*c[:3], True, False) for c in candidates if c not in accepted and names_an_outlet(c[2])}
        candidates = [as_questions.get(c, c) for c in candidates]
        accepted = sorted([*accepted, *as_questions.values()])
    surnames = {_surname(c[2]) for c in accepted}
    capitals = [c for c in candidates if c[2].split(",")[0].isupper() and len(c[2]) > 1]
    labels = [
        c for c in candidates
        if c in accepted or _surname(c[2]) in surnames or (len(capitals) >= 2 and c in capitals)
    ]
    # One labelled line is mostly a sentence like "Result: ..."; it is a turn only when its label
    # names a person and its words run on (a transcript cut after its first speaker).
    if len(labels) == 1:
        start, label_end, label, question, answer = labels[0]
        words = len(text[label_end:].split())
        if question or answer or words < 20 or not names_a_person(label):
            return []
    if not labels:
        return []
    turns = []
    for k, (start, label_end, label, question, answer) in enumerate(labels):
        end = labels[k + 1][0] if k + 1 < len(labels) else len(text)
        turns.append(Turn(label_end, end, start, label_end, label, question, answer))
    return turns


def _is_speaker_label(label: str, lexicon: Lexicon) -> bool:
    """A speaker label is a short name or role in title case or capitals, not page furniture."""
    low = label.lower().rstrip(".")
    if low in lexicon.question_labels or low in lexicon.answer_labels:
        return True
    if low in lexicon.not_speaker_labels or any(low.startswith(x + " ") for x in ("read", "see", "photo", "source")):
        return False
    if re.search(r"\d", label) or label.endswith(","):
        return False
    # "Ambassador Alexander Shulgin, Permanent Representative of the Russian Federation to the OPCW": a
    # name, then the role after a comma, which may be longer.
    name, _, role = label.replace("’", "'").partition(",")
    words, role_words = name.split(), role.split()
    if not 1 <= len(words) <= 8 or len(role_words) > 14:
        return False
    # Every word is capitalised (a name, a title) or a connector ("Minister of Defence").
    return all(w[:1].isupper() or w.lower() in _CONNECTORS for w in words) and all(
        w[:1].isupper() or w.lower() in _CONNECTORS or w.lower() in _ROLE_CONNECTORS for w in role_words)


def _surname(label: str) -> str:
    words = label.split(",")[0].split()
    return words[-1].lower() if words else ""


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_TRAILING_DATE_RE = re.compile(
    rf"[\s,(–—-]+(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|(?:{_MONTHS})\s+\d{{1,2}},?\s+\d{{4}})\b.*$"
)

_LEADING_DATE_RE = re.compile(
    r"^\s*(?:date\s+)?(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?:,?\s+\d{1,2}:\d{2})?\s+(?=[A-Za-z])"
)


def _genre_frame(line: str, lexicon: Lexicon, opening_line: bool = False) -> str | None:
    """The speaker phrase when ``line`` says the text is someone's speech: "Address by President
    X", "Statement of the Ministry of Foreign Affairs", "Address to the Nation by X", "X's address
    to the nation"."""
    # "“Everyone - for the sake of Artsakh ...” - PM Nikol Pashinyan’s Address to the Nation": a slogan
    # before a dash, then the line that says whose text it is.
    tail = re.split(r"\s[-–—]\s", line)
    if len(tail) > 1 and not opening_line:
        found = _genre_frame(tail[-1], lexicon)
        if found is not None:
            return found
    # "Address by President X 25/03/2022 11:00 P.M.", "Statement of the Ministry, 12 January 2022": the
    # date after the speaker is no part of them.
    line = _TRAILING_DATE_RE.sub("", line)
    # "13.01.2022 13:33 Commentary of the Ministry ...", "date 2022-01-05 Read the full text of ...": a
    # date stamp the page set before the line is furniture.
    line = _LEADING_DATE_RE.sub("", line)
    # "Transcript: Foreign Minister X's remarks at ...", "Full text: Address by ...": a label saying what
    # the text is, before the line that says whose.
    labelled = re.match(r"(?i)^\s*(?:full\s+)?(?:transcript|text)\s*:\s*", line)
    if labelled:
        line = line[labelled.end() :]
    genres = "|".join(sorted((re.escape(g) for g in lexicon.speech_genres), key=len, reverse=True))
    # "Statement by Assistant to the Prosecutor General X": "to" after such a title is part of it.
    not_title_to = "".join(f"(?<!{re.escape(w)})" for w in sorted(lexicon.titles_with_to))
    # "Full text of the", "State-of-the-Nation", "Opening", "Joint": a few title-case or leading words.
    lead = (r"(?:(?:the\s+)?full\s+text\s+of\s+|text\s+of\s+|transcript\s+of\s+)?(?:the\s+)?"
            r"(?:(?:[A-Z][\w-]*|joint|official|televised|video|annual|opening|closing|keynote|special|new\s+year)\s+){0,3}")
    m = re.match(rf"^\s*{lead}(?:{genres})(?:\s+(?:to|before)\s+[^:;\n]{{3,80}}?\s+by|\s+(?:on\s+behalf\s+of|of|by|from))\s+(?P<x>[^:.;\n]{{3,120}}?)(?:{not_title_to}\s+to\b.*|\s+(?:at|on|regarding|concerning|in connection with|about|in|for|with)\b.*)?\s*[:.]?\s*$",
                 line, re.IGNORECASE)
    if m:
        return m.group("x").strip()
    # "J/GCJ Ambassador-at-Large X's Remarks": an office's code before the title (as a photo credit
    # before a caption) is no part of the speaker.
    line = re.sub(r"^\s*[A-Z]{1,5}/[A-Z/]{1,10}\s+(?=[A-Z])", "", line)
    m = re.match(rf"^\s*(?P<x>[A-Z][^:.;\n]{{2,80}}?)(?:'s|’s)\s+(?:(?:[A-Z][\w-]*|of|the)\s+){{0,4}}(?i:{genres})\b(?:\s+and\s+(?i:{genres})\b)?(?:\s+(?:to|at|on|regarding|concerning|in connection with|about|in|for|following|after|during)\b.*)?\s*[:.]?\s*$",
                 line)
    if m is None:
        # "MFA statement on Azerbaijan's aggression", "CSTO statement": a body known by its acronym.
        m = re.match(rf"^\s*(?:the\s+)?(?P<x>[A-Z][A-Z&]{{1,6}})\s+(?i:{genres})\b(?:\s+(?:to|at|on|regarding|concerning|in connection with|about|in|for|following|after|during)\b.*)?\s*[:.]?\s*$",
                     line)
    # In the body only a line that says it is the text ("Read the full text of X's address") frames it.
    says_text = re.match(r"(?i)\s*(?:read\s+)?(?:the\s+)?(?:full\s+)?(?:text|transcript)\s+of\b", line)
    if m and (not opening_line or says_text or labelled):
        # "Read the full text of the Kazakh President's address": the speaker is "the Kazakh President".
        return re.sub(r"(?i)^(?:read\s+)?(?:the\s+)?(?:full\s+)?(?:text|transcript)\s+of\s+", "", m.group("x").strip())
    return None
