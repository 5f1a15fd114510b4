"""`make student` and `make lecture`: the two editions made from the instructor notebooks.

- Student edition: every `# BEGIN SOLUTION` ... `# END SOLUTION` region (nbgrader's and
  otter-grader's markers) becomes `# YOUR CODE HERE` / `raise NotImplementedError()`
  (indentation kept), or, for a predicted value at the top level, `name = ...`; the outputs of
  solution cells, of the check cells and of the cells tagged `shows-answer` are cleared.
  Nothing else of a solution is kept.
- Lecture edition: the full notebooks with solution cells collapsed in JupyterLab, for a
  teacher to reveal one answer at a time.

A small nbformat transform rather than nbgrader: nbgrader's `ClearSolutions` does the same
region replacement but brings a database, a server extension and dozens of packages for
what is thirty lines here, and it would leave hidden-answer cells and check outputs as they are.
"""

import argparse
import ast
import copy
import re
import shutil
from pathlib import Path

import nbformat

SOLUTION_TAG = "solution"
# A cell whose output shows an answer (a "predict, then run" cell): cleared for students.
SHOWS_ANSWER_TAG = "shows-answer"
BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
CHECK_CALL = re.compile(r"\bcheck_\w+\(")
# What a student needs to set up; environment.yml and postBuild also let Binder open the edition.
STUDENT_FILES = ("course_utils", "pyproject.toml", "environment.yml", "postBuild", "Makefile")
STUDENT_README = """# How neural-network optimizers work: student edition

Notebooks 00 to 10, in order. Each exercise is a function to complete where it says
`# YOUR CODE HERE` (delete the `raise NotImplementedError()` line), or a prediction to write
where it says `# YOUR ANSWER HERE` (replace the `...` with a number or a word); run the cell
below it and the check tells you whether your answer is right or what to look at. Predict
before you run the cells after a check: they show the answer.

Set up once and open the course (Python 3.11, 3.12 or 3.13, and `make`):

    make lab

Without `make` (Windows, say): create a virtual environment with one of those Pythons, then
`python -m pip install -e .` and `python -m course_utils.lab`. With conda:
`conda env create -f environment.yml`, `conda activate optimizer-course`,
`python -m course_utils.lab`.
"""


def is_solution(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is tagged `solution`."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def placeholder(region: list[str], indent: str) -> list[str]:
    """What a student sees instead of a region: a `raise` in a function body; at the top level
    (a predicted number or choice), each assigned name set to `...`."""
    if indent:
        return [f"{indent}# YOUR CODE HERE", f"{indent}raise NotImplementedError()"]
    statements = ast.parse("\n".join(region)).body
    names = [target.id for node in statements if isinstance(node, ast.Assign)
             for target in node.targets if isinstance(target, ast.Name)]
    if not names or len(names) != len(statements):
        raise ValueError("a top-level solution region may only assign answers (name = value)")
    return ["# YOUR ANSWER HERE", *(f"{name} = ..." for name in names)]


def strip_solution_regions(source: str) -> str:
    """Replace each BEGIN/END SOLUTION region by the student placeholder, same indentation."""
    out, region, indent = [], None, ""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            indent, region = line[: len(line) - len(line.lstrip())], []
        elif stripped == END:
            out += placeholder(region, indent)
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise ValueError(f"a '{BEGIN}' has no matching '{END}'")
    return "\n".join(out)


def clear_outputs(cell: nbformat.NotebookNode) -> None:
    """Remove a code cell's outputs and execution count."""
    cell.outputs = []
    cell.execution_count = None


def student_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student edition of one notebook (the input is not modified)."""
    student = copy.deepcopy(notebook)
    for index, cell in enumerate(student.cells):
        if is_solution(cell) and cell.cell_type != "code":
            raise ValueError(f"cell {index}: only code cells can hold a solution; put an "
                             "explanation in the main text instead of a hidden answer")
        if is_solution(cell):
            cell.source = strip_solution_regions(cell.source)
            cell.metadata = {"tags": ["exercise"]}
            clear_outputs(cell)
        elif cell.cell_type == "code" and (
            CHECK_CALL.search(cell.source) or SHOWS_ANSWER_TAG in cell.metadata.get("tags", [])
        ):
            clear_outputs(cell)
    nbformat.validator.normalize(student)
    return student


def lecture_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The lecture edition: everything kept, solution cells collapsed until clicked."""
    lecture = copy.deepcopy(notebook)
    for cell in lecture.cells:
        if is_solution(cell):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            if cell.cell_type == "code":
                cell.metadata["jupyter"]["outputs_hidden"] = True
    return lecture


def write_edition(root: Path, edition: str, target: Path | None = None) -> Path:
    """Write the edition of root/notebooks to `target` (default root/release/<edition>)."""
    transform = {"student": student_notebook, "lecture": lecture_notebook}[edition]
    target = target or root / "release" / edition
    if target.exists():
        shutil.rmtree(target)
    (target / "notebooks").mkdir(parents=True)
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        nbformat.write(transform(notebook), target / "notebooks" / path.name)
    if edition == "student":
        (target / "README.md").write_text(STUDENT_README)
        for name in STUDENT_FILES:
            source = root / name
            if source.is_dir():
                ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
                shutil.copytree(source, target / name, ignore=ignore)
            else:
                shutil.copy2(source, target / name)
    return target


def main() -> None:
    """Write the edition named on the command line."""
    parser = argparse.ArgumentParser(description="Write the student or lecture edition.")
    parser.add_argument("edition", choices=["student", "lecture"])
    args = parser.parse_args()
    target = write_edition(Path(__file__).resolve().parent.parent, args.edition)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
