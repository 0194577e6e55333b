"""Claim spans: which words of a sentence belong to which speaker, and claims assembled from them.

A sentence usually carries one claim. It carries two when its clauses have different speakers:
"Tokayev thanked Putin, while Peskov reiterated that Kazakhstan had not sought help" is Tokayev's
clause and Peskov's clause; "the press seems to 'forget' to mention a message that Ablyazov
describes ..." is the author's clause and Ablyazov's. :func:`split_sentence` finds those clauses
in the dependency parse: each cue verb owns its subtree, except the content it reports (a cue
inside what another speaker said stays that speaker's claim), and a split is made only where each
speaker's words are contiguous (the author's may stand on both sides of a claim), so every claim
stays a verbatim span.

:func:`assemble_claims` then joins the parts of a quotation running over several sentences, and
the sentences of one speaker's turn in a paragraph, into single claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.attribution.frame import DocumentFrame
from ingest.attribution.lexicon import Lexicon
from ingest.sentences import SentenceSpan
from sourcewise.types import Attribution, Claim, Cue

#: Dependencies by which a clause is what its head verb reports ("said that ...", "called it X").
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "obj", "attr", "oprd", "pcomp", "acomp", "dative"})
#: Dependencies by which a clause stands beside its head as a claim of its own.
_SEPARATE_DEPS = frozenset({"advcl", "conj", "relcl", "acl", "parataxis"})
#: A piece this short is no claim of its own (a connective, a dangling adverb).
_MIN_PIECE_WORDS = 3


@dataclass(frozen=True)
class Part:
    """A stretch of a sentence with one owner (``found`` None: whoever owns uncued words there)."""

    start: int
    end: int
    found: Any  # english.Found, or None


def split_sentence(doc, base: int, owners: list[tuple[Any, Any]], whole: Part, lexicon: Lexicon) -> list[Part]:
    """The parts of a parsed sentence given its cue verbs and their speakers (``owners``)."""
    first = owners[0][1]
    distinct = {_key(f) for _, f in owners}
    # Cues inside what another speaker reports stay that speaker's ("Peskov said Tokayev told him").
    verbs = {tok.i: found for tok, found in owners}
    top = [(tok, found) for tok, found in owners if not _reported_by_other(tok, verbs)]
    if not top:
        top = owners[:1]
    top_keys = {_key(f) for _, f in top}
    if len(top_keys) == 1 and len(distinct) >= 1:
        found = top[0][1]
        if _covers_main_clause(doc, top[0][0]):
            cues = {tok.i for tok, _ in owners}
            contrast = _contrasting_clause(doc, top[0][0], cues)
            if contrast is None:
                contrast = _circumstance_clause(doc, top[0][0], cues)
            if contrast is not None:
                cut = base + doc[contrast].idx
                return [Part(whole.start, cut, found), Part(cut, whole.end, None)]
            return [Part(whole.start, whole.end, found)]
        # One speaker's clause hangs off the author's main clause ("... seems to forget a message
        # that Ablyazov describes as ..."): split when the pieces are a prefix and a suffix.
        split = _pieces(doc, base, [top[0]], whole)
        return split or [Part(whole.start, whole.end, found)]
    split = _pieces(doc, base, top, whole)
    return split or [Part(whole.start, whole.end, first)]


def _contrasting_clause(doc, verb, cue_tokens: set[int]) -> int | None:
    """Where a trailing "but ..." remark on the claimant begins: "The government has claimed that ...,
    but has offered no evidence" (no subject of its own: the claimant again) or "..., but he did not
    provide any" (a pronoun for the claimant) is the author's remark on the claim, not part of it."""
    inside = {t.i for t in verb.subtree}
    for cc in doc:
        if cc.dep_ != "cc" or cc.lower_ not in ("but", "yet") or cc.i not in inside:
            continue
        clause = next((t for t in cc.head.children if t.dep_ == "conj" and t.i > cc.i and t.pos_ in ("VERB", "AUX")), None)
        if clause is None or clause.i in cue_tokens or any(t.i in cue_tokens for t in clause.subtree):
            continue
        subject = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subject and subject[0].lower_ not in ("he", "she", "it", "they"):
            continue
        if clause.right_edge.i < len(doc) - 2 or len([t for t in doc[cc.i :] if not t.is_punct]) < 4:
            continue
        return cc.i
    return None


#: Words that open a trailing clause of circumstance or concession: ", as protests turned violent", ", after the protests
#: reached Almaty".
_CIRCUMSTANCE_MARKS = frozenset({"as", "after", "though", "although"})


def _circumstance_clause(doc, verb, cue_tokens: set[int]) -> int | None:
    """Where a trailing clause of circumstance begins: "X said on Tuesday his government would not fall,
    as protests in some major cities turned violent" sets the scene in the writer's words. Only a
    clause after a comma, with a subject of its own (no pronoun for the claimant) and no cue, that
    closes the sentence; the parser may hang it on the reported verb, so its head is not asked."""
    inside = {t.i for t in verb.subtree}
    for mark in doc:
        if mark.dep_ != "mark" or mark.lower_ not in _CIRCUMSTANCE_MARKS or mark.i not in inside or mark.i < 2:
            continue
        comma = doc[mark.i - 1].text == "," or (doc[mark.i - 1].is_quote and doc[mark.i - 2].text == ",")
        if not comma or mark.i <= verb.i:
            continue
        clause = mark.head
        if clause.dep_ != "advcl" or clause.i in cue_tokens or any(t.i in cue_tokens for t in clause.subtree):
            continue
        subject = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subject or subject[0].lower_ in ("he", "she", "it", "they", "we", "i", "who"):
            continue
        if clause.right_edge.i < len(doc) - 2 or len([t for t in doc[mark.i :] if not t.is_punct]) < 4:
            continue
        return mark.i
    return None


def _key(found) -> tuple:
    """Speakers worth a claim each: another voice, or another named person."""
    source = found.source
    if source.kind == "person" and source.name:
        return (source.voice, source.name.split()[-1].lower())
    return (source.voice,)


def _reported_by_other(tok, verbs: dict[int, Any]) -> bool:
    """Whether a cue verb lies inside the reported content of another cue verb.

    A relative clause on a named person ("condemned remarks by Blinken, who warned that ...") is that
    person's own claim, not part of what the main speaker says."""
    if tok.dep_ == "relcl" and tok.head.pos_ == "PROPN" and any(
        c.dep_ == "nsubj" and c.lower_ == "who" for c in tok.children
    ):
        return False
    # "Kyiv denied carrying out the attack, which Russia said amounted to an attempt on the president's
    # life": a relative clause whose own subject speaks is that speaker's claim about the thing.
    if tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN") for c in tok.children
    ) and any(t.lower_ in ("which", "that") and t.i < tok.i for t in _before_verb(tok)):
        return False
    # "X has said the pullout takes ten days, though Y said it may take seven": a concession with a
    # speaker of its own sets Y beside X; it is not part of what X says.
    # "Russia has warned against intervention, after regional bloc Ecowas said it would assemble a force":
    # so does a clause of what happened before, with its own speaker.
    if any(c.dep_ == "mark" and c.lower_ in _CONCESSIVE | {"after"} for c in tok.children) and any(
            c.dep_ == "nsubj" for c in tok.children):
        return False
    node = tok
    while node.head.i != node.i:
        parent = node.head
        if parent.i in verbs and _key(verbs[parent.i]) != _key(verbs[tok.i]):
            return node.dep_ in _CONTENT_DEPS
        if parent.i in verbs:
            return False
        node = parent
    return False


_CONCESSIVE = frozenset({"though", "although", "whereas", "while"})


def _before_verb(tok):
    """The words of the clause a verb heads, before the verb (where its relative pronoun stands)."""
    return [t for t in tok.subtree if t.i < tok.i]


def _covers_main_clause(doc, verb) -> bool:
    """Whether the cue verb governs the sentence: it is the root; or it is an inserted cue with no
    content of its own ("The decision, Peskov said, was final"); or the clause it hangs off says
    nothing itself ("It is worth noting that ...")."""
    if verb.dep_ == "ROOT":
        return True
    has_content = any(c.dep_ in _CONTENT_DEPS for c in verb.children)
    if not has_content or verb.dep_ == "parataxis":
        return True
    # The top of the cue's clause: where it hangs off the rest of the sentence.
    node = verb
    while node.head.i != node.i and node.dep_ not in _SEPARATE_DEPS | {"ccomp"}:
        node = node.head
    if node.head.i == node.i:
        return True
    outside = [t for t in doc if not (node.left_edge.i <= t.i <= node.right_edge.i) and not t.is_punct]
    return len(outside) < 5 or _empty_frame(outside)


def _empty_frame(tokens) -> bool:
    """A main clause that says nothing of its own: "It is worth noting that ...", "More interesting
    is the fact that ...", "It should be noted ..."."""
    if any(t.dep_ == "expl" or (t.lower_ == "it" and t.dep_ in ("nsubj", "nsubjpass")) for t in tokens):
        return True
    content = [t for t in tokens if t.pos_ in ("NOUN", "PROPN", "VERB") and t.lower_ not in ("fact", "note", "noting", "worth")]
    return not content


def _pieces(doc, base: int, owners: list[tuple[Any, Any]], whole: Part) -> list[Part] | None:
    """Contiguous pieces, one per owner (and the author's remainder), or None when they interleave."""
    owner_of: list[Any] = [None] * len(doc)
    # Deeper clauses first, so that a clause inside another's subtree keeps its own tokens.
    ordered = sorted(owners, key=lambda o: -_depth(o[0]))
    claimed: set[int] = set()
    verb_of = {id(found): tok for tok, found in owners}
    for tok, found in ordered:
        root = _clause_root(tok)
        for t in [*root.subtree, *_name_after(doc, tok)]:
            if t.i not in claimed:
                owner_of[t.i] = found
                claimed.add(t.i)
    # Punctuation and connectives go with the piece before them (a closing "." with the last clause).
    labels: list[Any] = []
    for i, t in enumerate(doc):
        if t.is_punct and i > 0:
            labels.append(labels[-1])
        else:
            labels.append(owner_of[i])
    runs: list[tuple[int, int, Any]] = []
    for i, label in enumerate(labels):
        if runs and runs[-1][2] is label:
            runs[-1] = (runs[-1][0], i, label)
        else:
            runs.append((i, i, label))
    spoken = [r[2] for r in runs if r[2] is not None]
    if len(runs) < 2 or len({id(f) for f in spoken}) != len(spoken):
        return None  # interleaved: one speaker's words on both sides of another's
    # The author's words may stand on both sides of a claim ("... appeal for help against what X
    # terms an 'act of aggression' – deadly violence that followed ..."): each side is a claim.
    for lo, hi, label in runs:
        words = [t for t in doc[lo : hi + 1] if not t.is_punct]
        if len(words) < _MIN_PIECE_WORDS:
            return None
        if label is not None and label.cue is not None:
            # A claim split off must hold its own speaker ("what Toqaev terms ...", "while Peskov
            # reiterated ..."): "INTERFAX is making efforts to convince ..." and "Tokayev declared a
            # day of mourning, labelling the protests ..." are one claim each.
            verb = verb_of[id(label)]
            own_subject = any(
                c.dep_ in ("nsubj", "nsubjpass", "agent") and lo <= c.i <= hi for c in _clause_root(verb).children
            )
            if not own_subject and not base + doc[lo].idx <= label.cue[0] < base + doc[hi].idx + len(doc[hi].text):
                return None
    parts = []
    for k, (lo, hi, label) in enumerate(runs):
        start = base + doc[lo].idx
        end = base + doc[hi].idx + len(doc[hi].text)
        if k == 0:
            start = whole.start
        if k == len(runs) - 1:
            end = whole.end
        parts.append(Part(start, end, label))
    return parts


def _name_after(doc, verb) -> list:
    """The name a "what X terms ..." clause gives, when the parser hung it outside the clause: the
    noun phrase right after the verb, with its "of" phrase ("a foreign-organized “act of aggression”")."""
    if verb.right_edge.i != verb.i or not any(c.lower_ == "what" for c in verb.lefts):
        return []
    chunk = next((c for c in doc.noun_chunks if c.start <= verb.i + 1 < c.end or c.start == verb.i + 2), None)
    if chunk is None or chunk.start > verb.i + 2:
        return []
    end = chunk.end
    if end + 1 < len(doc) and doc[end].lower_ == "of":
        following = next((c for c in doc.noun_chunks if c.start == end + 1), None)
        if following is not None:
            end = following.end
    while end < len(doc) and doc[end].is_quote:
        end += 1
    return list(doc[verb.i + 1 : end])


def _clause_root(tok):
    """The top of a cue verb's clause: the verb, or the clause it is an auxiliary part of."""
    node = tok
    while node.dep_ in ("xcomp", "aux", "auxpass") and node.head.i != node.i:
        node = node.head
    return node


def _depth(tok) -> int:
    depth = 0
    while tok.head.i != tok.i:
        tok = tok.head
        depth += 1
    return depth


def assemble_claims(
    doc_id: str,
    text: str,
    spans: list[SentenceSpan],
    parts_by_sentence: list[list[Part]],
    frame: DocumentFrame,
) -> list[Claim]:
    """Claims in text order from each sentence's parts.

    Consecutive parts with the same speaker and the same cue in one paragraph (a quotation over
    several sentences, a speaker's turn) become one claim; everything else is a claim of its own.
    """
    groups: list[tuple[int, int, Any, int]] = []  # start, end, found, paragraph
    for span, parts in zip(spans, parts_by_sentence, strict=True):
        for part in parts:
            found = part.found
            if groups:
                g_start, g_end, g_found, g_par = groups[-1]
                if (
                    g_par == span.paragraph
                    and found.how in ("quote", "transcript")
                    and found.how == g_found.how
                    and _key(found) == _key(g_found)
                    and (found.cue == g_found.cue or found.how == "transcript")
                ):
                    groups[-1] = (g_start, part.end, g_found, g_par)
                    continue
            groups.append((part.start, part.end, found, span.paragraph))
    claims = []
    for index, (start, end, found, _) in enumerate(groups):
        while start < end and text[start].isspace():
            start += 1
        # A dash or comma that only joined this clause to the next is no part of the claim.
        while end > start and (text[end - 1].isspace() or (text[end - 1] in "–—,;:" and end < len(text) and text[end:end + 1].isspace())):
            end -= 1
        cue = None
        if found.cue is not None:
            c0, c1 = found.cue
            cue = Cue(text=text[c0:c1], start=c0, end=c1)
        claims.append(
            Claim(
                doc_id=doc_id,
                index=index,
                start=start,
                end=end,
                text=text[start:end],
                attribution=Attribution(
                    speaker=found.source.speaker(), conduit=found.conduit, how=found.how, cue=cue
                ),
            )
        )
    return claims
