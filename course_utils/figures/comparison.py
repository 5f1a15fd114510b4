"""Figures for chapter 8 (comparison): every optimizer on shared axes, one colour per rule.

The training curves themselves are the course's `plots.plot_runs`; given the runs in the order
of RULES it draws them in the same colours as the figures here."""

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from matplotlib import ticker
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from course_utils import plots
from course_utils.rules import RULES
from course_utils.training import History

# The default colour cycle in the order of RULES, so that `plots.plot_runs` and
# `plots.plot_trajectories` (which use the cycle) give each of the lecture's seven rules the same
# colour as the figures below when their runs or paths follow that order; the cycle's last three
# and two more for the five rules after Adam.
RULE_COLORS: dict[str, tuple[float, float, float]] = dict(
    zip(RULES, [*plt.get_cmap("tab10").colors, (0.0, 0.0, 0.0), (0.8, 0.6, 0.0)], strict=True)
)

# Nesterov's curves often lie on top of momentum's: dash them so that both stay visible.
RULE_LINESTYLES: dict[str, str] = {name: "--" if name == "nesterov" else "-" for name in RULES}


def _log_loss_axis(ax: plt.Axes, low: float = 0.01, high: float = 0.6) -> None:
    """A log-scale loss axis labelled with plain numbers (0.01, 0.02, 0.05, ...)."""
    ax.set(yscale="log", ylim=(low, high))
    ax.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())


def _symlog_epochs(
    ax: plt.Axes, last: int, ticks: Sequence[int] = (0, 5, 10, 20, 50, 100, 200, 500)
) -> None:
    """Epochs 0 to `last`, linear up to 10 and logarithmic beyond: the first epochs get room."""
    ax.set_xscale("symlog", linthresh=10, linscale=0.6)
    ax.set_xlim(0, last)
    ax.xaxis.set_major_locator(ticker.FixedLocator([t for t in ticks if t <= last]))
    ax.xaxis.set_major_formatter(ticker.FormatStrFormatter("%d"))
    ax.xaxis.set_minor_locator(ticker.NullLocator())


def first_perfect_epoch(history: History) -> int | None:
    """The first epoch after which test accuracy is 1.0, or None if it never is."""
    hits = np.flatnonzero(history.test_accuracy == 1.0)
    return int(hits[0]) if hits.size else None


def _sweep_panel(
    ax: plt.Axes,
    runs: Mapping[float, History | None],
    epochs: int,
    rule: str,
    label: str,
    **style: object,
) -> None:
    """Loss after `epochs` against the swept value; an x on the top edge marks a run given as
    None (one that diverged, or that the caller found unstable)."""
    values = np.array(list(runs), dtype=float)
    losses = np.array([np.nan if h is None else h.loss[epochs - 1] for h in runs.values()])
    color = RULE_COLORS[rule]
    style = {"linestyle": RULE_LINESTYLES[rule], **style}
    ax.plot(values, losses, marker="o", markersize=4, color=color, label=label, **style)
    best = int(np.nanargmin(losses))
    ax.plot(values[best], losses[best], marker="o", markersize=11, color=color, fillstyle="none")
    diverged = np.isnan(losses)
    ax.plot(
        values[diverged],
        np.full(diverged.sum(), 0.55),
        marker="x",
        markersize=8,
        color=color,
        linestyle="none",
    )


def plot_sweep(
    sweep: Mapping[str, Mapping[float, History | None]],
    adadelta: Mapping[float, History | None],
    budgets: Sequence[int],
    title: str,
) -> None:
    """Loss after each budget of epochs against lr (one panel per budget), and AdaDelta
    against epsilon; big rings mark each rule's best value, x's the runs given as None
    (diverged or unstable)."""
    fig, axes = plt.subplots(1, len(budgets) + 1, figsize=(14, 4.4), sharey=True)
    for ax, epochs in zip(axes, budgets, strict=False):
        for rule, runs in sweep.items():
            _sweep_panel(ax, runs, epochs, rule, RULES[rule].title)
        ax.set(title=f"Loss after {epochs} epochs", xlabel="learning rate lr", xscale="log")
    styles = ["--", "-"]
    for epochs, linestyle in zip(budgets, styles, strict=False):
        label = f"after {epochs} epochs"
        _sweep_panel(axes[-1], adadelta, epochs, "adadelta", label, linestyle=linestyle)
    axes[-1].set(title="AdaDelta (lr = 1): its epsilon", xlabel="epsilon", xscale="log")
    axes[-1].legend(fontsize=9, loc="lower left")  # off the curves and the x's on the top edge
    axes[0].set(ylabel="Training loss (MSE), log scale")
    for ax in axes:
        _log_loss_axis(ax)
        ax.grid(True, which="major", alpha=0.3)
    fig.legend(
        *axes[0].get_legend_handles_labels(), loc="lower center", ncol=len(sweep), fontsize=9
    )
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    plt.show()


def plot_spread(
    runs: Mapping[str, Sequence[History]],
    title: str,
    unstable: Mapping[str, Sequence[bool]] | None = None,
) -> None:
    """Per rule, the mean loss over its stable runs with their min-max band (the first run
    dashed), each unstable run as a thin grey line (machine-dependent: never in the band), and
    in the last panel each stable run's first epoch at 100% test accuracy (unstable: hollow)."""
    unstable = unstable or {}
    fig, axes = plt.subplots(2, 4, figsize=(14, 6.8), layout="constrained")
    loss_axes = axes.flat[: len(runs)]
    for ax, (label, histories) in zip(loss_axes, runs.items(), strict=False):
        flags = list(unstable.get(label, [False] * len(histories)))
        losses = np.stack([h.loss for h in histories])
        stable = losses[~np.array(flags)]
        epochs = np.arange(losses.shape[1])
        color = RULE_COLORS[histories[0].rule]
        for loss, flag in zip(losses, flags, strict=True):
            if flag:
                ax.plot(epochs, loss, color="0.55", linewidth=0.7)
        if len(stable):
            ax.fill_between(epochs, stable.min(0), stable.max(0), color=color, alpha=0.25)
            ax.plot(epochs, stable.mean(0), color=color)
        if not flags[0]:
            ax.plot(epochs, losses[0], color="black", linewidth=0.8, linestyle="--")
        ax.set(title=label)
        _log_loss_axis(ax, high=0.5)
        _symlog_epochs(ax, last=losses.shape[1], ticks=(0, 10, 100, 500))
        ax.grid(True, which="major", alpha=0.3)
    for ax in axes[1, :-1]:
        ax.set_xlabel("Epoch (log beyond 10)")
    for ax in axes[:, 0]:
        ax.set_ylabel("Training loss (MSE)")
    handles = [  # one legend for all panels, below them, in neutral colours: each panel's own
        Line2D([], [], color="0.3", label="mean of the stable runs (the rule's colour)"),
        Patch(color="0.3", alpha=0.25, label="their min-max band"),
        Line2D([], [], color="black", linewidth=0.8, linestyle="--", label="seed 1: the lecture's"),
    ]
    if any(any(flags) for flags in unstable.values()):
        handles.append(Line2D([], [], color="0.55", linewidth=0.7, label="an unstable run"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=9)
    strip = axes.flat[-1]
    for row, (label, histories) in enumerate(runs.items()):
        flags = list(unstable.get(label, [False] * len(histories)))
        color = RULE_COLORS[histories[0].rule]
        for flag in (False, True):
            reached = [
                first
                for h, f in zip(histories, flags, strict=True)
                if f is flag and (first := first_perfect_epoch(h)) is not None
            ]
            style = {"fillstyle": "none"} if flag else {"alpha": 0.6}
            strip.plot(reached, [row] * len(reached), "o", color=color, **style)
    last = max(h.epochs for hs in runs.values() for h in hs)
    _symlog_epochs(strip, last=last, ticks=(0, 5, 10, 30, 100, 300))
    strip.set(
        title="First 100% test accuracy,\nafter epoch",
        yticks=range(len(runs)),
        yticklabels=[RULES[histories[0].rule].title for histories in runs.values()],
        ylim=(len(runs) - 0.5, -0.5),
        xlabel="Epoch (log beyond 10)\nhollow: an unstable run",
    )
    strip.yaxis.tick_right()  # the rule names to the right: no gap opens before the column
    strip.grid(True, which="major", alpha=0.3)
    fig.suptitle(title)
    plt.show()


Surface = Callable[[tf.Tensor], tf.Tensor]


def plot_path_panels(
    surface: Surface,
    paths: Mapping[str, np.ndarray],
    rules: Sequence[str],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    title: str,
    minimum: tuple[float, float],
    columns: int = 4,
) -> None:
    """Small multiples: one panel per path (in the colour of its rule, `rules` in the same
    order) over the surface's contour lines, equal aspect, the last point ringed; paths of
    more than 150 points drawn without dots."""
    rows = -(-len(paths) // columns)
    width = 14 / columns
    height = 0.85 * width * (ylim[1] - ylim[0]) / (xlim[1] - xlim[0]) + 0.6
    fig, axes = plt.subplots(rows, columns, figsize=(14, rows * height + 0.4), squeeze=False)
    for ax, (label, path), rule in zip(axes.flat, paths.items(), rules, strict=False):
        plots.plot_trajectories(surface, {label: path}, xlim, ylim, minimum=minimum, ax=ax)
        ax.get_legend().remove()
        (line,) = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == len(path)]
        line.set_color(RULE_COLORS[rule])
        if len(path) > 150:
            line.set(marker="", linewidth=1.0)
        if np.isfinite(path[-1]).all():
            ax.plot(*path[-1], marker="o", markersize=16, fillstyle="none", color=RULE_COLORS[rule])
        ax.set_aspect("equal")
        ax.set_title(label, fontsize=10)
        ax.set(xlabel="", ylabel="")
        ax.tick_params(labelsize=8)
    for ax in axes.flat[len(paths) :]:
        ax.axis("off")
    fig.suptitle(title)
    fig.tight_layout()
    plt.show()
