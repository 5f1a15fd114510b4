"""Notebook 06 (AdaDelta): the check behind exercise 6.1, `adadelta_step(g, Eg2_prev, Edw2_prev,
beta, eps)`, which returns (E[g^2]_t, dw_t, E[dw^2]_t)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils import rules, update
from course_utils.checks import Mistake, check_exercise, random_shape, random_tensor

Inputs = tuple[tf.Tensor, tf.Tensor, tf.Tensor, float, float]
Average = Callable[[float, Any, Any], Any]


def _inputs(rng: np.random.Generator) -> Inputs:
    """A gradient, the two previous averages, beta and a large epsilon (exact in float32)."""
    shape = random_shape(rng)
    g = random_tensor(rng, shape)
    # E[g^2] at least 1, so that a variant without a square never takes the root of a
    # negative number (NaN matches nothing); E[dw^2] of the size of small past steps.
    Eg2_prev = tf.square(random_tensor(rng, shape)) + 1.0
    Edw2_prev = 0.01 * tf.square(random_tensor(rng, shape))
    beta = float(np.float32(rng.uniform(0.8, 0.99)))
    # a large epsilon, so that leaving it out changes the answer visibly
    eps = float(np.float32(rng.uniform(0.01, 0.1)))
    return g, Eg2_prev, Edw2_prev, beta, eps


def _reference(
    g: tf.Tensor, Eg2_prev: tf.Tensor, Edw2_prev: tf.Tensor, beta: float, eps: float
) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
    """The course's rule: adadelta_moments, the recipe's m_t / sqrt(V_t), adadelta_after_step."""
    hp = update.as_tensors({"lr": 1.0, "beta": beta, "epsilon": eps})
    m, V, state = rules.adadelta_moments(g, {"V": Eg2_prev, "U": Edw2_prev}, hp, 1.0)
    step = m / tf.sqrt(V)
    return state["V"], step, rules.adadelta_after_step(step, state, hp)["U"]


def _ema(beta: float, old: Any, new: Any) -> Any:
    return beta * old + (1 - beta) * new


def _no_complement(beta: float, old: Any, new: Any) -> Any:
    return beta * old + new


def _running_sum(beta: float, old: Any, new: Any) -> Any:
    return old + new


def _forgetful(beta: float, old: Any, new: Any) -> Any:
    return (1 - beta) * new


def _swapped(beta: float, old: Any, new: Any) -> Any:
    return (1 - beta) * old + beta * new


def _same(x: Any) -> Any:
    return x


@dataclass(frozen=True)
class _Variant:
    """AdaDelta's step with one thing changed, to recognise a mistake by its output."""

    average_g: Average = _ema
    average_dw: Average = _ema
    square_g: Callable[[Any], Any] = tf.square
    square_dw: Callable[[Any], Any] = tf.square
    root_num: Callable[[Any], Any] = tf.sqrt
    root_den: Callable[[Any], Any] = tf.sqrt
    eps_num: float = 1.0
    eps_den: float = 1.0
    sign: float = 1.0
    past_steps: bool = True  # False: the numerator ignores E[dw^2]_{t-1}
    todays_average: bool = True  # False: the denominator uses E[g^2]_{t-1}
    times_g: bool = True  # False: dw is the ratio alone
    eps_outside: bool = False  # True: sqrt(E) + eps instead of sqrt(E + eps)
    new_numerator: bool = False  # True: the numerator uses E[dw^2]_t, after the step

    def _delta(self, g: Any, mean_g2: Any, mean_step2: Any, eps: float) -> Any:
        past = mean_step2 if self.past_steps else 0.0
        if self.eps_outside:
            ratio = (tf.sqrt(past) + eps) / (tf.sqrt(mean_g2) + eps)
        else:
            numerator = self.root_num(past + self.eps_num * eps)
            ratio = numerator / self.root_den(mean_g2 + self.eps_den * eps)
        return self.sign * ratio * (g if self.times_g else 1.0)

    def __call__(
        self, g: tf.Tensor, Eg2_prev: tf.Tensor, Edw2_prev: tf.Tensor, beta: float, eps: float
    ) -> tuple[Any, Any, Any]:
        mean_g2 = self.average_g(beta, Eg2_prev, self.square_g(g))
        step = self._delta(g, mean_g2 if self.todays_average else Eg2_prev, Edw2_prev, eps)
        mean_step2 = self.average_dw(beta, Edw2_prev, self.square_dw(step))
        if self.new_numerator:
            step = self._delta(g, mean_g2, mean_step2, eps)
        return mean_g2, step, mean_step2


def _each_average(hint: str, average: Average) -> tuple[Mistake, ...]:
    """The same wrong average in both EMAs, in E[g^2] only and in E[dw^2] only."""
    return (
        Mistake(hint, _Variant(average_g=average, average_dw=average)),
        Mistake(f"{hint} (in E[g^2])", _Variant(average_g=average)),
        Mistake(f"{hint} (in E[dw^2])", _Variant(average_dw=average)),
    )


_MISTAKES = (
    Mistake(
        "the numerator must use E[dw^2]_{t-1}, the average BEFORE this step (today's step is "
        "not known yet); update E[dw^2] only after computing dw",
        _Variant(new_numerator=True),
    ),
    Mistake(
        "sign error: return dw = +RMS[dw]_{t-1} / RMS[g]_t * g, the amount SUBTRACTED from w",
        _Variant(sign=-1.0),
    ),
    *_each_average(
        "a (1 - beta) is missing: an EMA is beta * old + (1 - beta) * new", _no_complement
    ),
    *_each_average(
        "that is a running sum (AdaGrad's V_t); AdaDelta keeps EMAs: beta * old + (1 - beta) * new",
        _running_sum,
    ),
    *_each_average(
        "the previous average was not carried over: an EMA is beta * old + (1 - beta) * new",
        _forgetful,
    ),
    *_each_average("beta and 1 - beta are swapped: the OLD average gets beta", _swapped),
    Mistake(
        "the numerator ignores the past steps: RMS[dw]_{t-1} = sqrt(E[dw^2]_{t-1} + eps); "
        "sqrt(eps) alone is right only on the first step",
        _Variant(past_steps=False),
    ),
    Mistake(
        "the denominator uses E[g^2]_t, the average that already includes today's g_t",
        _Variant(todays_average=False),
    ),
    Mistake(
        "average the SQUARED gradient: (1 - beta) * g^2 in E[g^2], not (1 - beta) * g",
        _Variant(square_g=_same),
    ),
    Mistake(
        "average the SQUARED step: (1 - beta) * dw^2 in E[dw^2], not (1 - beta) * dw",
        _Variant(square_dw=_same),
    ),
    Mistake(
        "the square root is missing in the numerator: RMS[dw] = sqrt(E[dw^2] + eps)",
        _Variant(root_num=_same),
    ),
    Mistake(
        "the square root is missing in the denominator: RMS[g] = sqrt(E[g^2] + eps)",
        _Variant(root_den=_same),
    ),
    Mistake(
        "epsilon is missing in the numerator: sqrt(E[dw^2]_{t-1} + eps); without it the "
        "first step is 0",
        _Variant(eps_num=0.0),
    ),
    Mistake(
        "epsilon is missing in the denominator: sqrt(E[g^2]_t + eps)",
        _Variant(eps_den=0.0),
    ),
    Mistake("epsilon goes inside both square roots, not after them", _Variant(eps_outside=True)),
    Mistake(
        "dw is the ratio RMS[dw]_{t-1} / RMS[g]_t TIMES the gradient g_t",
        _Variant(times_g=False),
    ),
)


def check_adadelta_step(student: Callable) -> None:
    """Check exercise 6.1 (one AdaDelta step) on random inputs and print one line."""
    check_exercise(student, reference=_reference, make_inputs=_inputs, mistakes=_MISTAKES)
