"""Figures for the AdaGrad notebook: per-weight effective steps, sparse vs dense features."""

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course_utils.plots import tidy_log_axis

CLASS_COLORS = ("tab:blue", "tab:orange", "tab:green")


def plot_effective_steps(
    effective: np.ndarray,
    labels: Sequence[str],
    classes: Sequence[int],
    sgd_lr: float,
    title: str | None = None,
) -> None:
    """Effective learning rate lr / sqrt(V_t) of every weight against the step t, log-log.

    One line per column of `effective` (shape (steps, weights)), coloured by `classes`;
    dashed for biases (labels starting with "b"). SGD's constant lr and a 1/sqrt(t) slope
    are drawn for reference.
    """
    steps = np.arange(1, len(effective) + 1)
    _, ax = plt.subplots(figsize=(11, 5), layout="constrained")
    for column, (label, k) in enumerate(zip(labels, classes, strict=True)):
        style = "--" if label.startswith("b") else "-"
        ax.plot(steps, effective[:, column], style, color=CLASS_COLORS[k], linewidth=1.1)
    ax.axhline(sgd_lr, color="black", linewidth=1.5, label=f"SGD: lr = {sgd_lr:g} for every weight")
    guide = effective[9].max() * np.sqrt(10 / steps) * 1.5
    ax.plot(steps, guide, ":", color="0.4", linewidth=1.5, label=r"slope $1/\sqrt{t}$")
    for k, color in enumerate(CLASS_COLORS):
        ax.plot([], [], color=color, label=f"weights of class {k} (dashed: bias)")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="step t (4 per epoch)",
        ylabel=r"effective learning rate $lr/\sqrt{V_t}$",
        title=title or "",
    )
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # outside the curves
    plt.show()


def plot_sparse_vs_dense(
    effective: Mapping[str, np.ndarray],
    weights: Mapping[str, np.ndarray],
    appearances: np.ndarray,
    true_weight: float,
    sgd_lr: float,
    weights_title: str | None = None,
) -> None:
    """Left: effective learning rates of two weights; right: their values under several rules.

    `effective` maps a label to one weight's lr / sqrt(V_t) per step; `weights` maps a label
    (which should name the rule's lr) to (steps, 2) trajectories of (dense, sparse) weights;
    `appearances` lists the steps at which the sparse feature is non-zero; `sgd_lr` is SGD's
    constant learning rate, drawn for reference. Legends sit below the panels, off the curves.
    """
    _, (step_ax, weight_ax) = plt.subplots(1, 2, figsize=(12, 5.5), layout="constrained")
    for (label, values), color in zip(effective.items(), ("tab:blue", "tab:red"), strict=False):
        step_ax.plot(np.arange(1, len(values) + 1), values, color=color, label=label)
    step_ax.axhline(sgd_lr, color="black", linewidth=1, label=f"SGD: lr = {sgd_lr:g}")
    finite = np.concatenate([v[np.isfinite(v)] for v in effective.values()])
    marks_at = min(finite.min(), sgd_lr) / 2  # below every curve
    step_ax.plot(
        appearances,
        np.full(len(appearances), marks_at),
        "|",
        color="tab:red",
        markersize=10,
        label="sparse feature non-zero in the batch",
    )
    step_ax.set(
        yscale="log",
        xlabel="step t",
        ylabel=r"AdaGrad's $lr/\sqrt{V_t}$ (log scale)",
        title="Effective learning rate per weight",
    )
    tidy_log_axis(step_ax)
    step_ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    styles = ("-", "--")
    for (label, path), style in zip(weights.items(), styles, strict=False):
        steps = np.arange(1, len(path) + 1)
        weight_ax.plot(steps, path[:, 0], style, color="tab:blue", label=f"{label}: dense weight")
        weight_ax.plot(steps, path[:, 1], style, color="tab:red", label=f"{label}: sparse weight")
    weight_ax.axhline(true_weight, color="0.5", linewidth=1, linestyle=":", label="true value")
    weight_ax.set(xlabel="step t", ylabel="weight", title=weights_title or "The weights")
    weight_ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    plt.show()


def plot_loss_gap(
    first: tuple[str, np.ndarray],
    second: tuple[str, np.ndarray],
    zoom_from: int = 0,
    title: str = "Training loss",
) -> None:
    """Left: two loss curves on a log scale; right: the second relative to the first, in %,
    from epoch `zoom_from` on, shaded by which one is lower. `title` is the left panel's.
    Legends below the panels."""
    (name_a, loss_a), (name_b, loss_b) = first, second
    _, (loss_ax, gap_ax) = plt.subplots(1, 2, figsize=(12, 4.8), layout="constrained")
    loss_ax.plot(loss_a, label=name_a)
    loss_ax.plot(loss_b, label=name_b)
    loss_ax.set(
        yscale="log", xlabel="Epoch", ylabel="Training loss (MSE, log scale)", title=title
    )
    tidy_log_axis(loss_ax)
    loss_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)  # off the curves
    epochs = np.arange(zoom_from, len(loss_a))
    gap = 100 * (loss_b[zoom_from:] / loss_a[zoom_from:] - 1)
    gap_ax.plot(epochs, gap, color="black")
    gap_ax.axhline(0.0, color="0.5", linewidth=1)
    gap_ax.fill_between(
        epochs, gap, 0, where=gap > 0, color="tab:blue", alpha=0.3, label=f"{name_a} lower"
    )
    gap_ax.fill_between(
        epochs, gap, 0, where=gap < 0, color="tab:orange", alpha=0.3, label=f"{name_b} lower"
    )
    gap_ax.set(
        xlabel="Epoch",
        ylabel=f"loss({name_b}) / loss({name_a}) - 1  (%)",
        title=f"{name_b}'s loss relative to {name_a}'s, from epoch {zoom_from}",
    )
    gap_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    plt.show()
