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
    r"(?m)^(?:[^\n]{0,40}\s)?"  # a date stamp the capture glued before it ("date 2023-06-23 BELGRADE, ...")
    r"(?P<city>[A-Z][A-Z'’.\- ]{1,30}?(?:,\s*[A-Z][A-Z'’.\- ]{1,30}?)?)"
    rf"(?:,?\s+(?:{_MONTH}|[A-Z]{{3,9}})\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
    r",?\s*(?:\((?P<credit>[A-Za-z][\w .&'’-]{1,30})\)|\.?\s*/(?P<slashed>[A-Za-z][\w -]{1,20})/\.?)"
    r"\s*(?:[-–—]{1,2}|\.|:)\s"
)


@dataclass(frozen=True)
class Dateline:
    city: str
    credit: str
    start: int
    end: int


def read_dateline(text: str) -> Dateline | None:
    """The dateline that opens ``text``, or None."""
    m = _DATELINE_RE.search(text[:DATELINE_REACH])
    if m is None:
        return None
    credit = (m.group("credit") or m.group("slashed") or "").strip()
    city = m.group("city").strip(" ,.")
    if not credit or not city:
        return None
    return Dateline(city=city, credit=credit, start=m.start("city"), end=m.end())
