"""The course's training loop, compiled once per (rule, problem) and reused for every run."""

import functools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import keras
import numpy as np
import tensorflow as tf

from course_utils import update
from course_utils.data import Batch
from course_utils.problem import Problem, iris_problem
from course_utils.rules import Rule, get_rule


class TrainingDivergedError(ArithmeticError):
    """The loss became NaN or infinite."""


@dataclass(frozen=True)
class History:
    """What one run produced, per epoch: the mean training loss, the test accuracy, the learning
    rate used and (when the problem has a validation set) the validation loss."""

    rule: str
    hyperparameters: dict[str, float]
    loss: np.ndarray
    test_accuracy: np.ndarray
    seconds: float
    final_weights: tuple[np.ndarray, ...]
    learning_rates: np.ndarray
    validation_loss: np.ndarray

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.loss)


class CompiledRun:
    """Variables, optimizer state and one `tf.function` for a rule on a problem.

    Hyperparameters, the learning rate of each epoch and the initial weights are tensor
    arguments with a fixed signature, so new values (and a new number of epochs) reuse the
    traced graph: only the first run pays for tracing. With `reshuffle`, each epoch's row
    order is an argument too: the epoch gathers the problem's rows in that order and cuts
    them into batches of the problem's batch size.
    """

    def __init__(
        self, rule: Rule, problem: Problem, jit_compile: bool = False, reshuffle: bool = False
    ):
        self.rule = rule
        self.problem = problem
        self.reshuffle = reshuffle
        self.variables = [tf.Variable(w) for w in problem.initial_weights]
        self.slots = update.new_state(rule, self.variables)
        self.full_batches, self.last_batch = stack_batches(problem.batches)
        self.rows = (
            tf.concat([x for x, _ in problem.batches], 0),
            tf.concat([y for _, y in problem.batches], 0),
        )
        signature = [
            [tf.TensorSpec(w.shape, w.dtype) for w in problem.initial_weights],
            {name: tf.TensorSpec([], tf.float32) for name in update.as_tensors(rule.resolve())},
            tf.TensorSpec([None], tf.float32),
            tf.TensorSpec([None, None] if reshuffle else [0, 0], tf.int32),
        ]
        # The loops are explicit tf.while_loops (autograph=False): nothing depends on AutoGraph
        # reading this file's source. TensorFlow counts traces per code object, so one trace
        # per rule would read as "excessive retracing"; a partial gives each run its own key.
        self._run = tf.function(
            functools.partial(self._run_epochs),
            input_signature=signature,
            autograph=False,
            jit_compile=jit_compile,
        )

    def _step(self, x: tf.Tensor, y: tf.Tensor, hp: Mapping[str, tf.Tensor], t: tf.Tensor):
        """One step of the recipe on one batch; returns the batch's loss before the step."""
        with tf.GradientTape() as tape:
            loss = self.problem.batch_loss(self.variables, x, y)
        grads = tape.gradient(loss, self.variables)
        update.apply_update(self.rule, self.variables, grads, self.slots, hp, t)
        return loss

    def _epoch_batches(self, orders: tf.Tensor, epoch: tf.Tensor) -> tuple:
        """The epoch's stacked equal-sized batches and its smaller last batch (if any): the
        problem's own, or, with `reshuffle`, its rows in the epoch's order cut the same way."""
        if not self.reshuffle:
            return self.full_batches, self.last_batch
        (xs, _), last = self.full_batches, self.last_batch
        n_full, size = xs.shape[0], xs.shape[1]
        x, y = (tf.gather(rows, orders[epoch]) for rows in self.rows)
        stacked = tuple(
            tf.reshape(rows[: n_full * size], [n_full, size, *rows.shape[1:]]) for rows in (x, y)
        )
        return stacked, tuple((x[n_full * size :], y[n_full * size :]) for _ in last)

    def _run_epochs(
        self,
        initial_weights: Sequence[tf.Tensor],
        hp: Mapping[str, tf.Tensor],
        step_rates: tf.Tensor,
        orders: tf.Tensor,
    ) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        for var, w0 in zip(self.variables, initial_weights, strict=True):
            var.assign(w0)
        update.reset_state(self.slots)
        n_batches = len(self.problem.batches)
        epochs = tf.shape(step_rates)[0] // n_batches

        def step_hp(t):
            """The hyperparameters of step t + 1 (t steps taken so far)."""
            return {**hp, "lr": step_rates[tf.cast(t, tf.int32)]}

        def one_epoch(epoch, t, losses, correct, validation):
            (xs, ys), last_batch = self._epoch_batches(orders, epoch)

            def one_batch(i, t, loss_sum):
                return i + 1, t + 1.0, loss_sum + self._step(xs[i], ys[i], step_hp(t), t + 1.0)

            _, t, loss_sum = tf.while_loop(
                lambda i, t, loss_sum: i < tf.shape(xs)[0],
                one_batch,
                (tf.constant(0), t, tf.constant(0.0)),
            )
            for x, y in last_batch:
                loss_sum += self._step(x, y, step_hp(t), t + 1.0)
                t += 1.0
            losses = losses.write(epoch, loss_sum / float(n_batches))
            if self.problem.count_correct is not None:
                correct = correct.write(epoch, self.problem.count_correct(self.variables))
            if self.problem.validation_loss is not None:
                validation = validation.write(epoch, self.problem.validation_loss(self.variables))
            return epoch + 1, t, losses, correct, validation

        _, _, losses, correct, validation = tf.while_loop(
            lambda epoch, *_: epoch < epochs,
            one_epoch,
            (
                tf.constant(0),
                tf.constant(0.0),
                tf.TensorArray(tf.float32, size=epochs),
                tf.TensorArray(tf.int32, size=epochs, element_shape=[]),
                tf.TensorArray(tf.float32, size=epochs, element_shape=[]),
            ),
        )
        return losses.stack(), correct.stack(), validation.stack()

    def __call__(
        self,
        hyperparameters: Mapping[str, float],
        step_rates: np.ndarray,
        initial_weights: Sequence[tf.Tensor] | None = None,
        orders: np.ndarray | None = None,
    ) -> History:
        """Train from the initial weights with one learning rate per step (in each epoch's row
        order, if `reshuffle`); return the history (validated inputs assumed)."""
        weights = list(initial_weights or self.problem.initial_weights)
        hp = update.as_tensors(hyperparameters)
        orders = tf.zeros([0, 0], tf.int32) if orders is None else tf.constant(orders, tf.int32)
        start = time.perf_counter()
        loss, correct, validation = self._run(weights, hp, tf.constant(step_rates), orders)
        seconds = time.perf_counter() - start
        epoch_rates = step_rates[:: len(self.problem.batches)]  # each epoch's first step's
        epochs = len(epoch_rates)
        no_values = np.full(epochs, np.nan)
        n_test = self.problem.n_test
        return History(
            rule=self.rule.name,
            hyperparameters=dict(hyperparameters),
            loss=loss.numpy(),
            test_accuracy=correct.numpy() / n_test if n_test else no_values,
            seconds=seconds,
            final_weights=tuple(var.numpy() for var in self.variables),
            learning_rates=np.asarray(epoch_rates),
            validation_loss=(
                validation.numpy() if self.problem.validation_loss is not None else no_values
            ),
        )


def stack_batches(batches: Sequence[Batch]) -> tuple[tuple[tf.Tensor, tf.Tensor], tuple]:
    """The equal-sized batches stacked (looped over in the graph) and the smaller last one.

    A graph loop over stacked batches keeps tracing fast however many batches there are.
    """
    sizes = [int(x.shape[0]) for x, _ in batches]
    n_full = len(sizes) if len(set(sizes)) == 1 else len(sizes) - 1
    if len(set(sizes[:n_full])) != 1 or sizes[-1] > sizes[0]:
        raise ValueError(f"batches must share one size, the last may be smaller: got {sizes}")
    full = batches[:n_full]
    stacked = (tf.stack([x for x, _ in full]), tf.stack([y for _, y in full]))
    return stacked, tuple(batches[n_full:])


@cache
def default_problem() -> Problem:
    """The course's Iris problem, built once."""
    return iris_problem()


@cache
def compiled_run(
    rule: Rule, problem: Problem, jit_compile: bool = False, reshuffle: bool = False
) -> CompiledRun:
    """The cached compiled run for this rule and problem (XLA or not, reshuffled or not)."""
    return CompiledRun(rule, problem, jit_compile, reshuffle)


def row_orders(problem: Problem, epochs: int, seed: int) -> np.ndarray:
    """A new random order of the problem's training rows for every epoch, from `seed`."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"reshuffle_seed must be a whole number or None, got {seed!r}")
    rows = sum(int(x.shape[0]) for x, _ in problem.batches)
    if rows == 0:
        raise ValueError(f"reshuffle_seed: the problem {problem.name!r} has no rows to reorder")
    rng = np.random.default_rng(seed)
    return np.stack([rng.permutation(rows) for _ in range(epochs)]).astype(np.int32)


def check_epochs(epochs: int) -> int:
    """Return epochs if it is a whole number >= 1, else raise ValueError."""
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 1:
        raise ValueError(f"epochs must be a whole number >= 1, got {epochs!r}")
    return int(epochs)


def raise_if_diverged(history: History) -> None:
    """Raise TrainingDivergedError naming the first epoch whose loss is not finite."""
    bad = np.flatnonzero(~np.isfinite(history.loss))
    if not bad.size:
        return
    epoch = int(bad[0])
    hp = history.hyperparameters
    message = (
        f"{history.rule}: the loss became {history.loss[epoch]} at epoch {epoch}: the steps "
        f"grew instead of shrinking. Try a smaller learning rate than lr={hp['lr']:g}, "
        f"e.g. lr={hp['lr'] / 10:g}."
    )
    if hp.get("epsilon") == 0.0:
        message += (
            " Or a gradient that is exactly 0 was divided by sqrt(V_t) = 0 (0/0): "
            "give the rule an epsilon > 0, e.g. epsilon=1e-7."
        )
    raise TrainingDivergedError(message)


LearningRates = Sequence[float] | Callable[[int], float]


def keras_schedule_values(schedule: keras.optimizers.schedules.LearningRateSchedule, count: int):
    """A Keras schedule's first `count` values in one graph call: calling it eagerly once per
    step takes seconds for a few thousand steps. (Graph and eager kernels may round a value
    differently in its last bit, as Keras' own compiled and eager training do.)"""
    values = tf.function(
        lambda steps: tf.map_fn(
            lambda step: tf.cast(schedule(step), tf.float32), steps, fn_output_signature=tf.float32
        ),
        autograph=False,
    )
    return values(tf.range(count)).numpy()


def schedule_values(schedule: LearningRates, count: int, name: str, unit: str) -> np.ndarray:
    """`count` learning rates from a schedule (a list, or a function of the epoch or step
    counted from 0, such as a Keras LearningRateSchedule), checked."""
    if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        values = keras_schedule_values(schedule, count)
    elif callable(schedule):
        values = [float(schedule(i)) for i in range(count)]
    else:
        values = schedule
    values = np.asarray(values, np.float64)
    if values.shape != (count,):
        raise ValueError(
            f"{name} needs one learning rate per {unit} ({count}), got shape {values.shape}"
        )
    if not np.all(np.isfinite(values) & (values >= 0)):
        raise ValueError(
            f"every learning rate in {name} must be a finite number >= 0 (0 is a step that "
            "does not move, as at the start of a warm-up)"
        )
    return values.astype(np.float32)


def learning_rate_per_step(
    lr: float,
    epochs: int,
    steps_per_epoch: int,
    lr_schedule: LearningRates | None,
    step_schedule: LearningRates | None,
) -> np.ndarray:
    """The learning rate of every step: constant `lr`, one value per epoch (`lr_schedule`),
    or one per step (`step_schedule`); not both schedules."""
    if lr_schedule is not None and step_schedule is not None:
        raise ValueError("give lr_schedule (per epoch) or step_schedule (per step), not both")
    if step_schedule is not None:
        return schedule_values(step_schedule, epochs * steps_per_epoch, "step_schedule", "step")
    per_epoch = (
        np.full(epochs, lr, np.float32)
        if lr_schedule is None
        else schedule_values(lr_schedule, epochs, "lr_schedule", "epoch")
    )
    return np.repeat(per_epoch, steps_per_epoch)


def train(
    rule: str | Rule,
    hyperparameters: Mapping[str, float] | None = None,
    epochs: int = 500,
    *,
    problem: Problem | None = None,
    initial_weights: Sequence[tf.Tensor] | None = None,
    lr_schedule: LearningRates | None = None,
    step_schedule: LearningRates | None = None,
    reshuffle_seed: int | None = None,
    jit_compile: bool = False,
) -> History:
    """Train `problem` (default: the course's Iris set-up) with `rule`; return its History.

    `lr_schedule` (a list with one learning rate per epoch, or a function of the epoch)
    replaces the constant lr; `step_schedule` gives one per step instead (a list, or a
    function of the step counted from 0, such as a Keras `LearningRateSchedule`: warm-up and
    cosine decay). By default every epoch takes the problem's batches in the same
    order, as the lecture's script does; `reshuffle_seed` draws a new order of the training
    rows for every epoch from that seed, as `tf.data.Dataset.shuffle` does by default.
    `jit_compile=True` compiles the run with XLA: about ten times faster, but the fused
    float32 arithmetic differs from the eager loop in the last bits (about 3e-8 on Iris), so
    the course uses it only where speed matters, in the playground. Raises ValueError for an
    unknown rule, an out-of-range hyperparameter, epochs < 1, a bad schedule or a bad
    reshuffle seed, and TrainingDivergedError if the loss becomes NaN or infinite.
    """
    rule = get_rule(rule)
    values = rule.resolve(hyperparameters)
    epochs = check_epochs(epochs)
    problem = problem or default_problem()
    step_rates = learning_rate_per_step(
        values["lr"], epochs, len(problem.batches), lr_schedule, step_schedule
    )
    orders = None if reshuffle_seed is None else row_orders(problem, epochs, reshuffle_seed)
    run = compiled_run(rule, problem, jit_compile, orders is not None)
    history = run(values, step_rates, initial_weights, orders)
    raise_if_diverged(history)
    return history
