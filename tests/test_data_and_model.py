"""The data and model match the seed script exactly."""

import numpy as np
import tensorflow as tf
from sklearn import datasets

from course_utils import data, model


def seed_split():
    """The seed's own lines: shuffle x and y with seed 116 each, last 30 rows for testing."""
    x_data = datasets.load_iris().data
    y_data = datasets.load_iris().target
    np.random.seed(116)
    np.random.shuffle(x_data)
    np.random.seed(116)
    np.random.shuffle(y_data)
    return x_data[:-30], y_data[:-30], x_data[-30:], y_data[-30:]


def test_split_equals_the_seed_scripts():
    split = data.load_iris_split()
    x_train, y_train, x_test, y_test = seed_split()
    np.testing.assert_array_equal(split.x_train, tf.cast(x_train, tf.float32).numpy())
    np.testing.assert_array_equal(split.x_test, tf.cast(x_test, tf.float32).numpy())
    np.testing.assert_array_equal(split.y_train, y_train)
    np.testing.assert_array_equal(split.y_test, y_test)
    assert split.x_train.dtype == np.float32
    assert (len(split.y_train), len(split.y_test)) == (120, 30)


def test_batches_of_32_give_four_steps_an_epoch():
    split = data.load_iris_split()
    batches = data.make_batches(split.x_train, split.y_train)
    assert [int(x.shape[0]) for x, _ in batches] == [32, 32, 32, 24]
    np.testing.assert_array_equal(np.concatenate([y for _, y in batches]), split.y_train)


def test_initial_weights_are_the_seeds_draws_whatever_ran_before():
    tf.random.normal([7])  # advance TensorFlow's random state: must not matter
    w1, b1 = model.initial_dense_weights()
    tf.random.set_seed(116)
    seed_w1 = tf.random.truncated_normal([4, 3], stddev=0.1, seed=1)
    seed_b1 = tf.random.truncated_normal([3], stddev=0.1, seed=1)
    np.testing.assert_array_equal(w1, seed_w1)
    np.testing.assert_array_equal(b1, seed_b1)
    assert not np.allclose(w1[0], b1)  # the two draws differ, as in the seed


def test_loss_is_mean_squared_error_against_one_hot():
    w1 = tf.zeros([4, 3])
    b1 = tf.constant([0.0, 0.0, np.log(2.0)], tf.float32)  # probabilities 1/4, 1/4, 1/2
    x = tf.ones([2, 4])
    labels = tf.constant([0, 2], tf.int64)
    expected = np.mean([(1 - 0.25) ** 2, 0.25**2, 0.5**2, 0.25**2, 0.25**2, (1 - 0.5) ** 2])
    np.testing.assert_allclose(model.mse_one_hot_loss([w1, b1], x, labels), expected, rtol=1e-6)
    assert int(model.count_correct([w1, b1], x, labels)) == 1
