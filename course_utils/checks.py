"""Exercise checks: run a student's function on random inputs and say, in one line, what is wrong.

A check compares the student's answer with the reference on a few random inputs. When they
differ it tries the known wrong answers (a flipped sign, a missing term ...) and names the one
that matches, so the message teaches instead of just failing. It never raises.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import tensorflow as tf

RTOL, ATOL = 1e-5, 1e-6


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and the hint to give when the student's output matches it."""

    hint: str
    implementation: Callable[..., Any]


class _UnusableAnswerError(Exception):
    """The student's answer could not be compared; the message says why."""


def _as_arrays(result: Any, n_expected: int | None = None) -> tuple[np.ndarray, ...]:
    """A function's outputs as a tuple of float arrays; _UnusableAnswerError says why not."""
    if result is None:
        raise _UnusableAnswerError("it returned None: is a `return` statement missing?")
    values = tuple(result) if isinstance(result, tuple | list) else (result,)
    if n_expected is not None and len(values) != n_expected:
        raise _UnusableAnswerError(f"it returned {len(values)} value(s), expected {n_expected}")
    try:
        return tuple(np.asarray(v, dtype=np.float64) for v in values)
    except (TypeError, ValueError) as err:
        raise _UnusableAnswerError(f"its result is not a number or array ({err})") from None


def _same(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> bool:
    return all(
        x.shape == y.shape and np.allclose(x, y, rtol=RTOL, atol=ATOL)
        for x, y in zip(a, b, strict=True)
    )


def _diagnose(
    student: Callable[..., Any],
    reference: Callable[..., Any],
    inputs: tuple,
    mistakes: Sequence[Mistake],
) -> tuple[str | None, float]:
    """One trial: (message or None if correct, max absolute error)."""
    expected = _as_arrays(reference(*inputs))
    try:
        answer = _as_arrays(student(*inputs), len(expected))
    except NotImplementedError:
        return "not attempted yet: replace `raise NotImplementedError()` with your code.", 0.0
    except _UnusableAnswerError as problem:
        return str(problem), 0.0
    except Exception as err:  # a student's bug: report it in one line, never a traceback
        return f"it raised {type(err).__name__}: {err}", 0.0
    # A plain number where a tensor is expected is fine if it is the right value everywhere
    # (V_t = 1 written as 1): broadcast it.
    answer = tuple(
        np.broadcast_to(got, want.shape) if got.shape == () else got
        for got, want in zip(answer, expected, strict=True)
    )
    for got, want in zip(answer, expected, strict=True):
        if got.shape != want.shape:
            return f"wrong shape: got {got.shape}, expected {want.shape}", 0.0
    error = max(
        float(np.max(np.abs(g - w), initial=0.0)) for g, w in zip(answer, expected, strict=True)
    )
    if _same(answer, expected):
        return None, error
    for mistake in mistakes:
        if _same(answer, _as_arrays(mistake.implementation(*inputs), len(expected))):
            return mistake.hint, error
    return (
        f"the values are off by up to {error:.3g}; compare your formula with the one above.",
        error,
    )


def check_exercise(
    student: Callable[..., Any],
    reference: Callable[..., Any],
    make_inputs: Callable[[np.random.Generator], tuple],
    mistakes: Sequence[Mistake] = (),
    trials: int = 5,
    seed: int = 0,
) -> None:
    """Test `student` against `reference` on `trials` random inputs; print one line.

    The line starts with ✓ when every trial agrees to float32 tolerance (rtol 1e-5,
    atol 1e-6), and with ✗ and the reason otherwise.
    """
    name = getattr(student, "__name__", "your function")
    rng = np.random.default_rng(seed)
    worst = 0.0
    shapes = []
    for _ in range(trials):
        inputs = make_inputs(rng)
        message, error = _diagnose(student, reference, inputs, mistakes)
        if message is not None:
            print(f"✗ {name}: {message}")
            return
        worst = max(worst, error)
        shapes.append(tuple(np.shape(inputs[0])))
    print(
        f"✓ {name} is correct on {trials} random inputs of shapes "
        f"{', '.join(map(str, sorted(set(shapes))))} (max error {worst:.1e}; float32 "
        f"tolerance: rtol {RTOL:g}, atol {ATOL:g})."
    )


def random_tensor(rng: np.random.Generator, shape: Sequence[int]) -> tf.Tensor:
    """A float32 tensor of standard-normal values."""
    return tf.constant(rng.standard_normal(shape), tf.float32)


def random_shape(rng: np.random.Generator) -> tuple[int, ...]:
    """A small random shape: a vector, a matrix or a 3-D block."""
    return tuple(int(n) for n in rng.integers(1, 6, size=int(rng.integers(1, 4))))
