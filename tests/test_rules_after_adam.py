"""What only the rules after Adam need: training and divergence with `cu.train`, Muon's
orthogonalisation and its split by shape, and per-step schedules against Keras' (the tests
every rule passes, by hand, against NumPy and against Keras, are in test_rules.py)."""

import dataclasses

import keras
import numpy as np
import pytest
import tensorflow as tf
from test_rules import KERAS_MAPPINGS

import course_utils as cu
from course_utils import rules, update
from course_utils.figures.after_adam import keras_on_iris
from course_utils.parity import compare_with_keras
from course_utils.rules import AFTER_ADAM

K = tf.keras.optimizers


@pytest.mark.parametrize("name", AFTER_ADAM)
def test_trains_iris_and_reports_divergence(name):
    history = cu.train(AFTER_ADAM[name], {"lr": 0.01}, epochs=50)
    assert history.loss[-1] < history.loss[0]
    bowl = cu.quadratic_problem([1.0], [1e30])  # the loss overflows float32 at once
    with pytest.raises(cu.TrainingDivergedError, match="loss became"):
        cu.train(AFTER_ADAM[name], {"lr": 0.01}, epochs=3, problem=bowl)


def test_muon_orthogonalises_matrices_and_leaves_other_shapes_to_adam():
    """Five Newton-Schulz steps take singular values 1000 apart to within a factor of 2 of
    each other (the quintic is tuned for speed, not convergence: a value 1000 times below the
    largest grows by about 3.4 per step, to about 0.47)."""
    rng = np.random.default_rng(0)
    u, _ = np.linalg.qr(rng.standard_normal((6, 4)))
    v, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    g = (u * [10.0, 1.0, 0.1, 0.01]) @ v.T  # singular values 10, 1, 0.1, 0.01
    for matrix in (g, g.T):
        sigma = np.linalg.svd(cu.rules.orthogonalise(tf.constant(matrix, tf.float32)).numpy(),
                              compute_uv=False)
        assert sigma.max() / sigma.min() < 2 and sigma.min() > 0.4 and sigma.max() < 1.25, sigma
    rule = AFTER_ADAM["muon"]
    hp = update.as_tensors(rule.resolve({"lr": 0.1}))
    vector = tf.constant([0.5, -2.0])
    m, V, _ = rule.moments(vector, {"m": tf.zeros(2), "V": tf.zeros(2)}, hp, tf.constant(1.0))
    # Adam's first step, lr sign(g) up to float32's 1 - beta2^1 (0.00099998713, not 0.001)
    np.testing.assert_allclose((m / tf.sqrt(V)).numpy(), [1.0, -1.0], rtol=1e-5)


def test_a_per_step_schedule_matches_keras_cosine_decay_with_warm_up():
    """Linear warm-up to 0.1 over 20 steps, then cosine decay over 180: Keras' schedule object
    given to `cu.train` as `step_schedule`, against Keras' Adam driven by the same object."""
    def schedule():
        return keras.optimizers.schedules.CosineDecay(
            0.0, decay_steps=180, warmup_target=0.1, warmup_steps=20)

    history = cu.train("adam", {"lr": 0.1}, epochs=50, step_schedule=schedule())
    theirs = keras_on_iris(K.Adam(learning_rate=schedule(), epsilon=0.0), epochs=50)
    for ours, keras_weights in zip(history.final_weights, theirs, strict=True):
        np.testing.assert_allclose(ours, keras_weights, rtol=1e-5, atol=1e-6)
    steps = [float(schedule()(s)) for s in (0, 10, 20, 110, 200)]
    np.testing.assert_allclose(steps, [0.0, 0.05, 0.1, 0.05, 0.0], atol=1e-6)
    np.testing.assert_allclose(history.learning_rates[:3], [0.0, 0.02, 0.04], atol=1e-6)


def test_schedules_per_epoch_and_per_step_are_not_mixed():
    with pytest.raises(ValueError, match="not both"):
        cu.train("sgd", {"lr": 0.1}, epochs=2, lr_schedule=[0.1, 0.1], step_schedule=[0.1] * 8)
    with pytest.raises(ValueError, match=r"one learning rate per step \(8\)"):
        cu.train("sgd", {"lr": 0.1}, epochs=2, step_schedule=[0.1, 0.1])


def amsgrad_without_the_max(g, state, hp, t):
    m_hat, V_hat, adam_state = rules.adam_moments(g, state, hp, t)
    return m_hat, V_hat, {**adam_state, "V_max": state["V_max"]}


def nadam_one_step_early(g, state, hp, t):
    return rules.nadam_moments(g, state, hp, t - 1.0)  # mu_{t-1}, mu_t for mu_t, mu_{t+1}


def lion_with_beta2_in_the_sign(g, state, hp, t):
    k = hp["beta2"] * state["k"] + hp["1-beta2"] * g
    return tf.sign(k), tf.ones_like(g), {"k": k}


def muon_without_the_look_ahead(g, state, hp, t):
    if len(g.shape) != 2:
        return rules.muon_moments(g, state, hp, t)
    k = hp["beta"] * state["m"] + g
    return rules.orthogonalise(k) * 0.2 * max(g.shape) ** 0.5, tf.ones_like(g), {**state, "m": k}


BROKEN = {  # each new rule with one typical mistake: its Keras parity must fail
    "adamw": dataclasses.replace(rules.ADAMW, hyperparameters=rules.ADAM.hyperparameters),
    "amsgrad": dataclasses.replace(rules.AMSGRAD, moments=amsgrad_without_the_max),
    "nadam": dataclasses.replace(rules.NADAM, moments=nadam_one_step_early),
    "lion": dataclasses.replace(rules.LION, moments=lion_with_beta2_in_the_sign),
    "muon": dataclasses.replace(rules.MUON, moments=muon_without_the_look_ahead),
}


@pytest.mark.parametrize("name", BROKEN)
def test_parity_with_keras_fails_when_the_rule_is_broken(name):
    hp, make_twin = KERAS_MAPPINGS[name]
    broken = BROKEN[name]
    hp = {key: value for key, value in hp.items() if key in broken.hyperparameters}
    assert not compare_with_keras(broken, hp, make_twin, steps=50).passed


def test_a_keras_schedule_is_read_in_one_graph_call_with_its_eager_values():
    schedule = keras.optimizers.schedules.CosineDecay(
        0.0, decay_steps=150, warmup_target=0.1, warmup_steps=50)
    eager = [float(schedule(step)) for step in range(200)]
    np.testing.assert_allclose(cu.training.keras_schedule_values(schedule, 200), eager,
                               rtol=1e-6, atol=1e-9)
