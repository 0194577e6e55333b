"""Quoted spans: “…”, «…», ‘…’ and "…", per line; an unclosed quote at a paragraph's start runs to its end."""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTE_PAIRS = {"“": "”", "«": "»", "‘": "’", '"': '"', "„": "“"}


@dataclass(frozen=True)
class Quote:
    """A quoted span in the cleaned text."""

    start: int  # at the opening mark
    end: int  # after the closing mark (or the paragraph's end when it never closes)
    words: int
    closed: bool = True


def find_quotes(text: str) -> list[Quote]:
    """Quoted spans, line by line (a quote never crosses a paragraph), in text order.

    News style opens every paragraph of a long quotation and closes only the last: a curly or
    angle mark that never closes in its paragraph opens one quote to the paragraph's end.
    """
    quotes: list[Quote] = []
    for line in re.finditer(r"[^\n]+", text):
        s, base = line.group(0), line.start()
        stack: list[tuple[str, int]] = []
        for i, ch in enumerate(s):
            if stack and ch == QUOTE_PAIRS[stack[-1][0]] and _closes(s, i, ch):
                _, at = stack.pop()
                if not stack:
                    quotes.append(Quote(base + at, base + i + 1, len(s[at + 1 : i].split())))
            elif ch in QUOTE_PAIRS and _opens(s, i, ch):
                stack.append((ch, i))
        if stack and stack[0][0] in "“«„":
            # A quotation that opens and never closes in its paragraph runs to the paragraph's end
            # ("... topic: “I would like you to keep in mind ..."): news style closes only the last one.
            at = stack[0][1]
            quotes.append(Quote(base + at, base + len(s.rstrip()), len(s[at + 1 :].split()), closed=False))
    return sorted(quotes, key=lambda q: q.start)


def _opens(s: str, i: int, ch: str) -> bool:
    if ch in "“«„":
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
