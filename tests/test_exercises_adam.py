"""Notebook 07's exercises: each known mistake gets its own hint, right answers pass, unusable
answers get one clear line.

7.1 folded_learning_rate, 7.2 keras_adam_first_step (a predicted number), 7.3
equivalent_outside_epsilon.
"""

import math

import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils.exercises import adam
from course_utils.exercises.adam import (
    check_equivalent_outside_epsilon,
    check_folded_learning_rate,
    check_keras_adam_first_step,
)


def hint_of(out: str) -> str:
    """The hint part of a ✗ line (after the name and, for predictions, the value shown)."""
    return out.rstrip("\n").split(": ", 1)[1]


def assert_hints_covered(wrong: list[tuple[object, str]], hints: set[str]) -> None:
    """Each case names exactly one hint, and together they name every hint."""
    for _, words in wrong:
        assert len([hint for hint in hints if words in hint]) == 1, words
    assert {hint for hint in hints for _, words in wrong if words in hint} == hints


# ---------------------------------------------------------------- 7.1 folded_learning_rate

FOLDED_HINTS = {mistake.hint for mistake in adam._FOLDED_MISTAKES}


def run_folded(student, capsys) -> str:
    return one_line(check_folded_learning_rate, student, capsys)


def numpy_alpha(t, lr, beta1, beta2):
    return lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)


def float32_alpha(t, lr, beta1, beta2):
    """Everything in float32 with tf.pow, written as lr over the uncorrected step's factor."""
    t = tf.cast(t, tf.float32)
    factor = (1.0 - tf.pow(tf.constant(beta1), t)) / tf.sqrt(1.0 - tf.pow(tf.constant(beta2), t))
    return tf.constant(lr) / factor


def loop_alpha(t, lr, beta1, beta2):
    """One step number at a time, with math (a list of lists comes back as an array)."""
    values = [lr * math.sqrt(1 - beta2 ** int(n)) / (1 - beta1 ** int(n)) for n in np.ravel(t)]
    return np.reshape(values, np.shape(t))


@pytest.mark.parametrize("student", [numpy_alpha, float32_alpha, loop_alpha])
def test_folded_right_answers_written_differently_pass(student, capsys):
    out = run_folded(student, capsys)
    assert out.startswith("✓ ") and " is correct on 5 random inputs" in out, out


def folded_wrong(formula):
    def folded_learning_rate(t, lr, beta1, beta2):
        t = np.asarray(t, dtype=np.float64)
        return formula(t, lr, beta1, beta2) * np.ones_like(t)

    return folded_learning_rate


FOLDED_WRONG = [
    (folded_wrong(lambda t, lr, b1, b2: lr * (1 - b1**t) / np.sqrt(1 - b2**t)), "ENLARGES"),
    (folded_wrong(lambda t, lr, b1, b2: lr * (1 - b2**t) / (1 - b1**t)), "root is missing"),
    (folded_wrong(lambda t, lr, b1, b2: lr / ((1 - b1**t) * np.sqrt(1 - b2**t))), "wrong side"),
    (folded_wrong(lambda t, lr, b1, b2: lr * np.sqrt(1 - b1**t) / (1 - b2**t)), "swapped"),
    (folded_wrong(lambda t, lr, b1, b2: lr * np.sqrt((1 - b2) ** t) / (1 - b1) ** t),
     "mind the parentheses"),
    (folded_wrong(lambda t, lr, b1, b2: lr * np.sqrt(1 - b2 ** (t + 1)) / (1 - b1 ** (t + 1))),
     "beta**(t+1)"),
    (folded_wrong(lambda t, lr, b1, b2: lr / (1 - b1**t)), "correction of V_t is missing"),
    (folded_wrong(lambda t, lr, b1, b2: lr * np.sqrt(1 - b2**t)), "correction of m_t is missing"),
    (folded_wrong(lambda t, lr, b1, b2: np.sqrt(1 - b2**t) / (1 - b1**t)), "lr is missing"),
]


@pytest.mark.parametrize(("student", "words"), FOLDED_WRONG)
def test_folded_each_mistake_gets_its_hint(student, words, capsys):
    out = run_folded(student, capsys)
    assert out.startswith("✗ folded_learning_rate: "), out
    assert hint_of(out) in FOLDED_HINTS and words in out, out


def test_folded_cases_cover_every_hint():
    assert_hints_covered(FOLDED_WRONG, FOLDED_HINTS)


def test_folded_an_unknown_mistake_gets_the_general_line(capsys):
    out = run_folded(folded_wrong(lambda t, lr, b1, b2: 2 * lr * np.sqrt(1 - b2**t) /
                                  (1 - b1**t)), capsys)
    assert out.startswith("✗ folded_learning_rate: the values are off by up to"), out


def folded_not_attempted(t, lr, beta1, beta2):
    raise NotImplementedError()


def folded_no_return(t, lr, beta1, beta2):
    lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)


def folded_crashes(t, lr, beta1, beta2):
    return t.numpy()  # t is a NumPy array, not a tensor


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (folded_not_attempted, "not attempted yet"),
        (folded_no_return, "returned None"),
        (folded_crashes, "it raised AttributeError"),
        (lambda t, lr, b1, b2: (lr, lr), "expected 1"),
        (lambda t, lr, b1, b2: np.ones(7), "wrong shape"),
        (lambda t, lr, b1, b2: "alpha", "not a number"),
    ],
)
def test_folded_unusable_answers_say_why_in_one_line(student, words, capsys):
    out = run_folded(student, capsys)
    assert out.startswith("✗") and words in out, out


# ----------------------------------------------------------------- 7.2 keras_adam_first_step


def run_prediction(answer, capsys) -> str:
    return one_line(check_keras_adam_first_step, answer, capsys)


def keras_first_step_by_keras() -> float:
    """Keras' own first step for g_1 = 1e-6, lr = 0.1, default betas and epsilon 1e-7."""
    w = tf.Variable(0.0)
    tf.keras.optimizers.Adam(learning_rate=0.1, epsilon=1e-7).apply_gradients(
        [(tf.constant(1e-6), w)])
    return -float(w.numpy())


def test_the_expected_value_is_what_keras_does():
    expected = adam.KERAS_ADAM_FIRST_STEP.expected
    assert expected == pytest.approx(keras_first_step_by_keras(), rel=1e-4)


@pytest.mark.parametrize("answer", [0.024, 0.02403, 0.1 * 1e-6 / (1e-6 + 3.16e-6),
                                    np.float32(0.0240253), 24e-3])
def test_prediction_right_answers_pass(answer, capsys):
    out = run_prediction(answer, capsys)
    assert out.startswith("✓ keras_adam_first_step = 0.02"), out


PREDICTION_HINTS = {hint for _, hint in adam.KERAS_ADAM_FIRST_STEP.wrong}

PREDICTION_WRONG = [
    (0.1 * 1e-6 / (1e-6 + 1e-7), "as the paper does"),  # 0.0909
    (0.1, "not negligible"),
    (0.1 * 1e-6 / math.sqrt(1e-12 + 1e-7), "INSIDE the root"),  # 3.16e-4
    (0.2403, "as a fraction of lr"),
    (1e-7, "SGD's step"),
    (0.076, "alpha_1 is missing"),
    (0.76, "divides the corrected"),
]


@pytest.mark.parametrize(("answer", "words"), PREDICTION_WRONG)
def test_prediction_each_typical_wrong_value_gets_its_hint(answer, words, capsys):
    out = run_prediction(answer, capsys)
    assert out.startswith("✗ keras_adam_first_step = "), out
    assert out.rstrip("\n").split(": ", 1)[1] in PREDICTION_HINTS and words in out, out


def test_prediction_cases_cover_every_hint():
    assert_hints_covered(PREDICTION_WRONG, PREDICTION_HINTS)


def test_prediction_any_other_value_gets_the_general_hint(capsys):
    out = run_prediction(0.05, capsys)
    assert "is not it. Hint: " in out and adam.KERAS_ADAM_FIRST_STEP.hint in out, out


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (..., "not attempted yet"),
        (None, "give plain numbers"),
        ("0.024", "give plain numbers"),
        ((0.024, 0.1), "give 1 number(s), you gave 2"),
        (np.array([0.024, 0.1]), "give plain numbers"),
    ],
)
def test_prediction_unusable_answers_say_why_in_one_line(answer, words, capsys):
    out = run_prediction(answer, capsys)
    assert out.startswith("✗") and words in out, out


# ------------------------------------------------------------ 7.3 equivalent_outside_epsilon

OUTSIDE_HINTS = {mistake.hint for mistake in adam._OUTSIDE_MISTAKES}


def run_outside(student, capsys) -> str:
    return one_line(check_equivalent_outside_epsilon, student, capsys)


def tf_outside(g1, eps_inside):
    """In float32, as a student writes it with TensorFlow."""
    return tf.sqrt(tf.square(g1) + eps_inside) - tf.abs(g1)


def numpy_outside(g1, eps_inside):
    g = np.asarray(g1, dtype=np.float64)
    return np.sqrt(g * g + eps_inside) - np.abs(g)


def stable_outside(g1, eps_inside):
    """Without cancellation: the difference of two roots times its conjugate."""
    g = np.abs(np.asarray(g1, dtype=np.float64))
    return eps_inside / (np.sqrt(g**2 + eps_inside) + g)


@pytest.mark.parametrize("student", [tf_outside, numpy_outside, stable_outside])
def test_outside_right_answers_written_differently_pass(student, capsys):
    out = run_outside(student, capsys)
    assert out.startswith("✓ ") and " is correct on 5 random inputs" in out, out


def outside_wrong(formula):
    def equivalent_outside_epsilon(g1, eps_inside):
        g = np.asarray(g1, dtype=np.float64)
        return formula(g, eps_inside) * np.ones_like(g)

    return equivalent_outside_epsilon


OUTSIDE_WRONG = [
    (outside_wrong(lambda g, e: np.sqrt(e)), "only the limit"),
    (outside_wrong(lambda g, e: e), "the same epsilon in both places"),
    (outside_wrong(lambda g, e: np.sqrt(g**2 + e) - g), "not g_1"),
    (outside_wrong(lambda g, e: np.abs(g) - np.sqrt(g**2 + e)), "sign error"),
    (outside_wrong(lambda g, e: np.sqrt(g**2 + e)), "whole denominator"),
    (outside_wrong(lambda g, e: e / (2 * np.abs(g))), "first-order approximation"),
]


@pytest.mark.parametrize(("student", "words"), OUTSIDE_WRONG)
def test_outside_each_mistake_gets_its_hint(student, words, capsys):
    out = run_outside(student, capsys)
    assert out.startswith("✗ equivalent_outside_epsilon: "), out
    assert hint_of(out) in OUTSIDE_HINTS and words in out, out


def test_outside_cases_cover_every_hint():
    assert_hints_covered(OUTSIDE_WRONG, OUTSIDE_HINTS)


def test_outside_an_unknown_mistake_gets_the_general_line(capsys):
    out = run_outside(outside_wrong(lambda g, e: np.sqrt(np.abs(g) + e) - np.abs(g)), capsys)
    assert out.startswith("✗ equivalent_outside_epsilon: the values are off by up to"), out


def outside_not_attempted(g1, eps_inside):
    raise NotImplementedError()


def outside_no_return(g1, eps_inside):
    tf.sqrt(tf.square(g1) + eps_inside) - tf.abs(g1)


def outside_crashes(g1, eps_inside):
    return g1.no_such_method()


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (outside_not_attempted, "not attempted yet"),
        (outside_no_return, "returned None"),
        (outside_crashes, "it raised AttributeError"),
        (lambda g1, e: (g1, e), "expected 1"),
        (lambda g1, e: tf.reduce_sum(g1, keepdims=True) * 0 + np.ones((9, 9)), "wrong shape"),
    ],
)
def test_outside_unusable_answers_say_why_in_one_line(student, words, capsys):
    out = run_outside(student, capsys)
    assert out.startswith("✗") and words in out, out


def test_the_first_steps_agree_with_the_course_rule_and_the_paper():
    """The reference's meaning: with eps_out, the paper's first step equals the course's."""
    rng = np.random.default_rng(1)
    g1, eps_inside = adam._epsilon_inputs(rng)
    g = np.asarray(g1, dtype=np.float64)
    eps_out = adam._reference_outside(g1, eps_inside)
    course = g / np.sqrt(g**2 + eps_inside)  # m_hat_1 / sqrt(V_hat_1 + eps), per unit lr
    paper = g / (np.abs(g) + eps_out)
    np.testing.assert_allclose(paper, course, rtol=1e-12)
