"""Notebook 04's exercise checks: every hint is reachable by a typical wrong answer, right answers
written differently pass, unusable answers get one clear line, and the notebook gives nothing
away before each check."""

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils import release
from course_utils.checks import NOT_ATTEMPTED
from course_utils.exercises import adagrad
from course_utils.exercises.adagrad import (
    check_adagrad_norm_steps,
    check_keras_step,
    check_spike_step,
)

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "04_adagrad.ipynb"

# --------------------------------------------------------------------------------------------
# 4.1: adagrad_norm_steps(grads, lr)

HINTS = [mistake.hint for mistake in adagrad._MISTAKES]


def run(student, capsys) -> str:
    """The check's single line of output for `student`."""
    return one_line(check_adagrad_norm_steps, student, capsys)


def axes(g):
    return tuple(range(1, np.ndim(g)))


def per_step(values, g):
    return np.reshape(values, (-1,) + (1,) * (np.ndim(g) - 1))


def numpy_steps(grads, lr):
    g = np.asarray(grads, dtype=np.float64)
    V = np.cumsum(np.sum(g**2, axis=axes(g)))
    return lr * g / per_step(np.sqrt(V), g)


def tf_vectorised(grads, lr):
    squared_norms = tf.reduce_sum(tf.reshape(tf.square(grads), [grads.shape[0], -1]), axis=1)
    V = tf.cumsum(squared_norms)
    return lr * grads / tf.reshape(tf.sqrt(V), [-1] + [1] * (len(grads.shape) - 1))


def list_of_steps(grads, lr):
    total, steps = 0.0, []
    for t in range(len(grads)):
        total += float(np.linalg.norm(np.ravel(grads[t]))) ** 2
        steps.append(np.asarray(grads[t]) * (lr / total**0.5))
    return np.stack(steps)  # a NumPy array built step by step


@pytest.mark.parametrize("student", [numpy_steps, tf_vectorised, list_of_steps])
def test_right_answers_written_differently_pass(student, capsys):
    out = run(student, capsys)
    assert out.startswith("✓ "), out


# A wrong answer as a student would write it, and words found in exactly one hint.
WRONG = [
    (lambda grads, lr: lr * grads / tf.sqrt(tf.cumsum(tf.square(grads), axis=0)),
     "AdaGrad itself"),
    (lambda grads, lr: lr * np.asarray(grads) / per_step(
        np.sqrt(np.sum(np.square(grads), axis=axes(grads))), grads), "forgot the past"),
    (lambda grads, lr: lr * np.asarray(grads) / per_step(
        np.sqrt(np.cumsum(np.mean(np.square(grads), axis=axes(grads)))), grads), "averaged"),
    (lambda grads, lr: lr * np.asarray(grads) / per_step(
        np.sqrt(np.cumsum(np.sqrt(np.sum(np.square(grads), axis=axes(grads))))), grads),
     "not by its length"),
    (lambda grads, lr: lr * np.asarray(grads) / per_step(
        np.cumsum(np.sum(np.square(grads), axis=axes(grads))), grads), "root is missing"),
    (lambda grads, lr: lr * grads / tf.sqrt(tf.reduce_sum(tf.square(grads))), "whole history"),
    (lambda grads, lr: -numpy_steps(grads, lr), "sign error"),
    (lambda grads, lr: numpy_steps(grads, 1.0), "learning rate is missing"),
]


@pytest.mark.parametrize(("student", "words"), WRONG, ids=[words for _, words in WRONG])
def test_each_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in HINTS if words in hint]
    assert run(student, capsys) == f"✗ <lambda>: {hint}\n"


def test_every_hint_is_tested():
    assert sorted(HINTS) == sorted(hint for hint in HINTS for _, w in WRONG if w in hint)


def not_attempted(grads, lr):
    raise NotImplementedError()


def no_return(grads, lr):
    numpy_steps(grads, lr)


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda grads, lr: 1 / 0, "raised ZeroDivisionError"),
        (lambda grads, lr: (numpy_steps(grads, lr), grads), "returned 2 value(s), expected 1"),
        (lambda grads, lr: np.ravel(numpy_steps(grads, lr)), "wrong shape"),
        (lambda grads, lr: numpy_steps(grads, lr)[-1], "wrong shape"),
        (lambda grads, lr: "steps", "not a number or array"),
        (lambda grads, lr: 2 * numpy_steps(grads, lr), "off by up to"),
    ],
)
def test_unusable_answers_get_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out, out


# --------------------------------------------------------------------------------------------
# 4.2 and 4.3: predicted step lengths

PREDICTIONS = {
    check_spike_step: (adagrad.SPIKE, "spike_step"),
    check_keras_step: (adagrad.KERAS, "keras_step"),
}


def the_line(check, answer, capsys) -> str:
    check(answer)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("\n") and "Traceback" not in out, out
    return out


def simulate(gradients, lr, accumulator=0.0, epsilon=0.0) -> float:
    """The length of the last step of an AdaGrad weight fed `gradients`, in float64."""
    for g in gradients:
        accumulator += g * g
    return lr * abs(gradients[-1]) / np.sqrt(accumulator + epsilon)


def test_the_expected_values_are_what_adagrad_does():
    spike = simulate([0.3] * 300 + [3.0], lr=0.1)
    assert np.isclose(adagrad.SPIKE.expected, spike, rtol=1e-9)
    keras = simulate([0.1] * 10, lr=0.1, accumulator=0.1, epsilon=1e-7)
    assert np.isclose(adagrad.KERAS.expected, keras, rtol=1e-9)


def test_keras_expected_value_is_what_keras_does():
    optimizer = tf.keras.optimizers.Adagrad(learning_rate=0.1)  # its defaults otherwise
    weight = tf.Variable([0.0])
    for _ in range(10):
        before = float(weight[0])
        optimizer.apply_gradients([(tf.constant([0.1]), weight)])
    assert np.isclose(before - float(weight[0]), adagrad.KERAS.expected, rtol=1e-4)


# Right answers as a student would write them.
RIGHT = [
    (check_spike_step, 0.05),
    (check_spike_step, 0.1 * 3 / 6),
    (check_spike_step, np.float32(0.05)),
    (check_spike_step, 1 / 20),
    (check_keras_step, 0.02236),
    (check_keras_step, 0.1 * 0.1 / np.sqrt(0.2)),
    (check_keras_step, 0.1 / 20**0.5),
    (check_keras_step, 0.0224),
]


@pytest.mark.parametrize(("check", "answer"), RIGHT)
def test_right_predictions_pass(check, answer, capsys):
    _, name = PREDICTIONS[check]
    assert the_line(check, answer, capsys).startswith(f"✓ {name} = ")


# A typical wrong value and words found in exactly one of that question's hints.
WRONG_VALUES = [
    (check_spike_step, 0.1 / np.sqrt(301), "never changes"),
    (check_spike_step, 0.1, "first non-zero gradient"),
    (check_spike_step, 0.1 * 3 / np.sqrt(300 * 0.3**2), "also enlarges"),
    (check_spike_step, 0.1 * 3 / (300 * 0.09 + 9), "square root is missing"),
    (check_spike_step, 0.1 * 3, "SGD's step"),
    (check_spike_step, 0.1 * 3 / np.sqrt(300 * 0.3 + 3), "not the gradients"),
    (check_keras_step, 0.1 / np.sqrt(10), "starts at 0"),
    (check_keras_step, 0.1 * 0.1 / np.sqrt(0.1 + 0.1**2), "that is the first step"),
    (check_keras_step, 0.1 * 0.1 / np.sqrt(0.1 + 9 * 0.1**2), "before the step is taken"),
    (check_keras_step, 0.1 * 0.1 / (0.1 + 10 * 0.1**2), "square root is missing"),
    (check_keras_step, 0.01, "SGD's step"),
    (check_keras_step, 0.001 * 0.1 / np.sqrt(0.2), "only Keras' default"),
]


@pytest.mark.parametrize(("check", "answer", "words"), WRONG_VALUES)
def test_each_wrong_value_gets_its_own_hint(check, answer, words, capsys):
    prediction, name = PREDICTIONS[check]
    (hint,) = [hint for _, hint in prediction.wrong if words in hint]
    out = the_line(check, answer, capsys)
    assert out.startswith(f"✗ {name} = ") and out.endswith(f": {hint}\n"), out


def test_every_wrong_value_hint_is_tested():
    for check, (prediction, _) in PREDICTIONS.items():
        tested = {hint for _, hint in prediction.wrong
                  for c, _, words in WRONG_VALUES if c is check and words in hint}
        assert tested == {hint for _, hint in prediction.wrong}


@pytest.mark.parametrize("check", list(PREDICTIONS))
def test_any_other_value_gets_the_general_hint(check, capsys):
    prediction, name = PREDICTIONS[check]
    out = the_line(check, 0.777, capsys)
    assert out == f"✗ {name} = 0.777 is not it. Hint: {prediction.hint}\n"


@pytest.mark.parametrize("check", list(PREDICTIONS))
@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (..., NOT_ATTEMPTED),
        (None, "give plain numbers"),
        ("0.05", "give plain numbers"),
        ((0.05, 0.1), "give 1 number(s), you gave 2"),
        (np.array([0.05, 0.1]), "give plain numbers"),
        (True, "give plain numbers"),
    ],
)
def test_unusable_predictions_say_why_in_one_line(check, answer, words, capsys):
    out = the_line(check, answer, capsys)
    assert out.startswith("✗") and words in out, out


# --------------------------------------------------------------------------------------------
# The notebook


def test_the_notebook_runs_every_check_and_each_passes():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    calls = {"check_adagrad_norm_steps(adagrad_norm_steps)": "✓ adagrad_norm_steps is correct",
             "check_spike_step(spike_step)": "✓ spike_step = ",
             "check_keras_step(keras_step)": "✓ keras_step = "}
    for call, start in calls.items():
        (cell,) = [c for c in notebook.cells if c.source.strip() == call]
        (output,) = cell.outputs
        assert output.text.startswith(start) and output.text.count("\n") == 1, output.text


def test_the_solution_is_not_in_the_checks_module_and_the_page_states_no_formula():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (solution,) = [c for c in notebook.cells if "def adagrad_norm_steps" in c.source]
    lines = solution.source.split("# BEGIN SOLUTION")[1].split("# END SOLUTION")[0]
    module = Path(adagrad.__file__).read_text()
    for line in filter(None, map(str.strip, lines.splitlines())):
        if len(line) >= 12 and not line.startswith("#"):
            assert line not in module, line
    index = notebook.cells.index(solution)
    # The prompt: from the exercise's heading to the solution (its deck splits it in cells).
    start = max(i for i, c in enumerate(notebook.cells[:index])
                if c.source.startswith("## Exercise 4.1"))
    prompt = "\n\n".join(c.source for c in notebook.cells[start:index])
    assert not re.search(r"\\\|g_t\\\|\^2|\\sum_\{i\}|\\lVert", prompt)  # no formula for V_t
    for cell in notebook.cells:
        assert "Mistake(" not in cell.source and "check_exercise" not in cell.source


def test_the_run_it_cells_are_cleared_for_students():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    shows = [c for c in notebook.cells if "shows-answer" in c.metadata.get("tags", [])]
    assert len(shows) == 2
    released = release.student_notebook(notebook)
    for cell in released.cells:
        if "shows-answer" in cell.metadata.get("tags", []):
            assert cell.outputs == []
