"""Helpers shared by the optimizer course's notebooks: data, model, rules, training, plots."""

import os

# TensorFlow reads this when it is first imported: keep its C++ start-up log out of notebooks.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf

# Compiled runs must compute what the hand-written eager loops compute, bit for bit. Grappler's
# arithmetic optimizer would rewrite m / sqrt(V) as m * rsqrt(V), which rounds differently in
# the last bit for about 40% of entries; the course's graphs are tiny, so nothing is lost.
tf.config.optimizer.set_experimental_options({"arithmetic_optimization": False})

from course_utils.data import load_iris_split, make_batches  # noqa: E402
from course_utils.model import (  # noqa: E402
    count_correct,
    initial_dense_weights,
    mse_one_hot_loss,
    predict_proba,
)
from course_utils.problem import Problem, iris_problem, quadratic_problem  # noqa: E402
from course_utils.rules import RULES, Rule, get_rule  # noqa: E402
from course_utils.training import History, TrainingDivergedError, train  # noqa: E402

__all__ = [
    "RULES",
    "History",
    "Problem",
    "Rule",
    "TrainingDivergedError",
    "count_correct",
    "get_rule",
    "initial_dense_weights",
    "iris_problem",
    "load_iris_split",
    "make_batches",
    "mse_one_hot_loss",
    "predict_proba",
    "quadratic_problem",
    "train",
]
