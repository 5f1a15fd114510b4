"""Checks for the exercises of notebook 00, the recipe.

0.1 asks for the moments (m_t, V_t) that turn the recipe into sign-SGD. Many pairs are right,
(g, g^2) and (sign g, 1) among them, so the check compares the step they give, m_t / sqrt(V_t),
with sign(g_t), not m_t and V_t one by one. 0.2 asks for a count: the value of t at the last step
of 500 epochs in batches of 50.
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
    check_exercise,
    check_prediction,
    random_shape,
    random_tensor,
)


def _gradient_inputs(rng: np.random.Generator) -> tuple:
    """(g_t,): a random float32 tensor with no entry within 0.1 of zero (sign(0) is 0)."""
    x = random_tensor(rng, random_shape(rng))
    return (tf.sign(x) * (tf.abs(x) + 0.1),)


def _reference(g: tf.Tensor) -> np.ndarray:
    """sign-SGD's m_t / sqrt(V_t): the sign of the gradient, from its definition."""
    return np.sign(np.asarray(g, dtype=np.float64))


def _step_of(student: Callable[..., Any]) -> Callable[..., Any]:
    """The step per unit of lr, m_t / sqrt(V_t), that the student's (m_t, V_t) gives."""

    @functools.wraps(student)
    def step(g: tf.Tensor) -> Any:
        result = student(g)
        if result is None:
            return None  # check_exercise says: is a `return` statement missing?
        if not isinstance(result, tuple | list) or len(result) != 2:
            count = len(result) if isinstance(result, tuple | list) else 1
            raise UnusableAnswerError(
                f"it returned {count} value(s): return the pair m_t, V_t (two values)"
            )
        try:
            m, V = (np.asarray(v, dtype=np.float64) for v in result)
        except (TypeError, ValueError) as err:
            raise UnusableAnswerError(f"m_t or V_t is not a number or array ({err})") from None
        if np.any(V < 0):
            raise UnusableAnswerError(
                "V_t has negative entries, and their square root is NaN: a second moment is "
                "made of squares, never negative"
            )
        if np.any(V == 0):
            raise UnusableAnswerError("V_t has zeros: the recipe would divide by sqrt(0)")
        try:
            return m / np.sqrt(V)
        except ValueError:
            raise UnusableAnswerError(
                f"m_t and V_t have shapes {m.shape} and {V.shape}, which do not fit together"
            ) from None

    return step


_SIGN_MISTAKES = [
    Mistake(
        "that is plain SGD's step: it still grows with |g_t|. Choose m_t and V_t so that "
        "m_t / sqrt(V_t) keeps only the sign of g_t",
        lambda g: np.asarray(g),
    ),
    Mistake(
        "the size of g_t is only half cancelled: with V_t = |g_t| the step is still "
        "sqrt|g_t| long. sqrt(V_t) must equal |g_t|",
        lambda g: np.sign(g) * np.sqrt(np.abs(g)),
    ),
    Mistake(
        "sign error: the recipe subtracts the step itself, so m_t / sqrt(V_t) must have the "
        "sign of g_t, not the opposite one",
        lambda g: -np.sign(g),
    ),
    Mistake(
        "every step is +lr, whatever the gradient: the direction is lost. m_t must carry the "
        "sign of g_t",
        lambda g: np.ones_like(np.asarray(g)),
    ),
    Mistake(
        "the size of g_t is divided out twice: the step came out as lr / g_t. Either m_t or "
        "V_t removes |g_t|, not both",
        lambda g: 1 / np.asarray(g, dtype=np.float64),
    ),
]


def check_sign_sgd_moments(student: Callable[..., Any]) -> None:
    """Check `sign_sgd_moments(g)`: the recipe's step from its (m_t, V_t) must be lr sign(g_t)."""
    check_exercise(_step_of(student), _reference, _gradient_inputs, _SIGN_MISTAKES)


STEPS_IN_500_EPOCHS = Prediction(
    1500,
    hint="t goes up by one per batch: count the batches of 50 in 120 rows, then the epochs",
    wrong=(
        (1200, "120 / 50 is 2.4, but steps come in whole batches: the 20 rows left over "
               "make a batch, and a step, of their own"),
        (1000, "the 20 rows left over are not dropped: `.batch(50)` keeps a last, smaller "
               "batch, as `.batch(32)` kept one of 24 rows"),
        (2000, "that is the count for batches of 32 (4 steps per epoch); count the batches "
               "of 50"),
        (500, "t counts batches, not epochs: several steps per epoch"),
        (60000, "one step per batch, not one per row"),
    ),
)


def check_steps_in_500_epochs(answer: Any) -> None:
    """Check the predicted value of t at the last step of 500 epochs in batches of 50."""
    check_prediction(answer, STEPS_IN_500_EPOCHS, "steps_in_500_epochs")
