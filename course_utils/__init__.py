"""Helpers shared by the optimizer course's notebooks: data, model, rules, training, plots."""

import os

# TensorFlow reads this when it is first imported: keep its C++ start-up log out of notebooks.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from course_utils.data import load_iris_split, make_batches
from course_utils.model import (
    count_correct,
    initial_dense_weights,
    mse_one_hot_loss,
    predict_proba,
)
from course_utils.problem import Problem, iris_problem, quadratic_problem
from course_utils.rules import RULES, Rule, get_rule
from course_utils.training import History, TrainingDivergedError, train

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
