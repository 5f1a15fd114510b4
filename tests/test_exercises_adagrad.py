"""Exercise 4.1 (AdaGrad's moments): each known mistake gets its own hint, right answers pass."""

import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils.exercises import adagrad
from course_utils.exercises.adagrad import check_adagrad_moments

HINTS = {mistake.hint for mistake in adagrad._MISTAKES}


def run(student, capsys) -> str:
    """The check's single line of output for `student`."""
    return one_line(check_adagrad_moments, student, capsys)


def numpy_answer(g, V_prev):
    g = np.asarray(g, dtype=np.float64)
    return g, np.asarray(V_prev) + g * g


def tf_answer(g, V_prev):
    m = tf.identity(g)
    return m, tf.add(V_prev, tf.math.pow(g, 2))


def list_answer(g, V_prev):
    return [g, V_prev + g**2]  # a list instead of a tuple is fine


@pytest.mark.parametrize("student", [numpy_answer, tf_answer, list_answer])
def test_correct_answers_written_differently_pass(student, capsys):
    out = run(student, capsys)
    assert out.startswith("✓ "), out


def not_attempted(g, V_prev):
    raise NotImplementedError()


def no_return(g, V_prev):
    V_prev + tf.square(g)


def only_the_sum(g, V_prev):
    return V_prev + tf.square(g)


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (only_the_sum, "expected 2"),
        (lambda g, V_prev: (g, V_prev + tf.square(g) + undefined), "raised NameError"),  # noqa: F821
    ],
)
def test_unusable_answers_say_why_in_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out, out


def ema(beta):
    return lambda g, V_prev: (g, beta * np.asarray(V_prev) + (1 - beta) * np.asarray(g) ** 2)


# (wrong answer, a part of the hint that names it; a trailing "\n" anchors the end of the line)
WRONG = [
    (ema(0.9), "AdaGrad keeps the full sum"),
    (ema(0.95), "AdaGrad keeps the full sum"),
    (ema(0.99), "AdaGrad keeps the full sum"),
    (ema(0.999), "AdaGrad keeps the full sum"),
    (lambda g, V_prev: (g, 0.9 * V_prev + g * g), "nothing decays"),
    (lambda g, V_prev: (g, V_prev + g), "sums the SQUARED gradients"),
    (lambda g, V_prev: (g, V_prev + np.abs(g)), "sums the SQUARED gradients"),
    (lambda g, V_prev: (g, (V_prev + g) ** 2), "not (V_{t-1} + g_t)**2"),
    (lambda g, V_prev: (g, g * g), "forgot the past"),
    (lambda g, V_prev: (g, np.sqrt(V_prev + g * g)), "returned sqrt(V_t)"),
    (lambda g, V_prev: (-g, V_prev + g * g), "sign error"),
    (lambda g, V_prev: (g / tf.sqrt(V_prev + g * g), V_prev + g * g), "belongs to the step eta_t"),
    (lambda g, V_prev: (V_prev + g * g, g), "wrong order"),
]


@pytest.mark.parametrize(("student", "words"), WRONG)
def test_each_mistake_gets_its_hint(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗ "), out
    assert out.split(": ", 1)[1].rstrip("\n") in HINTS, out
    assert words in out, out


def test_the_cases_cover_every_hint_and_each_names_one():
    for _, words in WRONG:
        assert len([hint for hint in HINTS if words in hint + "\n"]) == 1, words
    assert {hint for hint in HINTS for _, words in WRONG if words in hint + "\n"} == HINTS
    assert len(WRONG) >= len(adagrad._MISTAKES)
