"""Figures for chapter 9 (optimizers in practice): digits, training and validation curves;
also the early-stopping rule and the mystery run that the notebook uses after its exercises,
and what the compiled trainer does not offer: the weights after each batch of one epoch, and a
problem whose batches are cut from a new order of the rows every epoch."""

from collections.abc import Mapping, Sequence
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from course_utils import update
from course_utils.data import make_batches
from course_utils.problem import Problem
from course_utils.rules import get_rule
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
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=subs))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylim(low, high)


def plot_runs(
    runs: Mapping[str, History],
    title: str,
    accuracy_label: str = "Test accuracy",
    marks: Mapping[str, int] | None = None,
    log_loss: bool = True,
    accuracy_ylim: tuple[float, float] = (-0.02, 1.02),
    legend_columns: int = 3,
) -> None:
    """Left: training loss (solid) and validation loss (dashed, if any); right: accuracy.

    One colour per run, the same in both panels; the legend sits below the panels, off the
    curves. `marks` draws a dotted vertical line at each named epoch on both panels.
    """
    rows = -(-(len(runs) + len(marks or {}) + 2) // legend_columns)
    fig, (loss_ax, acc_ax) = plt.subplots(
        1, 2, figsize=(11, 3.9 + 0.22 * rows), layout="constrained"
    )
    handles, any_validated = [], False
    for label, run in runs.items():
        validated = bool(np.isfinite(run.validation_loss).any())
        any_validated |= validated
        (line,) = loss_ax.plot(run.loss, label=label)
        if validated:
            loss_ax.plot(run.validation_loss, "--", color=line.get_color())
        acc_ax.plot(run.test_accuracy, color=line.get_color())
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
    loss_ax.set(
        title="Loss",
        xlabel="Epoch",
        ylabel="Loss" + (" (log scale)" if log_loss else ""),
        yscale="log" if log_loss else "linear",
    )
    if log_loss:
        tidy_log_axis(loss_ax)
    acc_ax.set(title=accuracy_label, xlabel="Epoch", ylabel=accuracy_label, ylim=accuracy_ylim)
    fig.legend(handles=handles, loc="outside lower center", ncols=legend_columns, fontsize=8)
    fig.suptitle(title)
    plt.show()


def plot_schedules(schedules: Mapping[str, np.ndarray], title: str) -> None:
    """Learning rate per epoch, one line per schedule, on a log axis; legend right of it."""
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    for label, rates in schedules.items():
        ax.plot(rates, label=label)
    ax.set(title=title, xlabel="Epoch", ylabel="Learning rate (log scale)", yscale="log")
    tidy_log_axis(ax)
    fig.legend(loc="outside right center", fontsize=8)
    plt.show()


def plot_seeds(
    validation_loss: Mapping[str, np.ndarray], test_accuracy: Mapping[str, np.ndarray]
) -> None:
    """One point per initialisation: validation loss against test accuracy, seeds labelled."""
    fig, ax = plt.subplots(figsize=(7, 4.8), layout="constrained")
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
    fig.legend(loc="outside lower center", ncols=len(validation_loss), fontsize=8)
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


def weights_after_each_batch(
    rule: str, hyperparameters: Mapping[str, float], problem: Problem, initial_weights
) -> list[tuple[np.ndarray, ...]]:
    """One epoch over `problem.batches` from `initial_weights`, eagerly: the weights after
    each batch. The rule starts with a zero state, so for a rule with a state this is not the
    continuation of a longer run; for SGD (no state) it is."""
    rule = get_rule(rule)
    hp = update.as_tensors(rule.resolve(hyperparameters))
    variables = [tf.Variable(w) for w in initial_weights]
    slots = update.new_state(rule, variables)
    after = []
    for t, (x, y) in enumerate(problem.batches, start=1):
        with tf.GradientTape() as tape:
            loss = problem.batch_loss(variables, x, y)
        grads = tape.gradient(loss, variables)
        update.apply_update(rule, variables, grads, slots, hp, tf.constant(float(t)))
        after.append(tuple(var.numpy() for var in variables))
    return after


def problem_in_orders(
    problem: Problem, x: np.ndarray, y: np.ndarray, orders: Sequence[np.ndarray], batch_size: int
) -> Problem:
    """`problem` with one long "epoch": for each order in `orders`, the rows (x, y) in that order
    cut into batches of `batch_size` (which must divide the number of rows).

    The compiled trainer repeats one fixed list of batches every epoch; trained for a single
    epoch, this problem runs len(orders) real epochs, each with batches of its own, and the rule's
    state carries over from one to the next. The History then has one entry: the mean batch loss
    over all of them, and the validation loss and test count at the end.
    """
    if len(x) % batch_size:
        raise ValueError(f"batch_size {batch_size} must divide the {len(x)} rows")
    batches = tuple(
        batch for order in orders for batch in make_batches(x[order], y[order], batch_size)
    )
    return replace(
        problem, name=f"{problem.name}, {len(orders)} epochs in given orders", batches=batches
    )
