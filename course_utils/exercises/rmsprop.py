"""Notebook 05 (RMSProp): the checks behind its three exercises.

- 5.1 `steep_slope_w4`: predict the weight after three RMSProp steps on a steep straight slope.
- 5.2 `keras_first_step`: predict the first step of Keras' default RMSprop for a small gradient.
- 5.3 `centered_rmsprop_moments(g, mean_prev, V_prev, beta)`: centered RMSProp, a variant the
  notebook describes in words only (its reference is written here, from the formula).
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

# Exercise 5.1: loss 200 w, w_1 = 0, lr = 0.01, beta = 0.99, V_0 = 0; w after three steps.
_LR, _BETA = 0.01, 0.99
_STEPS_IN_LR = tuple(1 / np.sqrt(1 - _BETA**t) for t in (1, 2, 3))  # 10, 7.09, 5.80

STEEP_SLOPE_W4 = Prediction(
    expected=-_LR * sum(_STEPS_IN_LR),  # -0.2289
    hint="take the three steps one by one: V_1, V_2, V_3 from the average with V_0 = 0 (or "
    "the Derivation's unrolled sum), each step lr * g_t / sqrt(V_t), then add them up.",
    wrong=(
        (_LR * sum(_STEPS_IN_LR), "right size, wrong sign: the weight moves against the "
         "gradient, and the gradient of 200 w is positive."),
        (-3 * _LR * _STEPS_IN_LR[0], "that is three times the first step; the average V_t "
         "fills up (V_2 > V_1 > V_0 = 0), so the second and third steps are smaller."),
        (-3 * _LR, "that is three steps of exactly lr, where the steps settle much later; with "
         "V_0 = 0 the first steps are larger than lr."),
        (-_LR * _STEPS_IN_LR[0], "that is the first step alone; the question asks for w after "
         "three steps."),
        (-_LR * sum(1 / np.sqrt(1 - 0.9**t) for t in (1, 2, 3)), "that is what beta = 0.9 "
         "gives; this slope is walked with beta = 0.99."),
        (-3 * _LR * 200, "that is SGD's lr * g per step: RMSProp divides the gradient by its "
         "own recent size, so the steepness of the slope cancels."),
        (-_LR * sum(1 / np.sqrt(t) for t in (1, 2, 3)), "that is AdaGrad's running sum, "
         "V_t = t g^2; RMSProp averages, with (1 - beta) in front of each new g_t^2."),
    ),
)

# Exercise 5.2: Keras' default RMSprop (rho 0.9, epsilon 1e-7 inside the root), g_1 = 1e-3.
_G1, _RHO, _EPS = 1e-3, 0.9, 1e-7
_V1 = (1 - _RHO) * _G1**2

KERAS_FIRST_STEP = Prediction(
    expected=_G1 / np.sqrt(_V1 + _EPS),  # sqrt(5) = 2.236
    hint="work out V_1 for this gradient first, then Keras' denominator with its epsilon "
    "where Keras puts it (the lines printed from its update_step).",
    wrong=(
        (1 / np.sqrt(1 - _RHO), "that is the first step without epsilon, lr/sqrt(1 - beta) "
         "(or with epsilon added after the root instead of under it). Here "
         "V_1 = (1 - beta) g_1^2 is 1e-7 itself: next to it Keras' epsilon is not small."),
        (_G1 / np.sqrt(_G1**2 + _EPS), "the (1 - beta) is missing: at the first step "
         "V_1 = (1 - beta) g_1^2, not g_1^2."),
        (1.0, "a step of exactly lr is where steady gradients settle, not the first step: "
         "V_1 = (1 - beta) g_1^2 is smaller than g_1^2."),
        (_G1**2 / (_V1 + _EPS), "the square root is missing: the step divides by "
         "sqrt(V_1 + epsilon)."),
    ),
)


def check_steep_slope_w4(answer: Any) -> None:
    """Check exercise 5.1 (the weight after three RMSProp steps on a steep slope)."""
    check_prediction(answer, STEEP_SLOPE_W4, "steep_slope_w4")


def check_keras_first_step(answer: Any) -> None:
    """Check exercise 5.2 (Keras' first step for a small gradient, in units of lr)."""
    check_prediction(answer, KERAS_FIRST_STEP, "keras_first_step")


# Exercise 5.3: centered RMSProp.
def _inputs(rng: np.random.Generator) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor, float]:
    """A gradient, a previous mean gradient, a previous V at least its square, a decay rate."""
    shape = random_shape(rng)
    mean_prev = random_tensor(rng, shape)
    V_prev = tf.square(mean_prev) + tf.abs(random_tensor(rng, shape)) + 0.1
    return random_tensor(rng, shape), mean_prev, V_prev, float(np.float32(rng.uniform(0.5, 0.99)))


def _answer(
    centered: Callable = lambda V, mean, mean_prev, g: V - tf.square(mean),
    m: Callable = lambda g, mean: g,
    new_mean: Callable = lambda g, beta: (1 - beta) * g,
    new_V: Callable = lambda g, beta: (1 - beta) * tf.square(g),
) -> Callable:
    """An answer (m_t, centered moment, mean_t, V_t); each part can be written wrongly."""

    def answer(g, mean_prev, V_prev, beta):
        mean = beta * mean_prev + new_mean(g, beta)
        V = beta * V_prev + new_V(g, beta)
        return m(g, mean), centered(V, mean, mean_prev, g), mean, V

    return answer


def _reference(g, mean_prev, V_prev, beta):
    """(m_t, V_t minus the squared mean, mean_t, V_t): centered RMSProp with epsilon 0."""
    return _answer()(g, mean_prev, V_prev, beta)


_CENTERED_MISTAKES = (
    Mistake(
        "the mean gradient is not squared: subtract the SQUARE of mean_t from V_t",
        _answer(centered=lambda V, mean, mean_prev, g: V - mean),
    ),
    Mistake(
        "the centered moment adds the squared mean; the variance SUBTRACTS it from V_t",
        _answer(centered=lambda V, mean, mean_prev, g: V + tf.square(mean)),
    ),
    Mistake(
        "the second value is plain RMSProp's V_t: centering subtracts the squared mean "
        "gradient from it",
        _answer(centered=lambda V, mean, mean_prev, g: V),
    ),
    Mistake(
        "you subtracted the square of the PREVIOUS mean; use the mean updated with g_t, as V_t is",
        _answer(centered=lambda V, mean, mean_prev, g: V - tf.square(mean_prev)),
    ),
    Mistake(
        "you subtracted today's g_t^2; the variance subtracts the squared moving AVERAGE mean_t",
        _answer(centered=lambda V, mean, mean_prev, g: V - tf.square(g)),
    ),
    Mistake(
        "no square root in the moments: the step takes the root of the centered moment",
        _answer(centered=lambda V, mean, mean_prev, g: tf.sqrt(V - tf.square(mean))),
    ),
    Mistake(
        "the mean is an average of the gradients themselves, not of their squares",
        _answer(new_mean=lambda g, beta: (1 - beta) * tf.square(g)),
    ),
    Mistake(
        "the (1 - beta) in front of g_t is missing in the mean gradient's average",
        _answer(new_mean=lambda g, beta: g),
    ),
    Mistake(
        "the (1 - beta) in front of g_t^2 is missing in V_t",
        _answer(new_V=lambda g, beta: tf.square(g)),
    ),
    Mistake(
        "m_t stays g_t: the mean gradient enters only the denominator, not the first moment",
        _answer(m=lambda g, mean: mean),
    ),
    Mistake(
        "sign error: the first moment is m_t = g_t, not -g_t",
        _answer(m=lambda g, mean: -g),
    ),
    Mistake(
        "the two averages are in the wrong order: return (m_t, centered moment, mean_t, V_t)",
        lambda g, mean_prev, V_prev, beta: (lambda m, c, mean, V: (m, c, V, mean))(
            *_reference(g, mean_prev, V_prev, beta)),
    ),
)


def check_centered_rmsprop_moments(student: Callable) -> None:
    """Check exercise 5.3 (centered RMSProp's moments and state) on random inputs."""
    check_exercise(student, reference=_reference, make_inputs=_inputs,
                   mistakes=_CENTERED_MISTAKES)
