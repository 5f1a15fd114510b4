"""Checks for chapter 9's exercises: early stopping with patience, a diagnosis of a run, the
decay rate that reaches a target, and which rule gains from a schedule.

The references are private and written here from the rules: the notebook uses its own copy of
the early-stopping rule (`course_utils.figures.practice.stop_early`) only after exercise 9.1,
so that it runs whether or not the student has solved it.
"""

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from course_utils.checks import Choice, Mistake, check_choice, check_exercise

# Exercise 9.1: early stopping with patience


def _stop_early(values: Sequence[float], patience: int) -> tuple[int, int]:
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
        _, best = _stop_early(values, patience)
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
        lambda values, patience: _stop_early(values, patience)[::-1],
    ),
]


def check_early_stopping(student: Callable[..., Any]) -> None:
    """Check `early_stopping(values, patience)` on random validation curves."""
    check_exercise(student, _stop_early, _validation_curve, _STOPPING_MISTAKES)


# Exercise 9.2: diagnose a colleague's run (SGD at lr = 0.01 on digits: too small a rate)

DIAGNOSIS = Choice(
    expected="lr too small",
    choices=("overfitting", "lr too large", "lr too small", "sorted batches", "missing epsilon"),
    wrong={
        "overfitting": "a gap between the two curves is not overfitting by itself: overfitting "
        "is a validation loss that RISES while the training loss falls (tips 5 and 7); here "
        "both fall in every epoch, up to the last.",
        "lr too large": "too large a rate shows itself as jumps, a loss that rises, NaN, or a "
        "loss stuck high from the first epochs (SGD saturated at lr = 10 in 01 · SGD); this "
        "loss falls smoothly in every epoch.",
        "sorted batches": "the order of the batches matters when the steps are large (tip 4), "
        "and then the run stalls near chance; this one improves steadily in every epoch.",
        "missing epsilon": "a missing epsilon on digits gives NaN in the first epoch (tip 3); "
        "this run finished all 60 epochs.",
    },
)


def check_diagnosis(answer: Any) -> None:
    """Check the cause named for the colleague's run of exercise 9.2."""
    check_choice(answer, DIAGNOSIS, "diagnosis")


# Exercise 9.3: the decay rate that takes an exponential schedule to a target


def _rate_reaching(lr0: float, lr_end: float, epochs: int, decay_epochs: int) -> float:
    """The rate r with lr0 r^(epochs / decay_epochs) equal to lr_end, via logarithms."""
    return float(np.exp(np.log(lr_end / lr0) * decay_epochs / epochs))


def _target_inputs(rng: np.random.Generator) -> tuple[float, float, int, int]:
    """(lr0, lr_end, epochs, decay_epochs): lr_end 5 to 1000 times smaller than lr0."""
    lr0 = float(rng.uniform(0.01, 1.0))
    return (
        lr0,
        lr0 * float(rng.uniform(0.001, 0.2)),
        int(rng.integers(10, 100)),
        int(rng.integers(2, 10)),
    )


def _power(base: Callable, exponent: Callable) -> Callable[..., float]:
    """A wrong rate: base(lr0, lr_end) to the power exponent(epochs, decay_epochs)."""
    return lambda lr0, lr_end, e, k: float(np.exp(np.log(base(lr0, lr_end)) * exponent(e, k)))


_RATE_MISTAKES = [
    Mistake(
        "that rate is above 1: it makes the learning rate grow. The ratio to start from is "
        "lr_end over lr0, not lr0 over lr_end",
        _power(lambda lr0, lr_end: lr0 / lr_end, lambda e, k: k / e),
    ),
    Mistake(
        "the exponent is upside down: the schedule multiplies by decay_rate epochs/decay_epochs "
        "times, so take that root of the ratio, not that power",
        _power(lambda lr0, lr_end: lr_end / lr0, lambda e, k: e / k),
    ),
    Mistake(
        "that is the factor per epoch: decay_rate is applied once every decay_epochs epochs, "
        "so decay_epochs belongs in the exponent",
        _power(lambda lr0, lr_end: lr_end / lr0, lambda e, k: 1 / e),
    ),
    Mistake(
        "lr_end is reached AT epoch `epochs` (epochs count from 0, the schedule's exponent there "
        "is epochs/decay_epochs), not one epoch earlier",
        _power(lambda lr0, lr_end: lr_end / lr0, lambda e, k: k / (e - 1)),
    ),
    Mistake(
        "decay_rate is the factor KEPT per period (0.99 keeps 99%), not the part removed",
        lambda lr0, lr_end, e, k: 1 - _rate_reaching(lr0, lr_end, e, k),
    ),
    Mistake(
        "that is the factor over the whole run; decay_rate is the factor of ONE period of "
        "decay_epochs epochs",
        lambda lr0, lr_end, e, k: lr_end / lr0,
    ),
    Mistake(
        "that splits the DIFFERENCE evenly, as a linear schedule would; the exponential schedule "
        "multiplies by the same factor every period, so split the RATIO",
        lambda lr0, lr_end, e, k: 1 - (1 - lr_end / lr0) * k / e,
    ),
]


def check_decay_rate_for(student: Callable[..., Any]) -> None:
    """Check `decay_rate_for(lr0, lr_end, epochs, decay_epochs)` on random targets."""
    check_exercise(student, _rate_reaching, _target_inputs, _RATE_MISTAKES)


# Exercise 9.4: which rule gains from a schedule on Iris at lr0 = 0.1?

_STILL_DESCENDING = (
    "at lr = 0.1 it is still on its way down after 500 epochs (chapters 01 to 03): smaller "
    "steps only slow it. Which rule's loss at a constant lr = 0.1 still went up and down near "
    "the end?"
)

GAINS_FROM_DECAY = Choice(
    expected="rmsprop",
    choices=("sgd", "sgdm", "nesterov", "adagrad", "rmsprop", "adadelta", "adam"),
    wrong={
        "sgd": f"SGD {_STILL_DESCENDING}",
        "sgdm": f"momentum SGD {_STILL_DESCENDING}",
        "nesterov": f"Nesterov {_STILL_DESCENDING}",
        "adagrad": "AdaGrad's step already shrinks by itself, because its V_t only grows "
        "(04 · AdaGrad); a schedule shrinks it a second time and slows it down.",
        "adadelta": "AdaDelta (lr0 = 1) is still descending after 500 epochs, and its lr is a "
        "scale that is 1 by design (06 · AdaDelta): a schedule only slows it.",
        "adam": "at a constant lr = 0.1 Adam's loss already falls smoothly to the end, so "
        "smaller late steps have nothing to settle. Which rule's curve at lr = 0.1 stayed bumpy?",
    },
)


def check_gains_from_decay(answer: Any) -> None:
    """Check the rule named as the one that gains from both schedules in exercise 9.4."""
    check_choice(answer, GAINS_FROM_DECAY, "gains_from_decay")
