"""Notebook 03's exercise check: every hint is reachable, right answers written otherwise pass."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils.exercises import nesterov
from course_utils.exercises.nesterov import check_nesterov_direction

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "03_nesterov.ipynb"
HINTS = [mistake.hint for mistake in nesterov._MISTAKES]


def run(student, capsys) -> str:
    """The check's single line of output for `student`."""
    return one_line(check_nesterov_direction, student, capsys)


def answer(m_of, direction_of):
    """A student's answer: m = m_of(g, m_prev, beta), then direction_of(m, g, m_prev, beta)."""

    def student(g, m_prev, beta):
        m = m_of(g, m_prev, beta)
        return m, direction_of(m, g, m_prev, beta)

    return student


def average(g, m_prev, beta):
    return beta * m_prev + (1 - beta) * g


def look_ahead(m, g, m_prev, beta):
    return beta * m + (1 - beta) * g


def right(g, m_prev, beta):
    return answer(average, look_ahead)(g, m_prev, beta)


# A wrong answer as a student would write it, and words found in exactly one hint.
WRONG = [
    (answer(average, lambda m, g, mp, b: m), "the direction equals m_t"),
    (answer(average, lambda m, g, mp, b: b * mp + (1 - b) * g), "the direction equals m_t"),
    (
        answer(lambda g, mp, b: b * mp + g, lambda m, g, mp, b: b * m + g),
        "(in m_t and in the direction)",
    ),
    (answer(average, lambda m, g, mp, b: b * m + g), "in front of g_t in the direction"),
    (answer(lambda g, mp, b: b * mp + g, look_ahead), "in front of g_t in the average"),
    (
        answer(lambda g, mp, b: b * mp - (1 - b) * g, lambda m, g, mp, b: b * m - (1 - b) * g),
        "enters the average with a plus sign",
    ),
    (lambda g, mp, b: (right(g, mp, b)[0], -right(g, mp, b)[1]), "return the direction itself"),
    (lambda g, mp, b: (mp, right(g, mp, b)[1]), "not m_{t-1}"),
    (lambda g, mp, b: right(g, mp, b)[::-1], "return (m, direction)"),
    (answer(lambda g, mp, b: (1 - b) * g, look_ahead), "m_{t-1} is ignored"),
    (answer(lambda g, mp, b: mp + g, look_ahead), "running sum"),
    (
        answer(lambda g, mp, b: (1 - b) * mp + b * g, lambda m, g, mp, b: (1 - b) * m + b * g),
        "beta and 1 - beta are swapped",
    ),
    (answer(average, lambda m, g, mp, b: m + (1 - b) * g), "takes all of m_t"),
]


@pytest.mark.parametrize(("student", "words"), WRONG, ids=[words for _, words in WRONG])
def test_each_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in HINTS if words in hint]
    name = getattr(student, "__name__", "")
    assert run(student, capsys) == f"✗ {name}: {hint}\n"


def test_every_hint_is_tested():
    tested = {hint for hint in HINTS for _, w in WRONG if w in hint}
    assert tested == set(HINTS)


def numpy_direction(g, m_prev, beta):
    g, m_prev = np.asarray(g), np.asarray(m_prev)  # NumPy arrays, not tensors
    m = beta * m_prev + (1 - beta) * g
    return m, beta * m + (1 - beta) * g


@pytest.mark.parametrize(
    "student",
    [
        numpy_direction,
        right,
        # the other common form: the new average plus beta times its latest change
        answer(average, lambda m, g, mp, b: m + b * (m - mp)),
        answer(average, lambda m, g, mp, b: (1 + b) * m - b * mp),
        lambda g, mp, b: [b * mp + (1 - b) * g, b * b * mp + (1 - b * b) * g],
    ],
)
def test_right_answers_written_differently_pass(student, capsys):
    assert run(student, capsys).startswith("✓")


def not_attempted(g, m_prev, beta):
    raise NotImplementedError()


def no_return(g, m_prev, beta):
    right(g, m_prev, beta)


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda g, mp, b: right(g, mp, b)[1], "returned 1 value(s), expected 2"),
        (lambda g, mp, b: (*right(g, mp, b), tf.ones_like(g)), "returned 3 value(s)"),
        (lambda g, mp, b: right(g, mp, b)[0] @ g, "raised"),
        (lambda g, mp, b: (right(g, mp, b)[0], tf.reshape(g, [-1, 1])), "wrong shape"),
        (answer(average, lambda m, g, mp, b: b * m + 0.5 * g), "off by up to"),
    ],
)
def test_unusable_answers_get_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out


def test_the_notebook_shows_no_answer_and_its_check_passes():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (solution,) = [c for c in notebook.cells if "def nesterov_direction" in c.source]
    lines = solution.source.split("# BEGIN SOLUTION")[1].split("# END SOLUTION")[0]
    module = Path(nesterov.__file__).read_text()
    for line in filter(None, map(str.strip, lines.splitlines())):
        assert line not in module, line
    for cell in notebook.cells:
        assert "Mistake(" not in cell.source and "check_exercise" not in cell.source
    (check,) = [c for c in notebook.cells if "check_nesterov_direction(" in c.source]
    (output,) = check.outputs
    assert output.text.startswith("✓ nesterov_direction is correct")
    assert output.text.count("\n") == 1
