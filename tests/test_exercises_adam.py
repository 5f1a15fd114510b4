"""Exercise 7.1 (Adam's moments): each known mistake gets its own hint, right answers pass."""

import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils.exercises import adam
from course_utils.exercises.adam import check_adam_moments

HINTS = {mistake.hint for mistake in adam._MISTAKES}


def run(student, capsys) -> str:
    """The check's single line of output for `student`."""
    return one_line(check_adam_moments, student, capsys)


def numpy_answer(g, m_prev, V_prev, t, beta1, beta2):
    g, m_prev, V_prev = (np.asarray(x, dtype=np.float64) for x in (g, m_prev, V_prev))
    m = beta1 * m_prev + (1 - beta1) * g
    V = beta2 * V_prev + (1 - beta2) * g**2
    return m, V, m / (1 - beta1**t), V / (1 - beta2**t)


def float32_answer(g, m_prev, V_prev, t, beta1, beta2):
    """Everything in float32, the corrections with tf.pow, the averages as increments."""
    b1, b2, t = tf.constant(beta1), tf.constant(beta2), tf.constant(float(t))
    m = m_prev + (1.0 - b1) * (g - m_prev)
    V = V_prev + (1.0 - b2) * (tf.square(g) - V_prev)
    return m, V, m / (1.0 - tf.pow(b1, t)), V / (1.0 - tf.pow(b2, t))


@pytest.mark.parametrize("student", [numpy_answer, float32_answer])
def test_correct_answers_written_differently_pass(student, capsys):
    out = run(student, capsys)
    assert out.startswith("✓ "), out


def not_attempted(g, m_prev, V_prev, t, beta1, beta2):
    raise NotImplementedError()


def no_return(g, m_prev, V_prev, t, beta1, beta2):
    beta1 * m_prev + (1 - beta1) * g


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda g, m, V, t, b1, b2: (m, V), "expected 4"),
    ],
)
def test_unusable_answers_say_why_in_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out, out


def moments(g, m_prev, V_prev, t, b1, b2, keep1=None, add1=None, keep2=None, add2=None, **change):
    """Adam's moments in NumPy with one thing changed (an EMA weight, or `change`)."""
    g, m_prev, V_prev = (np.asarray(x, dtype=np.float64) for x in (g, m_prev, V_prev))
    if change.get("swap_betas"):
        b1, b2 = b2, b1
    keep1 = b1 if keep1 is None else keep1(b1)
    add1 = 1 - b1 if add1 is None else add1(b1)
    keep2 = b2 if keep2 is None else keep2(b2)
    add2 = 1 - b2 if add2 is None else add2(b2)
    m = keep1 * m_prev + change.get("sign", 1.0) * add1 * g
    V = keep2 * V_prev + add2 * (g if change.get("unsquared") else g * g)
    n = t + change.get("shift", 0)
    c1, c2 = 1 - b1**n, 1 - b2**n
    if change.get("parentheses"):
        c1, c2 = (1 - b1) ** t, (1 - b2) ** t
    if change.get("root_in_correction"):
        c2 = np.sqrt(c2)
    if change.get("no_correction"):
        c1 = c2 = 1.0
    m_hat, V_hat = m / c1, V / c2
    if change.get("root_of_v_hat"):
        V_hat = np.sqrt(V_hat)
    if change.get("corrected_state"):
        return m_hat, V_hat, m_hat, V_hat
    return m, V, m_hat, V_hat


def wrong(**change):
    def student(g, m_prev, V_prev, t, beta1, beta2):
        with np.errstate(divide="ignore"):
            return moments(g, m_prev, V_prev, t, beta1, beta2, **change)

    return student


def one(beta):
    return 1.0


def zero(beta):
    return 0.0


def one_minus(beta):
    return 1 - beta


def same(beta):
    return beta


# (wrong answer, a part of the hint that names it; a trailing "\n" anchors the end of the line)
WRONG = [
    (wrong(no_correction=True), "bias correction missing"),
    (wrong(shift=-1), "not beta**(t-1)"),
    (wrong(shift=1), "not beta**(t+1)"),
    (wrong(parentheses=True), "mind the parentheses"),
    (wrong(root_in_correction=True), "without a square root"),
    (wrong(root_of_v_hat=True), "the square root belongs to the step"),
    (wrong(add1=one), "the factor (1 - beta1) in front of g_t is missing"),
    (wrong(add2=one), "the factor (1 - beta2) in front of g_t**2 is missing"),
    (wrong(add1=one, add2=one), "the factors (1 - beta1) and (1 - beta2) are missing"),
    (wrong(keep1=one, add1=one, keep2=one, add2=one), "not running sums"),
    (wrong(keep1=zero, keep2=zero), "V_{t-1} + ...)\n"),
    (wrong(keep1=zero), "(m_{t-1} is missing)"),
    (wrong(keep2=zero), "(V_{t-1} is missing)"),
    (wrong(swap_betas=True), "beta1 and beta2 are swapped"),
    (wrong(keep1=one_minus, add1=same, keep2=one_minus, add2=same), "the OLD average gets beta"),
    (wrong(unsquared=True), "averages the SQUARED gradients"),
    (wrong(sign=-1.0), "sign error"),
    (wrong(corrected_state=True), "return the uncorrected m_t, V_t as the state"),
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
    assert len(WRONG) >= len(adam._MISTAKES)
