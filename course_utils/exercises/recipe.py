"""Checks for the exercises of notebook 00, the recipe."""

from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils.checks import Mistake, check_exercise, random_shape, random_tensor
from course_utils.rules import Rule
from course_utils.update import apply_update, new_state


def _recipe_inputs(rng: np.random.Generator) -> tuple:
    """(w_t, m_t, V_t, lr): random tensors of one shape, V_t positive, lr a float."""
    shape = random_shape(rng)
    V = tf.abs(random_tensor(rng, shape)) + 0.1  # a second moment is positive
    return random_tensor(rng, shape), random_tensor(rng, shape), V, float(rng.uniform(0.01, 1))


def _course_step(w: tf.Tensor, m: tf.Tensor, V: tf.Tensor, lr: float) -> tf.Tensor:
    """w_{t+1} as course_utils.update takes the step, for a rule whose moments are m and V."""
    given = Rule(
        name="given",
        title="given moments",
        moments=lambda g, state, hp, t: (m, V, {}),
        hyperparameters={},
    )
    weight = tf.Variable(w)
    hp = {"lr": tf.constant(lr, tf.float32)}
    apply_update(
        given, [weight], [tf.zeros_like(w)], new_state(given, [weight]), hp, tf.constant(1.0)
    )
    return weight.read_value()


_MISTAKES = [
    Mistake(
        "the square root is missing: divide by sqrt(V_t), not V_t",
        lambda w, m, V, lr: w - lr * m / V,
    ),
    Mistake(
        "sign error: w_{t+1} = w_t MINUS the step",
        lambda w, m, V, lr: w + lr * m * tf.math.rsqrt(V),
    ),
    Mistake("the learning rate lr is missing", lambda w, m, V, lr: w - m * tf.math.rsqrt(V)),
    Mistake(
        "multiply by sqrt(V_t)? The recipe divides by it",
        lambda w, m, V, lr: w - lr * m * tf.sqrt(V),
    ),
    Mistake(
        "that is the step eta_t; return the new weights w_t - eta_t",
        lambda w, m, V, lr: lr * m * tf.math.rsqrt(V),
    ),
    Mistake(
        "brackets: only the step lr * m_t is divided by sqrt(V_t), not w_t as well",
        lambda w, m, V, lr: (w - lr * m) * tf.math.rsqrt(V),
    ),
]


def check_recipe_step(student: Callable[..., Any]) -> None:
    """Check `recipe_step(w, m, V, lr)`, which returns w_t - lr * m_t / sqrt(V_t)."""
    check_exercise(student, _course_step, _recipe_inputs, _MISTAKES)
