"""Figures for chapter 5 (RMSProp): first steps on a ravine, step sizes on Iris, the EMA's
forgetting, twin runs. (The race on Iris is the course's `plots.plot_runs`.)"""

from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from course_utils import update
from course_utils.plots import tidy_log_axis
from course_utils.problem import Problem, iris_problem
from course_utils.rules import get_rule
from course_utils.stability import CHAOTIC_GAP
from course_utils.training import History

Surface = Callable[[tf.Tensor], tf.Tensor]

def plot_first_steps(
    surface: Surface,
    paths: Mapping[str, np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    arrows: int,
    title: str,
) -> None:
    """Left: the first `arrows` steps of each path as arrows over the contour lines (equal
    axes, so a step of the same length in x1 and x2 points at 45 degrees). Right: the length
    of every step in each coordinate, |x_i(t+1) - x_i(t)|, log scale."""
    fig, (path_ax, size_ax) = plt.subplots(1, 2, figsize=(12, 4.6))
    x1, x2 = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 200))
    heights = surface(tf.constant(np.stack([x1, x2]), tf.float32)).numpy()
    path_ax.contour(x1, x2, heights, levels=12, colors="0.8", linewidths=0.7)
    markers = ("o", "s")
    for k, (label, path) in enumerate(paths.items()):
        color = f"C{k}"
        start, step = path[:arrows], np.diff(path[: arrows + 1], axis=0)
        path_ax.quiver(start[:, 0], start[:, 1], step[:, 0], step[:, 1], angles="xy",
                       scale_units="xy", scale=1, width=0.005, headwidth=5,
                       headlength=6, color=color)
        steps = np.abs(np.diff(path, axis=0))
        t = np.arange(1, len(steps) + 1)
        for i, marker in enumerate(markers):
            size_ax.plot(t, steps[:, i], marker=marker, markersize=4, color=color,
                         linestyle="-" if i == 0 else "--", label=f"{label}: $x_{i + 1}$")
    path_ax.plot(*paths[next(iter(paths))][0], marker="o", color="black", linestyle="none")
    path_ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$", aspect="equal",
                title=f"The first {arrows} steps from the black dot")
    size_ax.set(title=r"Length of each step in each coordinate, $|\Delta x_i|$",
                xlabel="step $t$", ylabel="|step| (log scale)", yscale="log")
    size_ax.grid(True, which="major", alpha=0.3)
    fig.legend(*size_ax.get_legend_handles_labels(), loc="lower center", ncol=2 * len(paths))
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    plt.show()


def record_steps(
    rule: str, hyperparameters: Mapping[str, float], epochs: int, problem: Problem | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Train compiled and return, per step and weight entry, lr/sqrt(V_t) and |eta_t|."""
    rule_ = get_rule(rule)
    problem = problem or iris_problem()
    hp = update.as_tensors(rule_.resolve(hyperparameters))
    variables = [tf.Variable(w) for w in problem.initial_weights]
    slots = update.new_state(rule_, variables)

    def one_epoch(epoch, t, scale, size):
        for x, y in problem.batches:
            t += 1.0
            with tf.GradientTape() as tape:
                loss = problem.batch_loss(variables, x, y)
            grads = tape.gradient(loss, variables)
            steps = update.apply_update(rule_, variables, grads, slots, hp, t)
            index = tf.cast(t, tf.int32) - 1
            scale = scale.write(index, flatten([hp["lr"] / tf.sqrt(s.V) for s in steps]))
            size = size.write(index, flatten([tf.abs(s.eta) for s in steps]))
        return epoch + 1, t, scale, size

    # An explicit tf.while_loop (no AutoGraph), like the course's trainer.
    @tf.function(autograph=False)
    def run() -> tuple[tf.Tensor, tf.Tensor]:
        n_steps = epochs * len(problem.batches)
        _, _, scale, size = tf.while_loop(
            lambda epoch, *_: epoch < epochs,
            one_epoch,
            (
                tf.constant(0),
                tf.constant(0.0),
                tf.TensorArray(tf.float32, size=n_steps),
                tf.TensorArray(tf.float32, size=n_steps),
            ),
        )
        return scale.stack(), size.stack()

    scale, size = run()
    return scale.numpy(), size.numpy()


def flatten(tensors: list[tf.Tensor]) -> tf.Tensor:
    """All entries of the tensors in one vector."""
    return tf.concat([tf.reshape(x, [-1]) for x in tensors], 0)


def per_epoch(values: np.ndarray, steps_per_epoch: int) -> np.ndarray:
    """(steps, weights) -> one number per epoch: mean over its steps, median over the weights."""
    by_epoch = values.reshape(-1, steps_per_epoch, values.shape[1]).mean(axis=1)
    return np.median(by_epoch, axis=1)


def plot_step_sizes(
    runs: Mapping[str, tuple[np.ndarray, np.ndarray]], steps_per_epoch: int, title: str
) -> None:
    """lr/sqrt(V_t) and |eta_t| of each run, per epoch (see `per_epoch`), log scale."""
    fig, (scale_ax, size_ax) = plt.subplots(1, 2, figsize=(11, 4))
    for label, (scale, size) in runs.items():
        (line,) = scale_ax.plot(per_epoch(scale, steps_per_epoch), label=label)
        size_ax.plot(per_epoch(size, steps_per_epoch), color=line.get_color(), label=label)
    scale_ax.set(
        title=r"Step per unit of gradient, $lr/\sqrt{V_t}$",
        xlabel="Epoch",
        ylabel="epoch mean, median over weights",
        yscale="log",
    )
    size_ax.set(
        title=r"Step actually taken, $|\eta_t|$",
        xlabel="Epoch",
        ylabel="epoch mean, median over weights",
        yscale="log",
    )
    for ax in (scale_ax, size_ax):
        tidy_log_axis(ax)
        ax.grid(True, which="major", alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    plt.show()


def plot_forgetting(
    g: np.ndarray, second_moments: Mapping[str, np.ndarray], lr: float, title: str
) -> None:
    """V_t of each rule over a gradient stream and lr/sqrt(V_t), against the ideal V_t = g_t^2."""
    fig, (v_ax, step_ax) = plt.subplots(1, 2, figsize=(11, 4.4))
    t = np.arange(1, len(g) + 1)
    ideal = {"color": "0.6", "linestyle": ":", "label": r"ideal: $V_t = g_t^2$"}
    v_ax.plot(t, g**2, **ideal)
    step_ax.plot(t, lr / np.abs(g), **ideal)
    for label, V in second_moments.items():
        (line,) = v_ax.plot(t, V, label=label)
        step_ax.plot(t, lr / np.sqrt(V), color=line.get_color(), label=label)
    v_ax.set(title=r"Second moment $V_t$", xlabel="Step $t$", ylabel=r"$V_t$", yscale="log")
    step_ax.set(
        title=r"Step per unit of gradient, $lr/\sqrt{V_t}$",
        xlabel="Step $t$",
        ylabel=r"$lr/\sqrt{V_t}$",
        yscale="log",
    )
    for ax in (v_ax, step_ax):
        ax.grid(True, which="major", alpha=0.3)
    fig.legend(*v_ax.get_legend_handles_labels(), loc="lower center", ncol=len(second_moments) + 1)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    plt.show()


def plot_twins(pairs: Mapping[str, tuple[History, History]], title: str) -> None:
    """Each run and its one-ulp twin (dashed), and how far apart they are, epoch by epoch."""
    fig, (loss_ax, gap_ax) = plt.subplots(1, 2, figsize=(11, 4))
    for label, (run, twin) in pairs.items():
        (line,) = loss_ax.plot(run.loss, label=label)
        color = line.get_color()
        loss_ax.plot(twin.loss, color=color, linestyle="--", label=f"{label}, twin")
        gap = np.abs(run.loss - twin.loss) / np.abs(run.loss)
        gap_ax.plot(np.where(gap > 0, gap, np.nan), color=color, label=label)
    gap_ax.axhline(
        CHAOTIC_GAP,
        color="black",
        linestyle=":",
        linewidth=1,
        label=f"is_chaotic threshold ({CHAOTIC_GAP:g})",
    )
    loss_ax.set(
        title="Loss: each run and its twin (dashed)",
        xlabel="Epoch",
        ylabel="Training loss (MSE)",
        yscale="log",
    )
    gap_ax.set(title="Relative gap |run - twin| / run", xlabel="Epoch", ylabel="gap", yscale="log")
    tidy_log_axis(loss_ax)
    for ax in (loss_ax, gap_ax):
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    plt.show()
