"""Checks for the exercises of notebook 08, comparing the optimizers."""

from collections.abc import Callable
from typing import Any

import numpy as np

from course_utils.checks import Mistake, check_exercise


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
