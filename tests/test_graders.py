"""The notebooks work with the graders teachers already run: nbgrader's cell metadata (schema
version 3) and solution markers that both nbgrader and otter-grader find."""

import importlib
import pkgutil
import re
from pathlib import Path

import nbformat
import pytest

from course_utils import exercises, release

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))

GRADE_ID = re.compile(r"^[a-zA-Z0-9_\-]*$")
NBGRADER_KEYS = {"grade", "grade_id", "locked", "points", "schema_version", "solution", "task"}
# otter-grader's solution markers (otter/assign/solutions.py): one hash, any indentation.
OTTER_BEGIN = re.compile(r"(\s*)# BEGIN SOLUTION( NO PROMPT)?")
OTTER_END = re.compile(r"\s*# END SOLUTION")


def nbgrader_cells(notebook) -> list[dict]:
    return [c.metadata["nbgrader"] for c in notebook.cells if "nbgrader" in c.metadata]


def metadata_problems(notebook) -> list[str]:
    """What nbgrader (schema 3) would refuse or misread in a notebook's cell metadata."""
    problems, seen = [], set()
    for index, cell in enumerate(notebook.cells):
        meta = cell.metadata.get("nbgrader")
        tagged = release.is_solution(cell)
        is_check = cell.cell_type == "code" and bool(release.CHECK_CALL.search(cell.source))
        if meta is None:
            if tagged or is_check:
                problems.append(f"cell {index}: a solution or check cell without nbgrader metadata")
            continue
        where = f"cell {index} ({meta.get('grade_id')})"
        if extra := set(meta) - NBGRADER_KEYS:
            problems.append(f"{where}: keys nbgrader computes or does not know: {sorted(extra)}")
        if meta.get("schema_version") != 3:
            problems.append(f"{where}: schema_version is not 3")
        for key in ("grade", "solution", "locked"):
            if not isinstance(meta.get(key), bool):
                problems.append(f"{where}: '{key}' is not true or false")
        grade_id = meta.get("grade_id")
        if not isinstance(grade_id, str) or not grade_id or not GRADE_ID.match(grade_id):
            problems.append(f"{where}: grade_id must match {GRADE_ID.pattern}")
        elif grade_id in seen:
            problems.append(f"{where}: grade_id used twice")
        seen.add(grade_id)
        points = meta.get("points")
        if meta.get("grade") and not (isinstance(points, int | float) and points > 0):
            problems.append(f"{where}: a graded cell needs points > 0")
        if not meta.get("grade") and "points" in meta:
            problems.append(f"{where}: points on a cell that is not graded")
        if meta.get("solution") != tagged:
            problems.append(f"{where}: nbgrader's solution flag and the 'solution' tag disagree")
        if is_check and not (meta.get("grade") and meta.get("locked") and not meta["solution"]):
            problems.append(f"{where}: a check cell must be graded, locked, not a solution")
        if tagged and cell.cell_type == "code" and meta.get("grade"):
            problems.append(f"{where}: an autograded answer is graded by its check cell")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nbgrader_metadata_follows_schema_3(path):
    notebook = nbformat.read(path, as_version=4)
    assert nbgrader_cells(notebook), "no nbgrader cells"
    assert metadata_problems(notebook) == []


def test_grade_ids_are_unique_across_the_course():
    ids = [m["grade_id"] for p in NOTEBOOKS for m in nbgrader_cells(nbformat.read(p, 4))]
    assert len(ids) == len(set(ids))


def test_the_metadata_check_catches_what_nbgrader_refuses():
    notebook = nbformat.read(NOTEBOOKS[1], as_version=4)
    solution = next(c for c in notebook.cells if release.is_solution(c))
    solution.metadata["nbgrader"] |= {"checksum": "abc", "grade_id": "has space"}
    check = next(c for c in notebook.cells if release.CHECK_CALL.search(c.source))
    del check.metadata["nbgrader"]["points"]
    problems = "\n".join(metadata_problems(notebook))
    assert "['checksum']" in problems and "grade_id must match" in problems
    assert "needs points" in problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solution_markers_are_found_by_nbgrader_and_otter(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if release.is_solution(cell) and cell.cell_type == "code":
            lines = cell.source.splitlines()
            begins = [line for line in lines if OTTER_BEGIN.fullmatch(line)]
            ends = [line for line in lines if OTTER_END.fullmatch(line)]
            assert len(begins) == len(ends) == 1, cell.source[:80]
            assert sum("BEGIN SOLUTION" in line for line in lines) == 1  # nbgrader: substring


def test_every_check_has_a_name_of_its_own():
    """The grader finds a check by its name: two chapters' checks of one name would mix up."""
    names = []
    for info in pkgutil.iter_modules(exercises.__path__):
        module = importlib.import_module(f"{exercises.__name__}.{info.name}")
        names += [n for n, f in vars(module).items()
                  if n.startswith("check_") and getattr(f, "__module__", None) == module.__name__]
    assert names and len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
