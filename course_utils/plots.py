"""The course's figures: loss and test-accuracy curves, and a look at the data."""

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from course_utils.data import Split
from course_utils.training import History

Curves = tuple[Sequence[float], Sequence[float]]


def plot_curves(curves: Mapping[str, Curves], title: str | None = None) -> None:
    """Training loss and test accuracy per epoch, one line per (loss, accuracy) pair."""
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(11, 4))
    for label, (loss, accuracy) in curves.items():
        loss_ax.plot(loss, label=label)
        acc_ax.plot(accuracy, label=label)
    loss_ax.set(title="Loss function curve", xlabel="Epoch", ylabel="Training loss (MSE)")
    acc_ax.set(title="Test accuracy curve", xlabel="Epoch", ylabel="Test accuracy", ylim=(0, 1.05))
    if len(curves) > 1:
        loss_ax.legend()
        acc_ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    plt.show()


def plot_histories(histories: Mapping[str, History], title: str | None = None) -> None:
    """Loss and test accuracy of several runs on shared axes, with a legend."""
    plot_curves({k: (h.loss, h.test_accuracy) for k, h in histories.items()}, title=title)


def plot_history(history: History, title: str | None = None) -> None:
    """Loss and test accuracy of one run, side by side."""
    plot_histories({history.rule: history}, title=title)


def plot_iris(split: Split, x_feature: int = 2, y_feature: int = 3) -> None:
    """Two Iris features against each other, one colour per class, test rows hollow."""
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for label, name in enumerate(split.class_names):
        train = split.x_train[split.y_train == label]
        test = split.x_test[split.y_test == label]
        dots = ax.scatter(train[:, x_feature], train[:, y_feature], s=18, label=f"{name} (train)")
        ax.scatter(
            test[:, x_feature],
            test[:, y_feature],
            s=40,
            facecolors="none",
            edgecolors=dots.get_facecolor(),
            label=f"{name} (test)",
        )
    ax.set(
        title="Iris: two of the four features",
        xlabel=split.feature_names[x_feature],
        ylabel=split.feature_names[y_feature],
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def plot_trajectories(
    surface: Callable[[tf.Tensor], tf.Tensor],
    paths: Mapping[str, np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    title: str | None = None,
    minimum: tuple[float, float] | None = None,
    ax: plt.Axes | None = None,
) -> None:
    """Paths of (steps + 1, 2) points drawn over the contour lines of a 2-D surface."""
    own_figure = ax is None
    if own_figure:
        _, ax = plt.subplots(figsize=(7, 5))
    x1, x2 = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 200))
    grid = tf.constant(np.stack([x1, x2]), tf.float32)
    heights = surface(grid).numpy()
    levels = np.quantile(heights, np.linspace(0.0, 1.0, 25) ** 2)
    ax.contour(x1, x2, heights, levels=np.unique(levels), colors="0.75", linewidths=0.7)
    for label, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], marker="o", markersize=2.5, linewidth=1.2, label=label)
    if minimum is not None:
        ax.plot(*minimum, marker="*", markersize=14, color="black", linestyle="none")
    ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$", title=title or "")
    ax.legend(fontsize=8)
    if own_figure:
        plt.tight_layout()
        plt.show()
