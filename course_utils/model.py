"""The course's network: one dense layer 4 -> 3, softmax, mean squared error on one-hot labels."""

from collections.abc import Sequence

import tensorflow as tf

GLOBAL_SEED = 116
INIT_SEED = 1
INIT_STDDEV = 0.1


def initial_dense_weights(
    n_inputs: int = 4, n_classes: int = 3, seed: int = INIT_SEED
) -> tuple[tf.Tensor, tf.Tensor]:
    """Draw w1 (n_inputs x n_classes) and b1 (n_classes) exactly as the seed script does.

    The seed sets TensorFlow's global seed to 116 and then draws w1 and b1 with the same
    operation seed; TensorFlow's eager counter makes the two draws differ. Resetting the
    global seed first makes every call return the same numbers, whatever ran before.
    """
    tf.random.set_seed(GLOBAL_SEED)
    w1 = tf.random.truncated_normal([n_inputs, n_classes], stddev=INIT_STDDEV, seed=seed)
    b1 = tf.random.truncated_normal([n_classes], stddev=INIT_STDDEV, seed=seed)
    return w1, b1


def predict_proba(weights: Sequence[tf.Tensor], x: tf.Tensor) -> tf.Tensor:
    """Class probabilities softmax(x w1 + b1)."""
    w1, b1 = weights
    return tf.nn.softmax(tf.matmul(x, w1) + b1)


def mse_one_hot_loss(weights: Sequence[tf.Tensor], x: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    """The seed's loss: mean over all entries of (one_hot(labels) - probabilities)^2."""
    probabilities = predict_proba(weights, x)
    one_hot = tf.one_hot(labels, depth=probabilities.shape[-1])
    return tf.reduce_mean(tf.square(one_hot - probabilities))


def count_correct(weights: Sequence[tf.Tensor], x: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    """How many rows' most probable class is their label (int32).

    Accuracy is this count over the number of rows; dividing in Python rather than in a
    compiled graph (which may multiply by 1/n instead) gives the seed's numbers exactly.
    """
    predicted = tf.argmax(predict_proba(weights, x), axis=1, output_type=labels.dtype)
    return tf.reduce_sum(tf.cast(tf.equal(predicted, labels), tf.int32))
