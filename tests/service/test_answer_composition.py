"""The pieces of an answer that need no index: follow-up detection, figures, the overview's lines."""

from __future__ import annotations

import pytest

from service.engine import follow_up_context
from service.retrieval import reciprocal_rank_fusion
from service.figures import AskedFigure, asked_figure, figures_in
from service.overview import compose_answer, differing_figures
from service.schemas import AnswerSection, HistoryTurn, QuoteOut, SourceOut, SpeakerOut
from sourcewise.types import Genre, Voice

HISTORY = [
    HistoryTurn(role="user", content="Why were peacekeepers sent to the capital?"),
    HistoryTurn(role="assistant", content="Sources differ; the government asked the alliance for help."),
]


def quote(text: str, voice: Voice, name: str | None, publisher: str = "Example Review", n: int = 0) -> QuoteOut:
    return QuoteOut(
        id=f"doc-{n}:0-{len(text)}",
        text=text,
        start=0,
        end=len(text),
        speaker=SpeakerOut(name=name, role=None, voice=voice),
        source=SourceOut(
            doc_id=f"doc-{n}", title="A title", publisher=publisher, author=None, published=None, url=None,
            genre=Genre.ANALYSIS,
        ),
        score=0.9 - n / 100,
    )


def section(voice: Voice, *quotes: QuoteOut) -> AnswerSection:
    return AnswerSection(voice=voice, label=voice.label, quotes=list(quotes))


@pytest.mark.parametrize(
    "question",
    ["And what did the minister say about it?", "What about the president?", "Who announced that?", "Why?"],
)
def test_follow_ups_are_read_with_the_previous_user_turn(question: str) -> None:
    assert follow_up_context(question, HISTORY) == HISTORY[0].content


def test_standalone_question_ignores_the_history() -> None:
    assert follow_up_context("How many soldiers did the alliance deploy to the capital?", HISTORY) == ""


def test_follow_up_without_user_turns_has_no_context() -> None:
    assert follow_up_context("And what about him?", []) == ""
    assert follow_up_context("And what about him?", [HISTORY[1]]) == ""


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("About 2,500 soldiers arrived.", 2500, "troops"),
        ("Three-thousand paratroops were airlifted.", 3000, "troops"),
        ("the contingent of peacekeepers would number about 2,500.", 2500, "troops"),
        ("with 164 killed in the aftermath", 164, "people"),
        ("more than 3,000 people injured", 3000, "injured"),
        ("two and a half thousand troops", 2500, "troops"),
    ],
)
def test_counts_are_read_with_what_they_count(text: str, value: float, unit: str) -> None:
    found = figures_in(text, AskedFigure("count", unit))
    assert [f[1] for f in found] == [value]


def test_years_and_durations_are_not_counts_of_people() -> None:
    text = "In January 2022 the troops were to leave within 10 days."
    assert figures_in(text, AskedFigure("count", "troops")) == []
    assert figures_in(text, AskedFigure("count")) == []


def test_dates_are_read_in_either_order() -> None:
    found = figures_in("withdrawal by January 21, protests began on 2 January", AskedFigure("date"))
    assert [printed for _, _, printed in found] == ["January 21", "2 January"]


def test_questions_say_which_figure_they_ask_for() -> None:
    assert asked_figure("How many soldiers were sent?") == AskedFigure("count", "troops")
    assert asked_figure("How many people died?") == AskedFigure("count", "people")
    assert asked_figure("When did the troops leave?") == AskedFigure("date", event="withdrawal")
    assert asked_figure("Why did the troops leave?") is None


def test_different_figures_from_different_speakers_are_listed_each_with_its_speaker() -> None:
    sections = [
        section(Voice.CSTO, quote("The contingent of peacekeepers would number about 2,500.", Voice.CSTO, "The Alliance", n=1)),
        section(Voice.INDEPENDENT, quote("Three thousand paratroops were airlifted.", Voice.INDEPENDENT, None, "Weekly", n=2)),
    ]
    listed = differing_figures(sections, "How many troops were deployed?")
    assert [figure for figure, _ in listed] == ["2,500 (peacekeepers)", "Three thousand paratroops"]
    assert listed[0][1] == "The Alliance (reported in Example Review)"
    assert listed[1][1] == "Weekly"
    overview = compose_answer(sections, "How many troops were deployed?")
    assert "Figures differ by source:" in overview
    assert "- Three thousand paratroops — Weekly" in overview


def test_the_same_figure_everywhere_is_no_disagreement() -> None:
    sections = [
        section(Voice.CSTO, quote("About 2,500 troops were sent.", Voice.CSTO, "The Alliance", n=1)),
        section(Voice.INDEPENDENT, quote("Some 2,500 soldiers arrived.", Voice.INDEPENDENT, None, "Weekly", n=2)),
    ]
    assert differing_figures(sections, "How many troops were deployed?") == []
    assert "Figures differ" not in compose_answer(sections, "How many troops were deployed?")


def test_figures_are_not_compared_when_the_question_does_not_ask_for_them() -> None:
    sections = [
        section(Voice.CSTO, quote("About 2,500 troops were sent.", Voice.CSTO, "The Alliance", n=1)),
        section(Voice.INDEPENDENT, quote("Three thousand soldiers arrived.", Voice.INDEPENDENT, None, "Weekly", n=2)),
    ]
    assert differing_figures(sections, "Why were troops sent?") == []


def test_overview_attributes_every_line_and_quotes_verbatim() -> None:
    state = quote("“The scale of the coup attempt is striking,” the agency wrote in a long dispatch that goes on.",
                  Voice.RUSSIAN_STATE, "State Agency", "Analysis Centre", n=1)  # fmt: skip
    own = quote("The protests began over fuel prices.", Voice.INDEPENDENT, None, "Analysis Centre", n=2)
    overview = compose_answer([section(Voice.RUSSIAN_STATE, state), section(Voice.INDEPENDENT, own)], "Why?")
    lines = overview.splitlines()
    state_line = next(line for line in lines if "Russian state sources" in line)
    assert state_line.startswith("- **Russian state sources** — State Agency (reported in Analysis Centre): “")
    assert "The scale of the coup attempt is striking" in state_line
    own_line = next(line for line in lines if "Independent media" in line)
    assert own_line == "- **Independent media and analysts** — Analysis Centre: “The protests began over fuel prices.”"
    # Sections are listed in the order given (the API's voice order), one line each.
    assert lines.index(state_line) < lines.index(own_line)


def test_long_quotes_are_cut_with_an_ellipsis_not_rewritten() -> None:
    words = " ".join(f"word{i}" for i in range(60))
    overview = compose_answer([section(Voice.INDEPENDENT, quote(words, Voice.INDEPENDENT, None))], "Why?")
    excerpt = overview.split("“", 1)[1].rsplit("”", 1)[0]
    assert excerpt.endswith(" …")
    assert words.startswith(excerpt.removesuffix(" …"))


def test_fusion_ranks_items_found_by_both_methods_first() -> None:
    dense = [("a", 0.9), ("b", 0.8), ("c", 0.7)]
    lexical = [("c", 12.0), ("d", 5.0)]
    assert list(reciprocal_rank_fusion([dense, lexical], 60)) == ["c", "a", "b", "d"]


def test_a_speaker_is_named_by_any_of_their_name_forms_never_by_a_shared_title_word() -> None:
    from service.engine import SpeakerIndex

    index = SpeakerIndex(
        ["Dmitry Peskov", "Peskov", "Margarita Simonyan", "RT", "US Embassy", "Anna Petrova", "Olga Petrova",
         "Kazakhstan's Interior Ministry", "Ukrainian foreign minister"],
        ["Kremlin spokesman", "President of Kazakhstan", "editor-in-chief of RT", "former Prime Minister of Kazakhstan"],
    )
    assert index.named_in("What did Peskov say?") == {"Dmitry Peskov", "Peskov"}
    assert index.named_in("What did Simonyan say?") == {"Margarita Simonyan"}
    assert index.named_in("What did RT say?") == {"RT"}
    assert index.named_in("What did they tell us?") == frozenset()  # "us" is no name, "US" is
    assert index.named_in("What did Petrova say?") == frozenset()  # two people: the surname names neither
    assert index.named_in("What did Anna Petrova say?") == {"Anna Petrova"}
    assert index.named_in("What did the Kremlin spokesman say?") == {"Kremlin spokesman"}
    assert index.named_in("What did the Kazakh president say?") == {"President of Kazakhstan"}
    assert index.named_in("What did the Interior Minister say?") == {"Kazakhstan's Interior Ministry"}
    assert index.named_in("What did the president say?") == frozenset()
    assert index.named_by(["Russia Today", "RT"]) == {"RT", "editor-in-chief of RT"}


@pytest.mark.parametrize(("text", "gap", "ok"), [
    ("Peskov said.", " ", False),
    ("Font size", "\n", False),
    ("The USA and EU: champions of peaceful protests or meddlers?", "\n\n", False),
    ("Kazakhstan unrest", "\n", False),
    ("Russia will not interfere in the affairs of Kazakhstan, Peskov said.", "\n", True),
    ("“We will not interfere,” Peskov said", " ", True),
])
def test_headings_and_fragments_are_not_quotable(text: str, gap: str, ok: bool) -> None:
    from types import SimpleNamespace

    from service.quotes import quotable

    assert quotable(SimpleNamespace(text=text, gap_after=gap)) is ok


def test_a_figure_answers_only_the_quantity_asked() -> None:
    report = "Police said 9,900 people were detained, while 164 people were killed and 2,200 injured."
    for question, unit, values in (
        ("How many people were detained?", "detained", [9900.0]),
        ("How many people were killed?", "people", [164.0]),
        ("How many were injured?", "injured", [2200.0]),
        ("How many died?", "people", [164.0]),
    ):
        asked = asked_figure(question)
        assert asked.unit == unit
        assert [value for _, value, _ in figures_in(report, asked)] == values, question
    troops = asked_figure("How many troops were sent?")
    assert [v for _, v, _ in figures_in("Three-thousand paratroops landed in Almaty.", troops)] == [3000.0]


def test_a_date_answers_only_the_event_asked() -> None:
    asked = asked_figure("When did the CSTO troops withdraw from Kazakhstan?")
    assert asked.event == "withdrawal"
    assert figures_in("The protests began on January 2.", asked) == []
    assert figures_in("The first troops arrived on January 6.", asked) == []
    assert [p for _, _, p in figures_in("The withdrawal was completed on January 19.", asked)] == ["January 19"]
    deployed = asked_figure("When were the troops deployed?")
    assert figures_in("The first troops arrived on January 6.", deployed) != []
