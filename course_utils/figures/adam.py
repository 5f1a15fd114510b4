"""Figures for chapter 7 (Adam): the moments before and after bias correction, and the step
factor."""


import matplotlib.pyplot as plt
import numpy as np


def plot_moments(
    g: np.ndarray,
    m: np.ndarray,
    m_hat: np.ndarray,
    V: np.ndarray,
    V_hat: np.ndarray,
    mean: float,
    mean_square: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
) -> None:
    """Left: g_t, m_t and m_hat_t against E[g]; right: g_t^2, V_t and V_hat_t against E[g^2]."""
    t = np.arange(1, len(g) + 1)
    fig, (first, second) = plt.subplots(1, 2, figsize=(11, 4))
    first.plot(t, g, "o", color="0.6", markersize=4, label="$g_t$ (noisy gradient)")
    first.plot(t, m, marker=".", label=r"$m_t$ (no correction)")
    first.plot(t, m_hat, marker=".", label=r"$\hat m_t = m_t / (1-\beta_1^t)$")
    label = r"$E[g] = $" + f"{mean:g}"
    first.axhline(mean, color="black", linestyle="--", linewidth=1, label=label)
    first.set(title=rf"First moment, $\beta_1 = {beta1:g}$", xlabel="step $t$", ylabel="value")
    first.legend(loc="lower right", fontsize=8)  # the corner the curves leave empty

    second.plot(t, g**2, "o", color="0.6", markersize=4, label="$g_t^2$")
    second.plot(t, V, marker=".", label=r"$V_t$ (no correction)")
    second.plot(t, V_hat, marker=".", label=r"$\hat V_t = V_t / (1-\beta_2^t)$")
    label = r"$E[g^2] = $" + f"{mean_square:g}"
    second.axhline(mean_square, color="black", linestyle="--", linewidth=1, label=label)
    second.set(
        title=rf"Second moment, $\beta_2 = {beta2:g}$ (log scale)",
        xlabel="step $t$",
        ylabel="value",
        yscale="log",
    )
    second.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    plt.show()


def plot_step_factor(factor: np.ndarray, marks: dict[str, int]) -> None:
    """The uncorrected step divided by the corrected one, per step t (log axis), with marks."""
    t = np.arange(1, len(factor) + 1)
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(t, factor, color="tab:red")
    ax.axhline(1.0, color="black", linestyle="--", linewidth=1, label="1: the corrected step")
    for text, step in marks.items():
        value = factor[step - 1]
        ax.plot(step, value, "o", color="tab:red")
        ax.annotate(
            f"{text}\nt = {step}: {value:.2f}x",
            (step, value),
            textcoords="offset points",
            xytext=(8, 6),
            fontsize=8,
        )
    ax.set(
        xscale="log",
        xlim=(0.7, len(factor) * 3),
        ylim=(0, factor.max() * 1.25),
        title=r"Uncorrected step / corrected step $= (1-\beta_1^t)\,/\sqrt{1-\beta_2^t}$",
        xlabel="step $t$ (log scale)",
        ylabel="factor",
    )
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    plt.show()
