"""Checks for the exercises of notebook 01, SGD."""

from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils.checks import Mistake, check_exercise, random_shape, random_tensor
from course_utils.rules import SGD
from course_utils.update import apply_update, as_tensors, new_state


def _step_inputs(rng: np.random.Generator) -> tuple:
    """(w_t, g_t, lr): two random tensors of one shape and a learning rate."""
    shape = random_shape(rng)
    return random_tensor(rng, shape), random_tensor(rng, shape), float(rng.uniform(0.01, 1.0))


def _course_step(w: tf.Tensor, g: tf.Tensor, lr: float) -> tf.Tensor:
    """w_{t+1} after one step of the course's SGD rule, taken by course_utils.update."""
    weight = tf.Variable(w)
    hp = as_tensors({"lr": lr})
    apply_update(SGD, [weight], [g], new_state(SGD, [weight]), hp, tf.constant(1.0))
    return weight.read_value()


_MISTAKES = [
    Mistake(
        "sign error: step against the gradient, w - lr * g",
        lambda w, g, lr: tf.add(w, tf.multiply(lr, g)),
    ),
    Mistake("the learning rate is missing", lambda w, g, lr: tf.subtract(w, g)),
    Mistake(
        "that is the step eta_t = lr * g; return the new weights w - eta_t",
        lambda w, g, lr: tf.multiply(lr, g),
    ),
    Mistake("that is w_t unchanged: subtract the step", lambda w, g, lr: tf.identity(w)),
    Mistake(
        "divided by the learning rate: the step is lr TIMES the gradient",
        lambda w, g, lr: tf.subtract(w, tf.divide(g, lr)),
    ),
    Mistake(
        "the step follows the gradient g_t, not the weights w_t",
        lambda w, g, lr: tf.subtract(w, tf.multiply(lr, w)),
    ),
    Mistake(
        "w and g are swapped: start from the weights w_t and subtract lr times the gradient",
        lambda w, g, lr: tf.subtract(g, tf.multiply(lr, w)),
    ),
]


def check_sgd_step(student: Callable[..., Any]) -> None:
    """Check `sgd_step(w, g, lr)`, which returns w_{t+1} = w_t - lr * g_t."""
    check_exercise(student, _course_step, _step_inputs, _MISTAKES)
