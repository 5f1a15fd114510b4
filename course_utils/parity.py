"""Parity with TensorFlow's own optimizers: the same problem, step by step, both ways."""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from course_utils import update
from course_utils.rules import Rule, get_rule

RTOL, ATOL = 1e-5, 1e-6
SHAPES = ((5,), (4, 3), (2, 3, 4))


@dataclass(frozen=True)
class ParityReport:
    """How far the course's rule and a Keras optimizer drifted apart on random problems."""

    rule: str
    keras_name: str
    steps: int
    n_problems: int
    max_abs_diff: float
    passed: bool

    def as_bound(self) -> str:
        """The report with its largest difference as a power of ten above it ("below 1e-06"),
        or "0 (bit for bit)": a line that last-bit differences between CPUs do not move."""
        mark = "✓ agree" if self.passed else "✗ DIFFER"
        return (
            f"{mark}: {self.rule} vs tf.keras.optimizers.{self.keras_name}, {self.steps} steps "
            f"on {self.n_problems} random problems: max |difference| "
            f"{difference_bound(self.max_abs_diff)}"
        )

    def __str__(self) -> str:
        mark = "✓ agree" if self.passed else "✗ DIFFER"
        return (
            f"{mark}: {self.rule} vs tf.keras.optimizers.{self.keras_name}, {self.steps} steps "
            f"on {self.n_problems} random problems: max |difference| {self.max_abs_diff:.1e} "
            f"(float32 tolerance: rtol {RTOL:g}, atol {ATOL:g})"
        )


def difference_bound(difference: float) -> str:
    """ "0 (bit for bit)", or "below 10^k" for the smallest power of ten above `difference`."""
    if difference == 0:
        return "0 (bit for bit)"
    return f"below {10.0 ** math.ceil(math.log10(difference)):.0e}"


def random_quadratic(shape: Sequence[int], rng: np.random.Generator):
    """A random bowl sum(a (w - c)^2) / 2 with per-entry curvature a in [0.5, 2]; returns
    the loss function and a random starting point."""
    a = tf.constant(rng.uniform(0.5, 2.0, shape), tf.float32)
    c = tf.constant(rng.standard_normal(shape), tf.float32)

    def loss(w: tf.Tensor) -> tf.Tensor:
        return 0.5 * tf.reduce_sum(a * tf.square(w - c))

    return loss, tf.constant(rng.standard_normal(shape), tf.float32)


def compare_with_keras(
    rule: str | Rule,
    hyperparameters: Mapping[str, float],
    make_keras_optimizer: Callable[[], tf.keras.optimizers.Optimizer],
    steps: int = 50,
    shapes: Sequence[Sequence[int]] = SHAPES,
    seed: int = 0,
) -> ParityReport:
    """Run `rule` and a fresh Keras optimizer side by side on one random bowl per shape.

    After every step the two weights are compared; the report holds the largest difference.
    """
    rule = get_rule(rule)
    hp = update.as_tensors(rule.resolve(hyperparameters))
    rng = np.random.default_rng(seed)
    max_abs = 0.0
    passed = True
    keras_name = ""
    for shape in shapes:
        loss, w0 = random_quadratic(shape, rng)
        # A Keras variable for Keras' side: some optimizers read its path (Muon: is it an
        # embedding?); its tf.Variable is what the gradient tape watches.
        ours, theirs = tf.Variable(w0), keras.Variable(w0, name="w")
        slots = update.new_state(rule, [ours])
        optimizer = make_keras_optimizer()
        keras_name = type(optimizer).__name__
        for step in range(1, steps + 1):
            for var in (ours, theirs.value):
                with tf.GradientTape() as tape:
                    value = loss(var)
                grad = tape.gradient(value, var)
                if var is ours:
                    update.apply_update(rule, [ours], [grad], slots, hp, tf.constant(float(step)))
                else:
                    optimizer.apply_gradients([(grad, theirs)])
            a, b = ours.numpy(), np.asarray(theirs.numpy())
            max_abs = max(max_abs, float(np.abs(a - b).max()))
            passed = passed and np.allclose(a, b, rtol=RTOL, atol=ATOL)
    return ParityReport(rule.title, keras_name, steps, len(shapes), max_abs, passed)
