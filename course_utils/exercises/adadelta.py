"""Notebook 06 (AdaDelta): the checks behind its three exercises.

- 6.1 `first_step`: predict AdaDelta's first step for beta = 0.99, epsilon = 1e-4, g_1 = -3.
- 6.2 `tiny_first_step`: the same settings, a tiny gradient g_1 = -1e-5.
- 6.3 `state_in_units(g, Eg2, Edw2, s)`: the gradient and the two averages of the same weights
  measured in a unit s times smaller (w' = s w).

The numbers of 6.1 and 6.2 follow from the derivation with U_0 = 0 and E[g^2]_0 = 0; the
reference of 6.3 is written here from the units (g has the unit 1/[w], a step the unit [w]).
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

_BETA, _EPSILON = 0.99, 1e-4


def _first_step(g: float) -> float:
    """AdaDelta's eta_1 from zero state: sqrt(0 + eps) / sqrt((1 - beta) g^2 + eps) times g."""
    return float(np.sqrt(_EPSILON) / np.sqrt((1 - _BETA) * g**2 + _EPSILON) * g)


FIRST_STEP = Prediction(
    expected=_first_step(-3.0),  # -0.09994
    hint="start from U_0 = 0 and E[g^2]_0 = 0 and follow the first row of the hand table "
    "with beta = 0.99 and epsilon = 1e-4.",
    wrong=(
        (-_first_step(-3.0), "right size, wrong sign: eta_1 is the amount SUBTRACTED from w, "
         "so it has the sign of g_1 (here the weight moves up)."),
        (-0.00447, "that is the page's first step, for beta = 0.95 and epsilon = 1e-6; redo "
         "it with beta = 0.99 and epsilon = 1e-4."),
        (0.00447, "that is the page's first step (and its sign flipped); use beta = 0.99, "
         "epsilon = 1e-4 and keep the sign of g_1."),
        (-3.0, "that is g_1 itself, SGD with lr = 1: AdaDelta multiplies g_1 by "
         "RMS[dw]_0 / RMS[g]_1, and RMS[dw]_0 is tiny."),
        (-0.03, "that is m_1 = g_1 sqrt(U_0 + eps): divide it by sqrt(V_1)."),
        (-0.01, "E[g^2]_1 holds only a (1 - beta) share of g_1^2 (the average starts at 0): "
         "was the (1 - beta) dropped, or swapped with beta?"),
        (-_first_step(-3.0) / 3.0, "that is the ratio RMS[dw]_0 / RMS[g]_1 alone: the step is "
         "that ratio TIMES g_1."),
    ),
)

TINY_FIRST_STEP = Prediction(
    expected=_first_step(-1e-5),  # -1e-05
    hint="write the first step out with U_0 = 0 and E[g^2]_0 = 0 and compare the two terms "
    "under the denominator's root for this gradient.",
    wrong=(
        (-0.1, "sqrt(epsilon / (1 - beta)) holds only when (1 - beta) g_1^2 is much larger "
         "than epsilon; here (1 - beta) g_1^2 = 1e-12 is far smaller, so epsilon dominates "
         "the denominator too."),
        (1e-5, "right size, wrong sign: eta_1 has the sign of g_1 (it is subtracted from w)."),
        (-1e-7, "that is m_1 = g_1 sqrt(U_0 + eps), the numerator alone: divide by "
         "sqrt(V_1), which is also about sqrt(eps) here."),
        (-0.01, "that is sqrt(epsilon), the numerator's RMS[dw]_0 alone: the step is "
         "RMS[dw]_0 / RMS[g]_1 times g_1."),
        (-1.0, "that is the ratio RMS[dw]_0 / RMS[g]_1 alone (about 1 here): the step is "
         "that ratio TIMES g_1."),
        (1.0, "that is the ratio RMS[dw]_0 / RMS[g]_1 alone (about 1 here): the step is "
         "that ratio TIMES g_1, so it has g_1's size and sign."),
    ),
)


def check_first_step(answer: Any) -> None:
    """Check exercise 6.1 (the first step for g_1 = -3) and print one line."""
    check_prediction(answer, FIRST_STEP, "first_step")


def check_tiny_first_step(answer: Any) -> None:
    """Check exercise 6.2 (the first step for g_1 = -1e-5) and print one line."""
    check_prediction(answer, TINY_FIRST_STEP, "tiny_first_step")


Inputs = tuple[tf.Tensor, tf.Tensor, tf.Tensor, float]
Scales = tuple[float, float, float]  # the powers of s for (g, E[g^2], E[dw^2])


def _units_inputs(rng: np.random.Generator) -> Inputs:
    """A gradient, two positive averages and a unit factor s well away from 1 (exact floats)."""
    shape = random_shape(rng)
    g = random_tensor(rng, shape)
    Eg2 = tf.square(random_tensor(rng, shape)) + 0.5
    Edw2 = 0.01 * (tf.square(random_tensor(rng, shape)) + 0.5)
    s = rng.uniform(2.0, 10.0) if rng.random() < 0.5 else rng.uniform(0.1, 0.5)
    return g, Eg2, Edw2, float(np.float32(s))


def _scaled(powers: Scales) -> Callable[..., tuple[np.ndarray, ...]]:
    """The three quantities multiplied by s to the given powers."""

    def convert(g: Any, Eg2: Any, Edw2: Any, s: float) -> tuple[np.ndarray, ...]:
        values = (g, Eg2, Edw2)
        return tuple(np.asarray(v, np.float64) * np.float64(s) ** p
                     for v, p in zip(values, powers, strict=True))

    return convert


# g has the unit 1/[w]: in a unit s times smaller (numbers s times larger) it is s times
# smaller; E[g^2] goes with its square; a step has the unit [w], and E[dw^2] its square.
_UNITS_REFERENCE = _scaled((-1, -2, 2))

_UNITS_MISTAKES = (
    Mistake(
        "that converts the other way, to a unit s times LARGER (w' = w / s): here the weights "
        "become s times larger numbers",
        _scaled((1, 2, -2)),
    ),
    Mistake(
        "the gradient goes the other way: it has the unit 1/[w], so weights that are s times "
        "larger numbers have gradients s times SMALLER (as in the bowl above)",
        _scaled((1, 2, 2)),
    ),
    Mistake(
        "the averages hold SQUARED gradients and steps: they change by the square of the "
        "factor that changes g and dw",
        _scaled((-1, -1, 1)),
    ),
    Mistake(
        "E[g^2] averages SQUARED gradients: it changes by the square of g's factor",
        _scaled((-1, -1, 2)),
    ),
    Mistake(
        "E[dw^2] averages SQUARED steps: it changes by the square of the steps' factor",
        _scaled((-1, -2, 1)),
    ),
    Mistake(
        "E[dw^2] must change too: AdaDelta's steps have the weights' unit, so in the new "
        "unit every past step is s times larger",
        _scaled((-1, -2, 0)),
    ),
    Mistake(
        "E[dw^2] goes the other way from E[g^2]: a step has the unit [w], a gradient 1/[w]",
        _scaled((-1, -2, -2)),
    ),
    Mistake(
        "E[g^2] must change too: it averages the squares of the gradients, which change",
        _scaled((-1, 0, 2)),
    ),
    Mistake(
        "E[g^2] averages the squares of the NEW gradients, which are smaller, not larger",
        _scaled((-1, 2, 2)),
    ),
    Mistake(
        "the gradient must change too: the loss is the same, the weights are s times larger "
        "numbers, so each slope is s times smaller",
        _scaled((0, -2, 2)),
    ),
)


def check_state_in_units(student: Callable) -> None:
    """Check exercise 6.3 (AdaDelta's state in other units) on random inputs; print one line."""
    check_exercise(student, reference=_UNITS_REFERENCE, make_inputs=_units_inputs,
                   mistakes=_UNITS_MISTAKES)
