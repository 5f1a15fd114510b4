"""Helpers shared by the optimizer course's notebooks: data, model, rules, training, plots."""

import os
import sys
import warnings

# TensorFlow reads these when it is first imported. The first keeps its C++ start-up log out of
# notebooks. The second turns oneDNN's custom kernels off unless the environment asks for them:
# TensorFlow switches them on by default on CPUs with AVX-512 VNNI or BF16, where they round
# differently, print a notice into every notebook and make these tiny graphs about 3x slower.
if "tensorflow" in sys.modules and "TF_ENABLE_ONEDNN_OPTS" not in os.environ:
    warnings.warn(
        "TensorFlow was imported before course_utils, so the course's numerics settings"
        " (TF_ENABLE_ONEDNN_OPTS=0) may not apply: restart the kernel and import course_utils,"
        " or set TF_ENABLE_ONEDNN_OPTS=0, before TensorFlow.",
        stacklevel=2,
    )
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

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
from course_utils.rules import LECTURE_RULES, RULES, Rule, get_rule  # noqa: E402
from course_utils.training import History, TrainingDivergedError, train  # noqa: E402

__all__ = [
    "LECTURE_RULES",
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
