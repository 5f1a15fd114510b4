"""Chapter 9's checks: each wrong answer gets its own hint, right answers in other forms pass,
unusable answers get one line; the notebook's answers pass and give nothing away."""

import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_output import one_line

from course_utils.exercises import practice
from course_utils.exercises.practice import (
    DIAGNOSIS,
    GAINS_FROM_DECAY,
    check_decay_rate_for,
    check_diagnosis,
    check_early_stopping,
    check_gains_from_decay,
)
from course_utils.figures.practice import stop_early

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "09_in_practice.ipynb"


def run(check, answer, capsys) -> str:
    return one_line(check, answer, capsys)


def hint_for(hints, words):
    (hint,) = [hint for hint in hints if words in hint]
    return hint


# Exercise 9.1: early stopping

STOPPING_HINTS = [mistake.hint for mistake in practice._STOPPING_MISTAKES]


def loop_early_stopping(values, patience):
    best = 0
    for epoch, value in enumerate(values):
        if value < values[best]:
            best = epoch
        if epoch - best >= patience:
            return epoch, best
    return len(values) - 1, best


def counting_early_stopping(values, patience):
    best_value, best_epoch, waited = float("inf"), 0, 0
    for epoch, value in enumerate(values):
        if value < best_value:
            best_value, best_epoch, waited = value, epoch, 0
        else:
            waited += 1
        if waited == patience:
            return [epoch, best_epoch]  # a list is fine too
    return len(values) - 1, best_epoch


def since_last_decrease(values, patience):
    waited = 0
    for epoch in range(1, len(values)):
        waited = 0 if values[epoch] < values[epoch - 1] else waited + 1
        if waited >= patience:
            return epoch, int(np.argmin(values[: epoch + 1]))
    return len(values) - 1, int(np.argmin(values))


def shifted(shift):
    def wrong(values, patience):
        _, best = loop_early_stopping(values, patience)
        return min(best + patience + shift, len(values) - 1), best

    return wrong


STOPPING_WRONG = [
    (lambda v, p: (len(v) - 1, int(np.argmin(v))), "hindsight"),
    (since_last_decrease, "not since the last decrease"),
    (shifted(1), "one epoch too late"),
    (shifted(-1), "one epoch too early"),
    (lambda v, p: loop_early_stopping(v, p)[::-1], "the order"),
]


@pytest.mark.parametrize(("student", "words"), STOPPING_WRONG, ids=[w for _, w in STOPPING_WRONG])
def test_early_stopping_each_mistake_gets_its_own_hint(student, words, capsys):
    hint = hint_for(STOPPING_HINTS, words)
    assert run(check_early_stopping, student, capsys).endswith(f": {hint}\n")


def test_early_stopping_every_hint_is_tested():
    assert sorted(STOPPING_HINTS) == sorted(
        hint for hint in STOPPING_HINTS for _, w in STOPPING_WRONG if w in hint
    )


@pytest.mark.parametrize("student", [loop_early_stopping, counting_early_stopping, stop_early])
def test_early_stopping_right_answers_pass(student, capsys):
    assert run(check_early_stopping, student, capsys).startswith("✓")


def test_the_notebooks_stop_early_is_the_rule_of_the_exercise():
    assert stop_early([5, 3, 4, 4, 2, 3], 2) == (3, 1)
    assert stop_early([3, 2, 1], 5) == (2, 2)  # never stops early: the last epoch
    rng = np.random.default_rng(1)
    for _ in range(20):
        values, patience = practice._validation_curve(rng)
        assert stop_early(values, patience) == practice._stop_early(values, patience)


# Exercise 9.3: the decay rate that reaches lr_end

RATE_HINTS = [mistake.hint for mistake in practice._RATE_MISTAKES]
RATE_WRONG = [
    (lambda lr0, lr_end, e, k: (lr0 / lr_end) ** (k / e), "above 1"),
    (lambda lr0, lr_end, e, k: (lr_end / lr0) ** (e / k), "upside down"),
    (lambda lr0, lr_end, e, k: (lr_end / lr0) ** (1 / e), "factor per epoch"),
    (lambda lr0, lr_end, e, k: (lr_end / lr0) ** (k / (e - 1)), "one epoch earlier"),
    (lambda lr0, lr_end, e, k: 1 - (lr_end / lr0) ** (k / e), "KEPT"),
    (lambda lr0, lr_end, e, k: lr_end / lr0, "whole run"),
    (lambda lr0, lr_end, e, k: 1 - (lr0 - lr_end) / lr0 * k / e, "DIFFERENCE"),
]


@pytest.mark.parametrize(("student", "words"), RATE_WRONG, ids=[w for _, w in RATE_WRONG])
def test_decay_rate_each_mistake_gets_its_own_hint(student, words, capsys):
    hint = hint_for(RATE_HINTS, words)
    assert run(check_decay_rate_for, student, capsys) == f"✗ <lambda>: {hint}\n"


def test_decay_rate_every_hint_is_tested():
    assert sorted(RATE_HINTS) == sorted(
        hint for hint in RATE_HINTS for _, w in RATE_WRONG if w in hint
    )


def test_decay_rate_mistakes_differ_from_the_answer_and_each_other():
    rng = np.random.default_rng(0)
    for _ in range(200):
        inputs = practice._target_inputs(rng)
        values = [practice._rate_reaching(*inputs)]
        values += [m.implementation(*inputs) for m in practice._RATE_MISTAKES]
        gaps = np.abs(np.subtract.outer(values, values))[np.triu_indices(len(values), 1)]
        assert gaps.min() > 1e-4, (inputs, values)


def float32_rate(lr0, lr_end, epochs, decay_epochs):
    ratio = np.float32(lr_end / lr0)
    return ratio ** np.float32(decay_epochs / epochs)  # a float32 number


def solving_the_schedule(lr0, lr_end, epochs, decay_epochs):
    # lr0 * r ** (epochs / decay_epochs) == lr_end, solved with logarithms
    return math.exp((math.log(lr_end) - math.log(lr0)) / (epochs / decay_epochs))


@pytest.mark.parametrize(
    "student",
    [
        lambda lr0, lr_end, e, k: (lr_end / lr0) ** (k / e),
        lambda lr0, lr_end, e, k: np.power(lr_end / lr0, 1 / (e / k)),
        solving_the_schedule,
        float32_rate,
        lambda lr0, lr_end, e, k: np.array([(lr_end / lr0) ** (k / e)])[0],
    ],
)
def test_decay_rate_right_answers_pass(student, capsys):
    assert run(check_decay_rate_for, student, capsys).startswith("✓")


def not_attempted(*args):
    raise NotImplementedError()


def no_return(lr0, lr_end, e, k):
    (lr_end / lr0) ** (k / e)


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda lr0, lr_end, e, k: math.log(-1), "raised ValueError"),
        (lambda lr0, lr_end, e, k: (lr0, lr_end), "returned 2 value(s), expected 1"),
        (lambda lr0, lr_end, e, k: np.full(3, (lr_end / lr0) ** (k / e)), "wrong shape"),
        (lambda lr0, lr_end, e, k: "r", "not a number"),
        (lambda lr0, lr_end, e, k: 0.5 * (lr_end / lr0) ** (k / e), "off by up to"),
    ],
)
def test_decay_rate_unusable_answers_get_one_line(student, words, capsys):
    out = run(check_decay_rate_for, student, capsys)
    assert out.startswith("✗") and words in out


# Exercises 9.2 and 9.4: choices


@pytest.mark.parametrize(
    ("check", "choice"),
    [(check_diagnosis, DIAGNOSIS), (check_gains_from_decay, GAINS_FROM_DECAY)],
    ids=["diagnosis", "gains_from_decay"],
)
def test_each_choice_gets_its_hint_and_every_choice_has_one(check, choice, capsys):
    assert set(choice.wrong) == set(choice.choices) - {choice.expected}
    hints = set()
    for picked in choice.choices:
        out = run(check, picked, capsys)
        if picked == choice.expected:
            assert out.startswith("✓")
        else:
            assert out.startswith("✗") and out.endswith(f"{choice.wrong[picked]}\n")
            hints.add(out)
    assert len(hints) == len(choice.choices) - 1  # no two wrong choices share a line


@pytest.mark.parametrize(
    ("check", "right"),
    [(check_diagnosis, "lr too small"), (check_gains_from_decay, "rmsprop")],
    ids=["diagnosis", "gains_from_decay"],
)
def test_choices_written_differently_pass_and_unusable_ones_get_one_line(check, right, capsys):
    for written in (right, right.upper(), f"  {right} "):
        assert run(check, written, capsys).startswith("✓")
    assert "not attempted yet" in run(check, ..., capsys)
    for unusable in (None, 3, ["rmsprop"], "lr", "adam optimizer"):
        out = run(check, unusable, capsys)
        assert out.startswith("✗") and "choose one of" in out


def test_diagnosis_hints_name_the_mistake(capsys):
    assert "RISES" in run(check_diagnosis, "overfitting", capsys)
    assert "NaN in the first epoch" in run(check_diagnosis, "missing epsilon", capsys)
    assert "V_t only grows" in run(check_gains_from_decay, "adagrad", capsys)


# The notebook


def test_the_notebook_shows_no_answer_and_its_checks_pass():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    module = Path(practice.__file__).read_text()
    solutions = [c for c in notebook.cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) == 4
    for cell in solutions:
        lines = cell.source.split("# BEGIN SOLUTION")[1].split("# END SOLUTION")[0]
        for line in filter(None, map(str.strip, lines.splitlines())):
            assert line not in module, line
    for cell in notebook.cells:
        assert "Mistake(" not in cell.source and "check_exercise" not in cell.source
    for name in ("early_stopping", "diagnosis", "decay_rate_for", "gains_from_decay"):
        (check,) = [c for c in notebook.cells if f"check_{name}({name})" in c.source]
        (output,) = check.outputs
        assert output.text.startswith(f"✓ {name}") and output.text.count("\n") == 1


def test_the_table_that_answers_9_4_is_hidden_from_students():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (table,) = [c for c in notebook.cells if "decayed = {}" in c.source]
    assert "shows-answer" in table.metadata.get("tags", [])
    index = notebook.cells.index(table)
    assert any(re.search(r"check_gains_from_decay\(", c.source) for c in notebook.cells[:index])
