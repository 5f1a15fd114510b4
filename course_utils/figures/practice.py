"""Figures for chapter 9 (optimizers in practice): digits, schedules, initialisations; also
the early-stopping rule and the mystery run that the notebook uses after its exercises, and
what the compiled trainer does not offer: the weights after each batch of one epoch."""

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from course_utils import update
from course_utils.plots import tidy_log_axis
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

