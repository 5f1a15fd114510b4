"""SGD: one step by hand, and parity with tf.keras.optimizers.SGD."""

import numpy as np
import pytest
import tensorflow as tf

from course_utils import update
from course_utils.parity import compare_with_keras
from course_utils.rules import SGD


def test_one_step_by_hand():
    w = tf.Variable([1.0, -2.0, 0.5])
    g = tf.constant([0.2, -0.4, 1.0])
    slots = update.new_state(SGD, [w])
    (step,) = update.apply_update(SGD, [w], [g], slots, {"lr": tf.constant(0.1)}, tf.constant(1.0))
    np.testing.assert_allclose(w.numpy(), [0.98, -1.96, 0.4], rtol=1e-6)
    np.testing.assert_array_equal(step.m, g)
    np.testing.assert_array_equal(step.V, [1.0, 1.0, 1.0])
    assert slots == [{}]  # SGD keeps no state


@pytest.mark.parametrize("lr", [0.1, 0.01, 0.7])
def test_parity_with_keras_sgd_over_20_steps(lr):
    report = compare_with_keras(
        "sgd", {"lr": lr}, lambda: tf.keras.optimizers.SGD(learning_rate=lr), steps=20, seed=3
    )
    assert report.passed, str(report)
    assert report.max_abs_diff < 1e-6


def test_parity_detects_a_different_learning_rate():
    report = compare_with_keras(
        "sgd", {"lr": 0.1}, lambda: tf.keras.optimizers.SGD(learning_rate=0.11), steps=20
    )
    assert not report.passed
    assert "DIFFER" in str(report)
