"""Notebook 07 (Adam): the check behind exercise 7.1, `adam_moments(g, m_prev, V_prev, t, beta1,
beta2)`, which returns (m_t, V_t, m_hat_t, V_hat_t)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils import rules
from course_utils.checks import Mistake, check_exercise, random_shape, random_tensor

Inputs = tuple[tf.Tensor, tf.Tensor, tf.Tensor, int, float, float]
Four = tuple[Any, Any, Any, Any]


def _inputs(rng: np.random.Generator) -> Inputs:
    """Gradient, state, a step number from 1 and two decay rates (exact in float32).

    beta2 stays below 0.99 so that 1 - beta2**t is at least 0.01: a correct answer computed
    entirely in float32 (tf.pow included) then stays within the check's tolerance. Gradients
    of size 0.1 keep the corrected moments of order 1, so that a correct float32 answer's
    error stays within the check's float32 tolerance.
    """
    shape = random_shape(rng)
    g, m_prev = 0.1 * random_tensor(rng, shape), 0.1 * random_tensor(rng, shape)
    V_prev = 0.01 * tf.abs(random_tensor(rng, shape))  # an average of squares is >= 0
    t = int(rng.integers(1, 11))  # t counts steps from 1
    beta1 = float(np.float32(rng.uniform(0.5, 0.85)))
    beta2 = float(np.float32(rng.uniform(0.9, 0.99)))
    return g, m_prev, V_prev, t, beta1, beta2


def _reference(
    g: tf.Tensor, m_prev: tf.Tensor, V_prev: tf.Tensor, t: int, beta1: float, beta2: float
) -> Four:
    """The course's rule, run in double precision (epsilon 0); its state is (m_t, V_t)."""
    hp = {
        name: tf.constant(value, tf.float64)
        for name, value in {
            "beta1": beta1,
            "1-beta1": 1 - beta1,
            "beta2": beta2,
            "1-beta2": 1 - beta2,
            "epsilon": 0.0,
        }.items()
    }
    state = {"m": tf.cast(m_prev, tf.float64), "V": tf.cast(V_prev, tf.float64)}
    g64, t64 = tf.cast(g, tf.float64), tf.constant(t, tf.float64)
    m_hat, V_hat, new_state = rules.adam_moments(g64, state, hp, t64)
    return new_state["m"], new_state["V"], m_hat, V_hat


@dataclass(frozen=True)
class _Variant:
    """Adam's moments with one thing changed, to recognise a mistake by its output."""

    keep1: str = "beta"  # weight of m_{t-1}: "beta", "1-beta", "1" or "0"
    keep2: str = "beta"  # the same for V_{t-1}
    add1: str = "1-beta"  # weight of g_t
    add2: str = "1-beta"  # weight of g_t^2
    grad_sign: float = 1.0
    square: bool = True
    swap_betas: bool = False
    power: int = 0  # the correction uses beta**(t + power)
    correction: str = "1 - beta**t"  # or "(1 - beta)**t", "none", "sqrt" (V_hat's only)
    root_of_v_hat: bool = False
    corrected_state: bool = False

    @staticmethod
    def _weight(kind: str, beta: float) -> float:
        return {"beta": beta, "1-beta": 1 - beta, "1": 1.0, "0": 0.0}[kind]

    def _divisor(self, beta: float, t: int, squares: bool = False) -> float:
        if self.correction == "none":
            return 1.0
        if self.correction == "(1 - beta)**t":
            return (1 - beta) ** t
        divisor = 1 - beta ** (t + self.power)
        return divisor**0.5 if squares and self.correction == "sqrt" else divisor

    def __call__(
        self, g: tf.Tensor, m_prev: tf.Tensor, V_prev: tf.Tensor, t: int, beta1: float, beta2: float
    ) -> Four:
        if self.swap_betas:
            beta1, beta2 = beta2, beta1
        first = self._weight(self.keep1, beta1) * m_prev
        first += self.grad_sign * self._weight(self.add1, beta1) * g
        second = self._weight(self.keep2, beta2) * V_prev
        second += self._weight(self.add2, beta2) * (tf.square(g) if self.square else g)
        first_hat = first / self._divisor(beta1, t)
        second_hat = second / self._divisor(beta2, t, squares=True)
        if self.root_of_v_hat:
            second_hat = tf.sqrt(second_hat)
        if self.corrected_state:
            return first_hat, second_hat, first_hat, second_hat
        return first, second, first_hat, second_hat


_STATE = (
    "the state was not carried: build m_t on m_{t-1} and V_t on V_{t-1} "
    "(beta1 * m_{t-1} + ..., beta2 * V_{t-1} + ...)"
)

_MISTAKES = (
    Mistake(
        "bias correction missing: m_hat = m_t / (1 - beta1**t), V_hat = V_t / (1 - beta2**t)",
        _Variant(correction="none"),
    ),
    Mistake(
        "t already counts from 1: use beta**t, not beta**(t-1) (on the first step beta**0 = 1 "
        "and you would divide by 0)",
        _Variant(power=-1),
    ),
    Mistake(
        "t already counts from 1 (the first step is t = 1): use beta**t, not beta**(t+1)",
        _Variant(power=1),
    ),
    Mistake(
        "the correction divides by 1 - beta**t, not (1 - beta)**t: mind the parentheses",
        _Variant(correction="(1 - beta)**t"),
    ),
    Mistake(
        "V_hat = V_t / (1 - beta2**t), without a square root: the step takes the root of V_hat",
        _Variant(correction="sqrt"),
    ),
    Mistake(
        "V_hat is V_t / (1 - beta2**t) itself; the square root belongs to the step",
        _Variant(root_of_v_hat=True),
    ),
    Mistake("the factor (1 - beta1) in front of g_t is missing", _Variant(add1="1")),
    Mistake("the factor (1 - beta2) in front of g_t**2 is missing", _Variant(add2="1")),
    Mistake(
        "the factors (1 - beta1) and (1 - beta2) are missing: an EMA is "
        "beta * old + (1 - beta) * new",
        _Variant(add1="1", add2="1"),
    ),
    Mistake(
        "m_t and V_t are moving averages, beta * old + (1 - beta) * new, not running sums",
        _Variant(keep1="1", add1="1", keep2="1", add2="1"),
    ),
    Mistake(_STATE, _Variant(keep1="0", keep2="0")),
    Mistake(_STATE + " (m_{t-1} is missing)", _Variant(keep1="0")),
    Mistake(_STATE + " (V_{t-1} is missing)", _Variant(keep2="0")),
    Mistake(
        "beta1 and beta2 are swapped: beta1 averages the gradients, beta2 the squares",
        _Variant(swap_betas=True),
    ),
    Mistake(
        "beta and 1 - beta are swapped: the OLD average gets beta, the new term 1 - beta",
        _Variant(keep1="1-beta", add1="beta", keep2="1-beta", add2="beta"),
    ),
    Mistake("V_t averages the SQUARED gradients: g_t**2, not g_t", _Variant(square=False)),
    Mistake(
        "sign error: m_t = beta1 m_{t-1} PLUS (1 - beta1) g_t",
        _Variant(grad_sign=-1.0),
    ),
    Mistake(
        "return the uncorrected m_t, V_t as the state; the corrected ones come third and fourth",
        _Variant(corrected_state=True),
    ),
)


def check_adam_moments(student: Callable) -> None:
    """Check exercise 7.1 (Adam's m_t, V_t and their corrections) and print one line."""
    check_exercise(student, reference=_reference, make_inputs=_inputs, mistakes=_MISTAKES)
