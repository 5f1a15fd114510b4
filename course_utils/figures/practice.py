"""Figures for chapter 9 (optimizers in practice): digits, training and validation curves;
also the early-stopping rule and the mystery run that the notebook uses after its exercises."""

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course_utils.problem import Problem
from course_utils.training import History, train


def plot_digits(images: np.ndarray, labels: np.ndarray, count: int = 12) -> None:
    """The first `count` 8x8 images, each titled with its label."""
    fig, axes = plt.subplots(1, count, figsize=(count * 0.9, 1.3))
    for ax, image, label in zip(axes, images, labels, strict=False):
        ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=0.0, vmax=1.0)
        ax.set_title(str(label), fontsize=10)
        ax.set_axis_off()
    fig.suptitle("Digits: 8 x 8 pixels, values in [0, 1]", fontsize=10, y=1.08)
    plt.show()


def plot_runs(
    runs: Mapping[str, History],
    title: str,
    accuracy_label: str = "Test accuracy",
    marks: Mapping[str, int] | None = None,
    log_loss: bool = True,
    accuracy_ylim: tuple[float, float] = (-0.02, 1.02),
) -> None:
    """Left: training loss (solid) and validation loss (dashed, if any); right: accuracy.

    `marks` draws a dotted vertical line at each named epoch on both panels.
    """
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(11, 4))
    for label, run in runs.items():
        validated = bool(np.isfinite(run.validation_loss).any())
        (line,) = loss_ax.plot(run.loss, label=f"{label}: training" if validated else label)
        if validated:
            loss_ax.plot(
                run.validation_loss, "--", color=line.get_color(), label=f"{label}: validation"
            )
        acc_ax.plot(run.test_accuracy, color=line.get_color(), label=label)
    for text, epoch in (marks or {}).items():
        for ax in (loss_ax, acc_ax):
            ax.axvline(epoch, color="0.3", linestyle=":", linewidth=1.2, label=f"{text} ({epoch})")
    loss_ax.set(
        title="Loss",
        xlabel="Epoch",
        ylabel="Loss" + (" (log scale)" if log_loss else ""),
        yscale="log" if log_loss else "linear",
    )
    acc_ax.set(title=accuracy_label, xlabel="Epoch", ylabel=accuracy_label, ylim=accuracy_ylim)
    loss_ax.legend(fontsize=8)
    acc_ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    plt.show()


def plot_schedules(schedules: Mapping[str, np.ndarray], title: str) -> None:
    """Learning rate per epoch, one line per schedule, on a log axis."""
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for label, rates in schedules.items():
        ax.plot(rates, label=label)
    ax.set(title=title, xlabel="Epoch", ylabel="Learning rate (log scale)", yscale="log")
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def plot_seeds(
    validation_loss: Mapping[str, np.ndarray], test_accuracy: Mapping[str, np.ndarray]
) -> None:
    """One point per initialisation: validation loss against test accuracy, seeds labelled."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for label, losses in validation_loss.items():
        accuracies = test_accuracy[label]
        dots = ax.scatter(losses, accuracies, label=label)
        for seed, (x, y) in enumerate(zip(losses, accuracies, strict=True)):
            ax.annotate(
                str(seed),
                (x, y),
                textcoords="offset points",
                xytext=(4, 3),
                fontsize=8,
                color=dots.get_facecolor()[0],
            )
    ax.set(
        title="Ten initialisations: lower validation loss, higher test accuracy?",
        xlabel="Validation loss at the last epoch",
        ylabel="Test accuracy at the last epoch",
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def stop_early(values: Sequence[float], patience: int) -> tuple[int, int]:
    """(stop epoch, best epoch) of early stopping with `patience`: the rule of exercise 9.1.

    The notebook uses it after the exercise, so that it runs whether or not the student's own
    `early_stopping` is done; the exercise's check has its own copy.
    """
    values = list(values)
    best_epoch = 0
    for epoch, value in enumerate(values):
        if value < values[best_epoch]:
            best_epoch = epoch
        if epoch >= best_epoch + patience:
            return epoch, best_epoch
    return len(values) - 1, best_epoch


def colleagues_run(problem: Problem) -> History:
    """The run of exercise 9.2 on `problem`, its settings kept out of the notebook's sight."""
    return train("sgd", {"lr": 0.01}, epochs=60, problem=problem)
