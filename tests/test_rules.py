"""Every rule: a first step worked by hand, several steps against an independent NumPy version,
parity with its Keras optimizer, state handling, and refused hyperparameters."""

import numpy as np
import pytest
import tensorflow as tf

from course_utils import update
from course_utils.parity import compare_with_keras
from course_utils.rules import RULES, get_rule

K = tf.keras.optimizers
W0 = [1.0, 1.0]
G = [0.5, -2.0]

# First step from w = (1, 1) with g = (0.5, -2), every number worked out by hand.
FIRST_STEP = {
    "sgd": ({"lr": 0.1}, [1 - 0.05, 1 + 0.2]),
    # m = 0.1 g = (0.05, -0.2); w -= 0.1 m
    "sgdm": ({"lr": 0.1, "beta": 0.9}, [1 - 0.005, 1 + 0.02]),
    # m as above; step direction 0.9 m + 0.1 g = (0.095, -0.38)
    "nesterov": ({"lr": 0.1, "beta": 0.9}, [1 - 0.0095, 1 + 0.038]),
    # V = g^2, so the step is lr * sign(g)
    "adagrad": ({"lr": 0.1}, [0.9, 1.1]),
    # V = 0.1 g^2, so the step is lr * sign(g) / sqrt(0.1)
    "rmsprop": ({"lr": 0.1, "beta": 0.9}, [1 - 0.1 / np.sqrt(0.1), 1 + 0.1 / np.sqrt(0.1)]),
    # m = g sqrt(0 + 1e-6) = 1e-3 g; V = 0.05 g^2 + 1e-6
    "adadelta": (
        {"beta": 0.95, "epsilon": 1e-6},
        [1 - 0.5e-3 / np.sqrt(0.05 * 0.25 + 1e-6), 1 + 2e-3 / np.sqrt(0.05 * 4 + 1e-6)],
    ),
    # m_hat = g and V_hat = g^2 at t = 1: the step is lr * sign(g)
    "adam": ({"lr": 0.1}, [0.9, 1.1]),
    # Adam's first step, after the decay took lr * wd * w = 0.05 off each weight
    "adamw": ({"lr": 0.1, "weight_decay": 0.5}, [1 - 0.05 - 0.1, 1 - 0.05 + 0.1]),
    # V_max = V at t = 1, so the first step is Adam's
    "amsgrad": ({"lr": 0.1}, [0.9, 1.1]),
    # mu_1 = 0.9 (1 - 0.5 * 0.96) = 0.468, mu_2 = 0.9 (1 - 0.5 * 0.96^2) = 0.48528; m_1 = 0.1 g:
    # m_hat = mu_2 0.1 g / (1 - mu_1 mu_2) + (1 - mu_1) g / (1 - mu_1) = 1.0627 g, V_hat = g^2
    "nadam": ({"lr": 0.1}, [1 - 0.1 * 1.06270, 1 + 0.1 * 1.06270]),
    # every Lion step is lr * sign(beta1 k + (1 - beta1) g) = lr * sign(g) from k = 0
    "lion": ({"lr": 0.1}, [0.9, 1.1]),
    # a vector is not a matrix: Muon gives it Adam's step, lr * sign(g), after the decay
    "muon": ({"lr": 0.1, "weight_decay": 0.5}, [1 - 0.05 - 0.1, 1 - 0.05 + 0.1]),
}


def test_every_rule_has_a_hand_worked_first_step():
    assert set(FIRST_STEP) == set(RULES)


@pytest.mark.parametrize("name", FIRST_STEP)
def test_first_step_by_hand(name):
    hp, expected = FIRST_STEP[name]
    rule = get_rule(name)
    w = tf.Variable(W0)
    slots = update.new_state(rule, [w])
    tensors = update.as_tensors(rule.resolve(hp))
    update.apply_update(rule, [w], [tf.constant(G)], slots, tensors, tf.constant(1.0))
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-5)


def numpy_newton_schulz(x):
    """Five steps of the quintic Newton-Schulz iteration, in float64, on the wide orientation."""
    a, b, c = 3.4445, -4.7750, 2.0315
    wide = x.shape[0] <= x.shape[1]
    x = x if wide else x.T
    x = x / (np.linalg.norm(x) + 1e-7)
    for _ in range(5):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x if wide else x.T


def numpy_steps(name, hp, w, grads):
    """The rules written again in float64 NumPy, straight from the formulas."""
    w = np.array(w, np.float64)
    m = V = U = V_max = np.zeros_like(w)
    mu_product = 1.0
    path = []
    # beta^t is computed from float32 beta, as in the lecture's code and in Keras:
    # float32 0.999 is 0.99900001, so 1 - beta2^1 is 1.3e-5 away from 0.001.
    beta1, beta2 = (float(np.float32(hp.get(b, 0.0))) for b in ("beta1", "beta2"))
    for t, g in enumerate(grads, start=1):
        w = w - hp["lr"] * hp.get("weight_decay", 0.0) * w  # decoupled, before the step
        if name == "sgd":
            step = hp["lr"] * g
        elif name in ("sgdm", "nesterov"):
            m = hp["beta"] * m + (1 - hp["beta"]) * g
            direction = hp["beta"] * m + (1 - hp["beta"]) * g if name == "nesterov" else m
            step = hp["lr"] * direction
        elif name == "adagrad":
            V = V + g**2
            step = hp["lr"] * g / np.sqrt(V + hp["epsilon"])
        elif name == "rmsprop":
            V = hp["beta"] * V + (1 - hp["beta"]) * g**2
            step = hp["lr"] * g / np.sqrt(V + hp["epsilon"])
        elif name == "adadelta":
            V = hp["beta"] * V + (1 - hp["beta"]) * g**2
            delta = np.sqrt(U + hp["epsilon"]) / np.sqrt(V + hp["epsilon"]) * g
            U = hp["beta"] * U + (1 - hp["beta"]) * delta**2
            step = hp["lr"] * delta
        elif name in ("adam", "adamw", "amsgrad") or (name == "muon" and w.ndim != 2):
            m = hp["beta1"] * m + (1 - hp["beta1"]) * g
            V = hp["beta2"] * V + (1 - hp["beta2"]) * g**2
            V_max = np.maximum(V_max, V)
            m_hat = m / (1 - beta1**t)
            V_hat = (V_max if name == "amsgrad" else V) / (1 - beta2**t)
            step = hp["lr"] * m_hat / np.sqrt(V_hat + hp["epsilon"])
        elif name == "nadam":  # Keras' Nadam forms 1 - beta from float32 beta
            m = hp["beta1"] * m + (1 - beta1) * g
            V = hp["beta2"] * V + (1 - beta2) * g**2
            mu_t, mu_next = (beta1 * (1 - 0.5 * 0.96 ** (s / hp["schedule"])) for s in (t, t + 1))
            mu_product *= mu_t
            m_hat = mu_next * m / (1 - mu_product * mu_next) + (1 - mu_t) * g / (1 - mu_product)
            step = hp["lr"] * m_hat / np.sqrt(V / (1 - beta2**t) + hp["epsilon"])
        elif name == "lion":
            step = hp["lr"] * np.sign(hp["beta1"] * m + (1 - hp["beta1"]) * g)
            m = hp["beta2"] * m + (1 - hp["beta2"]) * g
        elif name == "muon":  # a matrix
            m = hp["beta"] * m + g
            scale = 0.2 * np.sqrt(max(w.shape))
            step = hp["lr"] * scale * numpy_newton_schulz(g + hp["beta"] * m)
        w = w - step
        path.append(w)
    return np.array(path)


@pytest.mark.parametrize("name", RULES)
@pytest.mark.parametrize("shape", [(3,), (4, 3)])
def test_ten_steps_match_an_independent_numpy_version(name, shape):
    rule = get_rule(name)
    given = {"lr": 0.3} | ({"epsilon": 1e-3} if "epsilon" in rule.hyperparameters else {})
    hp = rule.resolve(given)
    rng = np.random.default_rng(7)
    w0 = rng.standard_normal(shape)
    grads = rng.standard_normal((10, *shape))
    w = tf.Variable(w0, dtype=tf.float32)
    slots = update.new_state(rule, [w])
    tensors = update.as_tensors(hp)
    expected = numpy_steps(name, hp, w0, grads)
    for t, g in enumerate(grads, start=1):
        update.apply_update(rule, [w], [tf.constant(g, tf.float32)], slots, tensors, t * 1.0)
        # ten float32 steps of about lr (Adam-like rules: up to 1.7e-6 apart from float64)
        np.testing.assert_allclose(w.numpy(), expected[t - 1], rtol=1e-5, atol=3e-6)


# The course's rule, its hyperparameters, and the Keras optimizer that computes the same.
KERAS_MAPPINGS = {
    "sgd": ({"lr": 0.1}, lambda: K.SGD(learning_rate=0.1)),
    # Keras keeps lr inside its velocity: v = beta v - lr' g; lr' = lr (1 - beta) matches the
    # EMA form while lr is constant.
    "sgdm": ({"lr": 0.1, "beta": 0.9}, lambda: K.SGD(learning_rate=0.1 * (1 - 0.9), momentum=0.9)),
    "nesterov": (
        {"lr": 0.1, "beta": 0.9},
        lambda: K.SGD(learning_rate=0.1 * (1 - 0.9), momentum=0.9, nesterov=True),
    ),
    "adagrad": (
        {"lr": 0.1},
        lambda: K.Adagrad(learning_rate=0.1, initial_accumulator_value=0.0, epsilon=0.0),
    ),
    "rmsprop": ({"lr": 0.01, "beta": 0.9}, lambda: K.RMSprop(0.01, rho=0.9, epsilon=0.0)),
    "adadelta": (
        {"beta": 0.95, "epsilon": 1e-6},
        lambda: K.Adadelta(learning_rate=1.0, rho=0.95, epsilon=1e-6),
    ),
    "adam": ({"lr": 0.01}, lambda: K.Adam(learning_rate=0.01, epsilon=0.0)),
    # Keras' AdamW is its Adam with weight_decay; its default is 0.004, 0.1 is easier to see
    "adamw": (
        {"lr": 0.05, "weight_decay": 0.1},
        lambda: K.AdamW(0.05, weight_decay=0.1, epsilon=0.0),
    ),
    "amsgrad": ({"lr": 0.05}, lambda: K.Adam(0.05, amsgrad=True, epsilon=0.0)),
    "nadam": ({"lr": 0.05}, lambda: K.Nadam(0.05, epsilon=0.0)),
    "lion": ({"lr": 0.05}, lambda: K.Lion(0.05)),
    # Keras' Muon decays matrices by weight_decay and the Adam-stepped others by
    # adam_weight_decay; the course has one weight_decay for both
    "muon": (
        {"lr": 0.05, "weight_decay": 0.1},
        lambda: K.Muon(0.05, weight_decay=0.1, adam_weight_decay=0.1, epsilon=0.0),
    ),
}


def test_every_rule_has_a_keras_twin():
    assert set(KERAS_MAPPINGS) == set(RULES)


def test_adadelta_with_another_learning_rate_still_matches_keras():
    report = compare_with_keras(
        "adadelta",
        {"lr": 0.5, "beta": 0.9, "epsilon": 1e-6},
        lambda: K.Adadelta(learning_rate=0.5, rho=0.9, epsilon=1e-6),
    )
    assert report.passed, str(report)


@pytest.mark.parametrize("name", RULES)
@pytest.mark.parametrize("seed", [0, 1])
def test_parity_with_keras_over_50_steps(name, seed):
    hp, make_optimizer = KERAS_MAPPINGS[name]
    report = compare_with_keras(name, hp, make_optimizer, steps=50, seed=seed)
    assert report.passed, str(report)


@pytest.mark.parametrize(
    ("name", "hp", "make_optimizer"),
    [
        ("adagrad", {"lr": 0.1}, lambda: K.Adagrad(learning_rate=0.1)),  # accumulator 0.1
        ("sgdm", {"lr": 0.1, "beta": 0.9}, lambda: K.SGD(learning_rate=0.1, momentum=0.9)),
        ("adadelta", {"beta": 0.95, "epsilon": 1e-6}, lambda: K.Adadelta(rho=0.95, epsilon=1e-6)),
    ],
)
def test_parity_fails_without_the_mapping(name, hp, make_optimizer):
    assert not compare_with_keras(name, hp, make_optimizer, steps=10).passed


@pytest.mark.parametrize("name", RULES)
def test_state_starts_at_zero_and_is_updated_in_place(name):
    rule = get_rule(name)
    w = tf.Variable([[0.3, -0.7], [1.1, 0.2]])
    slots = update.new_state(rule, [w])
    assert set(slots[0]) == set(rule.state)
    variables_before = {k: v for k, v in slots[0].items()}
    for var in slots[0].values():
        np.testing.assert_array_equal(var.numpy(), np.zeros((2, 2)))
    hp = update.as_tensors(rule.resolve(None))
    update.apply_update(rule, [w], [tf.constant([[1.0, -2.0], [0.5, 3.0]])], slots, hp, 1.0)
    unused = {"muon": {"V"}}.get(name, set())  # Muon keeps no V for a matrix (Adam's, for others)
    for key, var in slots[0].items():
        assert var is variables_before[key]  # the same tf.Variable, assigned in place
        if key not in unused:
            assert np.all(var.numpy() != 0), f"{name}: state {key} was not updated"


INVALID = [
    ("sgdm", {"beta": 1.0}, "beta"),
    ("sgdm", {"beta": -0.5}, "beta"),
    ("nesterov", {"lr": 0.0}, "lr"),
    ("adagrad", {"epsilon": -1e-8}, "epsilon"),
    ("rmsprop", {"beta": 1.2}, "beta"),
    ("adadelta", {"epsilon": 0.0}, "epsilon"),
    ("adadelta", {"lr": -1.0}, "lr"),
    ("adam", {"beta1": 1.0}, "beta1"),
    ("adam", {"beta2": 1.5}, "beta2"),
    ("adam", {"rho": 0.9}, "rho"),
    ("adamw", {"weight_decay": -0.1}, "weight_decay"),
    ("amsgrad", {"epsilon": -1.0}, "epsilon"),
    ("nadam", {"lr": 0.0}, "lr"),
    ("nadam", {"schedule": 0.0}, "schedule"),
    ("lion", {"beta2": 1.0}, "beta2"),
    ("lion", {"epsilon": 1e-8}, "epsilon"),
    ("muon", {"beta": 1.0}, "beta"),
]


@pytest.mark.parametrize(("name", "hp", "word"), INVALID)
def test_invalid_hyperparameters_raise_value_error(name, hp, word):
    with pytest.raises(ValueError, match=word):
        get_rule(name).resolve(hp)


def test_rule_names_are_case_insensitive():
    assert get_rule(" Adam ") is RULES["adam"]
