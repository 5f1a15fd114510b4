"""Checks for the exercises of notebook 02, SGD with momentum.

2.1 predicts the steady zig-zag |m_t| for beta = 0.8 (the notebook derives it for 0.9), 2.2
asks for the average k steps after the gradient has become constant, starting from any value
(the notebook shows only the start from m_0 = 0), and 2.3 predicts the beta whose slow start
lasts 10 steps: m_10 = 95% of a constant gradient. The references are written here
from the formulas, not taken from course_utils.rules.
"""

from collections.abc import Callable
from typing import Any

import numpy as np

from course_utils.checks import (
    Mistake,
    Prediction,
    check_exercise,
    check_prediction,
    random_shape,
    random_tensor,
)

# Exercise 2.1: g_t = +1, -1, +1, ... and beta = 0.8. In the steady state m_{t-1} = -m_t, so
# (1 + beta) m_t = (1 - beta) g_t: |m_t| = 0.2 / 1.8.
ZIGZAG_SIZE = Prediction(
    0.2 / 1.8,
    "in the steady state m_t only flips its sign: put m_{t-1} = -m_t into the update with "
    "beta = 0.8 and g_t = 1, and solve for m_t.",
    wrong=(
        (0.2, "0.2 is 1 - beta, today's gradient's weight alone (that is m_1); in the steady "
              "state the previous average, of the opposite sign, pulls against it."),
        (0.8, "0.8 is beta, the old average's weight, not the size of m_t: solve the update "
              "with m_{t-1} = -m_t for m_t."),
        (0.1 / 1.9, "that is beta = 0.9's value from the derivation: redo it with beta = 0.8."),
        (1.0, "that is SGD's step: SGDM's average keeps the zig-zag's sign flips, but not "
              "its full size."),
        (-0.2 / 1.8, "that is m_t after a -1 gradient; the question asks for the size |m_t|, "
                     "a positive number."),
        (0.0, "the zig-zag does not cancel completely: the newest gradient always weighs "
              "more than the one before it."),
        (0.2 / 0.8, "that is (1 - beta) / beta: collect the m_t terms from both sides of the "
                    "update (m_{t-1} = -m_t sits on the right)."),
        (1 / 1.8, "that is the size of the velocity form's v_t, without the factor 1 - beta "
                  "on g_t; the course's m_t is an average."),
        (1.8 / 0.2, "upside down: |m_t| is a fraction of SGD's step, smaller than 1."),
    ),
)

# Exercise 2.3: m_t = 1 - beta^t for g_t = 1 from m_0 = 0; m_10 = 0.95 needs beta^10 = 0.05.
FAST_START_BETA = Prediction(
    0.05**0.1,
    "from m_0 = 0 on a constant gradient the weights add up to 1 - beta^t (the derivation): "
    "choose beta so that the part still missing after 10 steps is 5% of the gradient.",
    wrong=(
        (0.9, "with beta = 0.9, ten steps fill the average only to 0.651 (the window section): "
              "a quicker start needs a shorter memory, a smaller beta."),
        (0.95, "0.95 is the level that m_t has to reach, not beta."),
        (0.05, "0.05 is the part still missing after the 10 steps; beta is the factor by "
               "which that part shrinks at each step."),
        (1 - 0.05**0.1, "that is 1 - beta, the weight of today's gradient; the question asks "
                        "for beta."),
        (0.7, "that is a window of 10/3 steps, from the rule of thumb that three windows "
              "fill 95% (e^-3 = 0.0498); the average's missing part shrinks by exactly beta "
              "per step, not by e^(-1/window): solve for beta exactly."),
        (0.05 ** (1 / 9), "that beta reaches 95% after 9 steps: m_1 already holds one step's "
                          "weight 1 - beta, so count t from 1."),
        (0.05 ** (1 / 11), "that beta reaches 95% only after 11 steps: count t from 1."),
        (0.1**0.1, "that beta reaches 90% of the gradient after 10 steps, not 95%."),
    ),
)


def check_zigzag_size(answer: Any) -> None:
    """Check exercise 2.1's prediction: the steady |m_t| of the zig-zag for beta = 0.8."""
    check_prediction(answer, ZIGZAG_SIZE, "zigzag_size")


def check_fast_start_beta(answer: Any) -> None:
    """Check exercise 2.3's prediction: the beta whose m_t reaches 95% of g at step 10."""
    check_prediction(answer, FAST_START_BETA, "fast_start_beta")


# Exercise 2.2: the average k steps after the gradient has become the constant c.


def _after_inputs(rng: np.random.Generator) -> tuple:
    """(m_start, c, beta, k): two random tensors of one shape, a decay rate, a step count."""
    shape = random_shape(rng)
    return (random_tensor(rng, shape), random_tensor(rng, shape),
            float(rng.uniform(0.6, 0.95)), int(rng.integers(2, 13)))


def _arrays(m_start: Any, c: Any) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(m_start, np.float64), np.asarray(c, np.float64)


def _weights_after(m_start: Any, c: Any, keep: float, new: float) -> np.ndarray:
    """keep times m_start plus new times c, in float64."""
    m, g = _arrays(m_start, c)
    return keep * m + new * g


def _reference(m_start: Any, c: Any, beta: float, k: int) -> np.ndarray:
    """Unrolled from m_k = beta m_{k-1} + (1 - beta) c: m_start keeps beta^k, c gets the rest."""
    kept = float(np.power(beta, k))
    return _weights_after(m_start, c, kept, 1.0 - kept)


_AFTER_MISTAKES = [
    Mistake(
        "m_start is missing: that is the start from m_0 = 0. Here the average starts from "
        "m_start, and the weight that m_start keeps after k steps has not vanished",
        lambda m, c, b, k: _weights_after(m, c, 0.0, 1 - b**k),
    ),
    Mistake(
        "the weights are swapped: m_start is what fades, the constant gradient c is what "
        "takes over",
        lambda m, c, b, k: _weights_after(m, c, 1 - b**k, b**k),
    ),
    Mistake(
        "one step short: in k steps the old value is multiplied by beta k times, not k - 1",
        lambda m, c, b, k: _weights_after(m, c, b ** (k - 1), 1 - b ** (k - 1)),
    ),
    Mistake(
        "one step too many: in k steps the old value is multiplied by beta k times, not k + 1",
        lambda m, c, b, k: _weights_after(m, c, b ** (k + 1), 1 - b ** (k + 1)),
    ),
    Mistake(
        "that is a single step of the average; repeat it k times (or unroll it)",
        lambda m, c, b, k: _weights_after(m, c, b, 1 - b),
    ),
    Mistake(
        "the weights do not add up to 1: c gets the share that m_start has lost, not all of it",
        lambda m, c, b, k: _weights_after(m, c, b**k, 1.0),
    ),
    Mistake(
        "c has only one step's weight 1 - beta there; k steps of c together get all the "
        "weight that m_start has lost",
        lambda m, c, b, k: _weights_after(m, c, b**k, 1 - b),
    ),
    Mistake(
        "that is the limit after infinitely many steps; after k steps part of m_start is "
        "still in the average",
        lambda m, c, b, k: _weights_after(m, c, 0.0, 1.0),
    ),
    Mistake(
        "(1 - beta)^k: the old value keeps the fraction beta at every step, not 1 - beta",
        lambda m, c, b, k: _weights_after(m, c, (1 - b) ** k, 1 - (1 - b) ** k),
    ),
    Mistake(
        "sign error: the gap between the average and c shrinks, it does not change sign",
        lambda m, c, b, k: _weights_after(m, c, -(b**k), 1 + b**k),
    ),
    Mistake(
        "that is the velocity form's sum, which grows to c/(1 - beta); the course's m_t is "
        "an average, its weights add up to 1",
        lambda m, c, b, k: _weights_after(m, c, b**k, (1 - b**k) / (1 - b)),
    ),
]


def check_moment_after(student: Callable[..., Any]) -> None:
    """Check `moment_after(m_start, c, beta, k)`: the first moment k steps after g became c."""
    check_exercise(student, _reference, _after_inputs, _AFTER_MISTAKES)
