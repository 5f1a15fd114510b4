"""The student edition gives nothing away, and every notebook asks for 2 to 4 checked answers.

- No line of a solution appears earlier in its notebook: not in a prompt, not in the stub around
  it (its docstring), not in an earlier cell's code or output (a printed `inspect.getsource`).
- A stub's docstring says what to return, never the formula.
- Nothing an exercise's check compares against is imported or named in the cells before it.
- A predicted number is printed nowhere in the student edition: the "run it" cells that show
  it are tagged `shows-answer`, and `make student` clears them.
- Explanations live in the main text: no hidden-answer (markdown `solution`) cells.
"""

import ast
import importlib.util
import inspect
import pkgutil
import re
from pathlib import Path

import nbformat
import pytest

from course_utils import exercises, release
from course_utils.checks import Prediction

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
# shared by every check, not answers
PLUMBING = {"course_utils.checks", "course_utils.parity", "course_utils.update"}
MIN_CHARS = 12  # a shorter line (`return m, V`) gives nothing away


def normalized(line: str) -> str:
    """A line without whitespace and without a leading `return`."""
    text = re.sub(r"\s+", "", line)
    return text.removeprefix("return")


def regions_and_rest(source: str) -> tuple[list[str], list[str]]:
    """(lines inside solution regions, lines outside them) of one cell."""
    inside, outside, in_region = [], [], False
    for line in source.splitlines():
        if line.strip() == release.BEGIN:
            in_region = True
        elif line.strip() == release.END:
            in_region = False
        else:
            (inside if in_region else outside).append(line)
    return inside, outside


def cell_text(cell) -> list[str]:
    """A cell's source lines and the lines of its stored text outputs (not images)."""
    lines = cell.source.splitlines()
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        for value in [output.get("text", ""), data.get("text/plain", ""),
                      data.get("text/html", "")]:
            lines += str(value).splitlines()
    return lines


def check_cells(notebook) -> list[tuple[int, str]]:
    """(index, check function name) of every check cell."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            found += [(index, name) for name in re.findall(r"\b(check_\w+)\(", cell.source)]
    return found


def check_modules() -> dict[str, object]:
    """The exercise module defining each check function, by the check's name."""
    found = {}
    for info in pkgutil.iter_modules(exercises.__path__):
        module = importlib.import_module(f"{exercises.__name__}.{info.name}")
        found |= {name: module for name in dir(module) if name.startswith("check_")}
    return found


def referenced_names(module) -> set[str]:
    """What an exercise module's checks are built on: the public functions it defines besides
    its checks, and what it takes from course_utils (not the plumbing)."""
    tree = ast.parse(inspect.getsource(module))
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
             and not node.name.startswith(("check_", "_"))}
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_utils"):
            for alias in node.names:
                qualified = f"{node.module}.{alias.name}"
                if node.module in PLUMBING or qualified in PLUMBING:
                    continue
                is_module = (node.module == "course_utils"  # `from course_utils import rules`
                             and importlib.util.find_spec(qualified) is not None)
                (modules if is_module else names).add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in modules):
            names.add(node.attr)
    return names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_two_to_four_checked_exercises_and_no_hidden_answers(path):
    notebook = nbformat.read(path, as_version=4)
    assert 2 <= len(check_cells(notebook)) <= 4
    hidden = [i for i, c in enumerate(notebook.cells)
              if c.cell_type == "markdown" and release.is_solution(c)]
    assert not hidden, f"hidden-answer cells {hidden}: put explanations in the main text"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_solution_line_appears_before_its_exercise(path):
    notebook = nbformat.read(path, as_version=4)
    seen: list[str] = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and release.is_solution(cell):
            inside, outside = regions_and_rest(cell.source)
            earlier = [normalized(line) for line in seen + outside]
            for line in inside:
                needle = normalized(line)
                if len(needle) >= MIN_CHARS and not line.strip().startswith("#"):
                    leaks = [e for e in earlier if needle in e]
                    assert not leaks, f"cell {index}: `{line.strip()}` is already on the page"
        seen += cell_text(cell)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stub_docstrings_say_what_not_how(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code" or not release.is_solution(cell):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.FunctionDef) and (doc := ast.get_docstring(node)):
                formula = re.search(r"=|\*|\^|\bsqrt\b| [+-] ", doc)
                assert not formula, f"{node.name}'s docstring gives the formula: {doc!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_reference_is_named_before_its_exercise(path):
    notebook = nbformat.read(path, as_version=4)
    modules = check_modules()
    for index, check in check_cells(notebook):
        before = "\n".join(c.source for c in notebook.cells[:index] if c.cell_type == "code")
        for name in referenced_names(modules[check]):
            assert not re.search(rf"\b{re.escape(name)}\b", before), (
                f"{check} is built on `{name}`, which a cell before it names or imports")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_predicted_number_is_printed_in_the_student_edition(path):
    notebook = release.student_notebook(nbformat.read(path, as_version=4))
    modules = check_modules()
    outputs = "\n".join(line for cell in notebook.cells if cell.cell_type == "code"
                        for line in cell_text(cell)[len(cell.source.splitlines()):])
    for _, check in check_cells(notebook):
        for name, value in vars(modules[check]).items():
            if not isinstance(value, Prediction):
                continue
            for number in map(float, (value.expected if isinstance(value.expected, tuple)
                                      else (value.expected,))):
                for shown in {f"{number:.3g}", f"{number:.4g}"}:
                    found = re.search(rf"(?<![\d.]){re.escape(shown)}(?!\.?\d)", outputs)
                    assert not found, (f"{name}'s answer {shown} is printed in the student "
                                       "edition: tag the cell `shows-answer`")
