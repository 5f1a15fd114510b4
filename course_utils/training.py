"""The course's training loop, compiled once per (rule, problem) and reused for every run."""

import functools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import tensorflow as tf

from course_utils import update
from course_utils.problem import Problem, iris_problem
from course_utils.rules import Rule, get_rule


class TrainingDivergedError(ArithmeticError):
    """The loss became NaN or infinite."""


@dataclass(frozen=True)
class History:
    """What one run produced: the mean training loss and the test accuracy after each epoch."""

    rule: str
    hyperparameters: dict[str, float]
    loss: np.ndarray
    test_accuracy: np.ndarray
    seconds: float
    final_weights: tuple[np.ndarray, ...]

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.loss)


class CompiledRun:
    """Variables, optimizer state and one `tf.function` for a rule on a problem.

    Hyperparameters, the number of epochs and the initial weights are tensor arguments, so
    new values reuse the traced graph: only the first run pays for tracing.
    """

    def __init__(self, rule: Rule, problem: Problem):
        self.rule = rule
        self.problem = problem
        self.variables = [tf.Variable(w) for w in problem.initial_weights]
        self.slots = update.new_state(rule, self.variables)

        # TensorFlow counts traces per code object, so one trace per rule would read as
        # "excessive retracing" of _run_epochs; a partial gives each run its own key.
        self._run = tf.function(functools.partial(self._run_epochs))

    def _run_epochs(
        self, initial_weights: Sequence[tf.Tensor], hp: Mapping[str, tf.Tensor], epochs: tf.Tensor
    ) -> tuple[tf.Tensor, tf.Tensor]:
        for var, w0 in zip(self.variables, initial_weights, strict=True):
            var.assign(w0)
        update.reset_state(self.slots)
        n_batches = float(len(self.problem.batches))
        t = tf.constant(0.0)
        losses = tf.TensorArray(tf.float32, size=epochs)
        correct = tf.TensorArray(tf.int32, size=epochs, element_shape=[])
        for epoch in tf.range(epochs):
            loss_sum = tf.constant(0.0)
            for x, y in self.problem.batches:
                t += 1.0
                with tf.GradientTape() as tape:
                    loss = self.problem.batch_loss(self.variables, x, y)
                grads = tape.gradient(loss, self.variables)
                update.apply_update(self.rule, self.variables, grads, self.slots, hp, t)
                loss_sum += loss
            losses = losses.write(epoch, loss_sum / n_batches)
            if self.problem.count_correct is not None:
                correct = correct.write(epoch, self.problem.count_correct(self.variables))
        return losses.stack(), correct.stack()

    def __call__(
        self,
        hyperparameters: Mapping[str, float],
        epochs: int,
        initial_weights: Sequence[tf.Tensor] | None = None,
    ) -> History:
        """Train from the initial weights; return the history (validated inputs assumed)."""
        weights = tuple(initial_weights or self.problem.initial_weights)
        start = time.perf_counter()
        loss, correct = self._run(weights, update.as_tensors(hyperparameters), tf.constant(epochs))
        seconds = time.perf_counter() - start
        n_test = self.problem.n_test
        accuracy = correct.numpy() / n_test if n_test else np.full(epochs, np.nan)
        return History(
            rule=self.rule.name,
            hyperparameters=dict(hyperparameters),
            loss=loss.numpy(),
            test_accuracy=accuracy,
            seconds=seconds,
            final_weights=tuple(var.numpy() for var in self.variables),
        )


@cache
def default_problem() -> Problem:
    """The course's Iris problem, built once."""
    return iris_problem()


@cache
def compiled_run(rule: Rule, problem: Problem) -> CompiledRun:
    """The cached compiled run for this rule and problem."""
    return CompiledRun(rule, problem)


def check_epochs(epochs: int) -> int:
    """Return epochs if it is a whole number >= 1, else raise ValueError."""
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 1:
        raise ValueError(f"epochs must be a whole number >= 1, got {epochs!r}")
    return int(epochs)


def raise_if_diverged(history: History) -> None:
    """Raise TrainingDivergedError naming the first epoch whose loss is not finite."""
    bad = np.flatnonzero(~np.isfinite(history.loss))
    if bad.size:
        epoch = int(bad[0])
        lr = history.hyperparameters["lr"]
        raise TrainingDivergedError(
            f"{history.rule}: the loss became {history.loss[epoch]} at epoch {epoch}: the steps "
            f"grew instead of shrinking. Try a smaller learning rate than lr={lr:g}, "
            f"e.g. lr={lr / 10:g}."
        )


def train(
    rule: str | Rule,
    hyperparameters: Mapping[str, float] | None = None,
    epochs: int = 500,
    *,
    problem: Problem | None = None,
    initial_weights: Sequence[tf.Tensor] | None = None,
) -> History:
    """Train `problem` (default: the course's Iris set-up) with `rule`; return its History.

    Raises ValueError for an unknown rule, an out-of-range hyperparameter or epochs < 1, and
    TrainingDivergedError if the loss becomes NaN or infinite.
    """
    rule = get_rule(rule)
    values = rule.resolve(hyperparameters)
    epochs = check_epochs(epochs)
    history = compiled_run(rule, problem or default_problem())(values, epochs, initial_weights)
    raise_if_diverged(history)
    return history
