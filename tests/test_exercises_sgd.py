"""Notebook 01's exercise check: every hint is reachable, right answers written otherwise pass."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils.exercises import sgd
from course_utils.exercises.sgd import check_sgd_step

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01_sgd.ipynb"
HINTS = [mistake.hint for mistake in sgd._MISTAKES]


def run(student, capsys) -> str:
    """The check's single line of output for `student`."""
    return one_line(check_sgd_step, student, capsys)


# A wrong answer as a student would write it, and words found in exactly one hint.
WRONG = [
    (lambda w, g, lr: w + lr * g, "step against the gradient"),
    (lambda w, g, lr: w - g, "learning rate is missing"),
    (lambda w, g, lr: lr * g, "return the new weights"),
    (lambda w, g, lr: w, "w_t unchanged"),
    (lambda w, g, lr: w - g / lr, "divided by the learning rate"),
    (lambda w, g, lr: w - lr * w, "not the weights"),
    (lambda w, g, lr: g - lr * w, "w and g are swapped"),
]


@pytest.mark.parametrize(("student", "words"), WRONG, ids=[words for _, words in WRONG])
def test_each_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in HINTS if words in hint]
    assert run(student, capsys) == f"✗ <lambda>: {hint}\n"


def test_every_hint_is_tested():
    assert sorted(HINTS) == sorted(hint for hint in HINTS for _, w in WRONG if w in hint)


def numpy_step(w, g, lr):
    return np.asarray(w) - lr * np.asarray(g)  # a NumPy array, not a tensor


@pytest.mark.parametrize(
    "student",
    [
        numpy_step,
        lambda w, g, lr: w + (-lr) * g,
        lambda w, g, lr: tf.subtract(w, tf.scalar_mul(lr, g)),
        lambda w, g, lr: (w / lr - g) * lr,
    ],
)
def test_right_answers_written_differently_pass(student, capsys):
    assert run(student, capsys).startswith("✓")


def not_attempted(w, g, lr):
    raise NotImplementedError()


def no_return(w, g, lr):
    w - lr * g


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda w, g, lr: 1 / 0, "raised ZeroDivisionError"),
        (lambda w, g, lr: (w, g), "returned 2 value(s), expected 1"),
        (lambda w, g, lr: tf.reshape(w - lr * g, [-1]), "wrong shape"),
        (lambda w, g, lr: w - 2 * lr * g, "off by up to"),
    ],
)
def test_unusable_answers_get_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out


def test_the_notebook_shows_no_answer_and_its_check_passes():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (solution,) = [c for c in notebook.cells if "def sgd_step" in c.source]
    lines = solution.source.split("# BEGIN SOLUTION")[1].split("# END SOLUTION")[0]
    module = Path(sgd.__file__).read_text()
    for line in filter(None, map(str.strip, lines.splitlines())):
        assert line not in module, line
    for cell in notebook.cells:
        assert "Mistake(" not in cell.source and "check_exercise" not in cell.source
    (check,) = [c for c in notebook.cells if "check_sgd_step(sgd_step)" in c.source]
    (output,) = check.outputs
    assert output.text.startswith("✓ sgd_step is correct") and output.text.count("\n") == 1
