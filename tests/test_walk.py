"""Walking a rule over a 2-D surface uses the same rules and gives the same steps."""

import numpy as np
import pytest
import tensorflow as tf

from course_utils import update
from course_utils.rules import RULES
from course_utils.surfaces import ravine, rosenbrock
from course_utils.walk import walk


def test_sgd_on_the_ravine_follows_the_closed_form():
    # grad = (0.2 x1, 4 x2): SGD multiplies x1 by (1 - 0.2 lr) and x2 by (1 - 4 lr)
    path = walk("sgd", {"lr": 0.1}, ravine, [2.0, 1.0], steps=5)
    t = np.arange(6)
    np.testing.assert_allclose(path[:, 0], 2.0 * 0.98**t, rtol=1e-6)
    np.testing.assert_allclose(path[:, 1], 1.0 * 0.6**t, rtol=1e-5)


def test_adam_reaches_the_rosenbrock_valley():
    path = walk("adam", {"lr": 0.05}, rosenbrock, [-1.5, 2.0], steps=2000)
    assert path.shape == (2001, 2)
    assert np.linalg.norm(path[-1] - [1.0, 1.0]) < 0.1


def test_bad_start_is_refused():
    with pytest.raises(ValueError, match="two numbers"):
        walk("sgd", {"lr": 0.1}, ravine, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("name", RULES)
def test_every_rule_walks_as_its_update_steps_by_hand(name):
    """The compiled walk takes the same steps as `update.apply_update` in an eager loop."""
    rule = RULES[name]
    hp = rule.resolve({"lr": 0.05} if name != "adadelta" else {})
    point = tf.Variable([-1.5, 2.0])
    slots = update.new_state(rule, [point])
    expected = [point.numpy().copy()]
    for t in range(1, 6):
        with tf.GradientTape() as tape:
            value = rosenbrock(point)
        grad = tape.gradient(value, point)
        update.apply_update(
            rule, [point], [grad], slots, update.as_tensors(hp), tf.constant(t * 1.0)
        )
        expected.append(point.numpy().copy())
    path = walk(name, hp, rosenbrock, [-1.5, 2.0], steps=5)
    np.testing.assert_allclose(path, np.array(expected), rtol=1e-6, atol=1e-7)
    assert not np.array_equal(path[0], path[-1])


def test_lion_moves_every_coordinate_exactly_lr_per_step():
    path = walk("lion", {"lr": 0.1}, ravine, [-9.0, 1.5], steps=5)
    np.testing.assert_allclose(np.abs(np.diff(path, axis=0)), 0.1, rtol=1e-5)
