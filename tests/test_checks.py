"""The exercise checker: a pass line for right answers, one teaching line for wrong ones."""

import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils import checks
from course_utils.checks import Mistake, check_exercise, random_shape, random_tensor


def reference_step(w, g, lr):
    return w - lr * g


MISTAKES = [
    Mistake("sign error: the step goes uphill", lambda w, g, lr: w + lr * g),
    Mistake("the learning rate is missing", lambda w, g, lr: w - g),
]


def make_inputs(rng):
    shape = random_shape(rng)
    return random_tensor(rng, shape), random_tensor(rng, shape), float(rng.uniform(0.01, 0.5))


def run_check(student, capsys):
    check_exercise(student, reference_step, make_inputs, MISTAKES)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out  # exactly one line
    return out.startswith("✓"), out


def test_correct_answer_passes(capsys):
    passed, out = run_check(lambda w, g, lr: w - lr * g, capsys)
    assert passed and out.startswith("✓")


def test_correct_answer_in_numpy_passes(capsys):
    passed, _ = run_check(lambda w, g, lr: np.asarray(w) - lr * np.asarray(g), capsys)
    assert passed


def answer_not_attempted(w, g, lr):
    raise NotImplementedError()


def answer_without_return(w, g, lr):
    w - lr * g


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (answer_not_attempted, "not attempted yet"),
        (answer_without_return, "returned None"),
        (lambda w, g, lr: w + lr * g, "sign error"),
        (lambda w, g, lr: w - g, "learning rate is missing"),
        (lambda w, g, lr: tf.reshape(w - lr * g, [-1, 1]), "wrong shape"),
        (lambda w, g, lr: (w, g), "returned 2 value(s), expected 1"),
        (lambda w, g, lr: w - 2 * lr * g, "off by up to"),
        (lambda w, g, lr: w - lr * undefined_name, "raised NameError"),  # noqa: F821
        (lambda w, g, lr: "w", "not a number"),
    ],
)
def test_wrong_answers_get_one_line_naming_the_problem(student, words, capsys):
    passed, out = run_check(student, capsys)
    assert not passed
    assert out.startswith("✗") and words in out, out


def test_a_plain_number_is_broadcast_where_a_tensor_is_expected(capsys):
    check_exercise(
        lambda g: (g, 1),
        lambda g: (g, tf.ones_like(g)),
        lambda rng: (random_tensor(rng, random_shape(rng)),),
    )
    assert capsys.readouterr().out.startswith("✓")


def prediction_line(answer, capsys, **kwargs) -> str:
    """The single line check_prediction prints for `answer`."""
    prediction = checks.Prediction(**{"expected": (2.0, 0.5), "hint": "look again",
                                      "wrong": (((0.5, 2.0), "swapped"),), **kwargs})
    return one_line(lambda _: checks.check_prediction(answer, prediction, "pair"), None, capsys)


@pytest.mark.parametrize(("answer", "line"), [
    ((2.0, 0.5), "✓ pair = 2, 0.5: right.\n"),
    ([2.01, 0.499], "✓ pair = 2.01, 0.499: right.\n"),
    ((0.5, 2.0), "✗ pair = 0.5, 2: swapped\n"),
    ((2.0, 0.6), "✗ pair = 2, 0.6 is not it. Hint: look again\n"),
    (..., f"✗ pair: {checks.NOT_ATTEMPTED}\n"),
    ((2.0, ...), f"✗ pair: {checks.NOT_ATTEMPTED}\n"),
    (2.0, "✗ pair: give 2 number(s), you gave 1\n"),
    (("2", 0.5), "✗ pair: give plain numbers, not ('2', 0.5)\n"),
    ((np.ones(2), 0.5), "✗ pair: give plain numbers, not (array([1., 1.]), 0.5)\n"),
])
def test_a_prediction_is_compared_with_one_line_of_verdict(answer, line, capsys):
    assert prediction_line(answer, capsys) == line


def test_a_prediction_tolerance_is_relative(capsys):
    assert prediction_line((2.1, 0.5), capsys, rtol=0.1).startswith("✓")
    assert prediction_line((2.1, 0.5), capsys).startswith("✗")


CHOICE = checks.Choice("lr too large", ("lr too large", "lr too small"),
                       {"lr too small": "it moves, and far"})


@pytest.mark.parametrize(("answer", "line"), [
    ("lr too large", "✓ cause = 'lr too large': right.\n"),
    ("  LR too large ", "✓ cause = 'lr too large': right.\n"),
    ("lr too small", "✗ cause = 'lr too small': it moves, and far\n"),
    ("bad luck", "✗ cause: choose one of 'lr too large', 'lr too small', as a string "
                 "(got 'bad luck')\n"),
    (3, "✗ cause: choose one of 'lr too large', 'lr too small', as a string (got 3)\n"),
    (..., f"✗ cause: {checks.NOT_ATTEMPTED}\n"),
])
def test_a_choice_is_compared_with_one_line_of_verdict(answer, line, capsys):
    assert one_line(lambda _: checks.check_choice(answer, CHOICE, "cause"), None, capsys) == line
