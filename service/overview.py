"""The overview that heads an answer: one attributed line per voice, built only from the quotes.

Each line names the speakers and their voice and carries a verbatim excerpt in quotation marks, so
nothing is claimed that no quote says and no state's claim is ever stated as fact; figures on which
the sources disagree are listed with who gives each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from service.figures import asked_figure, figures_in
from service.schemas import AnswerSection, QuoteOut
from sourcewise.types import Voice

#: Words of the top quote shown in the overview line of a voice.
EXCERPT_WORDS = 28


def compose_answer(sections: Sequence[AnswerSection], question: str) -> str:
    """The markdown overview: one attributed line per voice, then figures that differ by source.

    Made only of the quotes: each line names who says it and under which voice and carries a
    verbatim excerpt in quotation marks, so a state source's claim is always shown as its claim.
    """
    lines = [f"Here is what the sources say, by who makes the claim ({_count_quotes(sections)}):", ""]
    for section in sections:
        speakers = _speaker_labels(section.quotes)
        shown = ", ".join(speakers[:3]) + (f" and {len(speakers) - 3} more" if len(speakers) > 3 else "")
        excerpt = _excerpt(section.quotes[0].text)
        lines.append(f"- **{section.label}** — {shown}: “{excerpt}”")
    differing = differing_figures(sections, question)
    if differing:
        lines += ["", "Figures differ by source:"]
        lines += [f"- {figure} — {speaker}" for figure, speaker in differing]
    return "\n".join(lines)


def _count_quotes(sections: Sequence[AnswerSection]) -> str:
    quotes = sum(len(s.quotes) for s in sections)
    return f"{quotes} quote{'s' if quotes != 1 else ''} from {len(sections)} voice{'s' if len(sections) != 1 else ''}"


def _speaker_name(quote: QuoteOut) -> str:
    """Who says it: the speaker's name or role; for an outlet's own sentences, the outlet."""
    speaker = quote.speaker
    name = speaker.name or speaker.role
    if name is None:
        return "unnamed sources" if speaker.voice is Voice.UNATTRIBUTED else quote.source.publisher
    return name


def _speaker_label(quote: QuoteOut) -> str:
    """'TASS (reported in Daryo)'; 'Mary Dejevsky (spiked)' for an author; the outlet for its own reporting."""
    name = _speaker_name(quote)
    publisher = quote.source.publisher
    if name == publisher:
        return name
    if name == quote.source.author:
        return f"{name} ({publisher})"
    return f"{name} (reported in {publisher})"


def _speaker_labels(quotes: Sequence[QuoteOut]) -> list[str]:
    """One label per speaker, naming every outlet that printed them: 'CSTO (reported in A and B)'."""
    outlets: dict[str, list[str]] = {}
    own: dict[str, bool] = {}
    for quote in quotes:
        name = _speaker_name(quote)
        publisher = quote.source.publisher
        own[name] = own.get(name, False) or name == publisher
        if name != publisher and publisher not in outlets.setdefault(name, []):
            outlets[name].append(publisher)
    labels: list[str] = []
    for name, printed_in in ((n, outlets.get(n, [])) for n in own):
        if not printed_in:
            labels.append(name)
            continue
        authored = any(q.source.author == name for q in quotes if _speaker_name(q) == name)
        where = " and ".join(printed_in)
        labels.append(f"{name} ({where})" if authored else f"{name} (reported in {where})")
    return labels


_QUOTE_MARKS = "\"'“”‘’«»„"


def _excerpt(text: str) -> str:
    """The first words of a quote, verbatim, with an ellipsis when cut (outer quotation marks dropped)."""
    words = text.split()
    cut = len(words) > EXCERPT_WORDS
    excerpt = " ".join(words[:EXCERPT_WORDS])
    # The overview puts its own marks around the excerpt; the quote's own would double them.
    excerpt = excerpt.strip(_QUOTE_MARKS).strip()
    if cut:
        excerpt = excerpt.rstrip(",;:") + " …"
    return excerpt


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def differing_figures(sections: Sequence[AnswerSection], question: str) -> list[tuple[str, str]]:
    """``(figure as printed, speaker)`` for each figure, when speakers give different ones.

    Only figures of the kind the question asks for are compared (counts of troops for "how many
    troops", dates for "when"), and only when at least two different speakers give at least two
    different values: a figure repeated by everyone is no disagreement.
    """
    asked = asked_figure(question)
    if asked is None:
        return []
    groups: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
    for section in sections:
        for quote in section.quotes:
            speaker = _speaker_label(quote)
            for unit, value, printed in figures_in(quote.text, asked):
                groups[unit].append((value, printed, speaker))
    listed: list[tuple[str, str]] = []
    for figures in groups.values():
        values = {value for value, _, _ in figures}
        speakers = {speaker for _, _, speaker in figures}
        if len(values) < 2 or len(speakers) < 2:
            continue
        for _, printed, speaker in sorted(figures, key=lambda f: f[0]):
            if (printed, speaker) not in listed:
                listed.append((printed, speaker))
    return listed
