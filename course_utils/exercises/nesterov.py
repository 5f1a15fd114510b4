"""Checks for the exercises of notebook 03, Nesterov momentum.

3.1 asks for one step of Nesterov's method as first written (the look-ahead form, gradient by
`tf.GradientTape` at the look-ahead point) in Keras' units, a velocity v and a learning rate
that multiplies each gradient: the notebook writes the look-ahead form only with the course's
average m_t, and Keras only in its stored form. The check runs the student's step a few times
beside Keras' stored form and compares what corresponds (Keras' weights are the look-ahead
points). 3.2 predicts how fast Nesterov's swings shrink on a bowl of curvature 2 with lr = 1,
beta = 0.9 (the notebook works out curvatures 4 and 0.2). The references are written here from
the formulas, not taken from course_utils.rules.
"""

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils.checks import (
    Mistake,
    Prediction,
    UnusableAnswerError,
    as_arrays,
    check_exercise,
    check_prediction,
    random_shape,
    random_tensor,
)

STEPS = 3  # steps of the student's rule per trial, from v_0 = 0


# --- Exercise 3.1: the look-ahead form in Keras' units ------------------------------------


def _gradient(w: tf.Tensor, a: tf.Tensor, c: tf.Tensor) -> tf.Tensor:
    """The gradient of the exercise's bowl, sum(a w^2 / 2 + c w^4 / 4), at w."""
    return a * w + c * w**3


def _step_inputs(rng: np.random.Generator) -> tuple:
    """(w_1, a, c, learning_rate, momentum): a start, a random bowl with a quartic wall, and
    Keras' two hyperparameters."""
    shape = random_shape(rng)
    w = random_tensor(rng, shape)
    a = tf.constant(rng.uniform(0.5, 4.0, shape), tf.float32)
    c = tf.constant(rng.uniform(0.0, 0.5, shape), tf.float32)
    return w, a, c, float(rng.uniform(0.02, 0.2)), float(rng.uniform(0.5, 0.95))


def _stored_form(w: tf.Tensor, a: tf.Tensor, c: tf.Tensor, lr: float, mu: float) -> tuple:
    """Keras' SGD(momentum=mu, nesterov=True) from w: (its weights u_1 .. u_{STEPS+1},
    its velocity v_STEPS). Its weights are the look-ahead points of the look-ahead form."""
    u, v, points = w, tf.zeros_like(w), [w]
    for _ in range(STEPS):
        g = _gradient(u, a, c)
        v = mu * v - lr * g
        u = u + mu * v - lr * g
        points.append(u)
    return tf.stack(points), v


def _runs(step: Callable[..., Any]) -> Callable[..., tuple]:
    """What the check compares: `step` (a look-ahead-form step) run STEPS times from w_1 and
    v_0 = 0, as (its look-ahead points w_t + mu v_{t-1}, t = 1 .. STEPS+1; its last v)."""

    @functools.wraps(step)
    def run(w: tf.Tensor, a: tf.Tensor, c: tf.Tensor, lr: float, mu: float) -> tuple:
        v, points = tf.zeros_like(w), []
        for _ in range(STEPS):
            points.append(w + mu * v)
            w_next, v_next = as_arrays(step(w, v, a, c, lr, mu), 2)
            for got in (w_next, v_next):
                if got.shape != tuple(w.shape):
                    raise UnusableAnswerError(
                        f"wrong shape: got {got.shape}, expected {tuple(w.shape)}")
            w, v = tf.constant(w_next, tf.float32), tf.constant(v_next, tf.float32)
        points.append(w + mu * v)
        return tf.stack(points), v

    return run


def _look_ahead_form(point_of: Callable, stored: bool = False) -> Callable:
    """A look-ahead-form step that measures the gradient at point_of(w, v_prev, mu); with
    `stored` it then steps as Keras' stored form does."""

    def step(w, v_prev, a, c, lr, mu):
        g = _gradient(point_of(w, v_prev, mu), a, c)
        v = mu * v_prev - lr * g
        return (w + mu * v - lr * g) if stored else (w + v), v

    return step


_right = _look_ahead_form(lambda w, v, mu: w + mu * v)


def _negated_velocity(w, v_prev, a, c, lr, mu):
    """A consistent run whose velocity points uphill: v -> -v throughout."""
    g = _gradient(w - mu * v_prev, a, c)
    v = mu * v_prev + lr * g
    return w - v, v


def _course_average_velocity(w, v_prev, a, c, lr, mu):
    """The velocity built like the course's average: (1 - momentum) in front of the gradient."""
    g = _gradient(w + mu * v_prev, a, c)
    v = mu * v_prev - (1 - mu) * lr * g
    return w + v, v


_STEP_MISTAKES = [
    Mistake(
        "that is plain momentum: the gradient is taken at w_t, where you stand. Nesterov "
        "takes it where the momentum jump lands, the look-ahead point",
        _look_ahead_form(lambda w, v, mu: w),
    ),
    Mistake(
        "the look-ahead point is off: the jump is the part of the next step that is known "
        "before any gradient, and the next step keeps only a fraction `momentum` of the old "
        "velocity",
        _look_ahead_form(lambda w, v, mu: w + v),
    ),
    Mistake(
        "sign error in the look-ahead: Keras' velocity is itself the step (it is added to the "
        "weights), so the jump goes along v, not against it",
        _look_ahead_form(lambda w, v, mu: w - mu * v),
    ),
    Mistake(
        "that is Keras' stored form copied from above: its weights ARE the look-ahead points, "
        "so it takes the gradient where it stands. Here `w` is w_t itself: jump to the "
        "look-ahead point first and take the gradient there",
        _look_ahead_form(lambda w, v, mu: w, stored=True),
    ),
    Mistake(
        "the gradient is taken at the right point, but the step is Keras' stored one, which "
        "adds the next jump early; in the look-ahead form the step from w_t is the new "
        "velocity alone",
        _look_ahead_form(lambda w, v, mu: w + mu * v, stored=True),
    ),
    Mistake(
        "the look-ahead point is only where the gradient is measured: the step starts from "
        "w_t, not from the look-ahead point",
        lambda w, vp, a, c, lr, mu: (w + mu * vp + _right(w, vp, a, c, lr, mu)[1],
                                     _right(w, vp, a, c, lr, mu)[1]),
    ),
    Mistake(
        "the factor (1 - momentum) belongs to the course's average m_t; Keras' velocity is a "
        "plain decaying sum and takes learning_rate times the gradient in full",
        _course_average_velocity,
    ),
    Mistake(
        "the velocity has the wrong sign: Keras' v is the step itself (the new weights are w_t "
        "plus v), so it points downhill, against the gradient",
        _negated_velocity,
    ),
    Mistake(
        "the two values are swapped: return (w_next, v)",
        lambda w, vp, a, c, lr, mu: _right(w, vp, a, c, lr, mu)[::-1],
    ),
]


def check_nesterov_lookahead_step(student: Callable[..., Any]) -> None:
    """Check `nesterov_lookahead_step(w, v_prev, a, c, learning_rate, momentum)`."""
    check_exercise(
        _runs(student),
        _stored_form,
        _step_inputs,
        [Mistake(m.hint, _runs(m.implementation)) for m in _STEP_MISTAKES],
    )


# --- Exercise 3.2: how fast Nesterov's swings shrink on a bowl of curvature 2 -------------

# lr = 1, beta = 0.9: alpha = lr (1 - beta) = 0.1, alpha a = 0.2; the determinant of the
# one-step map is beta (1 - alpha a) = 0.72 and the eigenvalues are complex (the trace,
# 1 + beta - alpha a (1 + beta) = 1.52, is less than 2 sqrt(0.72) = 1.70), so both have the
# size sqrt(0.72).
NESTEROV_SHRINK = Prediction(
    float(np.sqrt(0.9 * (1 - 0.1 * 2.0))),
    "the two eigenvalues have the same size while the path oscillates, and their product is "
    "the determinant: use Nesterov's determinant with this bowl's curvature and alpha.",
    wrong=(
        (float(np.sqrt(0.9)), "that is momentum's factor, sqrt(beta), the same on every bowl; "
                              "Nesterov's determinant also has a factor that depends on the "
                              "curvature."),
        (0.72, "that is the determinant, the product of the two eigenvalues; each of them has "
               "its square root as its size."),
        (float(np.sqrt(0.9 * 0.6)), "that is the ravine's steep direction, curvature 4; the "
                                    "bowl (w - 3)^2 has curvature 2."),
        (0.9, "that is what curvature 1 gives: the curvature is the second derivative of "
              "(w - 3)^2, which is 2."),
    ),
)


def check_nesterov_shrink(answer: Any) -> None:
    """Check the predicted factor by which Nesterov's swings shrink per step on (w - 3)^2."""
    check_prediction(answer, NESTEROV_SHRINK, "nesterov_shrink")
