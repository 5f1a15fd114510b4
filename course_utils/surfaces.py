"""Two-dimensional test functions on which to watch an optimizer's path."""

import tensorflow as tf


def ravine(w: tf.Tensor) -> tf.Tensor:
    """f(x1, x2) = 0.1 x1^2 + 2 x2^2: 20 times steeper across than along. Minimum at (0, 0)."""
    return 0.1 * tf.square(w[0]) + 2.0 * tf.square(w[1])


def rosenbrock(w: tf.Tensor) -> tf.Tensor:
    """f(x1, x2) = (1 - x1)^2 + 100 (x2 - x1^2)^2: a curved, flat valley. Minimum at (1, 1)."""
    return tf.square(1.0 - w[0]) + 100.0 * tf.square(w[1] - tf.square(w[0]))
