"""Every notebook is also a lecture deck of about 45 minutes (RISE and `make slides`)."""

import re
from pathlib import Path

import nbformat
import pytest

from course_utils import deck
from course_utils.release import CHECK_CALL, SHOWS_ANSWER_TAG, is_solution

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
# "About 45 minutes": the intro chapter may be shorter; none may run over an hour.
MINUTES = (25, 60)
SLIDES = (12, 45)
# Prose beyond this on a slide belongs in the speaker notes.
MAX_SHOWN_WORDS = 150
DISPLAY_MATH = re.compile(r"\$\$")


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_has_a_slide_type(path):
    notebook = read(path)
    missing = [i for i, c in enumerate(notebook.cells) if "slideshow" not in c.metadata]
    assert not missing, f"cells without metadata.slideshow.slide_type: {missing}"
    deck.outline(notebook)  # raises on an unknown type or a deck not starting with a slide


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_deck_lasts_about_45_minutes(path):
    slides = deck.outline(read(path))
    minutes = deck.estimated_minutes(slides)
    assert MINUTES[0] <= minutes <= MINUTES[1], f"about {minutes:.0f} minutes"
    assert SLIDES[0] <= len(slides) <= SLIDES[1], f"{len(slides)} slides"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_set_up_solutions_and_checks_are_left_out_and_answers_come_as_fragments(path):
    notebook = read(path)
    code = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
    assert deck.slide_type(notebook.cells[code[0]]) == "skip", "the set-up cell is shown"
    for index in code:
        cell = notebook.cells[index]
        kind = deck.slide_type(cell)
        if is_solution(cell) or CHECK_CALL.search(cell.source):
            assert kind == "skip", f"cell {index}: a solution or check on a slide"
        elif SHOWS_ANSWER_TAG in cell.metadata.get("tags", []):
            assert kind == "fragment", f"cell {index}: the answer should come at an arrow"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_long_prose_goes_to_the_notes(path):
    notebook = read(path)
    for index, cell in enumerate(notebook.cells):
        kind = deck.slide_type(cell)
        if kind == "notes":
            assert cell.cell_type == "markdown", f"cell {index}: notes hold prose, not code"
        elif kind != "skip" and cell.cell_type == "markdown":
            shown = deck.words(cell)
            assert shown <= MAX_SHOWN_WORDS, f"cell {index}: {shown} words on a slide"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_slide_is_empty_and_a_derivation_is_built_in_fragments(path):
    notebook = read(path)
    slides = deck.outline(notebook)
    empty = [s.title for s in slides if not s.shown_words and not s.code_cells]
    assert not empty, f"slides that show nothing: {empty}"
    math_fragments = [
        s.title
        for s in slides
        if sum(
            deck.slide_type(notebook.cells[i]) == "fragment"
            and DISPLAY_MATH.search(notebook.cells[i].source) is not None
            for i in s.cells
        ) >= 2
    ]
    if any(DISPLAY_MATH.search(c.source) for c in notebook.cells if c.cell_type == "markdown"):
        assert math_fragments, "no slide builds its equations up in fragments"


def test_the_outline_refuses_an_unknown_slide_type_and_a_deck_without_a_first_slide():
    cell = nbformat.v4.new_markdown_cell("# A", metadata={"slideshow": {"slide_type": "slid"}})
    with pytest.raises(ValueError, match="'slid' is not one of"):
        deck.outline(nbformat.v4.new_notebook(cells=[cell]))
    cell.metadata.slideshow.slide_type = "fragment"
    with pytest.raises(ValueError, match="before the first `slide`"):
        deck.outline(nbformat.v4.new_notebook(cells=[cell]))


def test_the_estimate_counts_spoken_words_and_shown_code():
    def cell(kind, text, code=False):
        make = nbformat.v4.new_code_cell if code else nbformat.v4.new_markdown_cell
        return make(text, metadata={"slideshow": {"slide_type": kind}})

    notebook = nbformat.v4.new_notebook(cells=[
        cell("slide", "# Title " + "word " * 128),
        cell("notes", "said " * 130),
        cell("skip", "left out " * 500),
        cell("-", "x = 1", code=True),
        cell("skip", "y = 2", code=True),
    ])
    slides = deck.outline(notebook)
    assert [(s.shown_words, s.notes_words, s.code_cells) for s in slides] == [(130, 130, 1)]
    assert deck.estimated_minutes(slides) == pytest.approx(3.0)
