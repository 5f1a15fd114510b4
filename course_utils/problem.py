"""A training problem: what the trainer needs to know, and nothing about Iris in particular."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import tensorflow as tf

from course_utils import data, model

BatchLoss = Callable[[Sequence[tf.Variable], tf.Tensor, tf.Tensor], tf.Tensor]
Counter = Callable[[Sequence[tf.Variable]], tf.Tensor]
Metric = Callable[[Sequence[tf.Variable]], tf.Tensor]


@dataclass(frozen=True, eq=False)
class Problem:
    """Initial weights, the training batches (in order), a batch loss, a test count and,
    optionally, a validation loss computed after every epoch.

    The trainer makes one `tf.Variable` per initial weight, so any model fits: the course's
    dense layer, an MLP, or a point on a test function (one batch of empty tensors and no
    test set: `count_correct` None).
    """

    name: str
    initial_weights: tuple[tf.Tensor, ...]
    batches: tuple[data.Batch, ...]
    batch_loss: BatchLoss
    count_correct: Counter | None = None
    n_test: int = 0
    validation_loss: Metric | None = None


def iris_problem(
    init_seed: int = model.INIT_SEED,
    batch_size: int = data.BATCH_SIZE,
    shuffle_seed: int | None = data.SHUFFLE_SEED,
) -> Problem:
    """The course's problem: Iris, one dense layer, MSE on one-hot labels, batches of 32.

    `shuffle_seed=None` trains on the unshuffled rows (see `data.load_iris_split`).
    """
    split = data.load_iris_split(seed=shuffle_seed)
    x_test, y_test = tf.constant(split.x_test), tf.constant(split.y_test)
    return Problem(
        name="iris",
        initial_weights=model.initial_dense_weights(seed=init_seed),
        batches=data.make_batches(split.x_train, split.y_train, batch_size),
        batch_loss=model.mse_one_hot_loss,
        count_correct=lambda weights: model.count_correct(weights, x_test, y_test),
        n_test=len(split.y_test),
    )


def quadratic_problem(curvatures: Sequence[float], start: Sequence[float]) -> Problem:
    """The bowl f(w) = sum(a_i w_i^2) / 2, one step per epoch, no data and no test set.

    Plain gradient descent on it converges only while lr < 2 / max(a_i): a clean way to see
    divergence, which the course's Iris model (its softmax saturates) never shows.
    """
    a = tf.constant(curvatures, tf.float32)
    no_data = tf.zeros([0])

    def bowl(weights: Sequence[tf.Variable], x: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
        return 0.5 * tf.reduce_sum(a * tf.square(weights[0]))

    return Problem(
        name="quadratic bowl",
        initial_weights=(tf.constant(start, tf.float32),),
        batches=((no_data, no_data),),
        batch_loss=bowl,
    )
