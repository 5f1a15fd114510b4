"""Notebook 02's exercise check: every hint is reachable, right answers written otherwise pass."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils.exercises import sgdm
from course_utils.exercises.sgdm import check_sgdm_moments

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "02_sgdm.ipynb"
HINTS = [mistake.hint for mistake in sgdm._MISTAKES]


def run(student, capsys) -> str:
    """The check's single line of output for `student`."""
    return one_line(check_sgdm_moments, student, capsys)


def with_ones(m, g):
    return m, tf.ones_like(g)


# A wrong answer as a student would write it, and words found in exactly one hint.
WRONG = [
    (lambda g, m_prev, beta: with_ones(beta * m_prev + g, g), "velocity form"),
    (lambda g, m_prev, beta: with_ones(m_prev + g, g), "running sum"),
    (lambda g, m_prev, beta: with_ones((1 - beta) * g, g), "the history is missing"),
    (lambda g, m_prev, beta: with_ones((1 - beta) * m_prev + beta * g, g), "are swapped: the old"),
    (lambda g, m_prev, beta: with_ones(beta * m_prev - (1 - beta) * g, g), "sign error"),
    (lambda g, m_prev, beta: (beta * m_prev + (1 - beta) * g, g**2), "squared gradients"),
    (lambda g, m_prev, beta: (m_prev, 1), "still m_{t-1}"),
    (lambda g, m_prev, beta: with_ones(g, g), "that is SGD's"),
    (lambda g, m_prev, beta: (beta * m_prev + (1 - beta) * g, 0), "not 0"),
    (lambda g, m_prev, beta: with_ones(beta * m_prev + (1 - beta) * g, g)[::-1], "in that order"),
]


@pytest.mark.parametrize(("student", "words"), WRONG, ids=[words for _, words in WRONG])
def test_each_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in HINTS if words in hint]
    assert run(student, capsys) == f"✗ <lambda>: {hint}\n"


def test_every_hint_is_tested():
    assert sorted(HINTS) == sorted(hint for hint in HINTS for _, w in WRONG if w in hint)


def numpy_moments(g, m_prev, beta):
    g, m_prev = np.asarray(g), np.asarray(m_prev)  # NumPy arrays, not tensors
    return beta * m_prev + (1 - beta) * g, np.ones_like(g)


@pytest.mark.parametrize(
    "student",
    [
        numpy_moments,
        lambda g, m_prev, beta: (m_prev + (1 - beta) * (g - m_prev), 1),  # V_t as a plain 1
        lambda g, m_prev, beta: [g - beta * (g - m_prev), tf.ones(tf.shape(g))],
        lambda g, m_prev, beta: (beta * m_prev + (1 - beta) * g, tf.sqrt(tf.ones_like(g))),
    ],
)
def test_right_answers_written_differently_pass(student, capsys):
    assert run(student, capsys).startswith("✓")


def not_attempted(g, m_prev, beta):
    raise NotImplementedError()


def no_return(g, m_prev, beta):
    beta * m_prev + (1 - beta) * g  # the `return` is missing


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda g, m_prev, beta: beta * m_prev + (1 - beta) * g, "returned 1 value(s)"),
        (lambda g, m_prev, beta: (m_prev.assign(g), 1), "raised AttributeError"),
        (lambda g, m_prev, beta: (beta * m_prev + (1 - beta) * g, tf.ones(3)), "wrong shape"),
        (lambda g, m_prev, beta: with_ones(beta * m_prev + 0.5 * g, g), "off by up to"),
    ],
)
def test_unusable_answers_get_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out


def test_the_notebook_shows_no_answer_and_its_check_passes():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (solution,) = [c for c in notebook.cells if "def sgdm_moments" in c.source]
    lines = solution.source.split("# BEGIN SOLUTION")[1].split("# END SOLUTION")[0]
    module = Path(sgdm.__file__).read_text()
    for line in filter(None, map(str.strip, lines.splitlines())):
        assert line not in module, line
    for cell in notebook.cells:
        assert "Mistake(" not in cell.source and "check_exercise" not in cell.source
    (check,) = [c for c in notebook.cells if "check_sgdm_moments(sgdm_moments)" in c.source]
    (output,) = check.outputs
    assert output.text.startswith("✓ sgdm_moments is correct") and output.text.count("\n") == 1
