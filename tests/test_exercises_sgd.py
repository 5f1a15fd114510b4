"""Notebook 01's exercise checks: every hint is reachable, right answers written otherwise pass."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

import course_utils as cu
from course_utils.exercises import sgd
from course_utils.exercises.sgd import check_max_stable_lr, check_sgd_weight_after

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01_sgd.ipynb"
HINTS = [mistake.hint for mistake in sgd._MISTAKES]


def run(student, capsys) -> str:
    """The closed-form check's single line of output for `student`."""
    return one_line(check_sgd_weight_after, student, capsys)


# A wrong answer as a student would write it, and words found in exactly one hint.
WRONG = [
    (lambda w0, a, lr, T: w0 * (1 - a * lr) ** (T - 1), "one step too few"),
    (lambda w0, a, lr, T: w0 * (1 - a * lr) ** (T + 1), "one step too many"),
    (lambda w0, a, lr, T: w0 * (1 + a * lr) ** T, "1 MINUS a lr"),
    (lambda w0, a, lr, T: w0 * (1 - lr) ** T, "the curvature a is missing"),
    (lambda w0, a, lr, T: w0 * (1 - 2 * a * lr) ** T, "not 2 a w"),
    (lambda w0, a, lr, T: w0 - T * lr * a * w0, "T steps of the first gradient"),
    (lambda w0, a, lr, T: (1 - a * lr) ** T * tf.ones_like(w0), "multiply it by the starting"),
]


@pytest.mark.parametrize(("student", "words"), WRONG, ids=[words for _, words in WRONG])
def test_each_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in HINTS if words in hint]
    assert run(student, capsys) == f"✗ <lambda>: {hint}\n"


def test_every_hint_is_tested():
    assert sorted(HINTS) == sorted(hint for hint in HINTS for _, w in WRONG if w in hint)


def loop(w0, a, lr, T):
    w = w0
    for _ in range(T):
        w = w - lr * a * w  # the T steps, one by one, in float32
    return w


def numpy_closed_form(w0, a, lr, T):
    return np.asarray(w0) * np.power(1 - lr * a, T)  # NumPy, not a tensor


@pytest.mark.parametrize(
    "student",
    [
        loop,
        numpy_closed_form,
        lambda w0, a, lr, T: w0 * tf.pow(1.0 - a * lr, float(T)),
        lambda w0, a, lr, T: (1 - lr * a) ** T * w0,
    ],
)
def test_right_answers_written_differently_pass(student, capsys):
    assert run(student, capsys).startswith("✓")


def not_attempted(w0, a, lr, T):
    raise NotImplementedError()


def no_return(w0, a, lr, T):
    w0 * (1 - a * lr) ** T


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda w0, a, lr, T: w0 * (1 - a * lr) ** t, "raised NameError"),  # noqa: F821
        (lambda w0, a, lr, T: (w0, T), "returned 2 value(s), expected 1"),
        (lambda w0, a, lr, T: tf.reshape(w0, [-1, 1, 1, 1]), "wrong shape"),
        (lambda w0, a, lr, T: "w0", "not a number or array"),
        (lambda w0, a, lr, T: w0 * (1 - a * lr / 2) ** T, "off by up to"),
    ],
)
def test_unusable_answers_get_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out, out


def test_the_reference_is_the_trainer_on_a_bowl():
    """The closed form check's reference agrees with T epochs of the course's trainer."""
    for a, lr, T in [(4.0, 0.1, 5), (4.0, 0.375, 7), (1.0, 2.2, 6)]:
        run_ = cu.train("sgd", {"lr": lr}, epochs=T, problem=cu.quadratic_problem([a], [1.5]))
        np.testing.assert_allclose(run_.final_weights[0], sgd._reference([1.5], a, lr, T),
                                   rtol=1e-5)


def predict(answer, capsys) -> str:
    check_max_stable_lr(answer)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "Traceback" not in out
    return out


@pytest.mark.parametrize("answer", [0.4, 2 / 5, 0.401, np.float32(0.4)])
def test_the_right_lr_passes(answer, capsys):
    assert predict(answer, capsys).startswith("✓ max_stable_lr")


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (2.0, "gentle direction"),
        (1 / 5, "lands on 0 in one step; beyond"),
        (1.0, "w2's factor is -4"),
        (2 / 6, "do not add up"),
        (2 / 3, "not the mean curvature"),
        (2 / 2.5, "not 2.5"),
    ],
)
def test_each_wrong_lr_gets_its_own_hint(answer, words, capsys):
    (hint,) = [h for v, h in sgd.MAX_STABLE_LR.wrong if words in h]
    assert predict(answer, capsys).endswith(f": {hint}\n")


def test_every_lr_hint_is_tested():
    assert len(sgd.MAX_STABLE_LR.wrong) == 6


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (..., "not attempted yet"),
        ("0.4", "give plain numbers"),
        (None, "give plain numbers"),
        ((0.4, 2.0), "give 1 number(s)"),
        (0.3, sgd.MAX_STABLE_LR.hint),
    ],
)
def test_other_lrs_get_one_line(answer, words, capsys):
    out = predict(answer, capsys)
    assert out.startswith("✗") and words in out


def test_the_predicted_edge_is_where_the_trainer_stops_converging():
    """Just below the expected lr the run converges, at it and just above it does not."""
    ravine = cu.quadratic_problem(curvatures=[1.0, 5.0], start=[1.0, 1.0])
    edge = sgd.MAX_STABLE_LR.expected
    below = cu.train("sgd", {"lr": 0.95 * edge}, epochs=200, problem=ravine).loss
    at = cu.train("sgd", {"lr": edge}, epochs=200, problem=ravine).loss
    above = cu.train("sgd", {"lr": 1.05 * edge}, epochs=200, problem=ravine).loss
    assert below[-1] < 1e-6 * below[0]
    assert at[-1] > 0.5 * at[0]
    assert above[-1] > above[0]


def stream_text(cell) -> str:
    """What a cell printed (the kernel may send one line in several pieces)."""
    return "".join(o.text for o in cell.outputs if o.output_type == "stream")


def test_the_notebook_shows_no_answer_and_its_checks_pass():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (solution,) = [c for c in notebook.cells if "def sgd_weight_after" in c.source]
    lines = solution.source.split("# BEGIN SOLUTION")[1].split("# END SOLUTION")[0]
    module = Path(sgd.__file__).read_text()
    for line in filter(None, map(str.strip, lines.splitlines())):
        assert line not in module, line
    for cell in notebook.cells:
        assert "Mistake(" not in cell.source and "check_exercise" not in cell.source
    (check,) = [c for c in notebook.cells
                if "check_sgd_weight_after(sgd_weight_after)" in c.source]
    output = stream_text(check)
    assert output.startswith("✓ sgd_weight_after is correct")
    assert output.count("\n") == 1
    (check,) = [c for c in notebook.cells if "check_max_stable_lr(max_stable_lr)" in c.source]
    output = stream_text(check)
    assert output.startswith("✓ max_stable_lr") and output.count("\n") == 1
