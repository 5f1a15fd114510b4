"""The compiled trainer: same numbers as the seed's eager loop, readable errors, no retracing."""

import numpy as np
import pytest
import tensorflow as tf
from seed_script import run_seed_sgd

import course_utils as cu
from course_utils import hyperparameters, training, update
from course_utils.rules import SGD


def test_compiled_trainer_equals_the_seeds_eager_loop_over_20_epochs():
    seed_losses, seed_accuracy = run_seed_sgd(epochs=20)
    history = cu.train("sgd", {"lr": 0.1}, epochs=20)
    np.testing.assert_array_equal(history.loss, np.array(seed_losses, np.float32))
    np.testing.assert_array_equal(history.test_accuracy, seed_accuracy)


def test_new_hyperparameters_and_epochs_do_not_retrace():
    cu.train("sgd", {"lr": 0.1}, epochs=3)
    run = training.compiled_run(SGD, training.default_problem())
    traces = run._run.experimental_get_tracing_count()
    cu.train("sgd", {"lr": 0.05}, epochs=7)
    cu.train("sgd", {"lr": 0.2}, epochs=2)
    assert run._run.experimental_get_tracing_count() == traces


def test_runs_start_from_the_same_weights():
    first = cu.train("sgd", {"lr": 0.1}, epochs=5)
    cu.train("sgd", {"lr": 0.9}, epochs=5)
    again = cu.train("sgd", {"lr": 0.1}, epochs=5)
    np.testing.assert_array_equal(first.loss, again.loss)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"rule": "sgd", "hyperparameters": {"lr": 0.0}}, ["lr", "(0, inf)"]),
        ({"rule": "sgd", "hyperparameters": {"lr": -0.1}}, ["lr", "(0, inf)"]),
        ({"rule": "sgd", "hyperparameters": {"lr": float("nan")}}, ["lr", "finite"]),
        ({"rule": "sgd", "hyperparameters": {"lr": "0.1"}}, ["lr", "number"]),
        ({"rule": "sgd", "hyperparameters": {"momentum": 0.9}}, ["momentum", "lr"]),
        ({"rule": "sgd", "epochs": 0}, ["epochs", ">= 1"]),
        ({"rule": "sgd", "epochs": 2.5}, ["epochs", "whole number"]),
        ({"rule": "adamax"}, ["adamax", "sgd", "muon"]),
    ],
)
def test_bad_input_raises_a_readable_value_error(kwargs, words):
    with pytest.raises(ValueError) as error:
        cu.train(**kwargs)
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize("beta", [-0.1, 1.0, 1.5])
def test_beta_outside_0_1_is_refused(beta):
    with pytest.raises(ValueError, match=r"beta .* must be in \[0, 1\)"):
        hyperparameters.resolve("demo", {"beta": hyperparameters.BETA}, {"beta": beta})


def test_beta_inside_0_1_is_accepted():
    spec = {"beta": hyperparameters.BETA}
    assert hyperparameters.resolve("demo", spec, {"beta": 0.0}) == {"beta": 0.0}
    assert hyperparameters.resolve("demo", spec, None) == {"beta": 0.9}


def test_divergence_names_the_epoch_and_suggests_a_smaller_learning_rate():
    bowl = cu.quadratic_problem([1.0], [1.0])  # SGD diverges for lr > 2
    with pytest.raises(cu.TrainingDivergedError) as error:
        cu.train("sgd", {"lr": 2.5}, epochs=500, problem=bowl)
    message = str(error.value)
    # w_e = (-1.5)^e, and w^2 overflows float32 once 1.5^e > sqrt(float32 max) ~ 1.8e19
    first_bad = int(np.ceil(np.log(np.sqrt(np.finfo(np.float32).max)) / np.log(1.5)))
    assert f"at epoch {first_bad}" in message
    assert "smaller learning rate" in message and "lr=0.25" in message


def test_a_converging_bowl_run_is_not_flagged():
    bowl = cu.quadratic_problem([1.0, 4.0], [1.0, 1.0])
    history = cu.train("sgd", {"lr": 0.4}, epochs=50, problem=bowl)
    assert history.loss[-1] < 1e-6
    assert np.isnan(history.test_accuracy).all()  # a bowl has no test set


def test_a_learning_rate_schedule_is_used_epoch_by_epoch():
    schedule = [0.1] * 10 + [0.01] * 10
    history = cu.train("sgd", {"lr": 0.1}, epochs=20, lr_schedule=schedule)
    np.testing.assert_allclose(history.learning_rates, schedule, rtol=1e-7)
    constant = cu.train("sgd", {"lr": 0.1}, epochs=20)
    np.testing.assert_array_equal(history.loss[:10], constant.loss[:10])  # same until epoch 10
    assert np.all(history.loss[10:] != constant.loss[10:])
    as_function = cu.train("sgd", {"lr": 0.1}, epochs=20, lr_schedule=lambda e: schedule[e])
    np.testing.assert_array_equal(as_function.loss, history.loss)


@pytest.mark.parametrize(
    ("schedule", "words"),
    [([0.1] * 3, "one learning rate per epoch (5)"), ([0.1, 0.1, -1.0, 0.1, 0.1], ">= 0")],
)
def test_a_bad_schedule_is_refused(schedule, words):
    with pytest.raises(ValueError) as error:
        cu.train("sgd", {"lr": 0.1}, epochs=5, lr_schedule=schedule)
    assert words in str(error.value)


def test_validation_loss_is_recorded_when_the_problem_has_one():
    iris = training.default_problem()
    x_val, y_val = iris.batches[0]
    with_validation = cu.Problem(
        name="iris with validation",
        initial_weights=iris.initial_weights,
        batches=iris.batches,
        batch_loss=iris.batch_loss,
        validation_loss=lambda weights: cu.mse_one_hot_loss(weights, x_val, y_val),
    )
    history = cu.train("sgd", {"lr": 0.1}, epochs=3, problem=with_validation)
    plain = cu.train("sgd", {"lr": 0.1}, epochs=3)
    np.testing.assert_array_equal(history.loss, plain.loss)
    # the validation loss after epoch 1 (0-based) is taken at the weights 2 epochs end with
    first_step_of_epoch_2 = cu.train("sgd", {"lr": 0.1}, epochs=2).final_weights
    expected = cu.mse_one_hot_loss([np.asarray(w) for w in first_step_of_epoch_2], x_val, y_val)
    np.testing.assert_allclose(history.validation_loss[1], expected, rtol=1e-6)
    assert np.isnan(plain.validation_loss).all()


def test_batches_of_irregular_sizes_are_refused():
    x = np.zeros((10, 4), np.float32)
    batches = cu.make_batches(x, np.zeros(10, np.int64), batch_size=4)[::-1]  # 2, 4, 4
    with pytest.raises(ValueError, match="share one size"):
        training.stack_batches(batches)


def test_a_zero_over_zero_nan_suggests_epsilon():
    bowl = cu.quadratic_problem([1.0, 1.0], [0.0, 1.0])  # the first weight's gradient is 0
    with pytest.raises(cu.TrainingDivergedError, match="epsilon > 0"):
        cu.train("adagrad", {"lr": 0.1}, epochs=3, problem=bowl)
    history = cu.train("adagrad", {"lr": 0.1, "epsilon": 1e-7}, epochs=3, problem=bowl)
    assert np.isfinite(history.loss).all()


def test_xla_runs_agree_to_float32_rounding_and_do_not_retrace():
    exact = cu.train("adam", None, epochs=200)
    fast = cu.train("adam", None, epochs=200, jit_compile=True)
    np.testing.assert_allclose(fast.loss, exact.loss, rtol=1e-5, atol=1e-7)
    run = training.compiled_run(cu.get_rule("adam"), training.default_problem(), True)
    traces = run._run.experimental_get_tracing_count()
    cu.train("adam", {"lr": 0.01}, epochs=50, jit_compile=True)
    assert run._run.experimental_get_tracing_count() == traces


def eager_run_in_orders(rule_name, hp, orders):
    """The recipe, eagerly, on Iris' training rows cut into batches of 32 in each epoch's order:
    what `reshuffle_seed` should compute (the losses per epoch and the final weights)."""
    iris = training.default_problem()
    x = np.concatenate([np.asarray(x) for x, _ in iris.batches])
    y = np.concatenate([np.asarray(y) for _, y in iris.batches])
    rule = cu.get_rule(rule_name)
    variables = [tf.Variable(w) for w in iris.initial_weights]
    slots = update.new_state(rule, variables)
    hp, t, losses = update.as_tensors(rule.resolve(hp)), 0.0, []
    for order in orders:
        batches = cu.make_batches(x[order], y[order])
        loss_sum = tf.constant(0.0)
        for xb, yb in batches:
            t += 1.0
            with tf.GradientTape() as tape:
                loss = iris.batch_loss(variables, tf.constant(xb), tf.constant(yb))
            grads = tape.gradient(loss, variables)
            update.apply_update(rule, variables, grads, slots, hp, tf.constant(t))
            loss_sum += loss
        losses.append(float(loss_sum / len(batches)))
    return np.array(losses, np.float32), [v.numpy() for v in variables]


def test_reshuffling_every_epoch_is_the_eager_loop_over_new_orders():
    history = cu.train("adam", {"lr": 0.1}, epochs=4, reshuffle_seed=7)
    orders = training.row_orders(training.default_problem(), 4, seed=7)
    assert len({tuple(order) for order in orders}) == 4  # a new order every epoch
    losses, weights = eager_run_in_orders("adam", {"lr": 0.1}, orders)
    np.testing.assert_array_equal(history.loss, losses)
    for ours, eager in zip(history.final_weights, weights, strict=True):
        np.testing.assert_array_equal(ours, eager)
    again = cu.train("adam", {"lr": 0.1}, epochs=4, reshuffle_seed=7)
    np.testing.assert_array_equal(again.loss, history.loss)
    other = cu.train("adam", {"lr": 0.1}, epochs=4, reshuffle_seed=8)
    assert not np.array_equal(other.loss, history.loss)
    fixed = cu.train("adam", {"lr": 0.1}, epochs=4)
    assert not np.array_equal(fixed.loss, history.loss)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"reshuffle_seed": 1.5}, "reshuffle_seed must be a whole number"),
        ({"reshuffle_seed": True}, "reshuffle_seed must be a whole number"),
        (
            {"reshuffle_seed": 1, "problem": cu.quadratic_problem([1.0], [1.0])},
            "has no rows to reorder",
        ),
    ],
)
def test_a_bad_reshuffle_seed_is_refused(kwargs, words):
    with pytest.raises(ValueError, match=words):
        cu.train("sgd", {"lr": 0.1}, epochs=3, **kwargs)
