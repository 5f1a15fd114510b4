"""The course's figures: loss and test-accuracy curves, for one run or several."""

from collections.abc import Mapping

import matplotlib.pyplot as plt

from course_utils.training import History


def plot_history(history: History, title: str | None = None) -> None:
    """Loss and test accuracy of one run, side by side."""
    plot_histories({history.rule: history}, title=title, legend=False)


def plot_histories(
    histories: Mapping[str, History], title: str | None = None, legend: bool = True
) -> None:
    """Loss and test accuracy of several runs on shared axes, one line per run."""
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(11, 4))
    for label, history in histories.items():
        loss_ax.plot(history.loss, label=label)
        acc_ax.plot(history.test_accuracy, label=label)
    loss_ax.set(title="Loss function curve", xlabel="Epoch", ylabel="Training loss (MSE)")
    acc_ax.set(title="Test accuracy curve", xlabel="Epoch", ylabel="Test accuracy", ylim=(0, 1.05))
    if legend:
        loss_ax.legend()
        acc_ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    plt.show()
