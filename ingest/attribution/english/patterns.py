"""Surface patterns of English attribution: regular expressions the rules read the text with."""

from __future__ import annotations

import re



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
#: First-person words of a speaker or the body they speak for.
_WE_RE = re.compile(r"\b(?:I|we|We|our|Our|my|My|us)\b")
#: How many sentences back "The statement emphasised ..." finds the speaker whose statement it is: a
#: report may set out where and when it was adopted first.
_STATEMENT_REACH = 4
_CONDUIT_PREP_RE = re.compile(r"\b(?:in an? (?:interview|conversation|comment|statement)s? (?:with|to|for)|told|speaking to|talking to|writing (?:in|for)|quoted by|cited by|to)\s*$", re.IGNORECASE)
_CONTRAST_TAIL_RE = re.compile(r"[,;]\s*(?P<c>(?:but|yet)\s+(?:he|she|they|it|the|this|no|there|[A-Z])\w*)", re.IGNORECASE)
#: “…” – Marie Struthers, Amnesty's director: a dash after the quote, then who said it.
_DASH_NAME_RE = re.compile(r"^\s*[-–—]\s*(?P<x>[A-Z][^.;:“”«»\n]{2,120}?)\s*(?:[.;]|$)")
_SPEAKER_EVENT_RE = re.compile(r"(?i)\b(?:in|during) (?:an? |his |her |the |their )?(?:interview|conversation|briefing|press conference|statement|speech|address)\b")
#: "in response to the request by X", "at the request of X", "following a request from X": the words before
#: a request the sentence's act answers (the parser does not always hang them on the verb).
_ANSWERED_REQUEST_RE = re.compile(r"(?i)\b(?:in response to|in reply to|in line with|at|upon|on|following|after)\s+(?:the|a|an|his|her|its|their)\s+$")
