"""Notebook 06's exercise checks: every hint is reachable by a typical wrong answer, right
answers written otherwise pass, and unusable answers get one clear line."""

import math
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_output import one_line

from course_utils.exercises import adadelta
from course_utils.exercises.adadelta import (
    check_first_step,
    check_state_in_units,
    check_tiny_first_step,
)

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "06_adadelta.ipynb"


def first_step_by_hand(g, beta=0.99, eps=1e-4):
    """A student's own computation of AdaDelta's first step from zero state."""
    Eg2 = (1 - beta) * g * g
    return math.sqrt(0 + eps) / math.sqrt(Eg2 + eps) * g


def prediction_line(check, answer, capsys) -> str:
    return one_line(check, answer, capsys)


# ---- 6.1 and 6.2: predicted numbers ----------------------------------------------------------

PREDICTIONS = [
    (check_first_step, adadelta.FIRST_STEP, "first_step"),
    (check_tiny_first_step, adadelta.TINY_FIRST_STEP, "tiny_first_step"),
]


@pytest.mark.parametrize(
    ("check", "answer"),
    [
        (check_first_step, -0.1),
        (check_first_step, -0.0999),
        (check_first_step, first_step_by_hand(-3.0)),
        (check_first_step, np.float32(-0.09994)),
        (check_first_step, -1 / 10),
        (check_tiny_first_step, -1e-5),
        (check_tiny_first_step, -0.00001),
        (check_tiny_first_step, first_step_by_hand(-1e-5)),
        (check_tiny_first_step, np.float64(-1.0e-5)),
    ],
)
def test_right_answers_written_differently_pass(check, answer, capsys):
    out = prediction_line(check, answer, capsys)
    assert out.startswith("✓ ") and "right." in out, out


# A typical wrong answer as a student would compute it, and words found in exactly one hint.
WRONG_FIRST = [
    (-first_step_by_hand(-3.0), "wrong sign"),
    (-0.00447, "redo it with beta = 0.99"),
    (0.00447, "its sign flipped"),
    (-3.0, "SGD with lr = 1"),
    (-3.0 * math.sqrt(1e-4), "that is m_1"),
    (math.sqrt(1e-4) / math.sqrt(9.0 + 1e-4) * -3.0, "(1 - beta) share"),  # no (1 - beta)
    (math.sqrt(1e-4) / math.sqrt(0.99 * 9.0 + 1e-4) * -3.0, "(1 - beta) share"),  # swapped
    (first_step_by_hand(-3.0) / -3.0, "that ratio TIMES g_1."),
]
WRONG_TINY = [
    (-math.sqrt(1e-4 / 0.01), "holds only when"),  # the large-gradient rule
    (math.sqrt(1e-4) / math.sqrt(0.01 * 1e-10) * -1e-5, "holds only when"),  # eps dropped
    (1e-5, "right size, wrong sign"),
    (-1e-5 * math.sqrt(1e-4), "the numerator alone"),
    (-math.sqrt(1e-4), "that is sqrt(epsilon)"),
    (first_step_by_hand(-1e-5) / 1e-5, "(about 1 here): the step is that ratio TIMES g_1.\n"),
    (first_step_by_hand(-1e-5) / -1e-5, "so it has g_1's size and sign"),
]


def hints(prediction) -> list[str]:
    return [hint for _, hint in prediction.wrong]


@pytest.mark.parametrize(
    ("check", "prediction", "answer", "words"),
    [(check_first_step, adadelta.FIRST_STEP, a, w) for a, w in WRONG_FIRST]
    + [(check_tiny_first_step, adadelta.TINY_FIRST_STEP, a, w) for a, w in WRONG_TINY],
)
def test_each_typical_wrong_value_gets_its_hint(check, prediction, answer, words, capsys):
    out = prediction_line(check, answer, capsys)
    (hint,) = [hint for hint in hints(prediction) if words in hint + "\n"]
    assert out.startswith("✗ ") and out.endswith(f": {hint}\n"), out


@pytest.mark.parametrize(("prediction", "wrong"), [(adadelta.FIRST_STEP, WRONG_FIRST),
                                                    (adadelta.TINY_FIRST_STEP, WRONG_TINY)])
def test_every_prediction_hint_is_tested(prediction, wrong):
    for _, words in wrong:
        assert len([h for h in hints(prediction) if words in h + "\n"]) == 1, words
    assert {h for h in hints(prediction) for _, w in wrong if w in h + "\n"} == set(
        hints(prediction))


@pytest.mark.parametrize(("check", "prediction", "name"), PREDICTIONS)
def test_any_other_wrong_value_gets_the_general_hint(check, prediction, name, capsys):
    out = prediction_line(check, 0.5, capsys)
    assert out == f"✗ {name} = 0.5 is not it. Hint: {prediction.hint}\n"


@pytest.mark.parametrize(("check", "prediction", "name"), PREDICTIONS)
@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (..., "not attempted yet"),
        (None, "give plain numbers"),
        ("-0.1", "give plain numbers"),
        ((-0.1, -1e-5), "give 1 number(s), you gave 2"),
        (np.array([-0.1, 0.2]), "give plain numbers"),
        (True, "give plain numbers"),
    ],
)
def test_unusable_predictions_get_one_line(check, prediction, name, answer, words, capsys):
    out = prediction_line(check, answer, capsys)
    assert out.startswith(f"✗ {name}: ") and words in out, out


def test_the_predictions_are_what_adadelta_does():
    """The expected numbers come from the formula; the course's rule gives the same."""
    from course_utils.worked_example import worked_steps

    for g, prediction in [(-3.0, adadelta.FIRST_STEP), (-1e-5, adadelta.TINY_FIRST_STEP)]:
        (row,) = worked_steps("adadelta", {"beta": 0.99, "epsilon": 1e-4},
                              loss=lambda w, g=g: g * w, w0=0.0, steps=1)
        assert row["eta_t"] == pytest.approx(prediction.expected, rel=1e-5)
    assert adadelta.FIRST_STEP.expected == pytest.approx(-0.1, rel=1e-3)
    assert adadelta.TINY_FIRST_STEP.expected == pytest.approx(-1e-5, rel=1e-6)


# ---- 6.3: state_in_units ---------------------------------------------------------------------

UNIT_HINTS = [mistake.hint for mistake in adadelta._UNITS_MISTAKES]


def run(student, capsys) -> str:
    return one_line(check_state_in_units, student, capsys)


def numpy_answer(g, Eg2, Edw2, s):
    g, Eg2, Edw2 = (np.asarray(x, dtype=np.float64) for x in (g, Eg2, Edw2))
    return g / s, Eg2 / s**2, Edw2 * s**2


def through_the_units(g, Eg2, Edw2, s):
    """Converted the way a student might reason: new gradient first, then its square."""
    factor = 1 / s  # each gradient is multiplied by this
    return g * factor, Eg2 * factor**2, Edw2 / factor**2


def as_list(g, Eg2, Edw2, s):
    return [np.divide(g, s), np.divide(Eg2, s) / s, np.multiply(Edw2, s) * s]


@pytest.mark.parametrize("student", [numpy_answer, through_the_units, as_list])
def test_right_unit_conversions_written_differently_pass(student, capsys):
    assert run(student, capsys).startswith("✓ ")


def converted(pg, pe, pd):
    """A wrong answer: the three quantities times s to the powers pg, pe, pd."""
    return lambda g, Eg2, Edw2, s: (g * s**pg, Eg2 * s**pe, Edw2 * s**pd)


WRONG_UNITS = [
    (converted(1, 2, -2), "converts the other way"),
    (converted(1, 2, 2), "the gradient goes the other way"),
    (converted(-1, -1, 1), "they change by the square"),
    (converted(-1, -1, 2), "the square of g's factor"),
    (converted(-1, -2, 1), "the square of the steps' factor"),
    (converted(-1, -2, 0), "E[dw^2] must change too"),
    (converted(-1, -2, -2), "goes the other way from E[g^2]"),
    (converted(-1, 0, 2), "E[g^2] must change too"),
    (converted(-1, 2, 2), "not larger"),
    (converted(0, -2, 2), "the gradient must change too"),
]


@pytest.mark.parametrize(("student", "words"), WRONG_UNITS, ids=[w for _, w in WRONG_UNITS])
def test_each_unit_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in UNIT_HINTS if words in hint]
    assert run(student, capsys) == f"✗ <lambda>: {hint}\n"


def test_every_unit_hint_is_tested():
    assert sorted(UNIT_HINTS) == sorted(h for h in UNIT_HINTS for _, w in WRONG_UNITS if w in h)


def not_attempted(g, Eg2, Edw2, s):
    raise NotImplementedError()


def no_return(g, Eg2, Edw2, s):
    g / s


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda g, Eg2, Edw2, s: 1 / 0, "raised ZeroDivisionError"),
        (lambda g, Eg2, Edw2, s: (g / s, Eg2 / s**2), "returned 2 value(s), expected 3"),
        (lambda g, Eg2, Edw2, s: (g / s, Eg2 / s**2, "Edw2"), "not a number"),
        (lambda g, Eg2, Edw2, s: (np.reshape(g / s, [-1, 1]), Eg2 / s**2, Edw2 * s**2),
         "wrong shape"),
        (lambda g, Eg2, Edw2, s: (g / s, Eg2 / s**3, Edw2 * s**2), "off by up to"),
    ],
)
def test_unusable_unit_answers_get_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out, out


# ---- the notebook -----------------------------------------------------------------------------

def test_the_notebook_gives_no_answer_away_and_its_checks_pass():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    module = Path(adadelta.__file__).read_text()
    solutions = [c for c in notebook.cells if "solution" in c.metadata.get("tags", [])]
    assert [c.cell_type for c in solutions] == ["code"] * 3
    for cell in solutions:
        region = cell.source.split("# BEGIN SOLUTION")[1].split("# END SOLUTION")[0]
        for line in filter(None, map(str.strip, region.splitlines())):
            assert line not in module, line
    for cell in notebook.cells:
        assert "Mistake(" not in cell.source and "check_exercise" not in cell.source
    for call in ["check_first_step(first_step)", "check_tiny_first_step(tiny_first_step)",
                 "check_state_in_units(state_in_units)"]:
        (check,) = [c for c in notebook.cells if c.source == call]
        (output,) = check.outputs
        assert output.text.startswith("✓ ") and output.text.count("\n") == 1, output.text
