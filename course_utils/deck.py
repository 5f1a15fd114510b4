"""A notebook as a lecture deck: the slides its cells' `metadata.slideshow.slide_type` make.

RISE (live in JupyterLab) and `make slides` (reveal.js HTML) read the same metadata:
`slide` starts a slide, `subslide` a slide below it, `fragment` appears at the next arrow,
`-` continues the current slide or fragment, `skip` is left out, `notes` goes to the speaker
notes. `python -m course_utils.deck notebooks/03_nesterov.ipynb` prints a deck's outline and
its estimated length, for a teacher re-cutting a deck.
"""

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")
# The estimate's rates: a lecturer speaks about 130 words a minute (what is on a slide and what
# is in its notes), and spends about a minute on a code cell shown with its output.
WORDS_PER_MINUTE = 130
MINUTES_PER_CODE_CELL = 1.0


def slide_type(cell: nbformat.NotebookNode) -> str:
    """The cell's slide type; a cell without one continues the current slide (`-`)."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def words(cell: nbformat.NotebookNode) -> int:
    """Words of a markdown cell's prose (math and markup count as they are written)."""
    return len(cell.source.split()) if cell.cell_type == "markdown" else 0


def title_of(cell: nbformat.NotebookNode) -> str:
    """A cell's first heading, or its first line, shortened."""
    lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
    heading = next((line for line in lines if line.startswith("#")), lines[0] if lines else "")
    return re.sub(r"^#+\s*", "", heading)[:70]


@dataclass
class Slide:
    """One slide or subslide: its place (h, v), title, and what is shown and said on it."""

    h: int
    v: int
    title: str
    cells: list[int] = field(default_factory=list)
    fragments: int = 0
    shown_words: int = 0
    notes_words: int = 0
    code_cells: int = 0
    figures: int = 0


def outline(notebook: nbformat.NotebookNode) -> list[Slide]:
    """The deck's slides in order; raises ValueError on an unknown slide type or on a deck
    that does not start with a slide."""
    slides: list[Slide] = []
    for index, cell in enumerate(notebook.cells):
        kind = slide_type(cell)
        if kind not in SLIDE_TYPES:
            raise ValueError(f"cell {index}: slide type {kind!r} is not one of {SLIDE_TYPES}")
        if kind == "skip":
            continue
        if not slides and kind != "slide":
            raise ValueError(f"cell {index} is shown before the first `slide` cell")
        if kind == "slide":
            slides.append(Slide(len(slides) and slides[-1].h + 1, 0, title_of(cell)))
        elif kind == "subslide":
            slides.append(Slide(slides[-1].h, slides[-1].v + 1, title_of(cell)))
        current = slides[-1]
        current.cells.append(index)
        if kind == "notes":
            current.notes_words += words(cell)
            continue
        current.fragments += kind == "fragment"
        current.shown_words += words(cell)
        if cell.cell_type == "code":
            current.code_cells += 1
            current.figures += sum("image/png" in o.get("data", {}) for o in cell.outputs)
    return slides


def estimated_minutes(slides: list[Slide]) -> float:
    """How long the deck takes to present: every word shown or in the notes spoken, and a
    minute for each code cell shown."""
    spoken = sum(s.shown_words + s.notes_words for s in slides)
    return spoken / WORDS_PER_MINUTE + MINUTES_PER_CODE_CELL * sum(s.code_cells for s in slides)


def describe(path: Path) -> str:
    """The deck's outline as text: one line a slide, then its length."""
    slides = outline(nbformat.read(path, as_version=4))
    lines = [
        f"{s.h + 1:>3}.{s.v:<2} {s.title:<70} fragments {s.fragments}, code {s.code_cells}, "
        f"figures {s.figures}, words shown {s.shown_words}, in notes {s.notes_words}"
        for s in slides
    ]
    lines.append(f"{len(slides)} slides, about {estimated_minutes(slides):.0f} minutes")
    return "\n".join(lines)


def main() -> None:
    """Print the outline of each notebook named on the command line."""
    parser = argparse.ArgumentParser(description="Outline a notebook's lecture deck.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    for path in parser.parse_args().notebooks:
        print(f"{path.name}\n{describe(path)}\n")


if __name__ == "__main__":
    main()
