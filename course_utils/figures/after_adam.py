"""Figures and small helpers for chapter 10 (after Adam): coupled L2 for any problem, Nadam with
Dozat's momentum schedule, the online problem of Reddi et al. with a projection, Keras on the
Iris batches, singular values, and the learning-rate sweep of all twelve rules."""

import dataclasses
from collections.abc import Callable, Mapping, Sequence

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from matplotlib import ticker

from course_utils import training
from course_utils.figures.comparison import RULE_COLORS
from course_utils.hyperparameters import NADAM_SCHEDULE
from course_utils.problem import Problem
from course_utils.rules import ADAM, NADAM, Rule
from course_utils.stability import is_chaotic
from course_utils.training import History, TrainingDivergedError

# ------------------------------------------------------------------------ coupled L2


def with_l2(problem: Problem, lam: float) -> Problem:
    """`problem` with (lam / 2) * sum(w**2) added to every batch's loss: coupled L2, whose
    gradient lam * w enters g_t and, with it, m_t and V_t."""

    def batch_loss(weights, x, y):
        penalty = sum(tf.reduce_sum(tf.square(w)) for w in weights)
        return problem.batch_loss(weights, x, y) + 0.5 * lam * penalty

    return dataclasses.replace(problem, name=f"{problem.name} + L2 {lam:g}",
                               batch_loss=batch_loss)


def weight_norm(weights: Sequence[np.ndarray]) -> float:
    """The Euclidean norm of all weights together."""
    return float(np.sqrt(sum(np.sum(np.square(np.asarray(w, np.float64))) for w in weights)))


# ------------------------------------------------------------------------ Nadam, Dozat's form


def nadam_schedule(t: np.ndarray, beta1: float = 0.9, every: float = 1.0) -> np.ndarray:
    """The momentum schedule mu_t = beta1 (1 - 0.5 * 0.96**(t / every)): Keras' for every = 1,
    Dozat's paper's for every = 250."""
    return beta1 * (1 - 0.5 * 0.96 ** (np.asarray(t, np.float64) / every))


# Nadam with the momentum schedule of Dozat's paper, mu_t = beta1 (1 - 0.5 * 0.96^(t/250)):
# the course's Nadam with its `schedule` hyperparameter at 250 by default instead of Keras' 1.
DOZAT_NADAM = dataclasses.replace(
    NADAM,
    name="nadam-dozat",
    title="Nadam, Dozat's schedule",
    hyperparameters={
        **NADAM.hyperparameters,
        "schedule": dataclasses.replace(NADAM_SCHEDULE, default=250.0),
    },
)


def plot_momentum_schedules(t: np.ndarray, schedules: Mapping[str, np.ndarray]) -> None:
    """mu_t against the step t (log axis), one line per schedule."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
    for label, mu in schedules.items():
        ax.plot(t, mu, label=label)
    ax.axhline(0.9, color="black", linestyle="--", linewidth=1, label=r"$\beta_1 = 0.9$")
    ax.set(xscale="log", xlabel="step $t$ (log scale)", ylabel=r"$\mu_t$", ylim=(0.4, 0.95),
           title="Nadam's momentum schedule: Keras' against Dozat's paper")
    ax.legend(fontsize=8, loc="center left")
    fig.tight_layout()
    plt.show()


# ------------------------------------------------------------------------ AMSGrad's problem


def plot_online(paths: Mapping[str, np.ndarray], title: str) -> None:
    """x_t over the steps of the online problem, one line per run, the best point marked."""
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for label, x in paths.items():
        ax.plot(np.arange(1, len(x) + 1), x, label=label)
    ax.axhline(-1.0, color="black", linestyle="--", linewidth=1, label="best point $x = -1$")
    ax.set(xscale="log", xlabel="step $t$ (log scale)", ylabel="$x_t$", ylim=(-1.1, 1.1),
           title=title)
    ax.legend(fontsize=8, loc="center left")
    fig.tight_layout()
    plt.show()


# ------------------------------------------------------------------------ Keras on Iris


def keras_on_iris(optimizer: keras.optimizers.Optimizer, epochs: int) -> list[np.ndarray]:
    """The course's Iris batches, in the lecture's order, trained by a Keras optimizer for
    `epochs` epochs: its final weights."""
    iris = training.default_problem()
    variables = [keras.Variable(w, name=f"w{i}") for i, w in enumerate(iris.initial_weights)]
    for _ in range(epochs):
        for x, y in iris.batches:
            with tf.GradientTape() as tape:
                loss = iris.batch_loss([v.value for v in variables], x, y)
            grads = tape.gradient(loss, [v.value for v in variables])
            optimizer.apply_gradients(zip(grads, variables, strict=True))
    return [np.asarray(v.numpy()) for v in variables]


# ------------------------------------------------------------------------ Muon


def plot_singular_values(values: Mapping[str, np.ndarray], title: str) -> None:
    """Bars of each matrix's singular values, divided by its largest, side by side."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    width = 0.8 / len(values)
    for i, (label, sigma) in enumerate(values.items()):
        index = np.arange(len(sigma))
        ax.bar(index + i * width, sigma / sigma.max(), width, label=label)
    ax.set(xticks=np.arange(len(next(iter(values.values())))) + 0.4 - width / 2,
           xticklabels=[f"$\\sigma_{k + 1}$" for k in range(len(next(iter(values.values()))))],
           ylabel="singular value / the largest", title=title, ylim=(0, 1.15))
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    plt.show()


# ------------------------------------------------------------------------ warm-up


def plot_schedule(learning_rates: Mapping[str, np.ndarray], title: str) -> None:
    """The learning rate of every step, one line per schedule."""
    fig, ax = plt.subplots(figsize=(8, 3.2))
    for label, lrs in learning_rates.items():
        ax.plot(np.arange(len(lrs)), lrs, label=label)
    ax.set(xlabel="step (from 0)", ylabel="learning rate", title=title)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    plt.show()


# ------------------------------------------------------------------------ the sweep


def train_or_none(rule: str | Rule, hp: Mapping[str, float], **options) -> History | None:
    """A 500-epoch Iris run, or None if it diverged (NaN or inf)."""
    try:
        return training.train(rule, hp, **options)
    except TrainingDivergedError:
        return None


def best_stable(
    rule: str | Rule,
    runs: Mapping[float, History | None],
    hp_for: Callable[[float], Mapping[str, float]],
    twin_of: Callable[[str | Rule, Mapping[str, float]], History | None],
) -> tuple[float | None, list[float]]:
    """The swept value with the lowest final loss whose twin (from weights one float32 step
    away) stays with it, and the better values skipped because their runs are chaotic."""
    finished = {value: run for value, run in runs.items() if run is not None}
    skipped = []
    for value in sorted(finished, key=lambda v: finished[v].loss[-1]):
        twin = twin_of(rule, hp_for(value))
        if twin is not None and not is_chaotic(finished[value], twin):
            return value, skipped
        skipped.append(value)
    return None, skipped


def plot_best(
    runs: Mapping[str, History], colors: Mapping[str, str], title: str
) -> None:
    """Final loss of each rule at its own best value (bars, log axis), sorted, labelled."""
    labels = sorted(runs, key=lambda label: runs[label].loss[-1])
    losses = [runs[label].loss[-1] for label in labels]
    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.barh(labels, losses, color=[RULE_COLORS[colors[label]] for label in labels])
    ax.invert_yaxis()
    ax.set(xscale="log", xlabel="final training loss after 500 epochs (log scale)", title=title)
    for y, loss in enumerate(losses):
        ax.annotate(f"{loss:.4f}", (loss, y), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8)
    ax.set_xlim(min(losses) * 0.8, max(losses) * 1.6)
    for axis in (ax.xaxis,):
        axis.set_major_formatter(ticker.FormatStrFormatter("%g"))
        axis.set_minor_formatter(ticker.FormatStrFormatter("%g"))
    ax.tick_params(axis="x", which="minor", labelsize=7)
    fig.tight_layout()
    plt.show()


def plot_decay_left(rms: np.ndarray, left: Mapping[str, np.ndarray], title: str) -> None:
    """The mean weight left after the run (it started at 1) against the gradient noise's RMS."""
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for (label, values), marker in zip(left.items(), "osx^", strict=False):
        ax.plot(rms, values, marker=marker, label=label)
    ax.set(xscale="log", xlabel="RMS of the weight's gradient noise (log scale)",
           ylabel="mean weight left (started at 1)", title=title, ylim=(-0.05, 1.05))
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    plt.show()


def adamax_moments(g, state, hp, t):
    r"""The course's copy of Adamax (Kingma & Ba 2015, sec. 7.1; Keras' form), for the cells
    after exercise 10.3: $u_t = \max(\beta_2 u_{t-1}, |g_t|)$, $V_t = (u_t + \epsilon)^2$."""
    m = hp["beta1"] * state["m"] + hp["1-beta1"] * g
    u = tf.maximum(state["u"] * hp["beta2"], tf.abs(g))  # the running maximum of |g|
    m_hat = m / (1 - tf.pow(hp["beta1"], t))
    return m_hat, tf.square(u + hp["epsilon"]), {"m": m, "u": u}


ADAMAX = dataclasses.replace(ADAM, name="adamax", title="Adamax", moments=adamax_moments,
                             state=("m", "u"))
