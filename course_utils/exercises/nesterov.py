"""Checks for the exercises of notebook 03, Nesterov momentum."""

from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils.checks import Mistake, check_exercise, random_shape, random_tensor
from course_utils.rules import nesterov_moments
from course_utils.update import as_tensors

Pair = tuple[tf.Tensor, tf.Tensor]


def _direction_inputs(rng: np.random.Generator) -> tuple:
    """(g_t, m_{t-1}, beta): two random tensors of one shape and a decay rate."""
    shape = random_shape(rng)
    return random_tensor(rng, shape), random_tensor(rng, shape), float(rng.uniform(0.5, 0.99))


def _course_direction(g: tf.Tensor, m_prev: tf.Tensor, beta: float) -> Pair:
    """(m_t, direction) from the course's rule, course_utils.rules.nesterov_moments."""
    hp = as_tensors({"beta": beta})
    look_ahead, _, state = nesterov_moments(g, {"m": m_prev}, hp, tf.constant(1.0))
    return state["m"], look_ahead


def _look_ahead(average: Callable[[Any, Any, float], Any], keep: float = 1.0) -> Callable:
    """A Nesterov answer built on the given average: (m, beta * m + keep * (1 - beta) * g),
    where m = average(g, m_prev, beta)."""

    def pair(g: tf.Tensor, mp: tf.Tensor, b: float) -> Pair:
        m = average(g, mp, b)
        return m, b * m + keep * (1 - b) * g

    return pair


def _ema(g: tf.Tensor, mp: tf.Tensor, b: float) -> tf.Tensor:
    """The right average m_t, rearranged: m_{t-1} moved a fraction 1 - beta towards g_t."""
    return mp + (1 - b) * (g - mp)


_right = _look_ahead(_ema)  # the right pair, for the mistakes that change only one value

_MISTAKES = [
    Mistake(
        "the direction equals m_t: that is plain momentum (and a look-ahead built from "
        "m_{t-1}, beta m_{t-1} + (1-beta) g_t, is m_t again); build it from the NEW "
        "average: beta m_t + (1-beta) g_t",
        lambda g, mp, b: (_ema(g, mp, b), _ema(g, mp, b)),
    ),
    Mistake(
        "the factor (1 - beta) is missing in front of g_t (in m_t and in the direction)",
        lambda g, mp, b: (g + b * mp, g + b * (g + b * mp)),
    ),
    Mistake(
        "the factor (1 - beta) is missing in front of g_t in the direction",
        lambda g, mp, b: (_ema(g, mp, b), g + b * _ema(g, mp, b)),
    ),
    Mistake(
        "the factor (1 - beta) is missing in front of g_t in the average m_t",
        _look_ahead(lambda g, mp, b: g + b * mp),
    ),
    Mistake(
        "sign error: the gradient enters the average with a plus sign "
        "(the minus comes in w_{t+1} = w_t - lr * direction)",
        _look_ahead(lambda g, mp, b: _ema(-g, mp, b), keep=-1.0),
    ),
    Mistake(
        "sign error: return the direction itself; the minus belongs to the update "
        "w_{t+1} = w_t - lr * direction",
        lambda g, mp, b: (_ema(g, mp, b), -_right(g, mp, b)[1]),
    ),
    Mistake(
        "the first value must be the NEW average m_t, not m_{t-1}",
        lambda g, mp, b: (mp, _right(g, mp, b)[1]),
    ),
    Mistake(
        "the two values are swapped: return (m, direction)",
        lambda g, mp, b: _right(g, mp, b)[::-1],
    ),
    Mistake(
        "m_{t-1} is ignored: (1 - beta) * g forgets the history; the average starts from "
        "beta * m_prev",
        _look_ahead(lambda g, mp, b: (1 - b) * g),
    ),
    Mistake(
        "that is a running sum m_{t-1} + g_t, which never forgets; an average shrinks "
        "the old value by beta and weighs g_t by 1 - beta",
        _look_ahead(lambda g, mp, b: mp + g),
    ),
    Mistake(
        "beta and 1 - beta are swapped: the old average keeps beta (close to 1), "
        "today's gradient gets 1 - beta",
        lambda g, mp, b: (_ema(mp, g, b), b * g + (1 - b) * _ema(mp, g, b)),
    ),
    Mistake(
        "the direction takes all of m_t: it is beta m_t + (1-beta) g_t",
        lambda g, mp, b: (_ema(g, mp, b), _ema(g, mp, b) + (1 - b) * g),
    ),
]


def check_nesterov_direction(student: Callable[..., Any]) -> None:
    """Check `nesterov_direction(g, m_prev, beta)`, which returns (m_t, look-ahead direction)."""
    check_exercise(student, _course_direction, _direction_inputs, _MISTAKES)
