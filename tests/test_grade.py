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


CHAPTER = "08_comparison.ipynb"  # one exercise of each kind: a function and a predicted number


def submission(function_body: str | None = None, answer: str | None = None,
               name: str = "best_learning_rate") -> nbformat.NotebookNode:
    """Notebook 08 with the exercise function's body and/or the predicted value replaced."""
    notebook = nbformat.read(NOTEBOOKS / CHAPTER, as_version=4)
    function, value = [c for c in notebook.cells
                       if release.is_solution(c) and c.cell_type == "code"]
    if function_body is not None:
        function.source = (f"def {name}(learning_rates, final_losses):\n"
                           f'    """The best one."""\n    {function_body}\n')
    if answer is not None:
        value.source = f"stability_factor = {answer}\n"
    return notebook


RIGHT = "return learning_rates[np.nanargmin(final_losses)]"


def write(path: Path, notebook: nbformat.NotebookNode) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, dict]:
    """One class of solved, blank, partly solved and broken notebooks, graded once."""
    folder = tmp_path_factory.mktemp("submissions")
    write(folder / "ada" / CHAPTER, nbformat.read(NOTEBOOKS / CHAPTER, 4))
    write(folder / "ben" / "week8" / CHAPTER,
          release.student_notebook(nbformat.read(NOTEBOOKS / CHAPTER, 4)))
    write(folder / "cal" / CHAPTER, submission(RIGHT, "19"))
    write(folder / "dan" / CHAPTER, submission("return 1 / 0", "'39'"))
    eve = folder / "eve"
    (eve / "json").mkdir(parents=True)
    (eve / "json" / CHAPTER).write_text('{"cells": [')
    (eve / "notes.ipynb").write_text("{}")
    write(eve / "chapter" / "01_sgd.ipynb", nbformat.read(NOTEBOOKS / CHAPTER, 4))
    renamed = submission(RIGHT, name="my_best")
    for cell in renamed.cells:
        cell.source = cell.source.replace("stability_factor =", "factor =")
    write(eve / "renamed" / CHAPTER, renamed)
    write(eve / "raises" / CHAPTER, submission(answer="1 / 0"))
    write(eve / "loop" / CHAPTER, submission("while True:\n        pass"))
    write(eve / "dies" / CHAPTER, submission("import os\n    os._exit(3)"))
    write(eve / "loud" / CHAPTER, submission(f'print("x" * 10_000_000)\n    {RIGHT}'))
    huge = nbformat.read(NOTEBOOKS / CHAPTER, 4)
    huge.cells[-1].outputs = [nbformat.v4.new_output("stream", text="y" * 21_000_000)]
    write(eve / "huge" / CHAPTER, huge)
    # Tampering: patch the course's checks from the solution cell, rewrite the check cells and
    # their stored outputs to say ✓, and hand in wrong answers.
    tamper = submission(
        "return learning_rates[np.nanargmax(final_losses)]\n"
        "import course_utils.checks as c, course_utils.exercises.comparison as s\n"
        "c.check_exercise = c.check_prediction = s.check_best_learning_rate = "
        "lambda *a, **k: print('✓ correct')", "1")
    for check in [c for c in tamper.cells if release.CHECK_CALL.search(c.source)]:
        check.source = "print('✓ correct')"
        check.outputs = [nbformat.v4.new_output("stream", text="✓ correct\n")]
    write(eve / "tamper" / CHAPTER, tamper)

    grade.grade_class(folder, time_limit=TIME_LIMIT)
    with open(folder / "grades.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return {"rows": rows, "folder": folder}


def rows_of(graded, student: str, notebook: str | None = None) -> list[dict]:
    """A student's rows, or those of one of the student's files."""
    return [r for r in graded["rows"] if r["student"] == student
            and (notebook is None or r["notebook"] == notebook)]


def verdicts(graded, student: str, notebook: str = CHAPTER) -> dict[str, tuple[str, str]]:
    """{exercise: (points, message)} for one file."""
    return {r["exercise"]: (r["points"], r["message"]) for r in rows_of(graded, student, notebook)}


def messages(graded, student: str) -> str:
    return "\n".join(r["message"] for r in rows_of(graded, student))


def test_the_csv_has_the_promised_columns(graded):
    header = (graded["folder"] / "grades.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "student,notebook,exercise,points,max_points,message"


def test_a_solved_notebook_gets_full_points_a_blank_one_none(graded):
    ada = rows_of(graded, "ada")
    assert [(r["exercise"], r["points"], r["max_points"]) for r in ada] == [
        ("best_learning_rate", "1.0", "1.0"), ("stability_factor", "1.0", "1.0")]
    ben = rows_of(graded, "ben")
    assert len(ben) == 2 and all(r["points"] == "0.0" and "not attempted yet" in r["message"]
                                 for r in ben)


def test_a_partly_solved_notebook_gets_its_points_and_the_hints(graded):
    cal = verdicts(graded, "cal")
    assert cal["best_learning_rate"][0] == "1.0"
    assert cal["stability_factor"] == ("0.0", "stability_factor = 19: that is the factor for "
                                       "beta = 0.9; the question asks for beta = 0.95")
    dan = verdicts(graded, "dan")
    assert dan["best_learning_rate"] == ("0.0", "best_learning_rate: it raised "
                                         "ZeroDivisionError: division by zero")
    assert dan["stability_factor"] == ("0.0", "stability_factor: give plain numbers, not '39'")


def test_every_broken_file_gets_a_row_with_its_reason(graded):
    reasons = {
        "json/": "not a readable notebook",
        "notes.ipynb": "not a course notebook",
        "chapter/": "holds chapter 08's exercises",
        "renamed/": "none of the exercise functions is defined",
        "raises/": "your cell raised ZeroDivisionError",
        "loop/": "no answer within 8 s",
        "dies/": "stopped (exit code 3)",
        "huge/": "clear its outputs",
    }
    for where, reason in reasons.items():
        text = "\n".join(r["message"] for r in rows_of(graded, "eve")
                         if r["notebook"].startswith(where))
        assert reason in text, (where, text)
    assert len({r["notebook"] for r in rows_of(graded, "eve")}) == 10  # the batch went on


def test_a_cell_that_raises_costs_only_its_own_exercise(graded):
    raises = verdicts(graded, "eve", f"raises/{CHAPTER}")
    assert raises["best_learning_rate"][0] == "1.0"  # the instructor's function, untouched
    assert raises["stability_factor"] == ("0.0", "your cell raised ZeroDivisionError: division "
                                          "by zero")
    died = verdicts(graded, "eve", f"dies/{CHAPTER}")
    assert "stopped (exit code 3)" in died["best_learning_rate"][1]
    assert died["stability_factor"][0] == "1.0"  # a fresh process for the rest of the notebook


def test_printing_a_lot_does_not_hurt_a_correct_answer(graded):
    loud = verdicts(graded, "eve", f"loud/{CHAPTER}")
    assert loud["best_learning_rate"][0] == "1.0"
    assert loud["best_learning_rate"][1].startswith("best_learning_rate is correct")


def test_a_submission_cannot_give_itself_points(graded):
    tamper = verdicts(graded, "eve", f"tamper/{CHAPTER}")
    assert tamper["best_learning_rate"] == ("0.0", "best_learning_rate: the best run has the "
                                            "LOWEST loss")
    assert tamper["stability_factor"][0] == "0.0"
    assert "momentum does change the limit" in tamper["stability_factor"][1]


def test_each_student_gets_feedback_with_every_message(graded):
    feedback = (graded["folder"] / "feedback" / "eve.txt").read_text(encoding="utf-8")
    assert feedback.count("\n") == len([r for r in graded["rows"] if r["student"] == "eve"])
    assert "the best run has the LOWEST loss" in feedback


def test_values_cross_the_pipe_as_data():
    from course_utils.sandbox import decode, encode

    value = (json.loads("[1.5, null]"), {"a": 2}, [True], None, "s", ...)
    assert decode(json.loads(json.dumps(encode(value))), tensors=False) == value
    with pytest.raises(TypeError, match="cannot be sent"):
        encode(object())
