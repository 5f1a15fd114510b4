"""The helpers behind notebooks 08 and 09 and `make bench`: digits, unshuffled Iris and the
four ways to train (the playground's tests are in test_playground.py)."""

import matplotlib
import numpy as np
import pytest

import course_utils as cu
from course_utils import bench
from course_utils.digits import digits_problem, load_digits_split

matplotlib.use("Agg")


def test_digits_split_sizes_and_scaling():
    split = load_digits_split()
    assert [len(split[k]) for k in ("y_train", "y_val", "y_test")] == [300, 300, 1197]
    assert split["x_train"].shape[1] == 64
    assert split["x_train"].min() >= 0.0 and split["x_train"].max() <= 1.0


def test_the_mlp_learns_and_records_validation_loss():
    history = cu.train("sgd", {"lr": 0.1}, epochs=30, problem=digits_problem())
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert np.isfinite(history.validation_loss).all()
    assert history.test_accuracy[-1] > 0.8


def test_adam_without_epsilon_hits_zero_gradients_on_digits():
    with pytest.raises(cu.TrainingDivergedError, match="epsilon"):
        cu.train("adam", {"lr": 0.01}, epochs=2, problem=digits_problem())


def test_unshuffled_iris_keeps_the_class_order():
    split = cu.load_iris_split(seed=None)
    assert set(split.y_test) == {2}  # the last 30 rows are all virginica
    np.testing.assert_array_equal(split.y_train[:50], np.zeros(50))


def test_the_four_ways_to_train_agree():
    problem = cu.iris_problem()
    for rule in bench.SETTINGS:
        losses = [
            bench.final_loss(problem, method(problem, rule, epochs=3))
            for method in bench.METHODS.values()
        ]
        np.testing.assert_allclose(losses, losses[0], rtol=1e-5)
