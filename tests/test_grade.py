"""`make grade`: points from the course's checks only, and a clear row for every broken file."""

import csv
import json
from pathlib import Path

import nbformat
import pytest

from course_utils import grade, release

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TIME_LIMIT = 8.0


def with_solution(source: str, body: str) -> nbformat.NotebookNode:
    """Notebook 01 with the body of its exercise function replaced by `body`."""
    notebook = nbformat.read(NOTEBOOKS / "01_sgd.ipynb", as_version=4)
    cell = next(c for c in notebook.cells if release.is_solution(c) and c.cell_type == "code")
    cell.source = source.replace("BODY", body)
    return notebook


SGD = 'def sgd_step(w, g, lr):\n    """Return the new weights."""\n    BODY\n'


def write(path: Path, notebook: nbformat.NotebookNode) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, dict]:
    """One class of a good, a blank and a broken student, graded once: rows by file."""
    folder = tmp_path_factory.mktemp("submissions")
    write(folder / "ada" / "01_sgd.ipynb", nbformat.read(NOTEBOOKS / "01_sgd.ipynb", 4))
    student = release.student_notebook(nbformat.read(NOTEBOOKS / "01_sgd.ipynb", 4))
    write(folder / "ben" / "week1" / "01_sgd.ipynb", student)
    eve = folder / "eve"
    (eve / "json").mkdir(parents=True)
    (eve / "json" / "01_sgd.ipynb").write_text('{"cells": [')
    (eve / "notes.ipynb").write_text("{}")
    write(eve / "chapter" / "01_sgd.ipynb", nbformat.read(NOTEBOOKS / "02_sgdm.ipynb", 4))
    write(eve / "renamed" / "01_sgd.ipynb",
          with_solution(SGD.replace("sgd_step", "my_step"), "return w - lr * g"))
    write(eve / "raises" / "01_sgd.ipynb", with_solution(SGD, "return 1 / 0"))
    write(eve / "loop" / "01_sgd.ipynb", with_solution(SGD, "while True:\n        pass"))
    write(eve / "dies" / "01_sgd.ipynb", with_solution(SGD, "import os\n    os._exit(3)"))
    write(eve / "loud" / "01_sgd.ipynb",
          with_solution(SGD, 'print("x" * 10_000_000)\n    return w - lr * g'))
    huge = nbformat.read(NOTEBOOKS / "01_sgd.ipynb", 4)
    huge.cells[-1].outputs = [nbformat.v4.new_output("stream", text="y" * 21_000_000)]
    write(eve / "huge" / "01_sgd.ipynb", huge)
    # Tampering: patch the course's checks from the solution cell, rewrite the check cell and
    # its stored output to say ✓, and hand in a wrong answer.
    tamper = with_solution(
        SGD,
        "return w + lr * g\n"
        "import course_utils.checks as c, course_utils.exercises.sgd as s\n"
        "c.check_exercise = s.check_sgd_step = lambda *a, **k: print('✓ sgd_step is correct')",
    )
    check = next(c for c in tamper.cells if release.CHECK_CALL.search(c.source))
    check.source = "print('✓ sgd_step is correct')"
    check.outputs = [nbformat.v4.new_output("stream", text="✓ sgd_step is correct\n")]
    write(eve / "tamper" / "01_sgd.ipynb", tamper)

    grade.grade_class(folder, time_limit=TIME_LIMIT)
    with open(folder / "grades.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return {"rows": rows, "folder": folder}


def rows_of(graded, student: str) -> list[dict]:
    """A student's rows for checked exercises (and broken files), without written answers."""
    return [r for r in graded["rows"]
            if r["student"] == student and r["exercise"] != "ch01_answer_1"]


def messages(graded, student: str) -> str:
    return "\n".join(r["message"] for r in rows_of(graded, student))


def test_the_csv_has_the_promised_columns(graded):
    header = (graded["folder"] / "grades.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "student,notebook,exercise,points,max_points,message"


def test_a_solved_notebook_gets_full_points_a_blank_one_none(graded):
    (ada,) = rows_of(graded, "ada")
    assert (ada["exercise"], ada["points"], ada["max_points"]) == ("sgd_step", "1.0", "1.0")
    (ben,) = rows_of(graded, "ben")
    assert ben["points"] == "0.0" and "not attempted yet" in ben["message"]


def test_written_answers_are_listed_for_the_teacher(graded):
    written = [r for r in graded["rows"] if r["exercise"] == "ch01_answer_1"]
    assert written and all(r["points"] == "" and r["max_points"] == "1.0" for r in written)


def test_every_broken_file_gets_a_row_with_its_reason(graded):
    text = messages(graded, "eve")
    for reason in (
        "not a readable notebook",
        "not a course notebook",
        "holds chapter 02's exercises",
        "none of the exercise functions is defined",
        "it raised ZeroDivisionError",
        "no answer within 8 s",
        "stopped (exit code 3)",
        "clear its outputs",
    ):
        assert reason in text, reason
    assert len(rows_of(graded, "eve")) == 10  # one per file: the batch went on


def test_printing_a_lot_does_not_hurt_a_correct_answer(graded):
    loud = [r for r in rows_of(graded, "eve") if r["points"] == "1.0"]
    assert len(loud) == 1 and loud[0]["message"].startswith("sgd_step is correct")


def test_a_submission_cannot_give_itself_points(graded):
    """The tampering notebook is the only other one with a wrong answer: it must say so."""
    wrong = [r for r in rows_of(graded, "eve") if "sign error" in r["message"]]
    assert len(wrong) == 1 and wrong[0]["points"] == "0.0"


def test_each_student_gets_feedback_with_every_message(graded):
    feedback = (graded["folder"] / "feedback" / "eve.txt").read_text(encoding="utf-8")
    assert feedback.count("\n") == len([r for r in graded["rows"] if r["student"] == "eve"])
    assert "sign error" in feedback


def test_values_cross_the_pipe_as_data():
    from course_utils.sandbox import decode, encode

    value = (json.loads("[1.5, null]"), {"a": 2}, [True], None, "s")
    assert decode(json.loads(json.dumps(encode(value))), tensors=False) == value
    with pytest.raises(TypeError, match="cannot be sent"):
        encode(object())
