"""Notebook 05 (RMSProp): the check behind exercise 5.1, `rmsprop_moments(g, V_prev, beta)`."""

from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils import rules, update
from course_utils.checks import Mistake, check_exercise, random_shape, random_tensor


def _inputs(rng: np.random.Generator) -> tuple[tf.Tensor, tf.Tensor, float]:
    """A gradient, a positive previous average and a decay rate exact in float32."""
    shape = random_shape(rng)
    V_prev = tf.abs(random_tensor(rng, shape)) + 0.1
    return random_tensor(rng, shape), V_prev, float(np.float32(rng.uniform(0.5, 0.99)))


def _reference(g: tf.Tensor, V_prev: tf.Tensor, beta: float) -> tuple[tf.Tensor, tf.Tensor]:
    """The course's rule with epsilon 0; the average V_t is the state it keeps."""
    hp = update.as_tensors({"beta": beta, "epsilon": 0.0})
    first, _, state = rules.rmsprop_moments(g, {"V": V_prev}, hp, tf.constant(1.0))
    return first, state["V"]


def _answer(
    old: Callable[[Any, float], Any] = lambda V, beta: beta * V,
    new: Callable[[Any, float], Any] = lambda g, beta: (1 - beta) * tf.square(g),
    sign: float = 1.0,
) -> Callable[..., Any]:
    """An answer (sign * g_t, old(V_{t-1}) + new(g_t)): the weighting of each term can vary."""
    return lambda g, V_prev, beta: (sign * g, old(V_prev, beta) + new(g, beta))


_FORGOT = (
    "V_t forgot the past (the state V_{t-1} was not carried): "
    "V_t = beta * V_{t-1} + (1 - beta) * g_t^2"
)

_MISTAKES = (
    Mistake(
        "that is AdaGrad's running sum V_{t-1} + g_t^2; RMSProp averages: "
        "beta * V_{t-1} + (1 - beta) * g_t^2",
        _answer(old=lambda V, beta: V, new=lambda g, beta: tf.square(g)),
    ),
    Mistake(
        "the (1 - beta) in front of g_t^2 is missing",
        _answer(new=lambda g, beta: tf.square(g)),
    ),
    Mistake(
        "average the SQUARED gradient: (1 - beta) * g_t^2, not (1 - beta) * g_t",
        _answer(new=lambda g, beta: (1 - beta) * g),
    ),
    Mistake(_FORGOT, _answer(old=lambda V, beta: 0.0)),
    Mistake(_FORGOT, _answer(old=lambda V, beta: 0.0, new=lambda g, beta: tf.square(g))),
    Mistake(
        "beta and 1 - beta are swapped: the OLD average gets beta",
        _answer(old=lambda V, beta: (1 - beta) * V, new=lambda g, beta: beta * tf.square(g)),
    ),
    Mistake(
        "sign error: the first moment is m_t = g_t, not -g_t",
        _answer(sign=-1.0),
    ),
    Mistake(
        "sign error in V_t: the new squared gradient is ADDED, + (1 - beta) * g_t^2",
        _answer(new=lambda g, beta: -(1 - beta) * tf.square(g)),
    ),
    Mistake(
        "V_t is the average itself; the square root belongs to the step, not to V_t",
        lambda g, V_prev, beta: (g, tf.sqrt(_answer()(g, V_prev, beta)[1])),
    ),
    Mistake(
        "the pair is in the wrong order: return (m_t, V_t)",
        lambda g, V_prev, beta: _answer()(g, V_prev, beta)[::-1],
    ),
)


def check_rmsprop_moments(student: Callable) -> None:
    """Check exercise 5.1 (RMSProp's m_t and V_t) on random inputs and print one line."""
    check_exercise(student, reference=_reference, make_inputs=_inputs, mistakes=_MISTAKES)
