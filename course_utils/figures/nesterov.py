"""Figures for the Nesterov chapter: the overshoot and where the gradient is taken, and each
weight's path on Iris (the trainer keeps only the final weights). The Iris comparison uses the
course's `plot_runs`."""

import functools
from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from course_utils import update
from course_utils.plots import plot_trajectories
from course_utils.problem import Problem
from course_utils.rules import get_rule
from course_utils.training import default_problem

Surface = Callable[[tf.Tensor], tf.Tensor]


def plot_overshoot(
    surface: Surface,
    paths: Mapping[str, np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    title: str,
) -> None:
    """Paths on the contour plot (left) and their steep coordinate x2 step by step (right)."""
    fig, (path_ax, x2_ax) = plt.subplots(1, 2, figsize=(12, 4.5))
    plot_trajectories(surface, paths, xlim, ylim, title="Paths", minimum=(0, 0), ax=path_ax)
    for label, path in paths.items():
        x2_ax.plot(path[:, 1], marker="o", markersize=2.5, linewidth=1.2, label=label)
    x2_ax.axhline(0.0, color="black", linewidth=0.8, label="valley floor $x_2 = 0$")
    x2_ax.set(title="Across the valley: $x_2$ after each step", xlabel="step $t$", ylabel="$x_2$")
    x2_ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    plt.show()


def _arrow(ax: plt.Axes, start: np.ndarray, end: np.ndarray, color: str, **style) -> None:
    """An arrow from start to end in data coordinates."""
    ax.annotate(
        "",
        xy=tuple(end),
        xytext=tuple(start),
        zorder=4,
        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2, "shrinkA": 0, "shrinkB": 0}
        | style,
    )


def plot_look_ahead(
    surface: Surface,
    path: np.ndarray,
    point: np.ndarray,
    look_ahead: np.ndarray,
    sgdm_correction: np.ndarray,
    nesterov_correction: np.ndarray,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    title: str,
) -> None:
    """One step from the same state, drawn both ways: the shared momentum jump from `point`
    to `look_ahead`, then the correction -lr (1-beta) g with g taken at `point` (momentum)
    or at `look_ahead` (Nesterov); `path` is drawn faintly for context."""
    fig, ax = plt.subplots(figsize=(7, 7))
    x1, x2 = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 300))
    heights = surface(tf.constant(np.stack([x1, x2]), tf.float32)).numpy()
    ax.contour(x1, x2, heights, levels=20, colors="0.8", linewidths=0.7)
    ax.axhline(0.0, color="0.4", linewidth=0.8, linestyle=":")
    ax.text(xlim[1], 0.0, "valley floor $x_2 = 0$ ", ha="right", va="bottom", color="0.3")
    ax.plot(path[:, 0], path[:, 1], color="0.7", marker="o", markersize=3, linewidth=1)

    sgdm_next, nesterov_next = look_ahead + sgdm_correction, look_ahead + nesterov_correction
    _arrow(ax, point, look_ahead, "0.35")
    _arrow(ax, point, point + sgdm_correction, "tab:blue", linestyle="--", lw=1.2)
    _arrow(ax, look_ahead, sgdm_next, "tab:blue")
    _arrow(ax, look_ahead, nesterov_next, "tab:orange")
    ax.plot(*point, "ko", markersize=8, label="current point $w_t$")
    ax.plot(
        *look_ahead,
        "o",
        markersize=9,
        mfc="white",
        mec="black",
        label=(
            r"look-ahead $\tilde w_t = w_t - lr\,\beta\, m_{t-1}$ (grey arrow: the momentum jump)"
        ),
    )
    ax.plot(
        *sgdm_next,
        "X",
        color="tab:blue",
        markersize=8,
        alpha=0.6,
        zorder=2,
        label=(r"momentum: correct by $-lr(1-\beta)\,g(w_t)$, measured at $w_t$ (dashed)"),
    )
    ax.plot(
        *nesterov_next,
        "X",
        color="tab:orange",
        markersize=8,
        alpha=0.6,
        zorder=2,
        label=(r"Nesterov: correct by $-lr(1-\beta)\,g(\tilde w_t)$, measured at $\tilde w_t$"),
    )
    ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$", title=title)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1))  # below, off the path
    fig.tight_layout()
    plt.show()


def weights_after_each_epoch(
    rule: str,
    hyperparameters: Mapping[str, float],
    epochs: int,
    problem: Problem | None = None,
) -> np.ndarray:
    """Every weight after each epoch of the run `cu.train(rule, hyperparameters, epochs)`
    makes (same start, batches in the same order, the same steps), flattened: an array of shape
    (epochs + 1, number of weights) whose row 0 is the initial weights."""
    rule = get_rule(rule)
    problem = problem or default_problem()
    hp = update.as_tensors(rule.resolve(hyperparameters))
    variables = [tf.Variable(w) for w in problem.initial_weights]
    slots = update.new_state(rule, variables)

    def flat() -> tf.Tensor:
        return tf.concat([tf.reshape(v, [-1]) for v in variables], axis=0)

    def one_epoch(epoch, t, snapshots):
        for x, y in problem.batches:
            t += 1.0
            with tf.GradientTape() as tape:
                loss = problem.batch_loss(variables, x, y)
            grads = tape.gradient(loss, variables)
            update.apply_update(rule, variables, grads, slots, hp, t)
        return epoch + 1, t, snapshots.write(epoch + 1, flat())

    def run() -> tf.Tensor:
        snapshots = tf.TensorArray(tf.float32, size=epochs + 1).write(0, flat())
        start = (tf.constant(0), tf.constant(0.0), snapshots)
        _, _, snapshots = tf.while_loop(lambda epoch, *_: epoch < epochs, one_epoch, start)
        return snapshots.stack()

    # A partial gives each call its own trace key (TensorFlow would call new traces of one
    # code object "excessive retracing"), as in course_utils.training.
    return tf.function(functools.partial(run), autograph=False)().numpy()


def turn_backs(paths: np.ndarray) -> np.ndarray:
    """For each weight (a column of `paths`, one row per epoch), the distance it moved back
    against its net direction of travel: half of (path length - net displacement), 0 for a
    weight that only ever moved one way."""
    path_length = np.abs(np.diff(paths, axis=0)).sum(axis=0)
    return (path_length - np.abs(paths[-1] - paths[0])) / 2
