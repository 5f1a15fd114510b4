"""The course's figures: loss and test-accuracy curves, and a look at the data."""

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt

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
