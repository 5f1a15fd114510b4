"""A harder problem than Iris: a small MLP on scikit-learn's bundled 8x8 digits.

1797 images of handwritten digits ship inside scikit-learn (no download). One hidden layer is
enough to overfit a small training set, so validation curves, early stopping and learning-rate
decay have something to show.
"""

from collections.abc import Sequence

import numpy as np
import tensorflow as tf
from sklearn import datasets

from course_utils.data import make_batches
from course_utils.problem import Problem

SEED = 116


def load_digits_split(
    train_rows: int = 300, validation_rows: int = 300, seed: int = SEED
) -> dict[str, np.ndarray]:
    """Shuffled digits scaled to [0, 1]: train, validation and test (the rest) features/labels.

    The training set is deliberately small, so that an MLP can memorise it and overfit.
    """
    digits = datasets.load_digits()
    order = np.random.default_rng(seed).permutation(len(digits.target))
    x = (digits.data[order] / 16.0).astype(np.float32)
    y = digits.target[order].astype(np.int64)
    val_end = train_rows + validation_rows
    return {
        "x_train": x[:train_rows],
        "y_train": y[:train_rows],
        "x_val": x[train_rows:val_end],
        "y_val": y[train_rows:val_end],
        "x_test": x[val_end:],
        "y_test": y[val_end:],
    }


def initial_mlp_weights(hidden: int = 64, seed: int = 1) -> tuple[tf.Tensor, ...]:
    """w1 (64 x hidden), b1, w2 (hidden x 10), b2: Glorot-scaled normal weights, zero biases."""
    rng = np.random.default_rng(seed)
    w1 = rng.normal(0.0, np.sqrt(2.0 / (64 + hidden)), (64, hidden))
    w2 = rng.normal(0.0, np.sqrt(2.0 / (hidden + 10)), (hidden, 10))
    return tuple(tf.constant(w, tf.float32) for w in (w1, np.zeros(hidden), w2, np.zeros(10)))


def mlp_logits(weights: Sequence[tf.Tensor], x: tf.Tensor) -> tf.Tensor:
    """relu(x w1 + b1) w2 + b2."""
    w1, b1, w2, b2 = weights
    return tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2) + b2


def cross_entropy(weights: Sequence[tf.Tensor], x: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    """Mean softmax cross-entropy of the MLP's predictions."""
    logits = mlp_logits(weights, x)
    return tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    )


def count_correct(weights: Sequence[tf.Tensor], x: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    """How many rows the MLP classifies correctly (int32)."""
    predicted = tf.argmax(mlp_logits(weights, x), axis=1, output_type=labels.dtype)
    return tf.reduce_sum(tf.cast(tf.equal(predicted, labels), tf.int32))


def digits_problem(
    hidden: int = 64, init_seed: int = 1, batch_size: int = 32, shuffle_seed: int = SEED
) -> Problem:
    """The MLP on digits: training batches, validation loss after each epoch, test accuracy."""
    split = load_digits_split(seed=shuffle_seed)
    x_val, y_val = tf.constant(split["x_val"]), tf.constant(split["y_val"])
    x_test, y_test = tf.constant(split["x_test"]), tf.constant(split["y_test"])
    return Problem(
        name="digits MLP",
        initial_weights=initial_mlp_weights(hidden, init_seed),
        batches=make_batches(split["x_train"], split["y_train"], batch_size),
        batch_loss=cross_entropy,
        count_correct=lambda weights: count_correct(weights, x_test, y_test),
        n_test=len(split["y_test"]),
        validation_loss=lambda weights: cross_entropy(weights, x_val, y_val),
    )
