"""Notebook 00's exercise checks: every hint is reachable, right answers written otherwise pass."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils.exercises import recipe
from course_utils.exercises.recipe import check_sign_sgd_moments, check_steps_in_500_epochs

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "00_the_recipe.ipynb"
HINTS = [mistake.hint for mistake in recipe._SIGN_MISTAKES]


def run(student, capsys) -> str:
    """The sign-SGD check's single line of output for `student`."""
    return one_line(check_sign_sgd_moments, student, capsys)


# A wrong pair (m_t, V_t) as a student would write it, and words found in exactly one hint.
WRONG = [
    (lambda g: (g, tf.ones_like(g)), "plain SGD's step"),
    (lambda g: (g, 1.0), "plain SGD's step"),
    (lambda g: (g, tf.abs(g)), "only half cancelled"),
    (lambda g: (-g, g**2), "sign error"),
    (lambda g: (-tf.sign(g), 1), "sign error"),
    (lambda g: (tf.abs(g), g**2), "direction is lost"),
    (lambda g: (1, 1), "direction is lost"),
    (lambda g: (tf.sign(g), g**2), "divided out twice"),
]


@pytest.mark.parametrize(("student", "words"), WRONG, ids=[f"{i}-{w}" for i, (_, w) in
                                                             enumerate(WRONG)])
def test_each_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in HINTS if words in hint]
    assert run(student, capsys) == f"✗ <lambda>: {hint}\n"


def test_every_hint_is_tested():
    assert sorted(HINTS) == sorted(hint for hint in HINTS if any(w in hint for _, w in WRONG))


def numpy_moments(g):
    g = np.asarray(g)
    return np.sign(g), np.ones_like(g)  # NumPy, not tensors


@pytest.mark.parametrize(
    "student",
    [
        numpy_moments,
        lambda g: (g, g * g),
        lambda g: (g, tf.square(g)),
        lambda g: (tf.sign(g), 1),
        lambda g: (tf.sign(g), tf.ones_like(g)),
        lambda g: [g / tf.abs(g), 1.0],
        lambda g: (3 * g, 9 * g**2),  # any common scale cancels
        lambda g: (tf.sign(g) * g**2, g**4),
    ],
)
def test_right_answers_written_differently_pass(student, capsys):
    assert run(student, capsys).startswith("✓")


def not_attempted(g):
    raise NotImplementedError()


def no_return(g):
    g, tf.square(g)


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda g: (g, G**2), "raised NameError"),  # noqa: F821
        (lambda g: tf.sign(g), "it returned 1 value(s): return the pair"),
        (lambda g: (g, g**2, 1), "it returned 3 value(s)"),
        (lambda g: ("g", "g squared"), "not a number or array"),
        (lambda g: (g, g), "negative entries"),
        (lambda g: (tf.sign(g), tf.sign(g)), "negative entries"),
        (lambda g: (g, tf.zeros_like(g)), "V_t has zeros"),
        (lambda g: (tf.reshape(g, [-1]), tf.ones([7])), "do not fit together"),
        (lambda g: (tf.reduce_sum(g) * tf.ones([7, 7]), 1), "wrong shape"),
        (lambda g: (g, g**2 + 1), "off by up to"),
    ],
)
def test_unusable_answers_get_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out, out
    assert "Traceback" not in out


def predict(answer, capsys) -> str:
    check_steps_in_500_epochs(answer)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "Traceback" not in out
    return out


@pytest.mark.parametrize("answer", [1500, 1500.0, 3 * 500, np.int64(1500), 1501])
def test_the_right_count_passes(answer, capsys):
    assert predict(answer, capsys).startswith("✓ steps_in_500_epochs")


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (2.4 * 500, "whole batches"),
        (2 * 500, "not dropped"),
        (4 * 500, "batches of 32"),
        (500, "not epochs"),
        (120 * 500, "not one per row"),
    ],
)
def test_each_wrong_count_gets_its_own_hint(answer, words, capsys):
    (hint,) = [h for v, h in recipe.STEPS_IN_500_EPOCHS.wrong if words in h]
    assert predict(answer, capsys).endswith(f": {hint}\n")


def test_every_count_hint_is_tested():
    assert len(recipe.STEPS_IN_500_EPOCHS.wrong) == 5


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (..., "not attempted yet"),
        (None, "give plain numbers"),
        ("1500", "give plain numbers"),
        ((1500, 3), "give 1 number(s)"),
        (1750, recipe.STEPS_IN_500_EPOCHS.hint),
    ],
)
def test_other_counts_get_one_line(answer, words, capsys):
    out = predict(answer, capsys)
    assert out.startswith("✗") and words in out


def test_the_count_is_what_tf_data_makes():
    """The expected value is a fact about tf.data, not a hard-coded guess."""
    rows = np.zeros([120, 4], np.float32)
    batches = list(tf.data.Dataset.from_tensor_slices(rows).batch(50))
    assert recipe.STEPS_IN_500_EPOCHS.expected == 500 * len(batches)


def stream_text(cell) -> str:
    """What a cell printed (the kernel may send one line in several pieces)."""
    return "".join(o.text for o in cell.outputs if o.output_type == "stream")


def test_the_notebook_shows_no_answer_and_its_checks_pass():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (solution,) = [c for c in notebook.cells if "def sign_sgd_moments" in c.source]
    lines = solution.source.split("# BEGIN SOLUTION")[1].split("# END SOLUTION")[0]
    module = Path(recipe.__file__).read_text()
    for line in filter(None, map(str.strip, lines.splitlines())):
        assert line not in module, line
    for cell in notebook.cells:
        assert "Mistake(" not in cell.source and "check_exercise" not in cell.source
    (check,) = [c for c in notebook.cells
                if "check_sign_sgd_moments(sign_sgd_moments)" in c.source]
    output = stream_text(check)
    assert output.startswith("✓ sign_sgd_moments is correct")
    assert output.count("\n") == 1
    (check,) = [c for c in notebook.cells
                if "check_steps_in_500_epochs(steps_in_500_epochs)" in c.source]
    output = stream_text(check)
    assert output.startswith("✓ steps_in_500_epochs") and output.count("\n") == 1
