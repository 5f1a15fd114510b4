"""Notebook 08's exercise check: every hint is reachable, right answers written otherwise pass."""

import numpy as np
import pytest
from exercise_output import one_line

from course_utils.exercises import comparison
from course_utils.exercises.comparison import check_best_learning_rate

HINTS = [mistake.hint for mistake in comparison._MISTAKES]


def run(student, capsys) -> str:
    """The check's single line of output for `student`."""
    return one_line(check_best_learning_rate, student, capsys)


WRONG = [
    (lambda lrs, losses: lrs[np.argmin(losses)], "first NaN"),
    (lambda lrs, losses: np.nanmin(losses), "lowest loss;"),
    (lambda lrs, losses: np.nanargmin(losses), "position in the list"),
    (lambda lrs, losses: lrs[np.nanargmax(losses)], "LOWEST"),
]


@pytest.mark.parametrize(("student", "words"), WRONG, ids=[words for _, words in WRONG])
def test_each_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in HINTS if words in hint]
    assert run(student, capsys) == f"✗ <lambda>: {hint}\n"


def test_every_hint_is_tested():
    assert sorted(HINTS) == sorted(hint for hint in HINTS for _, w in WRONG if w in hint)


def by_loop(lrs, losses):
    best_lr, best_loss = None, np.inf
    for lr, loss in zip(lrs, losses, strict=True):
        if not np.isnan(loss) and loss < best_loss:
            best_lr, best_loss = lr, loss
    return best_lr


@pytest.mark.parametrize(
    "student",
    [
        by_loop,
        lambda lrs, losses: lrs[np.nanargmin(losses)],
        lambda lrs, losses: min(zip(np.nan_to_num(losses, nan=np.inf), lrs, strict=True))[1],
    ],
)
def test_right_answers_pass(student, capsys):
    assert run(student, capsys).startswith("✓")


def test_not_attempted_and_none(capsys):
    def not_yet(lrs, losses):
        raise NotImplementedError()

    assert "not attempted yet" in run(not_yet, capsys)
    assert "returned None" in run(lambda lrs, losses: None, capsys)


def factor_line(answer, capsys) -> str:
    """The stability-factor check's single line for a predicted value."""
    return one_line(lambda _: comparison.check_stability_factor(answer), None, capsys)


@pytest.mark.parametrize("answer", [39, 39.0, 39.2, (1 + 0.95) / (1 - 0.95)])
def test_the_stability_factor_accepts_the_value_however_written(answer, capsys):
    assert factor_line(answer, capsys).startswith("✓ stability_factor = 39")


@pytest.mark.parametrize(("value", "hint"), comparison.STABILITY_FACTOR.wrong)
def test_each_typical_wrong_factor_gets_its_hint(value, hint, capsys):
    assert factor_line(value, capsys).endswith(f": {hint}\n")


@pytest.mark.parametrize(("answer", "words"), [
    (..., "not attempted yet"), (12, "is not it. Hint: on the bowl"), ("39", "plain numbers"),
    (None, "plain numbers"), ([39, 1], "give 1 number(s)"), (True, "plain numbers")])
def test_other_factors_get_a_clear_line(answer, words, capsys):
    assert words in factor_line(answer, capsys)
