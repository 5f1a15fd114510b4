"""Notebook 10 (after Adam): the checks behind its three exercises.

- 10.1 `lion_weight_after_30`: a predicted number, where Lion (lr 0.001, beta1 0.9, beta2 0.99)
  leaves a weight after 30 steps whose gradient is 2 for 10 steps and -1 after that.
- 10.2 `warm_up_first_four`: a predicted number, how far Adam moves a weight with a constant
  gradient (3) in its first four steps under Keras' linear warm-up (0 to 0.1 over 100 steps).
- 10.3 `adamax_moments(g, state, hp, t)`: the capstone, Adamax (Kingma & Ba 2015, section 7.1)
  in the course's interface, checked on random inputs against a reference and its typical
  mistakes, then step by step against `tf.keras.optimizers.Adamax`.

Every reference is written here from the formula: the checks use nothing the notebook prints or
imports before them.
"""

import contextlib
import io
import math
from collections.abc import Callable, Mapping
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from course_utils import update
from course_utils.checks import (
    Mistake,
    Prediction,
    UnusableAnswerError,
    check_exercise,
    check_prediction,
    random_shape,
    random_tensor,
)
from course_utils.hyperparameters import BETA, BETA2, EPSILON, LEARNING_RATE
from course_utils.parity import ParityReport, compare_with_keras, difference_bound
from course_utils.rules import Rule

# ------------------------------------------------------------- 10.1: Lion's weight, predicted

_LION_LR, _LION_B1, _LION_B2 = 0.001, 0.9, 0.99


def _lion_gradient(t: int) -> float:
    return 2.0 if t <= 10 else -1.0


def _lion_walk(kind: str = "exact", steps: int = 30) -> float:
    """The weight after `steps` Lion steps from w = 0, as Lion or a typical mistake takes them."""
    w, k = 0.0, 0.0
    for t in range(1, steps + 1):
        g = _lion_gradient(t)
        swapped = kind == "swapped betas"
        b1, b2 = (_LION_B2, _LION_B1) if swapped else (_LION_B1, _LION_B2)
        k_new = b2 * k + (1 - b2) * g
        direction = {
            "exact": b1 * k + (1 - b1) * g,
            "sign of g": g,
            "sign of k": k_new,
            "updated k": b1 * k_new + (1 - b1) * g,
            "swapped betas": b1 * k + (1 - b1) * g,
            "never forgets": 1.0,
        }[kind]
        w -= _LION_LR * math.copysign(1.0, direction) if direction != 0 else 0.0
        k = k_new
    return w


def _distinct_wrong(pairs: tuple[tuple[float, str], ...], right: float) -> tuple:
    """The wrong values that differ from the right one (by more than the check's 1%)."""
    return tuple((v, hint) for v, hint in pairs if not math.isclose(v, right, rel_tol=0.01))


LION_WEIGHT_AFTER_30 = Prediction(
    expected=_lion_walk(),
    hint="each step moves the weight by exactly lr, in the direction of minus the sign of "
    "beta1 k_{t-1} + (1 - beta1) g_t; follow k_t (decay beta2) step by step and count the "
    "steps of each sign.",
    wrong=_distinct_wrong((
        (_lion_walk("sign of g"), "that moves with the sign of each g_t (signSGD): Lion's sign "
         "is that of the interpolation beta1 k_{t-1} + (1 - beta1) g_t, which still remembers "
         "the 2s for a few steps"),
        (_lion_walk("never forgets"), "the momentum does forget: once 0.9 k_{t-1} falls below "
         "0.1, the interpolation turns negative and the weight moves back up"),
        (_lion_walk("sign of k"), "that takes the sign of the kept momentum k_t alone; Lion "
         "interpolates between k_{t-1} and g_t with beta1 = 0.9, which reacts sooner"),
        (_lion_walk("updated k"), "that interpolates with k_t, already updated with g_t; Lion "
         "uses the momentum from BEFORE this step, k_{t-1}"),
        (_lion_walk("swapped betas"), "the two betas are swapped: beta1 = 0.9 interpolates "
         "for the sign, beta2 = 0.99 is the decay of the momentum Lion keeps"),
        (-_lion_walk(), "sign error: a positive gradient moves the weight DOWN (w -= lr sign)"),
        (_LION_LR * (-2.0 * 10 + 1.0 * 20), "that is SGD's lr * g_t summed: Lion's step is "
         "lr times a sign, exactly lr long, whatever the gradient's size"),
    ), _lion_walk()),
)


def check_lion_weight_after_30(answer: Any) -> None:
    """Check exercise 10.1 (Lion's weight after 30 steps) and print one line."""
    check_prediction(answer, LION_WEIGHT_AFTER_30, "lion_weight_after_30")


# ---------------------------------------------------------- 10.2: Adam's first steps in warm-up

_PEAK, _WARM_STEPS = 0.1, 100


def _warm_up_distance(first_step: int = 0, steps: int = 4, gradient_size: float = 1.0) -> float:
    """Adam's first `steps` steps for a constant gradient: each is lr_s (times |g| if wrong)."""
    return sum(_PEAK * s / _WARM_STEPS * gradient_size
               for s in range(first_step, first_step + steps))


WARM_UP_FIRST_FOUR = Prediction(
    expected=_warm_up_distance(),
    hint="for a constant gradient every one of Adam's steps is lr_s * sign(g) (the first step "
    "in general, chapter 7, and it stays so while the gradient does not change); add the "
    "four learning rates of steps 0, 1, 2 and 3.",
    wrong=(
        (_warm_up_distance(first_step=1), "the trainer counts steps from 0, and Keras' warm-up "
         "gives step 0 the initial learning rate, 0: the first step does not move the weight"),
        (4 * _PEAK, "that is four full steps of lr = 0.1, without the warm-up"),
        (_warm_up_distance(gradient_size=3.0), "Adam's step does not scale with the "
         "gradient: m_hat / sqrt(V_hat) is sign(g) = 1 for a constant gradient, whatever its "
         "size"),
        (_PEAK * 3 / _WARM_STEPS, "that is the learning rate of the fourth step alone; the "
         "weight moves by the sum of all four steps"),
        (0.0, "only step 0 has learning rate 0; the next three rise by 0.001 each"),
    ),
)


def check_warm_up_first_four(answer: Any) -> None:
    """Check exercise 10.2 (Adam's first four steps in warm-up) and print one line."""
    check_prediction(answer, WARM_UP_FIRST_FOUR, "warm_up_first_four")


# ------------------------------------------------------------------- 10.3: Adamax, the capstone

_ADAMAX_STATE = ("m", "u")


def _adamax(
    u_of: Callable = lambda g, u, b2: tf.maximum(b2 * u, tf.abs(g)),
    corrected: bool = True,
    V_of: Callable = lambda u, eps, b2, t: tf.square(u + eps),
    state_m_hat: bool = False,
) -> Callable:
    """Adamax's moments, with one part written as a typical mistake writes it."""

    def moments(g, state, hp, t):
        m = hp["beta1"] * state["m"] + (1 - hp["beta1"]) * g
        u = u_of(g, state["u"], hp["beta2"])
        m_hat = m / (1 - tf.pow(hp["beta1"], t)) if corrected else m
        V = V_of(u, hp["epsilon"], hp["beta2"], t)
        return m_hat, V, {"m": m_hat if state_m_hat else m, "u": u}

    return moments


_reference_adamax = _adamax()

ADAMAX_MISTAKES_BY_PART = (
    ("an exponential moving average of |g_t|: Adamax's u_t is a running MAXIMUM, "
     "max(beta2 u_{t-1}, |g_t|), not an average",
     _adamax(u_of=lambda g, u, b2: b2 * u + (1 - b2) * tf.abs(g))),
    ("the bias correction of m_t is missing: m_hat_t = m_t / (1 - beta1**t), as in Adam",
     _adamax(corrected=False)),
    ("V_t = u_t + epsilon, not squared: the recipe divides by sqrt(V_t), so V_t must be the "
     "SQUARE of Adamax's denominator u_t + epsilon",
     _adamax(V_of=lambda u, eps, b2, t: u + eps)),
    ("the absolute value is missing: u_t = max(beta2 u_{t-1}, |g_t|), or a negative gradient "
     "never enters u_t",
     _adamax(u_of=lambda g, u, b2: tf.maximum(b2 * u, g))),
    ("epsilon is inside the root (u_t**2 + epsilon); Keras adds it to u_t, so V_t = "
     "(u_t + epsilon)**2",
     _adamax(V_of=lambda u, eps, b2, t: tf.square(u) + eps)),
    ("epsilon is missing: Keras' step is lr m_hat_t / (u_t + epsilon)",
     _adamax(V_of=lambda u, eps, b2, t: tf.square(u))),
    ("u_{t-1} is not decayed: the maximum is taken with beta2 u_{t-1}, so that an old large "
     "gradient is forgotten",
     _adamax(u_of=lambda g, u, b2: tf.maximum(u, tf.abs(g)))),
    ("u_t holds the maximum of |g_t|, not of g_t**2: it is already in the gradient's units",
     _adamax(u_of=lambda g, u, b2: tf.maximum(b2 * u, tf.square(g)))),
    ("u_t needs no bias correction: a maximum does not start biased towards 0 the way an "
     "average does (Kingma & Ba, section 7.1)",
     _adamax(V_of=lambda u, eps, b2, t: tf.square(u / (1 - tf.pow(b2, t)) + eps))),
    ("that is Adam's second moment, an average of g_t**2; Adamax keeps a running maximum of |g_t|",
     _adamax(u_of=lambda g, u, b2: b2 * u + (1 - b2) * tf.square(g),
             V_of=lambda u, eps, b2, t: tf.square(tf.sqrt(u / (1 - tf.pow(b2, t))) + eps))),
    ("the state keeps the corrected m_hat_t; store the plain average m_t, as Adam does (the "
     "correction is recomputed at every step)",
     _adamax(state_m_hat=True)),
)


def _adamax_inputs(rng: np.random.Generator) -> tuple:
    """g, the previous m and u (u >= 0, of the gradient's size), beta1, beta2, epsilon and t.

    epsilon is large (1e-3 to 0.1) so that where it goes changes the answer beyond float32
    tolerance; t runs from 1 to 20, where the bias correction still matters.
    """
    shape = random_shape(rng)
    g = random_tensor(rng, shape)
    m_prev = 0.5 * random_tensor(rng, shape)
    u_prev = tf.abs(random_tensor(rng, shape))
    beta1 = float(np.float32(rng.uniform(0.5, 0.9)))
    beta2 = float(np.float32(rng.uniform(0.8, 0.99)))
    epsilon = float(np.float32(10.0 ** rng.uniform(-3, -1)))
    t = float(rng.integers(1, 21))
    return g, m_prev, u_prev, beta1, beta2, epsilon, t


def _hp(beta1: float, beta2: float, epsilon: float, lr: float = 0.1) -> dict[str, tf.Tensor]:
    return update.as_tensors({"lr": lr, "beta1": beta1, "beta2": beta2, "epsilon": epsilon})


def _flattened(moments: Callable, name: str) -> Callable:
    """`moments` called the course's way, its result flattened to the step per unit lr,
    m_t / sqrt(V_t), and the new m and u (so that any (m_t, V_t) with the right ratio
    passes); a result of the wrong form raises UnusableAnswerError with the reason."""

    def flat(g, m_prev, u_prev, beta1, beta2, epsilon, t):
        result = moments(g, {"m": m_prev, "u": u_prev}, _hp(beta1, beta2, epsilon),
                         tf.constant(t, tf.float32))
        if result is None:
            raise UnusableAnswerError("it returned None: is a `return` statement missing?")
        if not isinstance(result, tuple | list) or len(result) != 3:
            count = len(result) if isinstance(result, tuple | list) else 1
            raise UnusableAnswerError(
                f"it returned {count} value(s), expected 3: m_t, V_t and the new state")
        m, V, state = result
        if not isinstance(state, Mapping) or set(state) != set(_ADAMAX_STATE):
            found = sorted(state) if isinstance(state, Mapping) else type(state).__name__
            raise UnusableAnswerError(
                f"the new state must be a dict with the keys 'm' and 'u' (got {found})")
        try:
            m, V = np.asarray(m, np.float64), np.asarray(V, np.float64)
        except (TypeError, ValueError) as err:
            raise UnusableAnswerError(f"m_t or V_t is not a number or array ({err})") from None
        shape = tuple(np.shape(g))
        if {m.shape, V.shape} - {shape, ()}:
            raise UnusableAnswerError(f"wrong shape: m_t has shape {m.shape} and V_t {V.shape}; "
                                      f"each needs the gradient's shape {shape}")
        with np.errstate(divide="ignore", invalid="ignore"):
            step = m / np.sqrt(V)  # what the shared update uses: any (m_t, V_t) of this ratio
        return step, state["m"], state["u"]

    flat.__name__ = name
    return flat


def _keras_parity(moments: Callable) -> ParityReport:
    """`moments` as a rule against Keras' Adamax (lr 0.1, its defaults, epsilon 1e-7), 50 steps
    on three random bowls."""

    def as_float32(result):
        m, V, state = result
        return (tf.constant(np.asarray(m, np.float32)), tf.constant(np.asarray(V, np.float32)),
                {k: tf.constant(np.asarray(v, np.float32)) for k, v in state.items()})

    rule = Rule(name="adamax", title="Adamax",
                moments=lambda g, state, hp, t: as_float32(moments(g, state, hp, t)),
                hyperparameters={"lr": LEARNING_RATE, "beta1": BETA, "beta2": BETA2,
                                 "epsilon": EPSILON},
                state=_ADAMAX_STATE)
    return compare_with_keras(rule, {"lr": 0.1, "epsilon": 1e-7},
                              lambda: keras.optimizers.Adamax(learning_rate=0.1, epsilon=1e-7))


def check_adamax_moments(student: Callable) -> None:
    """Check exercise 10.3 (Adamax's moments), then the rule against Keras' Adamax; one line."""
    name = getattr(student, "__name__", "your function")
    if not callable(student):
        print(f"✗ {name}: define a function adamax_moments(g, state, hp, t)")
        return
    mistakes = tuple(Mistake(hint, _flattened(wrong, "mistake"))
                     for hint, wrong in ADAMAX_MISTAKES_BY_PART)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # its one line, to add Keras' verdict to
        check_exercise(_flattened(student, name), reference=_flattened(_reference_adamax, "ref"),
                       make_inputs=_adamax_inputs, mistakes=mistakes)
    line = printed.getvalue().strip()
    if not line.startswith("✓"):
        print(line)
        return
    try:
        report = _keras_parity(student)
    except Exception as err:  # a function that passes the inputs above but breaks in a run
        print(f"✗ {name}: right on the random inputs, but it raised {type(err).__name__} in a "
              f"50-step run: {err}")
        return
    if not report.passed:
        print(f"✗ {name}: right on the random inputs, but over 50 steps it drifts from Keras' "
              f"Adamax by up to {report.max_abs_diff:.2g}: does it keep its state from step to "
              "step?")
        return
    print(f"{line.removesuffix('.')}; and over 50 steps on 3 random bowls it agrees with "
          f"tf.keras.optimizers.Adamax(learning_rate=0.1, epsilon=1e-7), max |difference| "
          f"{difference_bound(report.max_abs_diff)}.")

