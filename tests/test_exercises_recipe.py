"""Notebook 00's exercise check: every hint is reachable, right answers written otherwise pass."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils.exercises import recipe
from course_utils.exercises.recipe import check_recipe_step

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "00_the_recipe.ipynb"
HINTS = [mistake.hint for mistake in recipe._MISTAKES]


def run(student, capsys) -> str:
    """The check's single line of output for `student`."""
    return one_line(check_recipe_step, student, capsys)


# A wrong answer as a student would write it, and words found in exactly one hint.
WRONG = [
    (lambda w, m, V, lr: w - lr * m / V, "square root is missing"),
    (lambda w, m, V, lr: w + lr * m / tf.sqrt(V), "MINUS the step"),
    (lambda w, m, V, lr: w - m / tf.sqrt(V), "learning rate lr is missing"),
    (lambda w, m, V, lr: w - lr * m * V**0.5, "The recipe divides by it"),
    (lambda w, m, V, lr: lr * m / tf.sqrt(V), "that is the step eta_t"),
    (lambda w, m, V, lr: (w - lr * m) / tf.sqrt(V), "not w_t as well"),
]


@pytest.mark.parametrize(("student", "words"), WRONG, ids=[words for _, words in WRONG])
def test_each_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in HINTS if words in hint]
    assert run(student, capsys) == f"✗ <lambda>: {hint}\n"


def test_every_hint_is_tested():
    assert sorted(HINTS) == sorted(hint for hint in HINTS for _, w in WRONG if w in hint)


def numpy_step(w, m, V, lr):
    return np.asarray(w) - lr * np.asarray(m) / np.sqrt(np.asarray(V))  # NumPy, not a tensor


@pytest.mark.parametrize(
    "student",
    [
        numpy_step,
        lambda w, m, V, lr: w - (lr / tf.sqrt(V)) * m,
        lambda w, m, V, lr: w - lr * m * tf.math.rsqrt(V),
        lambda w, m, V, lr: w - lr * m / tf.pow(V, 0.5),
        lambda w, m, V, lr: w - lr * m / (tf.sqrt(V) + 1e-8),  # a Keras-style epsilon is fine
    ],
)
def test_right_answers_written_differently_pass(student, capsys):
    assert run(student, capsys).startswith("✓")


def not_attempted(w, m, V, lr):
    raise NotImplementedError()


def no_return(w, m, V, lr):
    w - lr * m / tf.sqrt(V)


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda w, m, V, lr: w - lr * m / tf.sqrt(v), "raised NameError"),  # noqa: F821
        (lambda w, m, V, lr: (w, lr * m / tf.sqrt(V)), "returned 2 value(s), expected 1"),
        (lambda w, m, V, lr: tf.reduce_sum(w - lr * m / tf.sqrt(V)), "off by up to"),
        (lambda w, m, V, lr: w - lr * m / tf.sqrt(V + 1), "off by up to"),
    ],
)
def test_unusable_answers_get_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out


def test_the_notebook_shows_no_answer_and_its_check_passes():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (solution,) = [c for c in notebook.cells if "def recipe_step" in c.source]
    lines = solution.source.split("# BEGIN SOLUTION")[1].split("# END SOLUTION")[0]
    module = Path(recipe.__file__).read_text()
    for line in filter(None, map(str.strip, lines.splitlines())):
        assert line not in module, line
    for cell in notebook.cells:
        assert "Mistake(" not in cell.source and "check_exercise" not in cell.source
    (check,) = [c for c in notebook.cells if "check_recipe_step(recipe_step)" in c.source]
    (output,) = check.outputs
    assert output.text.startswith("✓ recipe_step is correct") and output.text.count("\n") == 1
