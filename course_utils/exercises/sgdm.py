"""Checks for the exercises of notebook 02, SGD with momentum."""

from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils.checks import Mistake, check_exercise, random_shape, random_tensor
from course_utils.rules import sgdm_moments
from course_utils.update import as_tensors


def _moment_inputs(rng: np.random.Generator) -> tuple:
    """(g_t, m_{t-1}, beta): two random tensors of one shape and a decay rate."""
    shape = random_shape(rng)
    return random_tensor(rng, shape), random_tensor(rng, shape), float(rng.uniform(0.5, 0.99))


def _course_moments(g: tf.Tensor, m_prev: tf.Tensor, beta: float) -> tuple[tf.Tensor, tf.Tensor]:
    """(m_t, V_t) from the course's rule, course_utils.rules.sgdm_moments."""
    first, second, _ = sgdm_moments(g, {"m": m_prev}, as_tensors({"beta": beta}), tf.constant(1.0))
    return first, second


def _ones(g: tf.Tensor, first: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """A wrong m_t paired with the right V_t = 1."""
    return first, tf.ones_like(g)


_MISTAKES = [
    Mistake(
        "the factor (1 - beta) on g_t is missing: beta * m + g is the velocity form, "
        "a sum that grows to g / (1 - beta); the EMA gives today's gradient 1 - beta",
        lambda g, mp, b: _ones(g, g + b * mp),
    ),
    Mistake(
        "that is a running sum m_{t-1} + g_t, which never forgets; an average shrinks "
        "the old value by beta and weighs g_t by 1 - beta",
        lambda g, mp, b: _ones(g, g + mp),
    ),
    Mistake(
        "the history is missing: (1 - beta) * g forgets m_{t-1}; add beta * m_prev",
        lambda g, mp, b: _ones(g, g - b * g),
    ),
    Mistake(
        "beta and 1 - beta are swapped: the old average keeps beta (close to 1), "
        "today's gradient gets 1 - beta",
        lambda g, mp, b: _ones(g, mp + b * (g - mp)),
    ),
    Mistake(
        "sign error: m_t averages the gradients themselves; the minus sign comes "
        "later, in w_t - eta_t",
        lambda g, mp, b: _ones(g, mp - (1 - b) * (g + mp)),
    ),
    Mistake(
        "m_t is right, but V_t = 1 for momentum (no per-weight scaling); "
        "squared gradients belong to AdaGrad and RMSProp",
        lambda g, mp, b: (g + b * (mp - g), g * g),
    ),
    Mistake(
        "m_t is still m_{t-1}: fold today's gradient g_t into the average",
        lambda g, mp, b: _ones(g, mp),
    ),
    Mistake(
        "that is SGD's m_t = g_t: momentum averages g_t with the previous m_{t-1}",
        lambda g, mp, b: _ones(g, g),
    ),
    Mistake(
        "V_t = 1 for momentum, not 0: the step divides by sqrt(V_t)",
        lambda g, mp, b: (g + b * (mp - g), tf.zeros_like(g)),
    ),
    Mistake(
        "the two values are swapped: return the pair (m_t, V_t) in that order",
        lambda g, mp, b: (tf.ones_like(g), g + b * (mp - g)),
    ),
]


def check_sgdm_moments(student: Callable[..., Any]) -> None:
    """Check `sgdm_moments(g, m_prev, beta)`, which returns the pair (m_t, V_t) of momentum."""
    check_exercise(student, _course_moments, _moment_inputs, _MISTAKES)
