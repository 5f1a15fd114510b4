"""`make grade SUBMISSIONS=DIR`: grade a class's notebooks with the course's own checks.

DIR holds one folder per student, with that student's notebooks (`NN_name.ipynb`, at any depth).
For each notebook the grader takes the cells in which the student defines the chapter's exercise
functions and answers, runs them in a Python process of the student's own
(`course_utils.sandbox`) and runs the course's checks (those of the instructor notebooks, never
the submission's) against them.
Points come from those checks alone: outputs stored in a submission are never read, and nothing
a submission defines or edits reaches a check. An answer is a function or a value (a predicted
number or choice); both reach the checks as plain data.

Writes DIR/grades.csv (student,notebook,exercise,points,max_points,message) and one feedback
file per student in DIR/feedback/. Student code runs with the grader's rights (README).
"""

import argparse
import contextlib
import csv
import importlib
import io
import pkgutil
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_utils import exercises as exercise_modules
from course_utils.sandbox import Sandbox, SandboxFailure

ROOT = Path(__file__).resolve().parent.parent
MAX_NOTEBOOK_BYTES = 20_000_000
CHECK_CALL = re.compile(r"\b(check_\w+)\((\w+)\)")
COLUMNS = ("student", "notebook", "exercise", "points", "max_points", "message")


@dataclass(frozen=True)
class Exercise:
    """One checked exercise: the student's function (or answer) and the check that grades it."""

    function: str  # the name the student defines: a function, or a variable holding an answer
    check: str
    points: float
    is_value: bool  # a predicted number or choice, not a function


@dataclass(frozen=True)
class Chapter:
    """What the grader needs of one instructor notebook."""

    name: str
    setup: str  # the notebook's first code cell: its imports, run before the student's cells
    exercises: tuple[Exercise, ...]


def defines(source: str, name: str) -> bool:
    """Whether a cell defines the function `name`, or assigns `name`, at its top level."""
    pattern = rf"^(def {re.escape(name)}\(|{re.escape(name)}\s*=[^=])"
    return re.search(pattern, source, re.M) is not None


def assigns(source: str, name: str) -> bool:
    """Whether a cell assigns `name` (an answer) at its top level."""
    return re.search(rf"^{re.escape(name)}\s*=[^=]", source, re.M) is not None


def load_chapters(folder: Path = ROOT / "notebooks") -> dict[str, Chapter]:
    """The chapters by number ("01"), read from the instructor notebooks' nbgrader metadata."""
    chapters = {}
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        solutions = "\n".join(c.source for c in code if "solution" in c.metadata.get("tags", []))
        exercises = []
        for cell in notebook.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                check, function = CHECK_CALL.search(cell.source).groups()
                exercises.append(Exercise(function, check, float(meta["points"]),
                                          assigns(solutions, function)))
        chapters[path.name[:2]] = Chapter(path.name, code[0].source, tuple(exercises))
    return chapters


def course_checks() -> dict:
    """Every `check_...` function of course_utils.exercises, by name."""
    checks = {}
    for info in pkgutil.iter_modules(exercise_modules.__path__):
        module = importlib.import_module(f"{exercise_modules.__name__}.{info.name}")
        checks |= {n: getattr(module, n) for n in dir(module) if n.startswith("check_")}
    return checks


def read_submission(path: Path) -> nbformat.NotebookNode:
    """The submitted notebook; ValueError with a reason a student understands."""
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise ValueError(f"the file is {path.stat().st_size / 1e6:.0f} MB: clear its outputs")
    try:
        return nbformat.read(path, as_version=4)
    except Exception as err:  # nbformat raises several kinds for a file that is not a notebook
        raise ValueError(f"not a readable notebook ({type(err).__name__}: {err})") from None


def run_check(check, sandbox: Sandbox, exercise: Exercise) -> str:
    """Run one course check on the student's function or answer; return its one-line verdict."""
    try:
        answer = (sandbox.value(exercise.function) if exercise.is_value
                  else sandbox.function(exercise.function))
    except ValueError as problem:
        return f"✗ your answer `{exercise.function}` could not be read ({problem})"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        check(answer)
    lines = printed.getvalue().strip().splitlines()
    return lines[-1] if lines else "✗ the check printed nothing"


def grade_notebook(
    notebook: nbformat.NotebookNode, chapter: Chapter, chapters: dict[str, Chapter],
    checks: dict, sandbox: Sandbox, time_limit: float,
) -> list[tuple[str, float, float, str]]:
    """Rows (exercise, points, max_points, message) for one submitted notebook."""
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    functions = [e.function for e in chapter.exercises]
    sources = [s for s in code if any(defines(s, f) for f in functions)]
    rows = []
    if not sources:
        other = next((number for number, other in chapters.items() if other is not chapter
                      and any(defines(s, e.function) for s in code for e in other.exercises)),
                     None)
        reason = (f"this notebook holds chapter {other}'s exercises, not those of "
                  f"{chapter.name}" if other else "none of the exercise functions is defined "
                  "(renamed, or the cell deleted?)")
        return [(e.function, 0.0, e.points, reason) for e in chapter.exercises]
    if sandbox.process is None:
        sandbox.start()  # loading TensorFlow is not the notebook's time
    deadline = time.monotonic() + time_limit
    ready, raised = False, {}
    for exercise in chapter.exercises:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            rows.append((exercise.function, 0.0, exercise.points,
                         f"time limit of {time_limit:g} s for this notebook reached"))
            continue
        sandbox.timeout = remaining
        try:
            if not ready:
                reply = sandbox.run_sources(chapter.setup, sources)
                if not reply["ok"]:  # the course's own import cell failed
                    message = f"the set-up raised {reply['type']}: {reply['message']}"
                    rows.append((exercise.function, 0.0, exercise.points, message))
                    continue
                raised = {index: f"your cell raised {kind}: {message}"
                          for index, kind, message in reply["errors"]}
                ready = True
            own = [i for i, s in enumerate(sources) if defines(s, exercise.function)]
            if not own:
                verdict = f"no `{exercise.function}` defined (renamed, or the cell deleted?)"
            else:
                verdict = run_check(checks[exercise.check], sandbox, exercise)
                if not verdict.startswith("✓") and own[-1] in raised:
                    verdict = f"✗ {raised[own[-1]]}"
        except SandboxFailure as failure:
            verdict, ready = str(failure), False
        points = exercise.points if verdict.startswith("✓") else 0.0
        rows.append((exercise.function, points, exercise.points, verdict.lstrip("✓✗ ")))
    return rows


def grade_class(submissions: Path, time_limit: float = 60.0) -> list[dict]:
    """Grade every student folder in `submissions`; write grades.csv and feedback files."""
    chapters, checks = load_chapters(), course_checks()
    students = sorted(p for p in submissions.iterdir() if p.is_dir() and p.name != "feedback")
    files = {s: [p for p in sorted(s.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts]
             for s in students}
    total = sum(map(len, files.values()))
    results, start, done = [], time.monotonic(), 0
    for student in students:
        sandbox = Sandbox(timeout=time_limit)
        try:
            for path in files[student]:
                rows = grade_file(path, chapters, checks, sandbox, time_limit)
                name = path.relative_to(student).as_posix()
                results += [dict(zip(COLUMNS, (student.name, name, *row), strict=True))
                            for row in rows]
                done += 1
                got, top = sum(r[1] for r in rows), sum(r[2] for r in rows)
                print(f"[{done}/{total}] {student.name}/{name}: {got:g}/{top:g}", flush=True)
        finally:
            sandbox.close()
    write_outputs(submissions, results)
    print(f"graded {total} notebooks of {len(students)} students in "
          f"{time.monotonic() - start:.0f} s; grades in {submissions / 'grades.csv'}")
    return results


def grade_file(path: Path, chapters: dict[str, Chapter], checks: dict, sandbox: Sandbox,
               time_limit: float) -> list[tuple]:
    """Rows for one file: its grades, or one row saying why it could not be graded."""
    chapter = chapters.get(path.name[:2])
    if chapter is None:
        return [("", 0.0, 0.0, "not a course notebook: its name does not start with 00 to "
                 f"{max(chapters)}")]
    try:
        notebook = read_submission(path)
    except ValueError as problem:
        top = sum(e.points for e in chapter.exercises)
        return [("", 0.0, top, str(problem))]
    return grade_notebook(notebook, chapter, chapters, checks, sandbox, time_limit)


def write_outputs(submissions: Path, results: list[dict]) -> None:
    """grades.csv, and feedback/<student>.txt with each check's one-line message."""
    with open(submissions / "grades.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, COLUMNS)
        writer.writeheader()
        writer.writerows(results)
    feedback = submissions / "feedback"
    feedback.mkdir(exist_ok=True)
    for student in sorted({r["student"] for r in results}):
        lines = [f"{r['notebook']} {r['exercise']}: {r['points']}/{r['max_points']}: "
                 f"{r['message']}" for r in results if r["student"] == student]
        (feedback / f"{student}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    """Command line: grade a folder of submissions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=Path, help="one folder per student")
    parser.add_argument("--time-limit", type=float, default=60.0,
                        help="seconds per notebook (default 60)")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder of student folders")
    grade_class(args.submissions, args.time_limit)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
