"""Checks for the exercises of notebook 08: the best learning rate of a sweep, and how much
larger a learning rate momentum allows than SGD."""

from collections.abc import Callable
from typing import Any

import numpy as np

from course_utils.checks import Mistake, Prediction, check_exercise, check_prediction


def _sweep_inputs(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(learning rates, final losses): 4 to 8 runs, one of them diverged (NaN)."""
    n = int(rng.integers(4, 9))
    learning_rates = np.sort(10.0 ** rng.uniform(-4, 1, n))
    final_losses = rng.uniform(0.01, 0.5, n)
    final_losses[rng.integers(n)] = np.nan
    return learning_rates, final_losses


def _best(learning_rates: np.ndarray, final_losses: np.ndarray) -> float:
    """The learning rate of the lowest finite loss, found by sorting the finite runs."""
    finite = np.isfinite(final_losses)
    order = np.argsort(final_losses[finite], kind="stable")
    return float(learning_rates[finite][order[0]])


_MISTAKES = [
    Mistake(
        "np.argmin returns the position of the first NaN (a diverged run): "
        "use np.nanargmin, which skips NaNs",
        lambda lrs, losses: lrs[np.argmin(losses)],
    ),
    Mistake(
        "that is the lowest loss; return the learning rate that gave it",
        lambda lrs, losses: np.nanmin(losses),
    ),
    Mistake(
        "that is the position in the list; return the learning rate at that position",
        lambda lrs, losses: float(np.nanargmin(losses)),
    ),
    Mistake("the best run has the LOWEST loss", lambda lrs, losses: lrs[np.nanargmax(losses)]),
]


def check_best_learning_rate(student: Callable[..., Any]) -> None:
    """Check `best_learning_rate(learning_rates, final_losses)`, NaN marking a diverged run."""
    check_exercise(student, _best, _sweep_inputs, _MISTAKES)


STABILITY_FACTOR = Prediction(
    expected=39.0,
    hint=(
        "on the bowl f = a w^2 / 2 SGD is stable while lr a < 2. With momentum, follow the "
        "zig-zag: a gradient that flips sign every step is shrunk by the average (02). The "
        "largest stable lr grows by the inverse of that shrink factor, at beta = 0.95."
    ),
    wrong=(
        (20.0, "1 / (1 - beta) is the window of the average (02), not its effect on a "
               "gradient that flips sign at every step"),
        (19.0, "that is the factor for beta = 0.9; the question asks for beta = 0.95"),
        (1 / 39, "upside down: momentum allows a LARGER learning rate than SGD, not a smaller"),
        (1.95, "1 + beta alone: the average also divides the zig-zag by 1 - beta"),
        (1.0, "momentum does change the limit: its average shrinks a zig-zag gradient"),
    ),
)


def check_stability_factor(answer: Any) -> None:
    """Check the predicted ratio of momentum's largest stable lr to SGD's (beta = 0.95)."""
    check_prediction(answer, STABILITY_FACTOR, "stability_factor")
