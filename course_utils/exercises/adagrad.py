"""Notebook 04 (AdaGrad): the checks behind exercises 4.1 to 4.3.

4.1 `adagrad_norm_steps(grads, lr)`: the steps of AdaGrad-Norm, a variant the notebook does not
show (one accumulator for the whole tensor), checked on random gradient histories.
4.2 `spike_step`: a predicted step length, one large gradient after 300 small ones.
4.3 `keras_step`: a predicted step length under Keras' default `initial_accumulator_value`.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils.checks import (
    Mistake,
    Prediction,
    check_exercise,
    check_prediction,
    random_shape,
    random_tensor,
)

# ---------------------------------------------------------------------------------------------
# Exercise 4.1: AdaGrad-Norm (Ward, Wu and Bottou 2019), one sum of squares for the whole tensor


def _history(rng: np.random.Generator) -> tuple[tf.Tensor, float]:
    """(grads, lr): 2 to 6 steps of gradients of one random shape (time first), and lr."""
    steps = int(rng.integers(2, 7))
    return random_tensor(rng, (steps, *random_shape(rng))), float(rng.uniform(0.01, 1.0))


def _reference(grads: tf.Tensor, lr: float) -> tf.Tensor:
    """AdaGrad-Norm's steps eta_t, t = 1..T: lr g_t / sqrt(V_t), V_t = V_{t-1} + ||g_t||^2."""
    V = tf.constant(0.0)
    etas = []
    for t in range(grads.shape[0]):
        V = V + tf.reduce_sum(tf.square(grads[t]))
        etas.append(lr * grads[t] / tf.sqrt(V))
    return tf.stack(etas)


def _weight_axes(grads: Any) -> tuple[int, ...]:
    return tuple(range(1, len(grads.shape)))


def _divided_by(
    accumulate: Callable[[np.ndarray], np.ndarray], root: bool = True, sign: float = 1.0
) -> Callable[..., np.ndarray]:
    """A wrong answer: steps lr g_t / sqrt(S_t) (or / S_t), S = accumulate(grads), in float64."""

    def steps(grads: tf.Tensor, lr: float) -> np.ndarray:
        g = np.asarray(grads, dtype=np.float64)
        S = accumulate(g)
        return sign * lr * g / (np.sqrt(S) if root else S)

    return steps


def _per_tensor(values: np.ndarray, g: np.ndarray) -> np.ndarray:
    """One number per step (values), shaped to broadcast over the weights of g."""
    return values.reshape(values.shape[0], *[1] * (g.ndim - 1))


def _sum_sq(g: np.ndarray) -> np.ndarray:
    return _per_tensor(np.sum(g**2, axis=_weight_axes(g)), g)


_AS_ADAGRAD = (
    "that is AdaGrad itself, one sum per weight; AdaGrad-Norm keeps ONE number for the "
    "whole tensor, and every weight is divided by its root"
)
_MISTAKES = (
    Mistake(_AS_ADAGRAD, _divided_by(lambda g: np.cumsum(g**2, axis=0))),
    Mistake(
        "V_t forgot the past: it holds every step's squared length so far, not only "
        "today's (that would make every step exactly lr long)",
        _divided_by(_sum_sq),
    ),
    Mistake(
        "you averaged over the weights; the accumulator adds up the squares of ALL the "
        "tensor's gradients, as AdaGrad's separate sums would together",
        _divided_by(lambda g: np.cumsum(_per_tensor(np.mean(g**2, axis=_weight_axes(g)), g), 0)),
    ),
    Mistake(
        "the accumulator grows by the SQUARED length of the gradient, not by its length",
        _divided_by(lambda g: np.cumsum(np.sqrt(_sum_sq(g)), axis=0)),
    ),
    Mistake(
        "the square root is missing: as in AdaGrad, divide by the root of the sum",
        _divided_by(lambda g: np.cumsum(_sum_sq(g), axis=0), root=False),
    ),
    Mistake(
        "the sum at step t can only hold the gradients of steps 1 to t; you divided by "
        "the whole history, later steps included",
        _divided_by(lambda g: np.broadcast_to(np.sum(g**2), g.shape)),
    ),
    Mistake(
        "sign error: the step eta_t has the sign of the gradient; the minus is in w - eta_t",
        _divided_by(lambda g: np.cumsum(_sum_sq(g), axis=0), sign=-1.0),
    ),
    Mistake(
        "the learning rate is missing",
        lambda grads, lr: _reference(grads, lr) / lr,
    ),
)


def check_adagrad_norm_steps(student: Callable) -> None:
    """Check exercise 4.1 (AdaGrad-Norm's steps) on random gradient histories; print one line."""
    check_exercise(student, reference=_reference, make_inputs=_history, mistakes=_MISTAKES)


# ---------------------------------------------------------------------------------------------
# Exercise 4.2: lr 0.1, gradient 0.3 at steps 1..300, then 3 at step 301. V_301 = 27 + 9 = 36.

SPIKE = Prediction(
    expected=0.05,
    hint="add up V_301 first (every squared gradient so far, today's included), then take "
    "the step lr * g_301 / sqrt(V_301).",
    wrong=(
        (0.1 / 301**0.5, "lr / sqrt(t) is the step of a gradient that never changes; at "
         "t = 301 the gradient is 10 times larger than before, and so is its square's share"),
        (0.1, "lr * sign(g) is the step of a weight's first non-zero gradient only; this "
         "weight's sum already holds 300 squared gradients"),
        (0.1 * 3 / 27**0.5, "V_301 includes today's g_301 squared: the large gradient also "
         "enlarges the sum it is divided by"),
        (0.1 * 3 / 36, "the square root is missing: divide by sqrt(V_301)"),
        (0.3, "that is SGD's step lr * g; AdaGrad divides the gradient by the root of its sum"),
        (0.1 * 3 / 93**0.5, "V sums the SQUARED gradients (0.3 squared is 0.09), not the "
         "gradients"),
    ),
)


def check_spike_step(answer: Any) -> None:
    """Check exercise 4.2: the step at t = 301, after 300 gradients of 0.3 and one of 3."""
    check_prediction(answer, SPIKE, "spike_step")


# ---------------------------------------------------------------------------------------------
# Exercise 4.3: Keras' Adagrad(learning_rate=0.1): accumulator from 0.1, epsilon 1e-7 inside the
# root; gradient 0.1 at every step. At t = 10 the accumulator is 0.1 + 10 * 0.01 = 0.2.

KERAS = Prediction(
    expected=0.1 * 0.1 / (0.2 + 1e-7) ** 0.5,
    hint="Keras' accumulator starts at initial_accumulator_value, then grows by g squared "
    "at every step; the step is lr * g over the root of the accumulator (plus epsilon).",
    wrong=(
        (0.1 / 10**0.5, "that is the course's AdaGrad, whose sum starts at 0; Keras' "
         "accumulator starts at initial_accumulator_value = 0.1"),
        (0.1 * 0.1 / 0.11**0.5, "that is the first step; by t = 10 the accumulator holds the "
         "0.1 it started with and 10 squared gradients"),
        (0.1 * 0.1 / 0.19**0.5, "by t = 10 the accumulator holds 10 squared gradients: "
         "today's is added before the step is taken"),
        (0.1 * 0.1 / 0.2, "the square root is missing: divide by the root of the accumulator"),
        (0.1 * 0.1, "that is SGD's step lr * g; Adagrad divides it by the root of the "
         "accumulator"),
        (0.001 * 0.1 / 0.2**0.5, "the question sets learning_rate=0.1; 0.001 is only Keras' "
         "default"),
    ),
)


def check_keras_step(answer: Any) -> None:
    """Check exercise 4.3: Keras' default Adagrad's 10th step for a steady gradient of 0.1."""
    check_prediction(answer, KERAS, "keras_step")
