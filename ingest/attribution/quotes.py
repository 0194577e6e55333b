"""Quoted spans: “…”, «…», ‘…’ and "…", per line; an unclosed quote at a paragraph's start runs to its end."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FIRST_PERSON_RE = re.compile(r"\b(I|we|We|my|My|our|Our|me|us)\b")

QUOTE_PAIRS = {"“": "”", "«": "»", "‘": "’", '"': '"', "„": "“"}


@dataclass(frozen=True)
class Quote:
    """A quoted span in the cleaned text."""

    start: int  # at the opening mark
    end: int  # after the closing mark (or the paragraph's end when it never closes)
    words: int
    closed: bool = True


def find_quotes(text: str) -> list[Quote]:
    """Quoted spans, line by line, in text order.

    News style opens every paragraph of a long quotation and closes only the last: a curly or
    angle mark that never closes in its paragraph opens one quote to the paragraph's end. A
    reprinted address is one quotation over many paragraphs that do not reopen it: a paragraph that
    opens with a mark that never closes, followed by paragraphs that do not open with one, is one
    quote up to the first closing mark that matches nothing (or the end of the text); so is one that
    a colon introduces mid-line ("The comment reads: “The baseless statement ...").
    """
    quotes: list[Quote] = []
    lines = list(re.finditer(r"[^\n]+", text))
    stray: list[int | None] = []  # per line: where a closing mark closes nothing
    opens_line: list[bool] = []
    unclosed: list[tuple[int, Quote]] = []
    for n, line in enumerate(lines):
        s, base = line.group(0), line.start()
        stack: list[tuple[str, int]] = []
        first_stray = None
        for i, ch in enumerate(s):
            if stack and ch == QUOTE_PAIRS[stack[-1][0]] and _closes(s, i, ch):
                _, at = stack.pop()
                if not stack:
                    quotes.append(Quote(base + at, base + i + 1, len(s[at + 1 : i].split())))
            elif ch in QUOTE_PAIRS and _opens(s, i, ch):
                stack.append((ch, i))
            elif not stack and ch in "”»" and first_stray is None:
                first_stray = i
        stray.append(None if first_stray is None else base + first_stray)
        opens_line.append(s.lstrip()[:1] in "“«„\"")
        # A straight mark that never closes opens a long quotation only at the paragraph's start
        # ('"Hello. Thank you for accepting my invitation ...' after "X noted in his remarks:").
        if stack and (stack[0][0] in "“«„" or (stack[0][0] == '"' and s[: stack[0][1]].strip() == "")):
            at = stack[0][1]
            quote = Quote(base + at, base + len(s.rstrip()), len(s[at + 1 :].split()), closed=False)
            # "The comment reads: “The baseless statement ...": a quotation a colon introduces may run
            # over the paragraphs after it as one that opens its paragraph does.
            if (s[:at].strip() == "" or s[:at].rstrip().endswith(":")) and stack[0] is stack[-1]:
                unclosed.append((n, quote))
            else:
                quotes.append(quote)
    for n, quote in unclosed:
        end = quote.end
        closed = False
        for m in range(n + 1, len(lines)):
            if opens_line[m]:
                end = quote.end  # another quotation opens: this one stays in its paragraph
                break
            if stray[m] is not None:
                end, closed = stray[m] + 1, True
                break
            end = lines[m].start() + len(lines[m].group(0).rstrip())
        if not closed and end != quote.end:
            # Never closed (the capture may be cut): a speech only if it speaks in the first person
            # soon ("I express my condolences ..."); else it stays in its paragraph.
            following = text[quote.end : end]
            first_lines = "\n".join(following.strip().split("\n")[:6])
            if not _FIRST_PERSON_RE.search(first_lines):
                end = quote.end
        if end != quote.end:
            quote = Quote(quote.start, end, len(text[quote.start + 1 : end].split()), closed=text[end - 1] in "”»")
        quotes.append(quote)
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
