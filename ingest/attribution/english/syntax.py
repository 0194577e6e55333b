"""Helpers over spaCy parses: noun phrases, subject spans, cue spans and the shapes of clauses."""

from __future__ import annotations

import re

from ingest.attribution.base import DocumentInput
from ingest.attribution.claims import Part
from ingest.attribution.english.common import Found
from ingest.attribution.sources import Source
from sourcewise.types import Voice


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
