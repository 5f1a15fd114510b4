"""Checks for chapter 9's exercises: early stopping with patience, exponential decay.

`stop_early` is also the rule the notebook uses after the exercise, so that the notebook runs
whether or not the student has solved it.
"""

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from course_utils.checks import Mistake, check_exercise


def stop_early(values: Sequence[float], patience: int) -> tuple[int, int]:
    """(stop epoch, best epoch): stop once `patience` epochs passed without a new best."""
    curve = np.asarray(values)
    for stop, lowest in enumerate(np.minimum.accumulate(curve)):
        best_epoch = int(np.flatnonzero(curve == lowest)[0])
        if stop >= best_epoch + patience:
            return stop, best_epoch
    return len(curve) - 1, int(np.argmin(curve))


def _hindsight(values: Sequence[float], patience: int) -> tuple[int, int]:
    return len(values) - 1, int(np.argmin(values))


def _since_last_decrease(values: Sequence[float], patience: int) -> tuple[int, int]:
    waited = 0
    for epoch in range(1, len(values)):
        waited = 0 if values[epoch] < values[epoch - 1] else waited + 1
        if waited >= patience:
            return epoch, int(np.argmin(values[: epoch + 1]))
    return len(values) - 1, int(np.argmin(values))


def _shifted_stop(shift: int) -> Callable[[Sequence[float], int], tuple[int, int]]:
    def wrong(values: Sequence[float], patience: int) -> tuple[int, int]:
        _, best = stop_early(values, patience)
        return min(best + patience + shift, len(values) - 1), best

    return wrong


def _validation_curve(rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """A curve that falls, zig-zags on a plateau, then rises; a patience of 3 to 7."""
    epochs = int(rng.integers(50, 80))
    e = np.arange(epochs)
    turn = int(rng.integers(10, 20))
    rise = turn + int(rng.integers(12, 20))
    curve = 1.0 / (1.0 + 0.2 * np.minimum(e, turn)) + 0.005 * np.maximum(0, e - rise)
    zigzag = 0.01 * ((e > turn) & (e <= rise)) * (1.5 + (-1.0) ** e)
    return curve + zigzag + rng.normal(0.0, 0.002, epochs), int(rng.integers(3, 8))


_STOPPING_MISTAKES = [
    Mistake(
        "that is the minimum of the whole curve, found in hindsight; the rule must decide "
        "epoch by epoch and stop `patience` epochs after the best so far",
        _hindsight,
    ),
    Mistake(
        "count the epochs since the BEST value so far, not since the last decrease",
        _since_last_decrease,
    ),
    Mistake("one epoch too late: stop when epoch - best_epoch == patience", _shifted_stop(1)),
    Mistake("one epoch too early: stop when epoch - best_epoch == patience", _shifted_stop(-1)),
    Mistake(
        "the order: return (stop_epoch, best_epoch)",
        lambda values, patience: stop_early(values, patience)[::-1],
    ),
]


def check_early_stopping(student: Callable[..., Any]) -> None:
    """Check `early_stopping(values, patience)` on random validation curves."""
    check_exercise(student, stop_early, _validation_curve, _STOPPING_MISTAKES)


def _decayed(epoch: np.ndarray, lr0: float, rate: float, period: int) -> np.ndarray:
    return lr0 * np.exp(np.log(rate) * epoch / period)


def _schedule_inputs(rng: np.random.Generator) -> tuple[np.ndarray, float, float, int]:
    epochs = np.arange(int(rng.integers(5, 60)))
    return (
        epochs,
        float(rng.uniform(0.01, 1.0)),
        float(rng.uniform(0.5, 0.99)),
        int(rng.integers(2, 20)),
    )


_DECAY_MISTAKES = [
    Mistake(
        "that is the staircase version, r ** (epoch // k); here the exponent is the fraction "
        "epoch / decay_epochs",
        lambda e, lr0, r, k: lr0 * r ** (e // k),
    ),
    Mistake(
        "decay_epochs is missing: the rate is applied once per decay_epochs epochs, so the "
        "exponent is epoch / decay_epochs",
        lambda e, lr0, r, k: lr0 * r**e,
    ),
    Mistake(
        "divide the epoch by decay_epochs, don't multiply", lambda e, lr0, r, k: lr0 * r ** (e * k)
    ),
    Mistake(
        "decay_rate is the factor KEPT per period (0.99 keeps 99%), not the part removed: "
        "use decay_rate, not 1 - decay_rate",
        lambda e, lr0, r, k: lr0 * (1 - r) ** (e / k),
    ),
    Mistake("the schedule starts at lr0: multiply by lr0", lambda e, lr0, r, k: r ** (e / k)),
]


def check_exponential_decay(student: Callable[..., Any]) -> None:
    """Check `exponential_decay(epoch, lr0, decay_rate, decay_epochs)` on random schedules."""
    check_exercise(student, _decayed, _schedule_inputs, _DECAY_MISTAKES)
