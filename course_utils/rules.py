r"""Optimizer rules in the course's recipe.

Every optimizer is the same four steps; only the first moment m_t (一阶动量) and the second
moment V_t (二阶动量) differ:

    g_t = dloss/dw_t,   m_t = phi(g_1..g_t),   V_t = psi(g_1..g_t),
    eta_t = lr * m_t / sqrt(V_t),   w_{t+1} = w_t - eta_t.

A rule here is only the middle line: `moments(g, state, hp, t)` returns (m_t, V_t, new state),
for every rule, old and new. Creating the state (zeros like each weight), counting t (from 1),
dividing and assigning are shared, in `course_utils.update`, and happen the same way for every
rule. So does the one term that is not a moment: decoupled weight decay (AdamW's), which a rule
takes by declaring a `weight_decay` hyperparameter (`with_weight_decay`), as every Keras
optimizer takes a `weight_decay` argument.

A decay rate beta arrives with its complement hp["1-beta"], rounded from double precision.

Epsilon is a per-rule choice, written in the rule's V_t line: the course's own forms have none
(epsilon defaults to 0); where a rule takes one it says where it goes and how TensorFlow's own
optimizer differs.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import tensorflow as tf

from course_utils.hyperparameters import (
    ADADELTA_BETA,
    ADADELTA_EPSILON,
    ADADELTA_LEARNING_RATE,
    BETA,
    BETA2,
    EPSILON,
    LEARNING_RATE,
    LION_BETA2,
    MUON_MOMENTUM,
    NADAM_SCHEDULE,
    WEIGHT_DECAY,
    Hyperparameter,
    resolve,
)

State = Mapping[str, tf.Tensor]
Moments = tuple[tf.Tensor, tf.Tensor, dict[str, tf.Tensor]]
MomentsFn = Callable[[tf.Tensor, State, Mapping[str, tf.Tensor], tf.Tensor], Moments]


@dataclass(frozen=True, eq=False)
class Rule:
    """One optimizer: its moments, its hyperparameters and the state it keeps per weight."""

    name: str
    title: str
    moments: MomentsFn
    hyperparameters: Mapping[str, Hyperparameter]
    state: tuple[str, ...] = ()

    def resolve(self, given: Mapping[str, float] | None = None) -> dict[str, float]:
        """Defaults filled in and every value range-checked (ValueError otherwise)."""
        return resolve(self.name, self.hyperparameters, given)


def sgd_moments(g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor) -> Moments:
    r"""SGD: $m_t = g_t$, $V_t = 1$, so $\eta_t = lr\, g_t$."""
    m = g
    V = tf.ones_like(g)
    return m, V, {}


SGD = Rule(
    name="sgd",
    title="SGD",
    moments=sgd_moments,
    hyperparameters={"lr": LEARNING_RATE},
)


def sgdm_moments(g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor) -> Moments:
    r"""SGD with momentum: $m_t = \beta m_{t-1} + (1-\beta) g_t$, $V_t = 1$."""
    m = hp["beta"] * state["m"] + hp["1-beta"] * g
    V = tf.ones_like(g)
    return m, V, {"m": m}


SGDM = Rule(
    name="sgdm",
    title="SGD with momentum",
    moments=sgdm_moments,
    hyperparameters={"lr": LEARNING_RATE, "beta": BETA},
    state=("m",),
)


def nesterov_moments(
    g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor
) -> Moments:
    r"""Nesterov momentum, look-ahead form: the average is $m_t = \beta m_{t-1} + (1-\beta) g_t$;
    the step uses $\beta m_t + (1-\beta) g_t$ (the momentum step taken one step early), $V_t = 1$.
    """
    m = hp["beta"] * state["m"] + hp["1-beta"] * g
    look_ahead = hp["beta"] * m + hp["1-beta"] * g
    V = tf.ones_like(g)
    return look_ahead, V, {"m": m}


NESTEROV = Rule(
    name="nesterov",
    title="Nesterov momentum",
    moments=nesterov_moments,
    hyperparameters={"lr": LEARNING_RATE, "beta": BETA},
    state=("m",),
)


def adagrad_moments(
    g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor
) -> Moments:
    r"""AdaGrad: $m_t = g_t$, $V_t = \sum_{\tau=1}^t g_\tau^2$ (+ epsilon inside the root)."""
    m = g
    V = state["V"] + tf.square(g)
    return m, V + hp["epsilon"], {"V": V}


ADAGRAD = Rule(
    name="adagrad",
    title="AdaGrad",
    moments=adagrad_moments,
    hyperparameters={"lr": LEARNING_RATE, "epsilon": EPSILON},
    state=("V",),
)


def rmsprop_moments(
    g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor
) -> Moments:
    r"""RMSProp: $m_t = g_t$, $V_t = \beta V_{t-1} + (1-\beta) g_t^2$ (+ epsilon in the root)."""
    m = g
    V = hp["beta"] * state["V"] + hp["1-beta"] * tf.square(g)
    return m, V + hp["epsilon"], {"V": V}


RMSPROP = Rule(
    name="rmsprop",
    title="RMSProp",
    moments=rmsprop_moments,
    hyperparameters={"lr": LEARNING_RATE, "beta": BETA, "epsilon": EPSILON},
    state=("V",),
)


def adadelta_moments(
    g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor
) -> Moments:
    r"""AdaDelta (Zeiler 2012): $m_t = g_t \sqrt{U_{t-1} + \epsilon}$ with $U$ the running
    average of squared past steps, and $V_t = E[g^2]_t + \epsilon$ with the running average
    $E[g^2]_t = \beta E[g^2]_{t-1} + (1-\beta) g_t^2$ (the state's "V" holds $E[g^2]$).

    The step is RMS[past steps] / RMS[gradients] times g_t: it carries the weights' units
    and needs no learning rate (the default lr is 1, the paper's rule). The step is known
    here, so U records it at once: $U_t = \beta U_{t-1} + (1-\beta)(m_t/\sqrt{V_t})^2$, before
    lr scales it, as Keras and PyTorch do (with the paper's lr = 1 the two are the same).
    """
    m = g * tf.sqrt(state["U"] + hp["epsilon"])
    E = hp["beta"] * state["V"] + hp["1-beta"] * tf.square(g)
    V = E + hp["epsilon"]
    U = hp["beta"] * state["U"] + hp["1-beta"] * tf.square(m / tf.sqrt(V))
    return m, V, {"V": E, "U": U}


ADADELTA = Rule(
    name="adadelta",
    title="AdaDelta",
    moments=adadelta_moments,
    hyperparameters={
        "lr": ADADELTA_LEARNING_RATE,
        "beta": ADADELTA_BETA,
        "epsilon": ADADELTA_EPSILON,
    },
    state=("V", "U"),
)


def adam_moments(g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor) -> Moments:
    r"""Adam: bias-corrected averages $\hat m_t = m_t / (1-\beta_1^t)$ of the gradients and
    $\hat V_t = V_t / (1-\beta_2^t)$ of their squares (+ epsilon inside the root); t starts at 1.
    """
    m = hp["beta1"] * state["m"] + hp["1-beta1"] * g
    V = hp["beta2"] * state["V"] + hp["1-beta2"] * tf.square(g)
    m_hat = m / (1 - tf.pow(hp["beta1"], t))
    V_hat = V / (1 - tf.pow(hp["beta2"], t))
    return m_hat, V_hat + hp["epsilon"], {"m": m, "V": V}


ADAM = Rule(
    name="adam",
    title="Adam",
    moments=adam_moments,
    hyperparameters={"lr": LEARNING_RATE, "beta1": BETA, "beta2": BETA2, "epsilon": EPSILON},
    state=("m", "V"),
)

LECTURE_RULES: dict[str, Rule] = {
    rule.name: rule for rule in (SGD, SGDM, NESTEROV, ADAGRAD, RMSPROP, ADADELTA, ADAM)
}


def with_weight_decay(rule: Rule, name: str, title: str) -> Rule:
    r"""`rule` with decoupled weight decay (Loshchilov & Hutter): every step first shrinks
    each weight, $w \leftarrow w - lr \cdot \lambda \cdot w$, then takes the rule's own step.
    The decay never enters m_t or V_t: that is what "decoupled" means."""
    return replace(
        rule,
        name=name,
        title=title,
        hyperparameters={**rule.hyperparameters, "weight_decay": WEIGHT_DECAY},
    )


ADAMW = with_weight_decay(ADAM, "adamw", "AdamW")


def amsgrad_moments(
    g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor
) -> Moments:
    r"""AMSGrad (Reddi, Kale & Kumar 2018): Adam with the running maximum
    $V^{\max}_t = \max(V^{\max}_{t-1}, V_t)$ in place of $V_t$, so no weight's step can grow
    because its squared gradients shrank; bias-corrected as in Keras (+ epsilon inside)."""
    m = hp["beta1"] * state["m"] + hp["1-beta1"] * g
    V = hp["beta2"] * state["V"] + hp["1-beta2"] * tf.square(g)
    V_max = tf.maximum(state["V_max"], V)
    m_hat = m / (1 - tf.pow(hp["beta1"], t))
    V_hat = V_max / (1 - tf.pow(hp["beta2"], t))
    return m_hat, V_hat + hp["epsilon"], {"m": m, "V": V, "V_max": V_max}


AMSGRAD = Rule(
    name="amsgrad",
    title="AMSGrad",
    moments=amsgrad_moments,
    hyperparameters=ADAM.hyperparameters,
    state=("m", "V", "V_max"),
)


def nadam_moments(g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor) -> Moments:
    r"""Nadam (Dozat 2016) as Keras computes it: Adam's averages, a Nesterov look-ahead in the
    first moment, and a momentum schedule $\mu_t = \beta_1 (1 - 0.5 \cdot 0.96^{t/s})$ with
    $s$ = hp["schedule"], 1 in Keras (its default here), 250 in Dozat's paper:
    $\hat m_t = \mu_{t+1} m_t / (1 - \prod_{\tau \le t+1} \mu_\tau)
    + (1 - \mu_t) g_t / (1 - \prod_{\tau \le t} \mu_\tau)$, $\hat V_t = V_t/(1-\beta_2^t)$.
    The state keeps $1 - \prod_{\tau \le t} \mu_\tau$, which starts at 0 like all state."""
    mu_t = hp["beta1"] * (1 - 0.5 * tf.pow(0.96, t / hp["schedule"]))
    mu_next = hp["beta1"] * (1 - 0.5 * tf.pow(0.96, (t + 1) / hp["schedule"]))
    product = (1 - state["1-mu_product"]) * mu_t
    # Keras' Nadam, unlike its Adam, forms 1 - beta in float32 (0.00099998713 for beta2 =
    # 0.999, not 0.001): the course follows it here, or the two drift apart by 1e-5 in 50 steps.
    m = hp["beta1"] * state["m"] + (1 - hp["beta1"]) * g
    V = hp["beta2"] * state["V"] + (1 - hp["beta2"]) * tf.square(g)
    m_hat = mu_next * m / (1 - product * mu_next) + (1 - mu_t) * g / (1 - product)
    V_hat = V / (1 - tf.pow(hp["beta2"], t))
    return m_hat, V_hat + hp["epsilon"], {"m": m, "V": V, "1-mu_product": 1 - product}


NADAM = Rule(
    name="nadam",
    title="Nadam",
    moments=nadam_moments,
    hyperparameters={**ADAM.hyperparameters, "schedule": NADAM_SCHEDULE},
    state=("m", "V", "1-mu_product"),
)


def lion_moments(g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor) -> Moments:
    r"""Lion (Chen et al. 2023): $m_t = \mathrm{sign}(\beta_1 k_{t-1} + (1-\beta_1) g_t)$,
    $V_t = 1$, with the momentum it keeps $k_t = \beta_2 k_{t-1} + (1-\beta_2) g_t$: every step
    is exactly lr long in every coordinate."""
    m = tf.sign(hp["beta1"] * state["k"] + hp["1-beta1"] * g)
    k = hp["beta2"] * state["k"] + hp["1-beta2"] * g
    return m, tf.ones_like(g), {"k": k}


LION = Rule(
    name="lion",
    title="Lion",
    moments=lion_moments,
    hyperparameters={"lr": LEARNING_RATE, "beta1": BETA, "beta2": LION_BETA2},
    state=("k",),
)

NEWTON_SCHULZ = (3.4445, -4.7750, 2.0315)  # the quintic's coefficients (Jordan et al., Keras)


def orthogonalise(x: tf.Tensor, steps: int = 5) -> tf.Tensor:
    """Five Newton-Schulz steps that take a matrix's singular values close to 1 (its U V^T)."""
    a, b, c = NEWTON_SCHULZ
    wide = x.shape[0] <= x.shape[1]
    x = x if wide else tf.transpose(x)
    x = x / (tf.norm(x) + 1e-7)  # Frobenius norm >= spectral norm: singular values <= 1
    for _ in range(steps):
        gram = x @ tf.transpose(x)
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x if wide else tf.transpose(x)


def muon_moments(g: tf.Tensor, state: State, hp: Mapping[str, tf.Tensor], t: tf.Tensor) -> Moments:
    r"""Muon (Jordan et al. 2024, with Moonlight's scale, as Keras): for a weight matrix,
    $m_t = \mathrm{NS}_5(g_t + \mu k_t) \cdot 0.2\sqrt{\max(n, p)}$ with the momentum sum
    $k_t = \mu k_{t-1} + g_t$ and $V_t = 1$: the step is a whole matrix, orthogonalised, not a
    value per coordinate.

    This is where the per-coordinate recipe ends, and the one rule that looks at a weight's
    shape: like Keras, it applies Muon to 2-D weights only and Adam's moments to the others.
    """
    if len(g.shape) != 2:
        m_hat, V_hat, adam_state = adam_moments(g, state, hp, t)
        return m_hat, V_hat, {**state, **adam_state}
    k = hp["beta"] * state["m"] + g
    scale = 0.2 * float(max(g.shape)) ** 0.5
    return orthogonalise(g + hp["beta"] * k) * scale, tf.ones_like(g), {**state, "m": k}


MUON = Rule(
    name="muon",
    title="Muon",
    moments=muon_moments,
    hyperparameters={**ADAMW.hyperparameters, "beta": MUON_MOMENTUM},
    state=("m", "V"),
)

AFTER_ADAM: dict[str, Rule] = {rule.name: rule for rule in (ADAMW, AMSGRAD, NADAM, LION, MUON)}
RULES: dict[str, Rule] = {**LECTURE_RULES, **AFTER_ADAM}


def get_rule(rule: str | Rule) -> Rule:
    """Look a rule up by name (case-insensitive); ValueError lists the known names."""
    if isinstance(rule, Rule):
        return rule
    key = str(rule).strip().lower()
    if key not in RULES:
        raise ValueError(f"unknown optimizer {rule!r}; choose one of: {', '.join(RULES)}")
    return RULES[key]
