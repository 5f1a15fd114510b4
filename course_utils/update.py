"""The shared half of every optimizer: state slots, the step count, the division, the assign."""

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import tensorflow as tf

from course_utils.rules import Rule

StateSlots = list[dict[str, tf.Variable]]


class Step(NamedTuple):
    """The recipe's quantities for one weight at one step."""

    g: tf.Tensor
    m: tf.Tensor
    V: tf.Tensor
    eta: tf.Tensor


def new_state(rule: Rule, variables: Sequence[tf.Variable]) -> StateSlots:
    """One zero-filled slot per state name and weight (m_0 = V_0 = 0), like Keras' slots."""
    return [
        {name: tf.Variable(tf.zeros_like(var), trainable=False) for name in rule.state}
        for var in variables
    ]


def reset_state(slots: StateSlots) -> None:
    """Set every slot back to zero."""
    for slot in slots:
        for var in slot.values():
            var.assign(tf.zeros_like(var))


def as_tensors(hyperparameters: Mapping[str, float]) -> dict[str, tf.Tensor]:
    """Hyperparameters as float32 scalars, so a compiled run does not retrace on new values.

    Every decay rate `beta...` also comes with its complement `1-beta...`, computed in double
    precision before rounding to float32, as Python does in the lecture's code and Keras does
    in its own: float32's 1 - 0.999 is 0.00099998713, 1.3e-5 away from 0.001.
    """
    tensors = {}
    for name, value in hyperparameters.items():
        tensors[name] = tf.constant(value, tf.float32)
        if name.startswith("beta"):
            tensors[f"1-{name}"] = tf.constant(1.0 - value, tf.float32)
    return tensors


def apply_update(
    rule: Rule,
    variables: Sequence[tf.Variable],
    grads: Sequence[tf.Tensor],
    slots: StateSlots,
    hp: Mapping[str, tf.Tensor],
    t: tf.Tensor,
) -> list[Step]:
    """One step of the recipe for every weight: eta_t = lr * m_t / sqrt(V_t); w -= eta_t.

    Decoupled weight decay, w -= lr * weight_decay * w, comes first, where and as Keras applies
    it (its base optimizer offers it to every rule), for rules that declare `weight_decay`;
    for the others it would be an exact no-op, so it is left out of their graphs.

    Returns g_t, m_t, V_t and eta_t per weight, for tables and tests.
    """
    steps = []
    for var, g, slot in zip(variables, grads, slots, strict=True):
        state = {name: s.read_value() for name, s in slot.items()}
        m, V, state = rule.moments(g, state, hp, t)
        eta = hp["lr"] * m / tf.sqrt(V)
        if "weight_decay" in hp:
            var.assign(var - var * hp["weight_decay"] * hp["lr"])
        for name, value in state.items():
            slot[name].assign(value)
        var.assign_sub(eta)
        steps.append(Step(g, m, V, eta))
    return steps
