"""Notebook 03's exercise checks: every hint is reachable by a typical wrong answer, right answers
written otherwise pass, and an unusable answer gets one clear line."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils.exercises import nesterov
from course_utils.exercises.nesterov import check_nesterov_lookahead_step, check_nesterov_shrink

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "03_nesterov.ipynb"
STEP_HINTS = [mistake.hint for mistake in nesterov._STEP_MISTAKES]


# --- Exercise 3.1: the look-ahead form in Keras' units ------------------------------------


def bowl(w, a, c):
    return tf.reduce_sum(a * w**2 / 2 + c * w**4 / 4)


def tape_gradient(point, a, c):
    """The bowl's gradient at `point`, as a student measures it."""
    point = tf.convert_to_tensor(point)
    with tf.GradientTape() as tape:
        tape.watch(point)
        loss = bowl(point, a, c)
    return tape.gradient(loss, point)


def step_with(point_of, velocity_of, weights_of):
    """A student's step: g at point_of(w, v_prev, mu), v = velocity_of(v_prev, g, lr, mu),
    w_next = weights_of(w, v_prev, v, g, lr, mu)."""

    def nesterov_lookahead_step(w, v_prev, a, c, learning_rate, momentum):
        g = tape_gradient(point_of(w, v_prev, momentum), a, c)
        v = velocity_of(v_prev, g, learning_rate, momentum)
        return weights_of(w, v_prev, v, g, learning_rate, momentum), v

    return nesterov_lookahead_step


def ahead(w, v, mu):
    return w + mu * v


def keras_velocity(v, g, lr, mu):
    return mu * v - lr * g


def from_w(w, vp, v, g, lr, mu):
    return w + v


right = step_with(ahead, keras_velocity, from_w)


def stored(w, vp, v, g, lr, mu):
    return w + mu * v - lr * g


def run(check, student, capsys) -> str:
    return one_line(check, student, capsys)


# A wrong answer as a student would write it, and words found in exactly one hint.
WRONG_STEPS = [
    (step_with(lambda w, v, mu: w, keras_velocity, from_w), "that is plain momentum"),
    (step_with(lambda w, v, mu: w + v, keras_velocity, from_w), "look-ahead point is off"),
    (step_with(lambda w, v, mu: w - mu * v, keras_velocity, from_w), "sign error in the look"),
    (step_with(lambda w, v, mu: w, keras_velocity, stored), "stored form copied from above"),
    (step_with(ahead, keras_velocity, stored), "the gradient is taken at the right point"),
    (step_with(ahead, keras_velocity, lambda w, vp, v, g, lr, mu: w + mu * vp + v),
     "not from the look-ahead point"),
    (step_with(ahead, lambda v, g, lr, mu: mu * v - lr * (1 - mu) * g, from_w),
     "the factor (1 - momentum)"),
    (step_with(lambda w, v, mu: w - mu * v, lambda v, g, lr, mu: mu * v + lr * g,
               lambda w, vp, v, g, lr, mu: w - v), "the velocity has the wrong sign"),
    (lambda w, vp, a, c, lr, mu: right(w, vp, a, c, lr, mu)[::-1], "the two values are swapped"),
]


@pytest.mark.parametrize(("student", "words"), WRONG_STEPS, ids=[w for _, w in WRONG_STEPS])
def test_each_step_mistake_gets_its_own_hint(student, words, capsys):
    (hint,) = [hint for hint in STEP_HINTS if words in hint]
    name = student.__name__
    assert run(check_nesterov_lookahead_step, student, capsys) == f"✗ {name}: {hint}\n"


def test_every_step_hint_is_tested():
    tested = {hint for hint in STEP_HINTS for _, words in WRONG_STEPS if words in hint}
    assert tested == set(STEP_HINTS)


def with_variable(w, v_prev, a, c, learning_rate, momentum):
    point = tf.Variable(w + momentum * v_prev)
    with tf.GradientTape() as tape:
        loss = bowl(point, a, c)
    v = momentum * v_prev - learning_rate * tape.gradient(loss, point)
    return w + v, v


def course_units(w, v_prev, a, c, learning_rate, momentum):
    """Through the course's m and lr: m = -v / lr, lr = learning_rate / (1 - momentum)."""
    lr, beta = learning_rate / (1 - momentum), momentum
    m_prev = -v_prev / lr
    g = tape_gradient(w - lr * beta * m_prev, a, c)
    m = beta * m_prev + (1 - beta) * g
    return w - lr * m, -lr * m


def numpy_step(w, v_prev, a, c, learning_rate, momentum):
    w, v_prev, a, c = (np.asarray(x) for x in (w, v_prev, a, c))  # NumPy, gradient by hand
    point = w + momentum * v_prev
    v = momentum * v_prev - learning_rate * (a * point + c * point**3)
    return w + v, v


@pytest.mark.parametrize("student", [right, with_variable, course_units, numpy_step,
                                     lambda w, vp, a, c, lr, mu: list(right(w, vp, a, c, lr, mu))])
def test_right_steps_written_differently_pass(student, capsys):
    assert run(check_nesterov_lookahead_step, student, capsys).startswith("✓")


def not_attempted(w, v_prev, a, c, learning_rate, momentum):
    raise NotImplementedError()


def no_return(w, v_prev, a, c, learning_rate, momentum):
    right(w, v_prev, a, c, learning_rate, momentum)


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda w, vp, a, c, lr, mu: right(w, vp, a, c, lr, mu)[0], "returned 1 value(s)"),
        (lambda w, vp, a, c, lr, mu: (*right(w, vp, a, c, lr, mu), w), "returned 3 value(s)"),
        (lambda w, vp, a, c, lr, mu: (tf.reshape(w, [-1, 1]), vp), "wrong shape"),
        (lambda w, vp, a, c, lr, mu: (w, "v"), "not a number or array"),
        (lambda w, vp, a, c, lr, mu: w @ a, "raised"),
        (step_with(ahead, lambda v, g, lr, mu: mu * v - 0.5 * lr * g, from_w), "off by up to"),
    ],
)
def test_unusable_steps_get_one_line(student, words, capsys):
    out = run(check_nesterov_lookahead_step, student, capsys)
    assert out.startswith("✗") and words in out


def test_the_check_compares_with_the_stored_form():
    """The reference is Keras' own optimizer, seen through the change of variables."""
    rng = np.random.default_rng(3)
    w, a, c, lr, mu = nesterov._step_inputs(rng)
    points, _ = nesterov._stored_form(w, a, c, lr, mu)
    weights = tf.Variable(w)
    keras = tf.keras.optimizers.SGD(learning_rate=lr, momentum=mu, nesterov=True)
    for t in range(nesterov.STEPS):
        np.testing.assert_allclose(weights.numpy(), points[t].numpy(), rtol=1e-5, atol=1e-6)
        keras.apply_gradients([(tape_gradient(weights, a, c), weights)])
    np.testing.assert_allclose(weights.numpy(), points[-1].numpy(), rtol=1e-5, atol=1e-6)


# --- Exercise 3.2: the shrink factor on (w - 3)^2 with lr = 1, beta = 0.9 ------------------


def step_matrix(a, lr, beta):
    """Nesterov's step on a bowl of curvature a, acting on (x_t, m_{t-1}), built from the rule."""
    columns = []
    for x, m in [(1.0, 0.0), (0.0, 1.0)]:
        m = beta * m + (1 - beta) * a * x
        columns.append([x - lr * (beta * m + (1 - beta) * a * x), m])
    return np.array(columns).T


def test_the_predicted_factor_is_the_size_of_complex_eigenvalues():
    eigenvalues = np.linalg.eigvals(step_matrix(2.0, 1.0, 0.9))
    assert np.all(np.abs(eigenvalues.imag) > 0.1), "the path must oscillate for r = sqrt(det)"
    np.testing.assert_allclose(np.abs(eigenvalues), nesterov.NESTEROV_SHRINK.expected, rtol=1e-9)


@pytest.mark.parametrize("answer", [0.8485, 0.849, 0.85, (0.9 * 0.8) ** 0.5, np.float32(0.848)])
def test_right_predictions_pass(answer, capsys):
    assert run(check_nesterov_shrink, answer, capsys).startswith("✓ nesterov_shrink")


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (0.949, "momentum's factor"),
        (0.9**0.5, "momentum's factor"),
        (0.72, "that is the determinant"),
        (0.735, "curvature 4"),
        (0.9, "curvature 1 gives"),
        (0.5, "is not it. Hint:"),
    ],
)
def test_each_wrong_prediction_gets_its_hint(answer, words, capsys):
    out = run(check_nesterov_shrink, answer, capsys)
    assert out.startswith("✗ nesterov_shrink") and words in out


def test_every_prediction_hint_is_tested():
    hints = [hint for _, hint in nesterov.NESTEROV_SHRINK.wrong]
    words = ["momentum's factor", "that is the determinant", "curvature 4", "curvature 1 gives"]
    assert all(sum(w in hint for hint in hints) == 1 for w in words) and len(hints) == len(words)


@pytest.mark.parametrize(
    ("answer", "words"),
    [(..., "not attempted yet"), (None, "give plain numbers"), ("0.85", "give plain numbers"),
     ((0.85, 0.9), "give 1 number(s)")],
)
def test_unusable_predictions_get_one_line(answer, words, capsys):
    out = run(check_nesterov_shrink, answer, capsys)
    assert out.startswith("✗") and words in out


# --- The notebook ------------------------------------------------------------------------


def test_the_notebook_shows_no_answer_and_its_checks_pass():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (solution,) = [c for c in notebook.cells if "def nesterov_lookahead_step" in c.source]
    lines = solution.source.split("# BEGIN SOLUTION")[1].split("# END SOLUTION")[0]
    module = Path(nesterov.__file__).read_text()
    for line in (line.split("#")[0].strip() for line in lines.splitlines()):
        if len(line.replace(" ", "").removeprefix("return")) >= 12:  # `return w + v, v` is not
            assert line not in module, line
    for cell in notebook.cells:
        assert "Mistake(" not in cell.source and "check_exercise" not in cell.source
    expected = {
        "check_nesterov_lookahead_step(": "✓ nesterov_lookahead_step is correct",
        "check_nesterov_shrink(": "✓ nesterov_shrink = ",
    }
    for call, start in expected.items():
        (check,) = [c for c in notebook.cells if call in c.source]
        (output,) = check.outputs
        assert output.text.startswith(start) and output.text.count("\n") == 1
