"""Checks for the exercises of notebook 01, SGD.

1.1 asks for the weight after T SGD steps on the bowl f(w) = a/2 w^2, in closed form (a loop
that takes the T steps is right too). 1.2 asks for the largest learning rate at which SGD
converges on a bowl with two curvatures, 1 and 5.
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


def _bowl_inputs(rng: np.random.Generator) -> tuple:
    """(w0, a, lr, T): a random float32 tensor, a curvature, a learning rate, a step count.

    The factor 1 - a lr is drawn from [-1.2, -0.4] or [0.3, 0.9]: sometimes negative
    (overshooting), sometimes beyond -1 (diverging), never so close to 0 that T steps leave
    nothing to compare; T stays small enough for float32.
    """
    a = float(rng.uniform(0.5, 5.0))
    factor = float(rng.choice([-1, 1]) * rng.uniform(0.3, 0.9))
    factor = factor * 4 / 3 if factor < 0 else factor  # negative side: down to -1.2
    return random_tensor(rng, random_shape(rng)), a, (1.0 - factor) / a, int(rng.integers(2, 9))


def _reference(w0: Any, a: float, lr: float, T: int) -> np.ndarray:
    """The weight after T steps w <- w - lr a w, from the factor each step multiplies by."""
    return np.asarray(w0, dtype=np.float64) * (1.0 - a * lr) ** T


def _w0(w0: Any) -> np.ndarray:
    return np.asarray(w0, dtype=np.float64)


_MISTAKES = [
    Mistake(
        "one step too few: T steps multiply w0 by the factor T times (the exponent is T, "
        "not T - 1)",
        lambda w0, a, lr, T: _w0(w0) * (1 - a * lr) ** (T - 1),
    ),
    Mistake(
        "one step too many: after T steps the factor has been applied T times, not T + 1",
        lambda w0, a, lr, T: _w0(w0) * (1 - a * lr) ** (T + 1),
    ),
    Mistake(
        "sign error: SGD steps against the gradient a w, so each step multiplies w by "
        "1 MINUS a lr",
        lambda w0, a, lr, T: _w0(w0) * (1 + a * lr) ** T,
    ),
    Mistake(
        "the curvature a is missing: the gradient of a/2 w^2 is a w, not w",
        lambda w0, a, lr, T: _w0(w0) * (1 - lr) ** T,
    ),
    Mistake(
        "the gradient of a/2 w^2 is a w, not 2 a w: the factor is 1 - a lr",
        lambda w0, a, lr, T: _w0(w0) * (1 - 2 * a * lr) ** T,
    ),
    Mistake(
        "that is T steps of the first gradient a w0: the gradient shrinks with w, so each "
        "step multiplies the weight by the same factor instead",
        lambda w0, a, lr, T: _w0(w0) * (1 - T * a * lr),
    ),
    Mistake(
        "that is only the factor after T steps: multiply it by the starting weight w0",
        lambda w0, a, lr, T: np.broadcast_to((1 - a * lr) ** T, np.shape(w0)),
    ),
]


def check_sgd_weight_after(student: Callable[..., Any]) -> None:
    """Check `sgd_weight_after(w0, a, lr, T)`: the weight after T SGD steps on the bowl."""
    check_exercise(student, _reference, _bowl_inputs, _MISTAKES)


MAX_STABLE_LR = Prediction(
    0.4,
    hint="each weight is multiplied by its own factor 1 - a lr every step; find the largest "
         "lr for which neither factor reaches -1",
    wrong=(
        (2.0, "that is the limit of the gentle direction w1 (a = 1); the steep one, w2 with "
              "a = 5, diverges at a much smaller lr"),
        (0.2, "at that lr w2 lands on 0 in one step; beyond it w2 overshoots but still "
              "shrinks, until its factor reaches -1"),
        (1.0, "at that lr w1 lands on 0 in one step, but w2's factor is -4: w2 diverges"),
        (1 / 3, "curvatures do not add up: each coordinate has its own factor, and the "
                "steepest one sets the limit"),
        (2 / 3, "not the mean curvature: each coordinate has its own factor, and the "
                "steepest one sets the limit"),
        (0.8, "the curvature of 5/2 w2^2 is 5 (its gradient is 5 w2), not 2.5"),
    ),
)


def check_max_stable_lr(answer: Any) -> None:
    """Check the predicted largest lr at which SGD converges on the bowl (w1^2 + 5 w2^2) / 2."""
    check_prediction(answer, MAX_STABLE_LR, "max_stable_lr")
