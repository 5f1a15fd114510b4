"""Figures for the momentum chapter: the ravine race, the EMA's window and its response, and
the rate of convergence on a quadratic."""

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

Surface = Callable[[tf.Tensor], tf.Tensor]


def plot_ema_weights(weights: Mapping[float, np.ndarray]) -> None:
    """Bars of the weight (1-beta) beta^k of the gradient k steps back, one panel per beta,
    with the most recent 1/(1-beta) gradients (the window) shaded."""
    fig, axes = plt.subplots(1, len(weights), figsize=(4 * len(weights), 3.6))
    for ax, (beta, w) in zip(np.atleast_1d(axes), weights.items(), strict=True):
        window = round(1 / (1 - beta))
        inside = w[:window].sum()
        ax.axvspan(-0.5, window - 0.5, color="tab:orange", alpha=0.15)
        ax.bar(np.arange(len(w)), w, width=1.0, color="tab:blue", edgecolor="none")
        ax.axvline(window - 0.5, color="tab:orange", linestyle="--", linewidth=1.2)
        ax.text(
            window,
            w[0] * 0.9,
            f" window {window} steps:\n {inside:.0%} of the weight",
            va="top",
            fontsize=9,
        )
        ax.set(
            title=rf"$\beta = {beta:g}$",
            xlabel="$k$ (steps back)",
            xlim=(-0.5, len(w) - 0.5),
            ylim=(0, w[0] * 1.05),
        )
    np.atleast_1d(axes)[0].set_ylabel(r"weight of $g_{t-k}$ in $m_t$: $(1-\beta)\beta^k$")
    fig.suptitle(r"How far back $m_t$ remembers: the weights fall by $\beta$ per step")
    fig.tight_layout()
    plt.show()


def plot_ema_response(g: np.ndarray, averages: Mapping[str, np.ndarray], flip: int) -> None:
    """A gradient sequence (grey) and its EMAs m_t, one line per beta; `flip` marks the step
    where the gradient changes sign."""
    fig, ax = plt.subplots(figsize=(9, 4))
    steps = np.arange(1, len(g) + 1)
    ax.step(steps, g, where="mid", color="0.6", linewidth=2, label="gradient $g_t$")
    for label, m in averages.items():
        ax.plot(steps, m, linewidth=1.6, label=label)
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.axvline(flip + 0.5, color="0.4", linestyle=":", linewidth=1)
    ax.set(
        title="The first moment $m_t$ follows the gradient with a delay",
        xlabel="step $t$",
        ylabel="$g_t$ and $m_t$",
        ylim=(-1.15, 1.15),
    )
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    plt.show()


def plot_momentum_rate(
    betas: np.ndarray,
    best_rates: np.ndarray,
    learning_rates: np.ndarray,
    rates_by_beta: Mapping[float, np.ndarray],
    runs: Sequence[tuple[float, float, float]],
    sgd_best: float,
    tuned: tuple[float, float, float],
) -> None:
    """The rate of convergence on a quadratic, from the step matrices' eigenvalues.

    Left: the best rate over the learning rate for each beta (`best_rates`), with sqrt(beta)
    and SGD's best rate `sgd_best`; `tuned` = (lr*, beta*, rate*) is marked. Right: the rate
    against the learning rate (log axis) for each beta of `rates_by_beta`, with `runs`
    ((lr, beta, rate) each) as markers on their beta's curve.
    """
    fig, (beta_ax, lr_ax) = plt.subplots(1, 2, figsize=(13, 4.6), layout="constrained")
    lr_star, beta_star, rate_star = tuned
    beta_ax.plot(betas, best_rates, color="tab:blue", linewidth=3,
                 label="SGDM, each $\\beta$ at its best $lr$")
    beta_ax.plot(betas, np.sqrt(betas), color="black", linestyle="--", linewidth=1.2,
                 label=r"$\sqrt{\beta}$ (the swings' factor)")
    beta_ax.axhline(sgd_best, color="tab:gray", linestyle=":", linewidth=1.5,
                    label=rf"SGD at its best $lr$: $(\kappa-1)/(\kappa+1) = {sgd_best:.3f}$")
    beta_ax.plot([beta_star], [rate_star], "o", color="tab:red", markersize=8,
                 label=(rf"tuned: $\beta^* = {beta_star:.2f}$, $lr^* = {lr_star:.2f}$, "
                        rf"rate ${rate_star:.4f}$"))
    beta_ax.set(title=r"The best rate for each $\beta$ (ravine, $\kappa = 20$)",
                xlabel=r"$\beta$", ylabel=r"rate $\rho$: distance $\times\,\rho$ per step",
                xlim=(0, 1), ylim=(0, 1.02))
    beta_ax.legend(fontsize=8, loc="lower right")

    colours = dict(zip(rates_by_beta, ["tab:gray", "tab:red", "tab:orange", "tab:green"],
                       strict=False))
    for beta, rates in rates_by_beta.items():
        label = "SGD ($\\beta = 0$)" if beta == 0 else rf"SGDM, $\beta = {beta:.3g}$"
        lr_ax.semilogx(learning_rates, rates, color=colours[beta], linewidth=1.8, label=label)
        if beta > 0:
            lr_ax.axhline(np.sqrt(beta), color=colours[beta], linestyle=":", linewidth=0.8)
    for number, (lr, beta, rate) in enumerate(runs):
        lr_ax.plot([lr], [rate], "o", color=colours.get(beta, "black"), markeredgecolor="black",
                   markersize=6, label="the ravine runs above" if number == 0 else None)
    lr_ax.axhline(1.0, color="black", linewidth=0.8)
    lr_ax.text(learning_rates[0] * 1.1, 1.01, "above 1: diverges", fontsize=8, va="bottom")
    lr_ax.set(title="The rate against the learning rate (dotted: $\\sqrt{\\beta}$)",
              xlabel="$lr$, log scale", ylabel=r"rate $\rho$",
              xlim=(learning_rates[0], learning_rates[-1]), ylim=(0.5, 1.08))
    lr_ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle("How fast SGDM converges on the ravine $0.1\\,x_1^2 + 2\\,x_2^2$: "
                 "exact, from the eigenvalues of the step matrices")
    plt.show()
