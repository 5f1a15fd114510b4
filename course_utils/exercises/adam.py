"""Notebook 07 (Adam): the checks behind its three exercises.

- 7.1 `folded_learning_rate(t, lr, beta1, beta2)`: the learning rate alpha_t that turns the
  step on the *uncorrected* moments, alpha_t m_t / sqrt(V_t), into Adam's corrected step
  lr m_hat_t / sqrt(V_hat_t) (Keras' form of Adam, before the notebook shows it).
- 7.2 `keras_adam_first_step`: a predicted number, the first step of Keras' Adam (epsilon 1e-7
  added to the root of the uncorrected V_t) for a first gradient g_1 = 1e-6, lr = 0.1. (Not
  `keras_first_step`: notebook 05 has a check of that name, and the grader finds checks by name.)
- 7.3 `equivalent_outside_epsilon(g1, eps_inside)`: the paper's epsilon (outside the root) that
  gives the same first step as the course's epsilon inside the root.

Every reference is written here from the formula, in double precision: the checks use nothing
the notebook prints or imports before them.
"""

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils.checks import (
    Mistake,
    Prediction,
    check_exercise,
    check_prediction,
    random_shape,
)

# ---------------------------------------------------------------- 7.1: the folded learning rate


def _steps_inputs(rng: np.random.Generator) -> tuple[np.ndarray, float, float, float]:
    """Step numbers t >= 1 (an integer array, as `np.arange` gives), lr and two decay rates.

    All three rates are exact in float32; beta2 stays below 0.99 so that 1 - beta2**t is at
    least 0.01 and an answer computed in float32 stays within the check's tolerance.
    """
    t = rng.integers(1, 60, size=random_shape(rng))
    t.flat[0] = 1  # the first step, where the correction matters most
    lr = float(np.float32(rng.uniform(0.01, 1.0)))
    beta1 = float(np.float32(rng.uniform(0.5, 0.9)))
    beta2 = float(np.float32(rng.uniform(0.9, 0.99)))
    return t, lr, beta1, beta2


def _folded(
    lr_power: int = 1, c1: str = "1 - beta**t", c2: str = "sqrt", inverted: bool = False,
    shift: int = 0, swap: bool = False,
) -> Callable[..., np.ndarray]:
    """alpha_t with one thing changed: the corrections c1 (of m) and c2 (of V) and how they
    enter, lr left out, t shifted, the betas swapped, or the whole factor inverted."""

    def alpha(t: np.ndarray, lr: float, beta1: float, beta2: float) -> np.ndarray:
        t = np.asarray(t, dtype=np.float64) + shift
        if swap:
            beta1, beta2 = beta2, beta1
        if c1 == "(1 - beta)**t":
            share1, share2 = (1 - beta1) ** t, (1 - beta2) ** t
        else:
            share1, share2 = 1 - beta1**t, 1 - beta2**t
        numerator = {"sqrt": np.sqrt(share2), "plain": share2, "none": 1.0, "divides": 1.0}[c2]
        denominator = share1 if c1 != "none" else 1.0
        if c2 == "divides":
            denominator = denominator * np.sqrt(share2)
        if inverted:
            numerator, denominator = denominator, numerator
        # in the order a solution writes it, lr times the numerator first: the notebook's
        # solution then matches the reference to the last bit on any CPU
        return lr**lr_power * numerator / denominator * np.ones_like(t)

    return alpha


_reference_folded = _folded()

_FOLDED_MISTAKES = (
    Mistake(
        "that multiplies lr by the factor by which leaving the correction out ENLARGES the "
        "step; alpha_t must undo that factor, not apply it",
        _folded(inverted=True),
    ),
    Mistake(
        "the square root is missing: V_t enters the step under a root, so its correction does too",
        _folded(c2="plain"),
    ),
    Mistake(
        "V_t's correction is on the wrong side: V_hat divides V_t, and sqrt(V_hat) sits in the "
        "denominator of the step, so its correction ends up in alpha_t's numerator",
        _folded(c2="divides"),
    ),
    Mistake(
        "beta1 and beta2 are swapped: beta1's correction belongs to m_t, beta2's to V_t",
        _folded(swap=True),
    ),
    Mistake(
        "the correction divides by 1 - beta**t, not (1 - beta)**t: mind the parentheses",
        _folded(c1="(1 - beta)**t"),
    ),
    Mistake(
        "t already counts from 1 (the first step is t = 1): use beta**t, not beta**(t+1)",
        _folded(shift=1),
    ),
    Mistake(
        "the correction of V_t is missing: only m_t's is in your alpha_t",
        _folded(c2="none"),
    ),
    Mistake(
        "the correction of m_t is missing: only V_t's is in your alpha_t",
        _folded(c1="none"),
    ),
    Mistake(
        "lr is missing: alpha_t is a learning rate, lr times a factor that depends on t",
        _folded(lr_power=0),
    ),
)


def check_folded_learning_rate(student: Callable) -> None:
    """Check exercise 7.1 (the learning rate alpha_t for the uncorrected moments) in one line."""
    check_exercise(student, reference=_reference_folded, make_inputs=_steps_inputs,
                   mistakes=_FOLDED_MISTAKES)


# ------------------------------------------------------------- 7.2: Keras' first step, predicted

_LR, _G1, _EPS, _BETA1, _BETA2 = 0.1, 1e-6, 1e-7, 0.9, 0.999


def _first_step(epsilon_place: str, use_alpha: bool = True, corrected_m: bool = False) -> float:
    """Adam's first step for the gradient _G1 with epsilon _EPS in `epsilon_place`."""
    m1, V1 = (1 - _BETA1) * _G1, (1 - _BETA2) * _G1**2
    m_hat, V_hat = m1 / (1 - _BETA1), V1 / (1 - _BETA2)
    if epsilon_place == "paper":  # outside the root of the corrected V_hat
        return _LR * m_hat / (math.sqrt(V_hat) + _EPS)
    if epsilon_place == "course":  # inside the root
        return _LR * m_hat / math.sqrt(V_hat + _EPS)
    alpha = _LR * math.sqrt(1 - _BETA2) / (1 - _BETA1) if use_alpha else _LR
    return alpha * (m_hat if corrected_m else m1) / (math.sqrt(V1) + _EPS)  # Keras


KERAS_ADAM_FIRST_STEP = Prediction(
    expected=_first_step("keras"),
    hint="on the first step m_hat_1 and V_hat_1 are simple functions of g_1 alone (see the "
    "first step in general); Keras adds epsilon to sqrt(V_t), and the table of epsilon_t "
    "above says what that epsilon amounts to next to sqrt(V_hat_1) on step 1.",
    wrong=(
        (_first_step("paper"), "that puts epsilon = 1e-7 next to sqrt(V_hat_1), as the paper "
         "does; Keras adds it to the root of the UNCORRECTED V_1, where it weighs 32 times more"),
        (_LR, "epsilon is not negligible here: g_1 = 1e-6 is small, and so is sqrt(V_1)"),
        (_first_step("course"), "that is epsilon INSIDE the root, the course's form; Keras adds "
         "it outside the root (of the uncorrected V_t)"),
        (_first_step("keras") / _LR, "that is the step as a fraction of lr (or alpha_1 times "
         "the corrected m_hat_1); give the step itself, with Keras' uncorrected m_1"),
        (_LR * _G1, "that is SGD's step, lr * g_1; Adam divides by sqrt(V_hat_1) first"),
        (_first_step("keras", use_alpha=False), "alpha_1 is missing: Keras multiplies the "
         "uncorrected ratio by alpha_t, not by lr"),
        (_first_step("keras", use_alpha=False, corrected_m=True), "that divides the corrected "
         "m_hat_1 by the uncorrected sqrt(V_1): Keras uses m_t and V_t both uncorrected and "
         "puts the whole correction in alpha_t"),
    ),
)


def check_keras_adam_first_step(answer: Any) -> None:
    """Check exercise 7.2 (Keras' first step for g_1 = 1e-6) and print one line."""
    check_prediction(answer, KERAS_ADAM_FIRST_STEP, "keras_adam_first_step")


# ------------------------------------------------------- 7.3: epsilon inside and outside the root


def _epsilon_inputs(rng: np.random.Generator) -> tuple[tf.Tensor, float]:
    """First gradients of both signs (at least one negative) and an epsilon for inside the root.

    The gradients' sizes lie within a factor 10 of sqrt(eps_inside) either way, where the
    exact answer differs clearly from its two limits (sqrt(eps_inside) and
    eps_inside / (2 |g_1|)), and every answer is far above the check's atol.
    """
    eps_inside = float(np.float32(10.0 ** rng.uniform(-6, -2)))
    shape = random_shape(rng)
    sizes = math.sqrt(eps_inside) * 10.0 ** rng.uniform(-1, 1, size=shape)
    signs = np.where(rng.random(shape) < 0.5, -1.0, 1.0)
    signs.flat[0] = -1.0
    return tf.constant(signs * sizes, tf.float32), eps_inside


def _outside(kind: str = "exact") -> Callable[..., np.ndarray]:
    """The outside epsilon, right or as a typical mistake gives it."""

    def epsilon(g1: tf.Tensor, eps_inside: float) -> np.ndarray:
        g = np.asarray(g1, dtype=np.float64)
        root = np.sqrt(g**2 + eps_inside)
        return {
            "exact": root - np.abs(g),
            "sqrt": np.sqrt(eps_inside) * np.ones_like(g),
            "same": eps_inside * np.ones_like(g),
            "no abs": root - g,
            "sign": np.abs(g) - root,
            "root only": root,
            "first order": eps_inside / (2 * np.abs(g)),
        }[kind]

    return epsilon


_reference_outside = _outside()

_OUTSIDE_MISTAKES = (
    Mistake(
        "sqrt(eps_inside) is only the limit for gradients much smaller than it; the exact "
        "value depends on g1",
        _outside("sqrt"),
    ),
    Mistake(
        "the same epsilon in both places gives different steps: inside, epsilon is added to "
        "g_1**2; outside, to |g_1|",
        _outside("same"),
    ),
    Mistake(
        "the root of V_hat_1 is |g_1|, not g_1: your answer is wrong for the negative gradients",
        _outside("no abs"),
    ),
    Mistake(
        "sign error: epsilon_out is what must be ADDED to |g_1| (it is positive)",
        _outside("sign"),
    ),
    Mistake(
        "that is the whole denominator of the course's step; epsilon_out is only what the "
        "paper adds to sqrt(V_hat_1)",
        _outside("root only"),
    ),
    Mistake(
        "that is the first-order approximation, good only for |g_1| much larger than "
        "sqrt(eps_inside); give the exact value",
        _outside("first order"),
    ),
)


def check_equivalent_outside_epsilon(student: Callable) -> None:
    """Check exercise 7.3 (the outside epsilon equal to an inside one on step 1) in one line."""
    check_exercise(student, reference=_reference_outside, make_inputs=_epsilon_inputs,
                   mistakes=_OUTSIDE_MISTAKES)
