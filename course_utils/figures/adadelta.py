"""Chapter 6 (AdaDelta): the size of every step of a run, and plots of step sizes and distances.

Its loss and accuracy curves use the course's shared `course_utils.plots.plot_runs`.
"""

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from course_utils import update
from course_utils.problem import Problem
from course_utils.rules import get_rule
from course_utils.training import default_problem

# Line styles that stay apart where curves coincide (the distance panels use them): drawn in this
# order, each later (thinner, dashed or dotted) line lies on top of the earlier ones and lets
# them show through its gaps.
STYLES = (
    {"linestyle": "-", "linewidth": 3.0, "alpha": 0.55},
    {"linestyle": "--", "linewidth": 1.8},
    {"linestyle": ":", "linewidth": 2.2},
    {"linestyle": "-.", "linewidth": 1.4},
)

StepFn = Callable[[Sequence[tf.Variable], Sequence[tf.Tensor], tf.Tensor], object]
MakeStep = Callable[[Sequence[tf.Variable]], StepFn]


class StepRecord(NamedTuple):
    """Mean training loss per epoch, and the RMS size of the step on all weights per step."""

    loss: np.ndarray
    step_size: np.ndarray


def course_step(rule: str, hyperparameters: Mapping[str, float] | None = None) -> MakeStep:
    """A course rule as a step function (its state is created for the given variables)."""
    rule = get_rule(rule)
    hp = update.as_tensors(rule.resolve(hyperparameters))

    def make(variables: Sequence[tf.Variable]) -> StepFn:
        slots = update.new_state(rule, variables)
        return lambda v, grads, t: update.apply_update(rule, v, grads, slots, hp, t)

    return make


def keras_step(make_optimizer: Callable[[], tf.keras.optimizers.Optimizer]) -> MakeStep:
    """A fresh Keras optimizer as a step function, built for the given variables."""

    def make(variables: Sequence[tf.Variable]) -> StepFn:
        optimizer = make_optimizer()
        optimizer.build(variables)
        return lambda v, grads, t: optimizer.apply_gradients(zip(grads, v, strict=True))

    return make


def record_steps(make_step: MakeStep, epochs: int, problem: Problem | None = None) -> StepRecord:
    """Train `problem` (default: Iris) for `epochs`, compiled; record every step's RMS size."""
    problem = problem or default_problem()
    variables = [tf.Variable(w) for w in problem.initial_weights]
    step = make_step(variables)
    n_weights = sum(v.shape.num_elements() for v in variables)
    n_batches = len(problem.batches)

    def run() -> tuple[tf.Tensor, tf.Tensor]:
        losses = tf.TensorArray(tf.float32, size=epochs)
        sizes = tf.TensorArray(tf.float32, size=epochs * n_batches)
        t = tf.constant(0.0)
        for epoch in tf.range(epochs):
            loss_sum = tf.constant(0.0)
            for k, (x, y) in enumerate(problem.batches):
                t += 1.0
                with tf.GradientTape() as tape:
                    loss = problem.batch_loss(variables, x, y)
                grads = tape.gradient(loss, variables)
                before = [v.read_value() for v in variables]
                step(variables, grads, t)
                moved = [
                    tf.reduce_sum(tf.square(v - b)) for v, b in zip(variables, before, strict=True)
                ]
                sizes = sizes.write(epoch * n_batches + k, tf.sqrt(tf.add_n(moved) / n_weights))
                loss_sum += loss
            losses = losses.write(epoch, loss_sum / n_batches)
        return losses.stack(), sizes.stack()

    # A partial gives every call its own tracing key (no false "retracing" warning).
    loss, size = tf.function(functools.partial(run))()
    return StepRecord(loss.numpy(), size.numpy())


def plot_step_sizes(
    sizes: Mapping[str, np.ndarray],
    marks: Mapping[str, float] | None = None,
    title: str | None = None,
    steps_per_epoch: int = 4,
    marks_label: str | None = None,
) -> None:
    """RMS step size per epoch (over its steps and all weights), log scale; `marks`: levels."""
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for label, size in sizes.items():
        per_epoch = np.sqrt(np.mean(np.square(size).reshape(-1, steps_per_epoch), axis=1))
        lines = ax.plot(per_epoch, linewidth=1.5, label=label)
        if marks and label in marks:
            ax.axhline(marks[label], color=lines[0].get_color(), linestyle=":", linewidth=1.2)
    if marks and marks_label:
        ax.plot([], [], color="0.4", linestyle=":", label=marks_label)
    ax.set(
        xlabel="epoch",
        ylabel=r"RMS of the steps $\Delta w_t$ in the epoch",
        yscale="log",
        title=title or "",
    )
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    plt.show()


def plot_distance_panels(
    panels: Mapping[str, Mapping[str, np.ndarray]],
    title: str | None = None,
    floor: float = 1e-7,
    ncols: int = 2,
) -> None:
    """One panel per setting: distance to the minimum over the start distance, per step (log).

    Each series of a panel has its own line style (wide and pale, dashed, dotted), so a series
    that lies on another stays visible; one legend for all panels, below them."""
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.5 * ncols, 3.6 * nrows), sharey=True)
    axes = np.atleast_1d(axes).ravel()
    for ax, (panel_title, paths) in zip(axes, panels.items(), strict=False):
        for (label, path), style in zip(paths.items(), STYLES, strict=False):
            distance = np.linalg.norm(path, axis=1)
            ax.plot(np.maximum(distance / distance[0], floor), label=label, **style)
        ax.set(xlabel="step t", yscale="log", ylim=(floor, 2.0), title=panel_title)
        ax.grid(True, which="major", alpha=0.3)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center",
               ncol=len(next(iter(panels.values()))))
    for ax in axes[::ncols]:
        ax.set_ylabel(r"distance / start distance, $\|w_t\| / \|w_0\|$")
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    plt.show()
