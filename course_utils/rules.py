r"""Optimizer rules in the course's recipe.

Every optimizer is the same four steps; only the first moment m_t (一阶动量) and the second
moment V_t (二阶动量) differ:

    g_t = dloss/dw_t,   m_t = phi(g_1..g_t),   V_t = psi(g_1..g_t),
    eta_t = lr * m_t / sqrt(V_t),   w_{t+1} = w_t - eta_t.

A rule here is only the middle line: `moments(g, state, hp, t)` returns (m_t, V_t, new state).
Creating the state (zeros like each weight), counting t (from 1), dividing and assigning are
shared, in `course_utils.update`, and happen the same way for every rule.

Epsilon is a per-rule choice, written in the rule's V_t line: the course's own forms have none
(epsilon defaults to 0); where a rule takes one it says where it goes and how TensorFlow's own
optimizer differs.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import tensorflow as tf

from course_utils.hyperparameters import LEARNING_RATE, Hyperparameter, resolve

State = Mapping[str, tf.Tensor]
Moments = tuple[tf.Tensor, tf.Tensor, dict[str, tf.Tensor]]
MomentsFn = Callable[[tf.Tensor, State, Mapping[str, tf.Tensor], tf.Tensor], Moments]
AfterStepFn = Callable[[tf.Tensor, State, Mapping[str, tf.Tensor]], dict[str, tf.Tensor]]


@dataclass(frozen=True, eq=False)
class Rule:
    """One optimizer: its moments, its hyperparameters and the state it keeps per weight.

    `after_step`, when given, updates the state from the step eta_t just taken (AdaDelta's
    running average of past updates is the one rule that needs it).
    """

    name: str
    title: str
    moments: MomentsFn
    hyperparameters: Mapping[str, Hyperparameter]
    state: tuple[str, ...] = ()
    after_step: AfterStepFn | None = field(default=None)

    def resolve(self, given: Mapping[str, float] | None = None) -> dict[str, float]:
        """Defaults filled in and every value range-checked (ValueError otherwise)."""
        return resolve(self.name, self.hyperparameters, given)


def sgd_moments(g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor) -> Moments:
    r"""SGD: $m_t = g_t$, $V_t = 1$, so $\eta_t = lr\, g_t$."""
    m = g
    V = tf.ones_like(g)
    return m, V, {}


SGD = Rule(
    name="sgd",
    title="SGD",
    moments=sgd_moments,
    hyperparameters={"lr": LEARNING_RATE},
)

RULES: dict[str, Rule] = {rule.name: rule for rule in (SGD,)}


def get_rule(rule: str | Rule) -> Rule:
    """Look a rule up by name (case-insensitive); ValueError lists the known names."""
    if isinstance(rule, Rule):
        return rule
    key = str(rule).strip().lower()
    if key not in RULES:
        raise ValueError(f"unknown optimizer {rule!r}; choose one of: {', '.join(RULES)}")
    return RULES[key]
