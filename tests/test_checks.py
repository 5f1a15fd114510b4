"""The exercise checker: a pass line for right answers, one teaching line for wrong ones."""

import numpy as np
import pytest
import tensorflow as tf

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
