"""The Peking University course's SGD script, kept as close to the original as a function allows.

It is the reference the course must reproduce: same shuffle, split, initialisation and loop.
Only the printing and plotting are dropped; the numbers it returns are the ones it printed.
"""

import numpy as np
import tensorflow as tf
from sklearn import datasets


def run_seed_sgd(epochs: int = 500, lr: float = 0.1) -> tuple[list, list]:
    """Run the seed's eager SGD loop; return its per-epoch losses and test accuracies."""
    x_data = datasets.load_iris().data
    y_data = datasets.load_iris().target
    np.random.seed(116)
    np.random.shuffle(x_data)
    np.random.seed(116)
    np.random.shuffle(y_data)
    tf.random.set_seed(116)

    x_train = tf.cast(x_data[:-30], tf.float32)
    y_train = y_data[:-30]
    x_test = tf.cast(x_data[-30:], tf.float32)
    y_test = y_data[-30:]
    train_db = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(32)
    test_db = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(32)

    w1 = tf.Variable(tf.random.truncated_normal([4, 3], stddev=0.1, seed=1))
    b1 = tf.Variable(tf.random.truncated_normal([3], stddev=0.1, seed=1))

    train_loss_results, test_acc = [], []
    loss_all = 0
    for _ in range(epochs):
        for x_batch, y_batch in train_db:
            with tf.GradientTape() as tape:
                y = tf.matmul(x_batch, w1) + b1
                y = tf.nn.softmax(y)
                y_ = tf.one_hot(y_batch, depth=3)
                loss = tf.reduce_mean(tf.square(y_ - y))
                loss_all += loss.numpy()
            grads = tape.gradient(loss, [w1, b1])
            w1.assign_sub(lr * grads[0])
            b1.assign_sub(lr * grads[1])
        train_loss_results.append(loss_all / 4)
        loss_all = 0

        total_correct, total_number = 0, 0
        for x_batch, y_batch in test_db:
            y = tf.nn.softmax(tf.matmul(x_batch, w1) + b1)
            pred = tf.cast(tf.argmax(y, axis=1), dtype=y_batch.dtype)
            total_correct += int(tf.reduce_sum(tf.cast(tf.equal(pred, y_batch), dtype=tf.int32)))
            total_number += x_batch.shape[0]
        test_acc.append(total_correct / total_number)
    return train_loss_results, test_acc
