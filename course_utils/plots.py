"""The course's figures: loss and test-accuracy curves, and a look at the data."""

from collections.abc import Callable, Collection, Mapping

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from matplotlib import ticker
from matplotlib.lines import Line2D

from course_utils.data import Split
from course_utils.training import History


def tidy_log_axis(ax: plt.Axes) -> None:
    """Label a log y axis with plain numbers (0.02, 0.05, 0.1, ...), minor ticks unlabelled.

    Over less than two decades Matplotlib labels every minor tick in scientific notation
    (2 x 10^-1, 3 x 10^-1, ...), which crowds the axis; 1-2-5 steps read at a glance.
    """
    low, high = ax.get_ylim()
    decades = np.log10(high / low)
    subs = (
        (1.0,)
        if decades > 4
        else (1.0, 2.0, 5.0)
        if decades > 0.7
        else (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)
    )
    ax.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=subs))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_ylim(low, high)


def plot_runs(
    runs: Mapping[str, History],
    title: str | None = None,
    *,
    faint: Collection[str] = (),
    marks: Mapping[str, int] | None = None,
    log_loss: bool = True,
    loss_range: tuple[float, float] | None = None,
    log_epochs: bool = False,
    accuracy_label: str = "Test accuracy",
    accuracy_ylim: tuple[float, float] = (-0.02, 1.02),
) -> None:
    """Training loss (left, log scale unless `log_loss=False`) and accuracy (right) per epoch.

    One colour per run in both panels; a run's validation loss, if it has one, is dashed.
    Each run is drawn a little thinner than the one before it, so a line lying on top of an
    earlier one leaves that one's colour showing at its edges; runs named in `faint` (chaotic
    ones, which swing across the others) are thin and half transparent. `marks` draws a
    dotted vertical line at each named epoch. `log_epochs` puts the accuracy panel's epochs
    on a log axis, for runs that differ in their first epochs only. The legend sits below
    the panels, off the curves.
    """
    legend_rows = -(-(len(runs) + len(marks or {}) + 2) // 3)
    fig, (loss_ax, acc_ax) = plt.subplots(
        1, 2, figsize=(11, 3.9 + 0.22 * legend_rows), layout="constrained"
    )
    widest = 1.2 + min(2.4, 0.8 * (len(runs) - 1))
    handles, any_validated = [], False
    for index, (label, run) in enumerate(runs.items()):
        share = 1 - index / (len(runs) - 1) if len(runs) > 1 else 0
        style = {"linewidth": 1.2 + (widest - 1.2) * share}
        if label in faint:
            style = {"linewidth": 0.9, "alpha": 0.5}
        epochs = np.arange(1, run.epochs + 1) if log_epochs else np.arange(run.epochs)
        (line,) = loss_ax.plot(run.loss, label=label, **style)
        if np.isfinite(run.validation_loss).any():
            any_validated = True
            loss_ax.plot(run.validation_loss, "--", color=line.get_color(), **style)
        acc_ax.plot(epochs, run.test_accuracy, color=line.get_color(), **style)
        handles.append(line)
    if any_validated:
        handles += [
            Line2D([], [], color="0.2", label="training loss (solid)"),
            Line2D([], [], color="0.2", linestyle="--", label="validation loss (dashed)"),
        ]
    for text, epoch in (marks or {}).items():
        for ax in (loss_ax, acc_ax):
            line = ax.axvline(epoch, color="0.3", linestyle=":", linewidth=1.2)
        line.set_label(f"{text} ({epoch})")
        handles.append(line)
    loss_ax.set(title="Loss", xlabel="Epoch", ylabel="Loss" + (" (log scale)" if log_loss else ""))
    if log_loss:
        loss_ax.set_yscale("log")
        if loss_range is not None:
            loss_ax.set_ylim(*loss_range)
        tidy_log_axis(loss_ax)
    elif loss_range is not None:
        loss_ax.set_ylim(*loss_range)
    acc_ax.set(
        title=accuracy_label,
        xlabel="Epochs trained (log scale)" if log_epochs else "Epoch",
        ylabel=accuracy_label,
        ylim=accuracy_ylim,
        xscale="log" if log_epochs else "linear",
    )
    if log_epochs:
        acc_ax.xaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
    for ax in (loss_ax, acc_ax):
        ax.grid(True, which="major", alpha=0.3)
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8)
    if title:
        fig.suptitle(title)
    plt.show()


def plot_history(history: History, title: str | None = None) -> None:
    """Loss and test accuracy of one run, side by side."""
    plot_runs({history.rule: history}, title=title)


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


def plot_race_on_surface(
    surface: Callable[[tf.Tensor], tf.Tensor],
    paths: Mapping[str, np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    title: str,
    minimum: tuple[float, float] = (0.0, 0.0),
) -> None:
    """Paths over the contour lines (left) and the surface's value after each step on a log
    scale (right), one colour per path in both panels; the legend sits below the panels."""
    fig, (path_ax, value_ax) = plt.subplots(1, 2, figsize=(12, 4.6), layout="constrained")
    plot_trajectories(
        surface, paths, xlim, ylim, title="Paths from the same start", minimum=minimum, ax=path_ax
    )
    path_ax.get_legend().remove()
    for path in paths.values():
        value_ax.semilogy(surface(tf.constant(path.T, tf.float64)).numpy(), linewidth=1.5)
    value_ax.set(
        title="Value after each step",
        xlabel="step $t$",
        ylabel="$f(x_1, x_2)$, log scale",
        xlim=(0, max(len(path) for path in paths.values()) - 1),
    )
    value_ax.grid(True, which="major", alpha=0.3)
    fig.legend(*path_ax.get_legend_handles_labels(), loc="outside lower center",
               ncols=len(paths), fontsize=9, frameon=False)
    fig.suptitle(title)
    plt.show()
