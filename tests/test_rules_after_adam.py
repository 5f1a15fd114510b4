"""The rules after Adam (issue 14, in progress): each against its Keras twin on random
problems, a first step by hand, refused hyperparameters, and training with `cu.train`."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import course_utils as cu
from course_utils import update
from course_utils.parity import compare_with_keras
from course_utils.rules import AFTER_ADAM

K = tf.keras.optimizers
LR = 0.05

TWINS = {
    "adamw": ({"lr": LR, "weight_decay": 0.1}, lambda: K.AdamW(LR, weight_decay=0.1, epsilon=0.0)),
    "amsgrad": ({"lr": LR}, lambda: K.Adam(LR, amsgrad=True, epsilon=0.0)),
    "nadam": ({"lr": LR}, lambda: K.Nadam(LR, epsilon=0.0)),
    "lion": ({"lr": LR}, lambda: K.Lion(LR)),
    "muon": (
        {"lr": LR, "weight_decay": 0.1},
        lambda: K.Muon(LR, weight_decay=0.1, adam_weight_decay=0.1, epsilon=0.0),
    ),
}


def test_every_new_rule_has_a_keras_twin():
    assert set(TWINS) == set(AFTER_ADAM)


@pytest.mark.parametrize("name", TWINS)
def test_agrees_with_its_keras_twin_over_50_steps(name):
    hp, make_twin = TWINS[name]
    report = compare_with_keras(AFTER_ADAM[name], hp, make_twin, steps=50)
    assert report.passed, str(report)


W0, G = [1.0, 1.0], [0.5, -2.0]
FIRST_STEP = {  # from w = (1, 1) with g = (0.5, -2), worked by hand
    # Adam's first step is lr * sign(g); the decay first takes lr * wd * w off each weight
    "adamw": ({"lr": 0.1, "weight_decay": 0.5}, [1 - 0.05 - 0.1, 1 - 0.05 + 0.1]),
    # V_max = V at t = 1, so the first step is Adam's
    "amsgrad": ({"lr": 0.1}, [0.9, 1.1]),
    # every Lion step is lr * sign(beta1 k + (1 - beta1) g) = lr * sign(g) from k = 0
    "lion": ({"lr": 0.1}, [0.9, 1.1]),
}


@pytest.mark.parametrize("name", FIRST_STEP)
def test_first_step_by_hand(name):
    hp, expected = FIRST_STEP[name]
    rule = AFTER_ADAM[name]
    w = tf.Variable(W0)
    slots = update.new_state(rule, [w])
    update.apply_update(
        rule, [w], [tf.constant(G)], slots, update.as_tensors(rule.resolve(hp)), tf.constant(1.0)
    )
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-6)


def test_nadam_first_step_by_hand():
    """mu_1 = 0.9 (1 - 0.48), mu_2 = 0.9 (1 - 0.5 * 0.96^2); m_1 = 0.1 g, V_hat_1 = g^2."""
    mu_1, mu_2 = 0.9 * (1 - 0.5 * 0.96), 0.9 * (1 - 0.5 * 0.96**2)
    g = np.array(G)
    m_hat = mu_2 * 0.1 * g / (1 - mu_1 * mu_2) + (1 - mu_1) * g / (1 - mu_1)
    expected = np.array(W0) - 0.1 * m_hat / np.abs(g)
    rule = AFTER_ADAM["nadam"]
    w = tf.Variable(W0)
    slots = update.new_state(rule, [w])
    update.apply_update(
        rule, [w], [tf.constant(G)], slots, update.as_tensors(rule.resolve({"lr": 0.1})),
        tf.constant(1.0),
    )
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("name", "hp", "words"),
    [
        ("adamw", {"weight_decay": -0.1}, "weight_decay"),
        ("lion", {"beta2": 1.0}, "beta2"),
        ("nadam", {"lr": 0.0}, "lr"),
        ("amsgrad", {"epsilon": -1.0}, "epsilon"),
    ],
)
def test_bad_hyperparameters_are_named(name, hp, words):
    with pytest.raises(ValueError, match=words):
        cu.train(AFTER_ADAM[name], hp, epochs=2)


@pytest.mark.parametrize("name", TWINS)
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
    vector = tf.constant(G)
    m, V, _ = rule.moments(vector, {"m": tf.zeros(2), "V": tf.zeros(2)}, hp, tf.constant(1.0))
    # Adam's first step, lr sign(g) up to float32's 1 - beta2^1 (0.00099998713, not 0.001)
    np.testing.assert_allclose((m / tf.sqrt(V)).numpy(), np.sign(G), rtol=1e-5)


def keras_loop_on_iris(optimizer, epochs):
    """The course's Iris batches, in order, trained by a Keras optimizer: the final weights."""
    iris = cu.training.default_problem()
    variables = [keras.Variable(w, name=f"w{i}") for i, w in enumerate(iris.initial_weights)]
    for _ in range(epochs):
        for x, y in iris.batches:
            with tf.GradientTape() as tape:
                loss = iris.batch_loss([v.value for v in variables], x, y)
            grads = tape.gradient(loss, [v.value for v in variables])
            optimizer.apply_gradients(zip(grads, variables, strict=True))
    return [np.asarray(v.numpy()) for v in variables]


def test_a_per_step_schedule_matches_keras_cosine_decay_with_warm_up():
    """Linear warm-up to 0.1 over 20 steps, then cosine decay over 180: Keras' schedule object
    given to `cu.train` as `step_schedule`, against Keras' Adam driven by the same object."""
    def schedule():
        return keras.optimizers.schedules.CosineDecay(
            0.0, decay_steps=180, warmup_target=0.1, warmup_steps=20)

    history = cu.train("adam", {"lr": 0.1}, epochs=50, step_schedule=schedule())
    theirs = keras_loop_on_iris(K.Adam(learning_rate=schedule(), epsilon=0.0), epochs=50)
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
