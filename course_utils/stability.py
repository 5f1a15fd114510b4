"""Is a run's story robust? Train it twice, from initial weights one float32 step apart.

Two CPUs, or TensorFlow with and without oneDNN, round the same float32 sums differently in the
last bit. A stable run forgets such a difference (its loss curve moves by about 1e-6 of itself);
a run at the edge of stability amplifies it until the two curves have nothing in common. The
twin run made here shows, on the student's own machine, which kind a run is: a run whose twin
drifts away has no digits that hold on another CPU.
"""

from collections.abc import Mapping, Sequence

import numpy as np
import tensorflow as tf

from course_utils.problem import Problem
from course_utils.training import History, default_problem, train

# A relative gap between the twins above this means chaos. Stable runs on Iris stay below 1e-5,
# chaotic ones reach 10% or more: the threshold sits far from both.
CHAOTIC_GAP = 1e-3


def nudged(weights: Sequence[tf.Tensor]) -> list[tf.Tensor]:
    """The weights with every entry moved to the next float32 towards +infinity (one ulp)."""
    return [tf.constant(np.nextafter(np.asarray(w), np.float32(np.inf))) for w in weights]


def twin_runs(
    rule: str,
    hyperparameters: Mapping[str, float] | None = None,
    epochs: int = 500,
    *,
    problem: Problem | None = None,
    **train_options,
) -> tuple[History, History]:
    """Train `rule` from the problem's initial weights and from the same weights nudged."""
    problem = problem or default_problem()
    run = train(rule, hyperparameters, epochs, problem=problem, **train_options)
    twin = train(
        rule,
        hyperparameters,
        epochs,
        problem=problem,
        initial_weights=nudged(problem.initial_weights),
        **train_options,
    )
    return run, twin


def relative_gap(run: History, twin: History) -> float:
    """The largest relative difference between two loss curves, over all epochs."""
    return float(np.max(np.abs(run.loss - twin.loss) / np.abs(run.loss)))


def is_chaotic(run: History, twin: History) -> bool:
    """Whether a one-ulp change of the start changed the loss curve by more than CHAOTIC_GAP."""
    return relative_gap(run, twin) > CHAOTIC_GAP
