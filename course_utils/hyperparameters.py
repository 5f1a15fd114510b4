"""Hyperparameters with their allowed ranges, checked before anything reaches TensorFlow."""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real


@dataclass(frozen=True)
class Hyperparameter:
    """A default value and the interval of allowed values."""

    default: float
    low: float
    high: float = math.inf
    low_inclusive: bool = False
    high_inclusive: bool = False
    meaning: str = ""

    def interval(self) -> str:
        """The allowed range in interval notation, e.g. '[0, 1)'."""
        left = "[" if self.low_inclusive else "("
        right = "]" if self.high_inclusive else ")"
        return f"{left}{self.low:g}, {self.high:g}{right}"

    def contains(self, value: float) -> bool:
        """Whether value lies in the allowed interval."""
        above = value >= self.low if self.low_inclusive else value > self.low
        below = value <= self.high if self.high_inclusive else value < self.high
        return above and below


LEARNING_RATE = Hyperparameter(0.1, 0.0, meaning="learning rate (学习率)")
BETA = Hyperparameter(0.9, 0.0, 1.0, low_inclusive=True, meaning="decay of a moving average")
BETA2 = Hyperparameter(0.999, 0.0, 1.0, low_inclusive=True, meaning="decay of the squares' average")
EPSILON = Hyperparameter(0.0, 0.0, low_inclusive=True, meaning="guard against dividing by 0")
ADADELTA_LEARNING_RATE = Hyperparameter(
    1.0, 0.0, meaning="scale of the step; the paper has none: 1"
)
ADADELTA_BETA = Hyperparameter(
    0.95, 0.0, 1.0, low_inclusive=True, meaning="decay (the paper's rho)"
)
ADADELTA_EPSILON = Hyperparameter(1e-6, 0.0, meaning="> 0: it also starts the first step")
WEIGHT_DECAY = Hyperparameter(
    0.004, 0.0, low_inclusive=True, meaning="decoupled weight decay, per unit of lr"
)
MUON_MOMENTUM = Hyperparameter(
    0.95, 0.0, 1.0, low_inclusive=True, meaning="Muon's momentum (a sum, as in Keras' SGD)"
)
NADAM_SCHEDULE = Hyperparameter(
    1.0, 0.0, meaning="steps per unit of the momentum schedule's exponent: Keras 1, Dozat 250"
)
LION_BETA2 = Hyperparameter(
    0.99, 0.0, 1.0, low_inclusive=True, meaning="decay of the momentum Lion keeps"
)


def resolve(
    rule_name: str, spec: Mapping[str, Hyperparameter], given: Mapping[str, float] | None
) -> dict[str, float]:
    """Fill in defaults and check every value; raise ValueError naming what is wrong."""
    given = dict(given or {})
    unknown = sorted(set(given) - set(spec))
    if unknown:
        raise ValueError(
            f"{rule_name} has no hyperparameter {', '.join(map(repr, unknown))}; "
            f"it takes: {', '.join(spec) or 'none'}"
        )
    values = {}
    for name, hp in spec.items():
        value = given.get(name, hp.default)
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            raise ValueError(
                f"{rule_name}: {name} must be a finite number in {hp.interval()}, got {value!r}"
            )
        if not hp.contains(value):
            raise ValueError(
                f"{rule_name}: {name} ({hp.meaning}) must be in {hp.interval()}, got {value!r}"
            )
        values[name] = float(value)
    return values
