"""Figures for chapter 1 (SGD): several runs' loss and test accuracy, none hidden by another."""

from collections.abc import Collection, Mapping

import matplotlib.pyplot as plt
from matplotlib import ticker

from course_utils.training import History


def plot_runs(
    histories: Mapping[str, History],
    title: str,
    faint: Collection[str] = (),
    loss_range: tuple[float, float] = (0.02, 0.6),
) -> None:
    """Training loss (log scale) and test accuracy per epoch, one colour per run.

    Each run is drawn a little thinner than the one before it, so a line lying on top of an
    earlier one leaves that one's colour showing at its edges; runs named in `faint` (chaotic
    ones, which swing across the others) are drawn half transparent. The legend sits to the
    right of the panels, off the curves.
    """
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(12, 4.2))
    n = len(histories)
    for index, (label, history) in enumerate(histories.items()):
        style = {"linewidth": 1.2 + 1.1 * (n - 1 - index), "label": label}
        if label in faint:
            style["alpha"] = 0.55
        loss_ax.plot(history.loss, **style)
        acc_ax.plot(history.test_accuracy, **style)
    loss_ax.set(
        title="Loss function curve",
        xlabel="Epoch",
        ylabel="Training loss (MSE), log scale",
        yscale="log",
        ylim=loss_range,
    )
    loss_ax.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
    loss_ax.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
    loss_ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    acc_ax.set(title="Test accuracy curve", xlabel="Epoch", ylabel="Test accuracy", ylim=(0, 1.05))
    for ax in (loss_ax, acc_ax):
        ax.grid(True, which="major", alpha=0.3)
    acc_ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    plt.show()
