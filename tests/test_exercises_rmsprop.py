"""Exercise 5.1 (RMSProp's moments): each known mistake gets its own hint, right answers pass."""

import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils.exercises import rmsprop
from course_utils.exercises.rmsprop import check_rmsprop_moments

HINTS = {mistake.hint for mistake in rmsprop._MISTAKES}


def run(student, capsys) -> str:
    """The check's single line of output for `student`."""
    return one_line(check_rmsprop_moments, student, capsys)


def numpy_answer(g, V_prev, beta):
    g, V_prev = np.asarray(g, dtype=np.float64), np.asarray(V_prev, dtype=np.float64)
    return g, beta * V_prev + (1 - beta) * g * g


def increment_form(g, V_prev, beta):
    """The same average written as a correction of the old one: V + (1 - beta)(g^2 - V)."""
    return tf.identity(g), V_prev + (1 - beta) * (tf.square(g) - V_prev)


def float32_form(g, V_prev, beta):
    beta = tf.constant(beta, tf.float32)
    return g, tf.math.multiply(beta, V_prev) + (1.0 - beta) * g**2


@pytest.mark.parametrize("student", [numpy_answer, increment_form, float32_form])
def test_correct_answers_written_differently_pass(student, capsys):
    out = run(student, capsys)
    assert out.startswith("✓ "), out


def not_attempted(g, V_prev, beta):
    raise NotImplementedError()


def no_return(g, V_prev, beta):
    beta * V_prev + (1 - beta) * tf.square(g)


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda g, V_prev, beta: beta * V_prev + (1 - beta) * g**2, "expected 2"),
        (lambda g, V_prev, beta: (g, tf.reshape(V_prev, [-1, 1])), "wrong shape"),
    ],
)
def test_unusable_answers_say_why_in_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out, out


# (wrong answer, a part of the hint that names it)
WRONG = [
    (lambda g, V, beta: (g, V + g * g), "AdaGrad's running sum"),
    (lambda g, V, beta: (g, beta * V + g * g), "the (1 - beta) in front of g_t^2 is missing"),
    (lambda g, V, beta: (g, beta * V + (1 - beta) * g), "average the SQUARED gradient"),
    (lambda g, V, beta: (g, (1 - beta) * np.square(g)), "forgot the past"),
    (lambda g, V, beta: (g, np.square(g)), "forgot the past"),
    (lambda g, V, beta: (g, (1 - beta) * V + beta * g * g), "beta and 1 - beta are swapped"),
    (lambda g, V, beta: (-g, beta * V + (1 - beta) * g * g), "m_t = g_t, not -g_t"),
    (lambda g, V, beta: (g, beta * V - (1 - beta) * g * g), "sign error in V_t"),
    (lambda g, V, beta: (g, np.sqrt(beta * V + (1 - beta) * g * g)), "the square root belongs"),
    (lambda g, V, beta: (beta * V + (1 - beta) * g * g, g), "wrong order"),
]


@pytest.mark.parametrize(("student", "words"), WRONG)
def test_each_mistake_gets_its_hint(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗ "), out
    assert out.split(": ", 1)[1].rstrip("\n") in HINTS, out
    assert words in out, out


def test_the_cases_cover_every_hint_and_each_names_one():
    for _, words in WRONG:
        assert len([hint for hint in HINTS if words in hint]) == 1, words
    assert {hint for hint in HINTS for _, words in WRONG if words in hint} == HINTS
    assert len(WRONG) >= len(rmsprop._MISTAKES)
