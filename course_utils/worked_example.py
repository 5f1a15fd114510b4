"""A few steps of a rule worked out number by number, for a student to follow with a calculator."""

from collections.abc import Callable, Mapping

import numpy as np
import tensorflow as tf

from course_utils import update
from course_utils.rules import Rule, get_rule

COLUMNS = ("t", "w_t", "g_t", "m_t", "V_t", "eta_t", "w_t+1")


def worked_steps(
    rule: str | Rule,
    hyperparameters: Mapping[str, float],
    loss: Callable[[tf.Tensor], tf.Tensor],
    w0: float,
    steps: int = 3,
) -> list[dict[str, float]]:
    """Take `steps` steps on a one-weight loss; one row of the recipe's quantities per step."""
    rule = get_rule(rule)
    hp = update.as_tensors(rule.resolve(hyperparameters))
    w = tf.Variable(float(w0))
    slots = update.new_state(rule, [w])
    rows = []
    for t in range(1, steps + 1):
        before = float(w.numpy())
        with tf.GradientTape() as tape:
            value = loss(w)
        grad = tape.gradient(value, w)
        (step,) = update.apply_update(rule, [w], [grad], slots, hp, tf.constant(float(t)))
        values = (t, before, step.g, step.m, step.V, step.eta, w.numpy())
        rows.append({name: float(np.asarray(v)) for name, v in zip(COLUMNS, values, strict=True)})
    return rows


def print_worked_steps(rows: list[dict[str, float]]) -> None:
    """Print the rows as a fixed-width table with 6 significant digits."""
    print("".join(f"{name:>12}" for name in COLUMNS))
    for row in rows:
        cells = [f"{int(row['t']):>12d}"] + [f"{row[name]:>12.6g}" for name in COLUMNS[1:]]
        print("".join(cells))
