"""Notebook 05's three exercise checks: every hint is reachable by a typical wrong answer, right
answers written differently pass, unusable answers get one line, and the references are right
(computed here from the rule itself, and against TensorFlow's own RMSprop)."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils import release
from course_utils.exercises import rmsprop
from course_utils.exercises.rmsprop import (
    check_centered_rmsprop_moments,
    check_keras_first_step,
    check_steep_slope_w4,
)
from course_utils.worked_example import worked_steps

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "05_rmsprop.ipynb"


def hint_of(line: str) -> str:
    """What a ✗ line says after the answer (the hint), without the newline."""
    return line.split(": ", 1)[1].rstrip("\n")


# -- 5.1 and 5.2: predicted numbers ------------------------------------------------------------


def test_the_predicted_numbers_are_what_the_rules_compute():
    rows = worked_steps("rmsprop", {"lr": 0.01, "beta": 0.99}, loss=lambda w: 200.0 * w,
                        w0=0.0, steps=3)
    assert rmsprop.STEEP_SLOPE_W4.expected == pytest.approx(rows[-1]["w_t+1"], rel=1e-5)
    assert rmsprop.STEEP_SLOPE_W4.expected == pytest.approx(-0.2289, abs=1e-4)
    w = tf.Variable(0.0)
    tf.keras.optimizers.RMSprop(learning_rate=0.1, rho=0.9).apply_gradients(
        [(tf.constant(1e-3), w)])
    assert rmsprop.KERAS_FIRST_STEP.expected == pytest.approx(-float(w.numpy()) / 0.1, rel=1e-5)
    assert rmsprop.KERAS_FIRST_STEP.expected == pytest.approx(5**0.5)


PREDICTIONS = [
    (check_steep_slope_w4, rmsprop.STEEP_SLOPE_W4, "steep_slope_w4"),
    (check_keras_first_step, rmsprop.KERAS_FIRST_STEP, "keras_first_step"),
]

# (check, a student's wrong answer, words found in exactly one of that check's hints)
WRONG_NUMBERS = [
    (check_steep_slope_w4, 0.2289, "wrong sign"),
    (check_steep_slope_w4, -0.3, "three times the first step"),
    (check_steep_slope_w4, -0.03, "three steps of exactly lr"),
    (check_steep_slope_w4, -0.1, "the first step alone"),
    (check_steep_slope_w4, -0.0738, "beta = 0.9 gives"),
    (check_steep_slope_w4, -6, "SGD's lr * g"),
    (check_steep_slope_w4, -0.02284, "AdaGrad's running sum"),
    (check_steep_slope_w4, -0.25, "take the three steps one by one"),
    (check_keras_first_step, 3.162, "without epsilon"),
    (check_keras_first_step, 3.1613, "without epsilon"),  # epsilon added after the root
    (check_keras_first_step, 0.9535, "the (1 - beta) is missing"),
    (check_keras_first_step, 1, "where steady gradients settle"),
    (check_keras_first_step, 5, "the square root is missing"),
    (check_keras_first_step, 2.0, "work out V_1"),
]


def hints(prediction) -> list[str]:
    return [prediction.hint, *(hint for _, hint in prediction.wrong)]


@pytest.mark.parametrize(("check", "answer", "words"), WRONG_NUMBERS)
def test_each_wrong_number_gets_its_hint(check, answer, words, capsys):
    out = one_line(check, answer, capsys)
    prediction = {c: p for c, p, _ in PREDICTIONS}[check]
    (hint,) = [h for h in hints(prediction) if words in h]
    assert out.startswith("✗ ") and out.rstrip("\n").endswith(hint), out


@pytest.mark.parametrize(("check", "prediction", "name"), PREDICTIONS)
def test_every_prediction_hint_is_tested(check, prediction, name):
    tested = {h for h in hints(prediction) for c, _, words in WRONG_NUMBERS
              if c is check and words in h}
    assert tested == set(hints(prediction))


@pytest.mark.parametrize(
    ("check", "answer"),
    [
        (check_steep_slope_w4, -0.2289),
        (check_steep_slope_w4, -0.229),
        (check_steep_slope_w4, np.float32(-0.22891)),
        (check_steep_slope_w4, -(10 + 1 / 0.0199**0.5 + 1 / 0.029701**0.5) / 100),
        (check_keras_first_step, 2.236),
        (check_keras_first_step, 5**0.5),
        (check_keras_first_step, 1e-3 / (2e-7) ** 0.5),
        (check_keras_first_step, np.float64(2.24)),
    ],
)
def test_right_numbers_written_differently_pass(check, answer, capsys):
    out = one_line(check, answer, capsys)
    assert out.startswith("✓ ") and "right" in out, out


@pytest.mark.parametrize(("check", "prediction", "name"), PREDICTIONS)
@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (..., "not attempted yet"),
        (None, "give plain numbers"),
        ("2.236", "give plain numbers"),
        ((2.236, 1.0), "give 1 number(s), you gave 2"),
        (np.array([1.0, 2.0]), "give plain numbers"),
        (True, "give plain numbers"),
    ],
)
def test_unusable_predictions_say_why_in_one_line(check, prediction, name, answer, words,
                                                   capsys):
    out = one_line(check, answer, capsys)
    assert out.startswith(f"✗ {name}") and words in out, out


# -- 5.3: centered RMSProp ---------------------------------------------------------------------

CENTERED_HINTS = [mistake.hint for mistake in rmsprop._CENTERED_MISTAKES]


def run(student, capsys) -> str:
    return one_line(check_centered_rmsprop_moments, student, capsys)


def averages(g, mean_prev, V_prev, beta):
    return beta * mean_prev + (1 - beta) * g, beta * V_prev + (1 - beta) * tf.square(g)


def test_the_reference_is_tensorflows_centered_rmsprop():
    """Five steps of Keras' RMSprop(centered=True), epsilon 0, against steps built on the
    reference: w -= lr * m_t / sqrt(C_t), with the state carried from step to step."""
    rng = np.random.default_rng(5)
    lr, beta = 0.05, 0.8
    start = rng.standard_normal(6).astype(np.float32)
    w = tf.Variable(start)
    keras = tf.keras.optimizers.RMSprop(learning_rate=lr, rho=beta, epsilon=0.0, centered=True)
    ours = start.astype(np.float64)
    mean, V = np.zeros(6), np.zeros(6)
    for _ in range(5):
        g = rng.standard_normal(6).astype(np.float32)
        keras.apply_gradients([(tf.constant(g), w)])
        m, C, mean, V = (np.asarray(x, np.float64) for x in rmsprop._reference(
            tf.constant(g, tf.float64), tf.constant(mean), tf.constant(V), beta))
        ours = ours - lr * m / np.sqrt(C)
    np.testing.assert_allclose(w.numpy(), ours, rtol=1e-4, atol=1e-5)
    assert not np.allclose(ours, start, atol=1e-2)  # the weights did move


def numpy_answer(g, mean_prev, V_prev, beta):
    g, mean_prev, V_prev = (np.asarray(x, np.float64) for x in (g, mean_prev, V_prev))
    mean = beta * mean_prev + (1 - beta) * g
    V = beta * V_prev + (1 - beta) * g * g
    return g, V - mean**2, mean, V


def increment_form(g, mean_prev, V_prev, beta):
    """Averages written as corrections of the old ones; the variance as a mean of squares
    minus a square of means, written with multiplication."""
    mean = mean_prev + (1 - beta) * (g - mean_prev)
    V = V_prev + (1 - beta) * (g * g - V_prev)
    return tf.identity(g), V - mean * mean, mean, V


def list_answer(g, mean_prev, V_prev, beta):
    mean, V = averages(g, mean_prev, V_prev, beta)
    return [g, tf.subtract(V, tf.square(mean)), mean, V]


@pytest.mark.parametrize("student", [numpy_answer, increment_form, list_answer])
def test_right_answers_written_differently_pass(student, capsys):
    out = run(student, capsys)
    assert out.startswith(f"✓ {student.__name__} is correct"), out


# A wrong answer as a student would write it, and words found in exactly one hint.
def wrong(centered=None, m=None, mean_new=None, V_new=None):
    def answer(g, mean_prev, V_prev, beta):
        mean = beta * mean_prev + (mean_new(g, beta) if mean_new else (1 - beta) * g)
        V = beta * V_prev + (V_new(g, beta) if V_new else (1 - beta) * g**2)
        C = centered(V, mean, mean_prev, g) if centered else V - mean**2
        return (m(g, mean) if m else g), C, mean, V
    return answer


WRONG = [
    (wrong(centered=lambda V, mean, prev, g: V - mean), "is not squared"),
    (wrong(centered=lambda V, mean, prev, g: V + mean**2), "adds the squared mean"),
    (wrong(centered=lambda V, mean, prev, g: V), "plain RMSProp's V_t"),
    (wrong(centered=lambda V, mean, prev, g: V - prev**2), "PREVIOUS mean"),
    (wrong(centered=lambda V, mean, prev, g: V - g**2), "today's g_t^2"),
    (wrong(centered=lambda V, mean, prev, g: tf.sqrt(V - mean**2)), "no square root"),
    (wrong(mean_new=lambda g, beta: (1 - beta) * g**2), "not of their squares"),
    (wrong(mean_new=lambda g, beta: g), "in front of g_t is missing"),
    (wrong(V_new=lambda g, beta: g**2), "in front of g_t^2 is missing"),
    (wrong(m=lambda g, mean: mean), "m_t stays g_t"),
    (wrong(m=lambda g, mean: -g), "sign error"),
    (lambda g, mp, Vp, beta: (lambda m, C, mean, V: (m, C, V, mean))(*wrong()(g, mp, Vp, beta)),
     "wrong order"),
]


@pytest.mark.parametrize(("student", "words"), WRONG, ids=[words for _, words in WRONG])
def test_each_centered_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in CENTERED_HINTS if words in hint]
    out = run(student, capsys)
    assert out.startswith("✗ ") and hint_of(out) == hint, out


def test_every_centered_hint_is_tested():
    assert sorted(CENTERED_HINTS) == sorted(
        hint for hint in CENTERED_HINTS for _, words in WRONG if words in hint)
    assert len(set(CENTERED_HINTS)) == len(CENTERED_HINTS)


def not_attempted(g, mean_prev, V_prev, beta):
    raise NotImplementedError()


def no_return(g, mean_prev, V_prev, beta):
    averages(g, mean_prev, V_prev, beta)


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda g, mp, Vp, beta: averages(g, mp, Vp, beta), "returned 2 value(s), expected 4"),
        (lambda g, mp, Vp, beta: (g, tf.reshape(Vp, [-1, 1]), mp, Vp), "wrong shape"),
        (lambda g, mp, Vp, beta: (g, "C", mp, Vp), "not a number or array"),
        (lambda g, mp, Vp, beta: 1 / 0, "raised ZeroDivisionError"),
        (lambda g, mp, Vp, beta: (g, Vp - mp**2, mp, Vp), "off by up to"),
    ],
)
def test_unusable_answers_say_why_in_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out, out


# -- the notebook -------------------------------------------------------------------------------


def test_the_notebook_passes_its_checks_and_hides_the_answers():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    outputs = {}
    for cell in notebook.cells:
        if cell.cell_type == "code" and release.CHECK_CALL.search(cell.source):
            (output,) = cell.outputs
            outputs[cell.source.split("(")[0]] = output.text
    assert set(outputs) == {"check_steep_slope_w4", "check_keras_first_step",
                            "check_centered_rmsprop_moments"}
    assert all(text.startswith("✓ ") and text.count("\n") == 1 for text in outputs.values())
    student = release.student_notebook(notebook)
    sources = "\n".join(cell.source for cell in student.cells)
    assert "steep_slope_w4 = ..." in sources and "keras_first_step = ..." in sources
    assert "-0.2289" not in sources and "2.236" not in sources
