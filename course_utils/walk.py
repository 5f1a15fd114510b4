"""Walk a rule over a 2-D test function and record the path, compiled like the trainer."""

from collections.abc import Callable, Mapping, Sequence
from functools import cache, partial

import numpy as np
import tensorflow as tf

from course_utils import update
from course_utils.rules import Rule, get_rule
from course_utils.training import check_epochs

Surface = Callable[[tf.Tensor], tf.Tensor]


class CompiledWalk:
    """A point, the rule's state and one `tf.function` that takes `steps` steps from `start`."""

    def __init__(self, rule: Rule, surface: Surface):
        self.rule = rule
        self.surface = surface
        self.point = tf.Variable(tf.zeros([2]))
        self.slots = update.new_state(rule, [self.point])
        # Explicit tf.while_loop, no AutoGraph; a partial gives each walk its own trace key.
        self._walk = tf.function(partial(self._walk_steps), autograph=False)

    def _walk_steps(
        self, start: tf.Tensor, hp: Mapping[str, tf.Tensor], steps: tf.Tensor
    ) -> tf.Tensor:
        self.point.assign(start)
        update.reset_state(self.slots)

        def one_step(step, path):
            with tf.GradientTape() as tape:
                value = self.surface(self.point)
            grad = tape.gradient(value, self.point)
            t = tf.cast(step, tf.float32)
            update.apply_update(self.rule, [self.point], [grad], self.slots, hp, t)
            return step + 1, path.write(step, self.point.read_value())

        path = tf.TensorArray(tf.float32, size=steps + 1, element_shape=[2])
        path = path.write(0, self.point.read_value())
        _, path = tf.while_loop(lambda step, _: step <= steps, one_step, (tf.constant(1), path))
        return path.stack()


@cache
def compiled_walk(rule: Rule, surface: Surface) -> CompiledWalk:
    """The cached compiled walk for this rule and surface."""
    return CompiledWalk(rule, surface)


def walk(
    rule: str | Rule,
    hyperparameters: Mapping[str, float] | None,
    surface: Surface,
    start: Sequence[float],
    steps: int = 100,
) -> np.ndarray:
    """The points visited, start included: an array of shape (steps + 1, 2).

    Non-finite points are kept (a diverging walk shows where it left); ValueError for bad
    input as in `train`.
    """
    rule = get_rule(rule)
    values = update.as_tensors(rule.resolve(hyperparameters))
    steps = check_epochs(steps)
    start = tf.constant(start, tf.float32)
    if start.shape != (2,):
        raise ValueError(f"start must be two numbers (x1, x2), got shape {tuple(start.shape)}")
    return compiled_walk(rule, surface)._walk(start, values, tf.constant(steps)).numpy()
