"""A news text's dateline: where it was filed and whose copy it is.

"YEREVAN, ARMENIA (AP) — ...", "ALMATY, Jan 7 (Reuters) - ...", "MOSCOW, January 6. /TASS/. ...": the
city is where the story was filed; the credit in brackets or slashes names the agency whose copy the
text is, whichever outlet's page carries it. Only the opening lines are read: a credit deep in a text
is a photo caption or a quoted report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: How far into the text a dateline may begin: a headline, a byline and a date line may come first.
DATELINE_REACH = 600

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE_RE = re.compile(
    r"(?m)^(?:date \d{4}-\d{2}-\d{2}\s+)?"  # a date stamp the capture glued before it ("date 2023-06-23 BELGRADE, ...")
    r"(?P<city>[A-Z][A-Z'’.\-]*(?: [A-Z][A-Z'’.\-]*){0,3}(?:,\s*[A-Z][A-Za-z'’.\-]*(?: [A-Z][A-Za-z'’.\-]*){0,3})?)"
    rf"(?:,?\s+(?:{_MONTH}|[A-Z]{{3,9}})\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
    r",?\s*(?:\((?P<credit>[A-Za-z][\w .&'’-]{1,30})\)|\.?\s*/(?P<slashed>[A-Za-z][\w -]{1,20})/\.?)"
    r"\s*(?:[-–—]{1,2}|\.)\s"
)


@dataclass(frozen=True)
class Dateline:
    """Where a text says it was filed (``city``, as printed) and whose copy it is (``credit``); ``end``
    is where the story's first words begin."""

    city: str
    credit: str
    end: int


def read_dateline(text: str) -> Dateline | None:
    """The dateline on one of the opening lines of ``text``, or None."""
    return _dateline(_DATELINE_RE.search(text[:DATELINE_REACH]))


def strip_dateline(text: str) -> str:
    """``text`` without a dateline that opens it ("TBILISI, Georgia (AP) — Georgia's President" ->
    "Georgia's President"); any other text unchanged."""
    dateline = _dateline(_DATELINE_RE.match(text))
    return text[dateline.end :] if dateline is not None else text


def _dateline(m: re.Match[str] | None) -> Dateline | None:
    if m is None:
        return None
    credit = (m.group("credit") or m.group("slashed") or "").strip()
    city = m.group("city").strip(" ,.")
    return Dateline(city=city, credit=credit, end=m.end()) if credit and city else None
