"""Figures for chapter 0 (the recipe): why the update rule matters, rules raced on a ravine."""

from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from course_utils.plots import plot_trajectories

Surface = Callable[[tf.Tensor], tf.Tensor]


def plot_rule_race(
    surface: Surface,
    paths: Mapping[str, np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    title: str,
    minimum: tuple[float, float] = (0.0, 0.0),
) -> None:
    """Paths over the contour lines (left) and the surface's value after each step on a log
    scale (right), one colour per path in both panels; the legend sits below the panels, off
    the curves."""
    fig, (path_ax, value_ax) = plt.subplots(1, 2, figsize=(12, 4.6))
    plot_trajectories(
        surface, paths, xlim, ylim, title="Paths from the same start", minimum=minimum, ax=path_ax
    )
    path_ax.get_legend().remove()
    for label, path in paths.items():
        values = surface(tf.constant(path.T, tf.float64)).numpy()
        value_ax.semilogy(values, linewidth=1.5, label=label)
    value_ax.set(
        title="Value after each step",
        xlabel="step $t$",
        ylabel="$f(x_1, x_2)$, log scale",
        xlim=(0, max(len(path) for path in paths.values()) - 1),
    )
    value_ax.grid(True, which="major", alpha=0.3)
    fig.legend(
        *path_ax.get_legend_handles_labels(),
        loc="lower center",
        ncol=len(paths),
        fontsize=9,
        frameon=False,
    )
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    plt.show()
