"""Notebook 04 (AdaGrad): the check behind exercise 4.1, `adagrad_moments(g, V_prev)`."""

from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils import rules, update
from course_utils.checks import Mistake, check_exercise, random_shape, random_tensor


def _inputs(rng: np.random.Generator) -> tuple[tf.Tensor, tf.Tensor]:
    """A gradient and a previous sum of squares (never negative) of one random shape."""
    shape = random_shape(rng)
    return random_tensor(rng, shape), tf.abs(random_tensor(rng, shape))


def _reference(g: tf.Tensor, V_prev: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """The course's rule with epsilon 0; the sum V_t is the state it keeps."""
    hp = update.as_tensors({"epsilon": 0.0})
    first, _, state = rules.adagrad_moments(g, {"V": V_prev}, hp, tf.constant(1.0))
    return first, state["V"]


def _with_sum(combine: Callable[[Any, Any], Any], sign: float = 1.0) -> Callable[..., Any]:
    """An answer whose m_t is sign * g_t and whose V_t is combine(V_{t-1}, g_t)."""
    return lambda g, V_prev: (sign * g, combine(V_prev, g))


def _moving_average(beta: float) -> Callable[..., Any]:
    """RMSProp's V_t with decay rate beta, given as AdaGrad's."""
    return _with_sum(lambda V, g: beta * V + (1 - beta) * tf.square(g))


_EMA = (
    "that is a moving average (RMSProp's, next notebook); AdaGrad keeps the full sum "
    "V_{t-1} + g_t^2, nothing decays"
)
_SQUARED = "V_t sums the SQUARED gradients: V_{t-1} + g_t**2, not V_{t-1} + g_t"

_MISTAKES = (
    *(Mistake(_EMA, _moving_average(beta)) for beta in (0.9, 0.95, 0.99, 0.999)),
    Mistake(_EMA, _with_sum(lambda V, g: 0.9 * V + tf.square(g))),
    Mistake(_SQUARED, _with_sum(lambda V, g: V + g)),
    Mistake(_SQUARED, _with_sum(lambda V, g: V + tf.abs(g))),
    Mistake(
        "square g_t alone, then add it: V_{t-1} + g_t**2, not (V_{t-1} + g_t)**2",
        _with_sum(lambda V, g: tf.square(V + g)),
    ),
    Mistake(
        "V_t forgot the past (the state V_{t-1} was not carried): add g_t**2 to V_prev, "
        "don't replace it",
        _with_sum(lambda V, g: tf.square(g)),
    ),
    Mistake(
        "you returned sqrt(V_t); return V_t itself, the step takes the root",
        _with_sum(lambda V, g: tf.sqrt(V + tf.square(g))),
    ),
    Mistake(
        "sign error: m_t is the gradient g_t itself; the minus sign is in w - eta_t",
        _with_sum(lambda V, g: V + tf.square(g), sign=-1.0),
    ),
    Mistake(
        "m_t is the gradient itself; the division by sqrt(V_t) belongs to the step eta_t",
        lambda g, V_prev: (g / tf.sqrt(V_prev + tf.square(g)), V_prev + tf.square(g)),
    ),
    Mistake(
        "the pair is in the wrong order: return (m_t, V_t)",
        lambda g, V_prev: (V_prev + tf.square(g), g),
    ),
)


def check_adagrad_moments(student: Callable) -> None:
    """Check exercise 4.1 (AdaGrad's m_t and V_t) on random inputs and print one line."""
    check_exercise(student, reference=_reference, make_inputs=_inputs, mistakes=_MISTAKES)
