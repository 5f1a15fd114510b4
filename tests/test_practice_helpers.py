"""The helpers behind notebooks 08 and 09 and `make bench`: digits, unshuffled Iris, the
playground and the four ways to train."""

import matplotlib
import numpy as np
import pytest

import course_utils as cu
from course_utils import bench, playground
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


def test_playground_settings_per_rule():
    settings = {"lr": 0.05, "beta": 0.8, "beta1": 0.9, "beta2": 0.99, "epsilon": 1e-9}
    assert playground.hyperparameters_for("sgd", settings) == {"lr": 0.05}
    assert playground.hyperparameters_for("adam", settings) == {
        "lr": 0.05,
        "beta1": 0.9,
        "beta2": 0.99,
        "epsilon": 1e-9,
    }
    assert playground.hyperparameters_for("adadelta", settings) == {"epsilon": 1e-6}


def test_a_diverging_walk_is_reported():
    settings = {"lr": 5.0, "beta": 0.9, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    failures = playground.draw(["sgd"], settings, 200, "2-D: ravine 0.1 x1² + 2 x2²")
    assert "left the picture" in failures["SGD"]


@pytest.mark.parametrize("view", list(playground.VIEWS))
def test_every_view_draws_all_rules(view):
    settings = {"lr": 0.1, "beta": 0.9, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    failures = playground.draw(list(cu.RULES), settings, 20, view)
    assert set(failures) <= {rule.title for rule in cu.RULES.values()}
    if playground.VIEWS[view] is None:
        assert failures == {}  # nothing diverges on Iris at these settings


def test_moving_a_slider_redraws():
    panel = playground.playground(rules=("sgd", "adam"), epochs=20)
    status = panel.children[1]
    lr_slider = panel.children[0].children[1].children[0]
    status.value = ""
    lr_slider.value = 0.05
    assert status.value.startswith("<small>redrawn in")


def test_the_four_ways_to_train_agree():
    problem = cu.iris_problem()
    for rule in bench.SETTINGS:
        losses = [
            bench.final_loss(problem, method(problem, rule, epochs=3))
            for method in bench.METHODS.values()
        ]
        np.testing.assert_allclose(losses, losses[0], rtol=1e-5)
