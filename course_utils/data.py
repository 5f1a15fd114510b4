"""Iris, prepared exactly as the Peking University course prepares it.

The seed script shuffles features and labels with the same NumPy seed (116), keeps the last
30 rows for testing and trains in batches of 32, so 120 training rows give 4 steps an epoch.
scikit-learn ships Iris inside the package: nothing is downloaded.
"""

from dataclasses import dataclass

import numpy as np
import tensorflow as tf
from sklearn import datasets

SHUFFLE_SEED = 116
TEST_ROWS = 30
BATCH_SIZE = 32

Batch = tuple[tf.Tensor, tf.Tensor]


@dataclass(frozen=True)
class Split:
    """Features (float32) and integer labels, split into training and test rows."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]


def load_iris_split(seed: int | None = SHUFFLE_SEED, test_rows: int = TEST_ROWS) -> Split:
    """Shuffle Iris as the seed does (same seed for x and y) and split off the last rows.

    `seed=None` keeps scikit-learn's order (50 setosa, 50 versicolor, 50 virginica): the
    unshuffled data the lecture warns about.
    """
    iris = datasets.load_iris()
    x, y = iris.data.copy(), iris.target.copy()
    if seed is not None:
        np.random.seed(seed)
        np.random.shuffle(x)
        np.random.seed(seed)
        np.random.shuffle(y)
    x = x.astype(np.float32)
    return Split(
        x_train=x[:-test_rows],
        y_train=y[:-test_rows],
        x_test=x[-test_rows:],
        y_test=y[-test_rows:],
        feature_names=tuple(iris.feature_names),
        class_names=tuple(str(name) for name in iris.target_names),
    )


def make_batches(x: np.ndarray, y: np.ndarray, batch_size: int = BATCH_SIZE) -> tuple[Batch, ...]:
    """Cut (x, y) into consecutive batches in order, the last one possibly smaller."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be a whole number >= 1, got {batch_size}")
    return tuple(
        (tf.constant(x[start : start + batch_size]), tf.constant(y[start : start + batch_size]))
        for start in range(0, len(x), batch_size)
    )
