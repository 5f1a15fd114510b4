"""Chapter 9's checks: each wrong answer gets its own hint, right answers in other forms pass."""

import numpy as np
import pytest

from course_utils.exercises.practice import (
    check_early_stopping,
    check_exponential_decay,
    stop_early,
)


def loop_early_stopping(values, patience):
    best = 0
    for epoch, value in enumerate(values):
        if value < values[best]:
            best = epoch
        if epoch - best >= patience:
            return epoch, best
    return len(values) - 1, best


def one_line(capsys) -> str:
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    return out


def test_stop_early_on_the_worked_example():
    assert stop_early([5, 3, 4, 4, 2, 3], 2) == (3, 1)
    assert stop_early([3, 2, 1], 5) == (2, 2)  # never stops early: the last epoch


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (loop_early_stopping, "✓"),
        (lambda v, p: (len(v) - 1, int(np.argmin(v))), "hindsight"),
        (lambda v, p: stop_early(v, p)[::-1], "the order"),
        (lambda v, p: (min(stop_early(v, p)[1] + p + 1, len(v) - 1), stop_early(v, p)[1]), "late"),
        (lambda v, p: None, "returned None"),
        (lambda v, p: (_ for _ in ()).throw(NotImplementedError()), "not attempted yet"),
    ],
)
def test_early_stopping_check(answer, words, capsys):
    check_early_stopping(answer)
    assert words in one_line(capsys)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda e, lr0, r, k: lr0 * np.power(r, np.asarray(e) / k), "✓"),
        (lambda e, lr0, r, k: lr0 * r ** (e // k), "staircase"),
        (lambda e, lr0, r, k: lr0 * r**e, "decay_epochs is missing"),
        (lambda e, lr0, r, k: lr0 * r ** (e * k), "don't multiply"),
        (lambda e, lr0, r, k: lr0 * (1 - r) ** (e / k), "KEPT"),
        (lambda e, lr0, r, k: r ** (e / k), "multiply by lr0"),
        (lambda e, lr0, r, k: np.zeros(len(e) + 1), "wrong shape"),
    ],
)
def test_exponential_decay_check(answer, words, capsys):
    check_exponential_decay(answer)
    assert words in one_line(capsys)
