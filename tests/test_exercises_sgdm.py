"""Notebook 02's exercise checks: every hint is reachable, right answers written otherwise pass,
and the predicted numbers are what the average really does."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils import release
from course_utils.checks import Prediction
from course_utils.exercises import sgdm
from course_utils.exercises.sgdm import (
    check_fast_start_beta,
    check_moment_after,
    check_zigzag_size,
)

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "02_sgdm.ipynb"


def ema(gradients, beta, m=0.0):
    """The SGDM first moment after each gradient, step by step (float64)."""
    out = []
    for g in gradients:
        m = beta * m + (1 - beta) * g
        out.append(m)
    return np.array(out)


# --- The predicted numbers are what the average does (computed here, not copied) ---------


def test_the_zigzag_answer_is_the_steady_size_for_beta_0_8():
    m = ema([(-1.0) ** (t + 1) for t in range(1, 401)], 0.8)
    assert abs(m[-1]) == pytest.approx(sgdm.ZIGZAG_SIZE.expected, rel=1e-9)
    assert abs(m[-2]) == pytest.approx(sgdm.ZIGZAG_SIZE.expected, rel=1e-9)


def test_the_fast_start_answer_fills_95_percent_at_step_10():
    beta = sgdm.FAST_START_BETA.expected
    m = ema(np.ones(10), beta)
    assert m[9] == pytest.approx(0.95, rel=1e-12)
    assert ema(np.ones(10), beta * 1.01)[9] < 0.95 < ema(np.ones(10), beta * 0.99)[9]


@pytest.mark.parametrize("prediction", [sgdm.ZIGZAG_SIZE, sgdm.FAST_START_BETA])
def test_typical_wrong_values_are_not_the_answer_nor_each_other(prediction):
    values = [prediction.expected] + [value for value, _ in prediction.wrong]
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            assert not np.isclose(a, b, rtol=prediction.rtol, atol=0), (a, b)


# --- Exercise 2.1: the zig-zag for beta = 0.8 ---------------------------------------------


def zigzag(answer, capsys) -> str:
    return one_line(check_zigzag_size, answer, capsys)


ZIGZAG_WRONG = [
    (0.2, "1 - beta, today's"),
    (0.8, "the old average's weight"),
    (0.1 / 1.9, "beta = 0.9's value"),
    (1, "keeps the zig-zag's sign flips"),
    (-1 / 9, "a positive number"),
    (0, "does not cancel completely"),
    (0.25, "collect the m_t terms"),
    (0.5556, "velocity form"),
    (9, "upside down"),
]


@pytest.mark.parametrize(("answer", "words"), ZIGZAG_WRONG, ids=[w for _, w in ZIGZAG_WRONG])
def test_zigzag_wrong_values_get_their_hint(answer, words, capsys):
    (hint,) = [hint for _, hint in sgdm.ZIGZAG_SIZE.wrong if words in hint]
    assert zigzag(answer, capsys).endswith(f": {hint}\n")


def test_zigzag_other_values_get_the_general_hint(capsys):
    assert "is not it. Hint: in the steady state" in zigzag(0.3, capsys)


@pytest.mark.parametrize("answer", [1 / 9, 0.2 / 1.8, 0.111, np.float32(0.1111), 0.1112])
def test_zigzag_right_answers_written_differently_pass(answer, capsys):
    assert zigzag(answer, capsys).startswith("✓ zigzag_size")


# --- Exercise 2.3: the beta of a 10-step start --------------------------------------------


def fast_start(answer, capsys) -> str:
    return one_line(check_fast_start_beta, answer, capsys)


FAST_WRONG = [
    (0.9, "a shorter memory"),
    (0.95, "the level that m_t"),
    (0.05, "the part still missing after"),
    (0.259, "the weight of today's gradient"),
    (0.7, "rule of thumb"),
    (0.05 ** (1 / 9), "after 9 steps"),
    (0.7616, "after 11 steps"),
    (0.1**0.1, "90%"),
]


@pytest.mark.parametrize(("answer", "words"), FAST_WRONG, ids=[w for _, w in FAST_WRONG])
def test_fast_start_wrong_values_get_their_hint(answer, words, capsys):
    (hint,) = [hint for _, hint in sgdm.FAST_START_BETA.wrong if words in hint]
    assert fast_start(answer, capsys).endswith(f": {hint}\n")


def test_fast_start_other_values_get_the_general_hint(capsys):
    assert "is not it. Hint: from m_0 = 0" in fast_start(0.5, capsys)


@pytest.mark.parametrize("answer", [0.05 ** (1 / 10), np.exp(np.log(0.05) / 10), 0.741, 0.74])
def test_fast_start_right_answers_written_differently_pass(answer, capsys):
    assert fast_start(answer, capsys).startswith("✓ fast_start_beta")


@pytest.mark.parametrize(
    ("prediction", "words"),
    [(sgdm.ZIGZAG_SIZE, ZIGZAG_WRONG), (sgdm.FAST_START_BETA, FAST_WRONG)],
    ids=["zigzag", "fast_start"],
)
def test_every_prediction_hint_is_tested(prediction, words):
    hints = [hint for _, hint in prediction.wrong]
    assert sorted(hints) == sorted(h for h in hints for _, w in words if w in h)


@pytest.mark.parametrize("check", [check_zigzag_size, check_fast_start_beta])
@pytest.mark.parametrize(
    ("answer", "words"),
    [(..., "not attempted yet"), (None, "give plain numbers"), ("0.1", "give plain numbers"),
     ((0.1, 0.2), "give 1 number(s), you gave 2"), (np.ones(3), "give plain numbers"),
     (True, "give plain numbers")],
)
def test_unusable_predictions_get_one_line(check, answer, words, capsys):
    out = one_line(check, answer, capsys)
    assert out.startswith("✗") and words in out


# --- Exercise 2.2: the average k steps after the gradient became c -----------------------

AFTER_HINTS = [mistake.hint for mistake in sgdm._AFTER_MISTAKES]


def after(student, capsys) -> str:
    return one_line(check_moment_after, student, capsys)


def looped(m_start, c, beta, k):
    m = m_start
    for _ in range(k):
        m = beta * m + (1 - beta) * c
    return m


# A wrong answer as a student would write it, and words found in exactly one hint.
AFTER_WRONG = [
    (lambda m, c, b, k: (1 - b**k) * c, "m_start is missing"),
    (lambda m, c, b, k: b**k * c + (1 - b**k) * m, "the weights are swapped"),
    (lambda m, c, b, k: b ** (k - 1) * m + (1 - b ** (k - 1)) * c, "one step short"),
    (lambda m, c, b, k: looped(m, c, b, k + 1), "one step too many"),
    (lambda m, c, b, k: b * m + (1 - b) * c, "a single step"),
    (lambda m, c, b, k: b**k * m + c, "do not add up to 1"),
    (lambda m, c, b, k: b**k * m + (1 - b) * c, "one step's weight"),
    (lambda m, c, b, k: c, "the limit after infinitely"),
    (lambda m, c, b, k: (1 - b) ** k * m + (1 - (1 - b) ** k) * c, "(1 - beta)^k"),
    (lambda m, c, b, k: c - b**k * (m - c), "sign error"),
    (lambda m, c, b, k: b**k * m + c * (1 - b**k) / (1 - b), "velocity form"),
]


@pytest.mark.parametrize(("student", "words"), AFTER_WRONG, ids=[w for _, w in AFTER_WRONG])
def test_each_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in AFTER_HINTS if words in hint]
    assert after(student, capsys) == f"✗ <lambda>: {hint}\n"


def test_every_hint_is_tested():
    assert sorted(AFTER_HINTS) == sorted(h for h in AFTER_HINTS for _, w in AFTER_WRONG if w in h)


def numpy_after(m_start, c, beta, k):
    m_start, c = np.asarray(m_start), np.asarray(c)  # NumPy arrays, not tensors
    return beta**k * m_start + (1 - beta**k) * c


@pytest.mark.parametrize(
    "student",
    [
        numpy_after,
        looped,
        lambda m, c, b, k: c + b**k * (m - c),
        lambda m, c, b, k: m + (1 - tf.pow(b, float(k))) * (c - m),
    ],
)
def test_right_answers_written_differently_pass(student, capsys):
    assert after(student, capsys).startswith("✓")


def not_attempted(m_start, c, beta, k):
    raise NotImplementedError()


def no_return(m_start, c, beta, k):
    c + beta**k * (m_start - c)  # the `return` is missing


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda m, c, b, k: (c + b**k * (m - c), b), "returned 2 value(s), expected 1"),
        (lambda m, c, b, k: m.assign(c), "raised AttributeError"),
        (lambda m, c, b, k: tf.reshape(c + b**k * (m - c), [-1]), "wrong shape"),
        (lambda m, c, b, k: "m", "not a number or array"),
        (lambda m, c, b, k: c + 0.5 * (m - c), "off by up to"),
    ],
)
def test_unusable_answers_get_one_line(student, words, capsys):
    out = after(student, capsys)
    assert out.startswith("✗") and words in out


# --- The notebook -------------------------------------------------------------------------


def test_the_notebook_shows_no_answer_and_its_checks_pass():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    module = Path(sgdm.__file__).read_text()
    solutions = [c for c in notebook.cells if release.is_solution(c)]
    assert [c.cell_type for c in solutions] == ["code"] * 3
    (function,) = [c for c in solutions if "def moment_after" in c.source]
    lines = function.source.split("# BEGIN SOLUTION")[1].split("# END SOLUTION")[0]
    for line in filter(None, map(str.strip, lines.splitlines())):
        assert line not in module, line
    for cell in notebook.cells:
        assert "Mistake(" not in cell.source and "check_exercise" not in cell.source
    for call, start in [("check_zigzag_size(zigzag_size)", "✓ zigzag_size = 0.1111: right."),
                        ("check_moment_after(moment_after)", "✓ moment_after is correct"),
                        ("check_fast_start_beta(fast_start_beta)",
                         "✓ fast_start_beta = 0.7411: right.")]:
        (check,) = [c for c in notebook.cells if call in c.source]
        (output,) = check.outputs
        assert output.text.startswith(start) and output.text.count("\n") == 1


def test_each_shows_answer_cell_follows_its_check():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    cells = notebook.cells
    shows = [i for i, c in enumerate(cells)
             if release.SHOWS_ANSWER_TAG in c.metadata.get("tags", [])]
    assert len(shows) == 2
    for index, name in zip(shows, ["check_zigzag_size", "check_fast_start_beta"], strict=True):
        assert name in cells[index - 1].source
    assert cells[shows[0]].outputs[0].text.rstrip().endswith("0.1111")
    assert "beta = 0.7411" in cells[shows[1]].outputs[0].text


def test_predictions_are_module_constants():
    found = [name for name, value in vars(sgdm).items() if isinstance(value, Prediction)]
    assert sorted(found) == ["FAST_START_BETA", "ZIGZAG_SIZE"]
