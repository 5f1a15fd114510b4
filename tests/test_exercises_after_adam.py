"""Notebook 10's exercises: each known mistake gets its own hint, right answers pass, unusable
answers get one clear line.

10.1 lion_weight_after_30 and 10.2 warm_up_first_four (predicted numbers), 10.3
adamax_moments (the capstone: random inputs, then Keras' Adamax).
"""

from pathlib import Path

import keras
import nbformat
import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

import course_utils as cu
from course_utils import update
from course_utils.exercises import after_adam
from course_utils.exercises.after_adam import (
    check_adamax_moments,
    check_lion_weight_after_30,
    check_warm_up_first_four,
)
from course_utils.rules import LION

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "10_after_adam.ipynb"


def hint_of(out: str) -> str:
    """The hint part of a ✗ line (after the name and, for predictions, the value shown)."""
    return out.rstrip("\n").split(": ", 1)[1]


def assert_hints_covered(wrong: list[tuple[object, str]], hints: set[str]) -> None:
    """Each case names exactly one hint, and together they name every hint."""
    for _, words in wrong:
        assert len([hint for hint in hints if words in hint]) == 1, words
    assert {hint for hint in hints for _, words in wrong if words in hint} == hints


# ---------------------------------------------------------------- 10.1 lion_weight_after_30


def run_lion(answer, capsys) -> str:
    return one_line(check_lion_weight_after_30, answer, capsys)


def lion_by_the_course(steps: int = 30) -> float:
    """The course's Lion rule (lr 0.001) on the exercise's gradients: 2 ten times, then -1."""
    hp = update.as_tensors(LION.resolve({"lr": 0.001}))
    w = tf.Variable(0.0)
    slots = update.new_state(LION, [w])
    for t in range(1, steps + 1):
        g = tf.constant(2.0 if t <= 10 else -1.0)
        update.apply_update(LION, [w], [g], slots, hp, tf.constant(float(t)))
    return float(w.numpy())


def lion_by_keras(steps: int = 30) -> float:
    w = keras.Variable(0.0, name="w")
    optimizer = keras.optimizers.Lion(learning_rate=0.001)
    for t in range(1, steps + 1):
        optimizer.apply_gradients([(tf.constant(2.0 if t <= 10 else -1.0), w)])
    return float(np.asarray(w.numpy()))


def test_the_lion_value_is_what_the_course_rule_and_keras_do():
    expected = after_adam.LION_WEIGHT_AFTER_30.expected
    assert expected == pytest.approx(lion_by_the_course(), abs=1e-6)
    assert expected == pytest.approx(lion_by_keras(), abs=1e-6)


@pytest.mark.parametrize("answer", [-0.004, -4e-3, np.float32(-0.004), -0.00401,
                                    0.001 * (-(10 + 7) + 13)])
def test_lion_right_answers_pass(answer, capsys):
    out = run_lion(answer, capsys)
    assert out.startswith("✓ lion_weight_after_30 = -0.004"), out


LION_HINTS = {hint for _, hint in after_adam.LION_WEIGHT_AFTER_30.wrong}

LION_WRONG = [
    (0.01, "signSGD"),
    (-0.03, "does forget"),
    (-0.024, "kept momentum k_t alone"),
    (-0.002, "already updated"),
    (-0.006, "swapped"),
    (0.004, "sign error"),
    (0.0, "SGD's lr * g_t"),
]


@pytest.mark.parametrize(("answer", "words"), LION_WRONG)
def test_lion_each_typical_wrong_value_gets_its_hint(answer, words, capsys):
    out = run_lion(answer, capsys)
    assert out.startswith("✗ lion_weight_after_30 = "), out
    assert hint_of(out) in LION_HINTS and words in out, out


def test_lion_cases_cover_every_hint():
    assert_hints_covered(LION_WRONG, LION_HINTS)


def test_lion_any_other_value_gets_the_general_hint(capsys):
    out = run_lion(-0.017, capsys)
    assert "is not it. Hint: " in out and after_adam.LION_WEIGHT_AFTER_30.hint in out, out


# ---------------------------------------------------------------- 10.2 warm_up_first_four


def run_warm_up(answer, capsys) -> str:
    return one_line(check_warm_up_first_four, answer, capsys)


def warm_up_by_the_course() -> float:
    """The course's Adam, four steps of gradient 3, at Keras' warm-up learning rates."""
    schedule = keras.optimizers.schedules.CosineDecay(0.0, decay_steps=1900,
                                                      warmup_target=0.1, warmup_steps=100)
    adam = cu.get_rule("adam")
    w = tf.Variable(0.0)
    slots = update.new_state(adam, [w])
    for step in range(4):
        hp = {**update.as_tensors(adam.resolve()), "lr": tf.constant(float(schedule(step)))}
        update.apply_update(adam, [w], [tf.constant(3.0)], slots, hp, tf.constant(step + 1.0))
    return -float(w.numpy())


def test_the_warm_up_value_is_what_the_course_does():
    assert after_adam.WARM_UP_FIRST_FOUR.expected == pytest.approx(warm_up_by_the_course(),
                                                                   rel=1e-4)


@pytest.mark.parametrize("answer", [0.006, 6e-3, 0.1 * (0 + 1 + 2 + 3) / 100, np.float64(0.00601)])
def test_warm_up_right_answers_pass(answer, capsys):
    out = run_warm_up(answer, capsys)
    assert out.startswith("✓ warm_up_first_four = 0.006"), out


WARM_HINTS = {hint for _, hint in after_adam.WARM_UP_FIRST_FOUR.wrong}

WARM_WRONG = [
    (0.01, "counts steps from 0"),
    (0.4, "without the warm-up"),
    (0.018, "does not scale with the"),
    (0.003, "fourth step alone"),
    (0.0, "only step 0"),
]


@pytest.mark.parametrize(("answer", "words"), WARM_WRONG)
def test_warm_up_each_typical_wrong_value_gets_its_hint(answer, words, capsys):
    out = run_warm_up(answer, capsys)
    assert out.startswith("✗ warm_up_first_four = "), out
    assert hint_of(out) in WARM_HINTS and words in out, out


def test_warm_up_cases_cover_every_hint():
    assert_hints_covered(WARM_WRONG, WARM_HINTS)


@pytest.mark.parametrize(
    ("check", "answer", "words"),
    [
        (check_warm_up_first_four, ..., "not attempted yet"),
        (check_warm_up_first_four, "0.006", "give plain numbers"),
        (check_warm_up_first_four, (0.006, 0.4), "give 1 number(s), you gave 2"),
        (check_lion_weight_after_30, ..., "not attempted yet"),
        (check_lion_weight_after_30, None, "give plain numbers"),
        (check_lion_weight_after_30, np.array([-0.004, 0.0]), "give plain numbers"),
    ],
)
def test_predictions_unusable_answers_say_why_in_one_line(check, answer, words, capsys):
    out = one_line(check, answer, capsys)
    assert out.startswith("✗") and words in out, out


# ---------------------------------------------------------------- 10.3 adamax_moments


def run_adamax(student, capsys) -> str:
    return one_line(check_adamax_moments, student, capsys)


def adamax_like_keras(g, state, hp, t):
    """Keras' own order: m += (g - m)(1 - beta1); the correction folded into V."""
    m = state["m"] + (g - state["m"]) * (1 - hp["beta1"])
    u = tf.maximum(hp["beta2"] * state["u"], tf.abs(g))
    return m, tf.square((1 - tf.pow(hp["beta1"], t)) * (u + hp["epsilon"])), {"m": m, "u": u}


def adamax_in_numpy(g, state, hp, t):
    """NumPy in double precision; a list for the tuple."""
    b1, b2, eps, t = (float(hp["beta1"]), float(hp["beta2"]), float(hp["epsilon"]), float(t))
    g, m_prev, u_prev = (np.asarray(v, np.float64) for v in (g, state["m"], state["u"]))
    m = b1 * m_prev + (1 - b1) * g
    u = np.maximum(b2 * u_prev, np.abs(g))
    return [m / (1 - b1**t), (u + eps) ** 2, {"u": u, "m": m}]


def adamax_sign_trick(g, state, hp, t):
    """|m_hat| over |...|: the sign carried by m_t, V_t from the denominator."""
    m = hp["beta1"] * state["m"] + hp["1-beta1"] * g
    u = tf.maximum(hp["beta2"] * state["u"], tf.sqrt(tf.square(g)))
    denominator = u + hp["epsilon"]
    return m / (1 - hp["beta1"] ** t), denominator * denominator, {"m": m, "u": u}


def notebook_adamax():
    """The notebook's own solution, read from its cell and defined here."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    source = next(c.source for c in cells if "def adamax_moments" in c.source)
    scope = {"tf": tf}
    exec(source, scope)
    return scope["adamax_moments"]


@pytest.mark.parametrize("student", [adamax_like_keras, adamax_in_numpy, adamax_sign_trick,
                                     notebook_adamax()], ids=["keras-order", "numpy",
                                                              "sign-trick", "notebook"])
def test_adamax_right_answers_written_differently_pass(student, capsys):
    out = run_adamax(student, capsys)
    assert out.startswith("✓ ") and "agrees with tf.keras.optimizers.Adamax" in out, out


ADAMAX_HINTS = {hint for hint, _ in after_adam.ADAMAX_MISTAKES_BY_PART}


def adamax_wrong(u_line=None, corrected=True, V_line=None, keep_m_hat=False):
    """A student's Adamax with one part written as a typical mistake writes it."""

    def adamax_moments(g, state, hp, t):
        m = hp["beta1"] * state["m"] + hp["1-beta1"] * g
        u = (u_line(g, state["u"], hp["beta2"]) if u_line
             else tf.maximum(hp["beta2"] * state["u"], tf.abs(g)))
        m_hat = m / (1 - hp["beta1"] ** t) if corrected else m
        V = V_line(u, hp["epsilon"], hp["beta2"], t) if V_line else tf.square(u + hp["epsilon"])
        return m_hat, V, {"m": m_hat if keep_m_hat else m, "u": u}

    return adamax_moments


ADAMAX_WRONG = [
    (adamax_wrong(u_line=lambda g, u, b2: b2 * u + (1 - b2) * tf.abs(g)), "running MAXIMUM"),
    (adamax_wrong(corrected=False), "bias correction of m_t is missing"),
    (adamax_wrong(V_line=lambda u, e, b2, t: u + e), "not squared"),
    (adamax_wrong(u_line=lambda g, u, b2: tf.maximum(b2 * u, g)), "absolute value is missing"),
    (adamax_wrong(V_line=lambda u, e, b2, t: u * u + e), "inside the root"),
    (adamax_wrong(V_line=lambda u, e, b2, t: tf.square(u)), "epsilon is missing"),
    (adamax_wrong(u_line=lambda g, u, b2: tf.maximum(u, tf.abs(g))), "not decayed"),
    (adamax_wrong(u_line=lambda g, u, b2: tf.maximum(b2 * u, g * g)), "not of g_t**2"),
    (adamax_wrong(V_line=lambda u, e, b2, t: tf.square(u / (1 - b2**t) + e)),
     "needs no bias correction"),
    (adamax_wrong(u_line=lambda g, u, b2: b2 * u + (1 - b2) * g * g,
                  V_line=lambda u, e, b2, t: tf.square(tf.sqrt(u / (1 - b2**t)) + e)),
     "Adam's second moment"),
    (adamax_wrong(keep_m_hat=True), "keeps the corrected m_hat_t"),
]


@pytest.mark.parametrize(("student", "words"), ADAMAX_WRONG)
def test_adamax_each_mistake_gets_its_hint(student, words, capsys):
    out = run_adamax(student, capsys)
    assert out.startswith("✗ adamax_moments: "), out
    assert hint_of(out) in ADAMAX_HINTS and words in out, out


def test_adamax_cases_cover_every_hint():
    assert_hints_covered(ADAMAX_WRONG, ADAMAX_HINTS)


def test_adamax_an_unknown_mistake_gets_the_general_line(capsys):
    out = run_adamax(adamax_wrong(V_line=lambda u, e, b2, t: 4 * tf.square(u + e)), capsys)
    assert out.startswith("✗ adamax_moments: the values are off by up to"), out


def adamax_not_attempted(g, state, hp, t):
    raise NotImplementedError()


def adamax_no_return(g, state, hp, t):
    tf.maximum(hp["beta2"] * state["u"], tf.abs(g))


def adamax_crashes(g, state, hp, t):
    return state["v"]  # the state's keys are "m" and "u"


def adamax_two_values(g, state, hp, t):
    return g, tf.square(g)


def adamax_wrong_keys(g, state, hp, t):
    return g, tf.square(g), {"m": g, "V": g}


def adamax_wrong_shape(g, state, hp, t):
    return tf.ones(7), tf.ones(7), {"m": g, "u": tf.abs(g)}


def adamax_state_not_a_dict(g, state, hp, t):
    return g, tf.square(g), [g, g]


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (adamax_not_attempted, "not attempted yet"),
        (adamax_no_return, "returned None"),
        (adamax_crashes, "it raised KeyError"),
        (adamax_two_values, "returned 2 value(s), expected 3"),
        (adamax_wrong_keys, "keys 'm' and 'u'"),
        (adamax_state_not_a_dict, "keys 'm' and 'u'"),
        (adamax_wrong_shape, "wrong shape"),
        ("adamax", "define a function"),
    ],
)
def test_adamax_unusable_answers_say_why_in_one_line(student, words, capsys):
    out = run_adamax(student, capsys)
    assert out.startswith("✗") and words in out, out


def test_adamax_a_function_that_breaks_in_a_run_is_named(capsys):
    """Right on the random inputs (t up to 20), raises later in the 50-step run."""
    def adamax_moments(g, state, hp, t):
        if float(t) > 30:
            raise ValueError("step 31")
        return notebook_adamax()(g, state, hp, t)

    out = run_adamax(adamax_moments, capsys)
    assert out.startswith("✗ adamax_moments: right on the random inputs, but it raised "
                          "ValueError"), out


def test_the_reference_is_keras_adamax():
    """The reference, as a rule of the course, follows Keras' Adamax to float32 tolerance."""
    report = after_adam._keras_parity(after_adam._reference_adamax)
    assert report.passed and report.max_abs_diff < 1e-5
