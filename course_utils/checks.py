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


class UnusableAnswerError(Exception):
    """The student's answer could not be compared; the message says why."""


def as_arrays(result: Any, n_expected: int | None = None) -> tuple[np.ndarray, ...]:
    """A function's outputs as a tuple of float arrays; UnusableAnswerError says why not."""
    if result is None:
        raise UnusableAnswerError("it returned None: is a `return` statement missing?")
    values = tuple(result) if isinstance(result, tuple | list) else (result,)
    if n_expected is not None and len(values) != n_expected:
        raise UnusableAnswerError(f"it returned {len(values)} value(s), expected {n_expected}")
    try:
        return tuple(np.asarray(v, dtype=np.float64) for v in values)
    except (TypeError, ValueError) as err:
        raise UnusableAnswerError(f"its result is not a number or array ({err})") from None


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
    expected = as_arrays(reference(*inputs))
    try:
        answer = as_arrays(student(*inputs), len(expected))
    except NotImplementedError:
        return "not attempted yet: replace `raise NotImplementedError()` with your code.", 0.0
    except UnusableAnswerError as problem:
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
        if _same(answer, as_arrays(mistake.implementation(*inputs), len(expected))):
            return mistake.hint, error
    return (
        f"the values are off by up to {error:.3g}, and not by one of the usual mistakes: "
        "check your formula term by term against the chapter's text.",
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
    shown = sorted(set(shapes))
    of_shapes = "" if shown == [()] else f" of shapes {', '.join(map(str, shown))}"
    print(
        f"✓ {name} is correct on {trials} random inputs{of_shapes} (max error {worst:.1e}; "
        f"float32 tolerance: rtol {RTOL:g}, atol {ATOL:g})."
    )


def random_tensor(rng: np.random.Generator, shape: Sequence[int]) -> tf.Tensor:
    """A float32 tensor of standard-normal values."""
    return tf.constant(rng.standard_normal(shape), tf.float32)


def random_shape(rng: np.random.Generator) -> tuple[int, ...]:
    """A small random shape: a vector, a matrix or a 3-D block."""
    return tuple(int(n) for n in rng.integers(1, 6, size=int(rng.integers(1, 4))))


@dataclass(frozen=True)
class Prediction:
    """A question answered with a number (or a few): the course's value and what to say.

    `wrong` pairs a typical wrong value with the hint that names its mistake; `hint` is said
    for any other wrong value. Numbers agree when they are within `rtol` of each other.
    """

    expected: float | tuple[float, ...]
    hint: str
    wrong: tuple[tuple[float | tuple[float, ...], str], ...] = ()
    rtol: float = 0.01


@dataclass(frozen=True)
class Choice:
    """A question answered by choosing one of a few words; `wrong` gives a hint per choice."""

    expected: str
    choices: tuple[str, ...]
    wrong: dict[str, str]


NOT_ATTEMPTED = "not attempted yet: replace the `...` with your answer."


def _numbers(value: Any, n_expected: int) -> np.ndarray:
    """A predicted value as an array of n_expected floats; UnusableAnswerError says why not."""
    values = tuple(value) if isinstance(value, tuple | list) else (value,)
    if any(v is Ellipsis for v in values):
        raise UnusableAnswerError(NOT_ATTEMPTED)
    if len(values) != n_expected:
        raise UnusableAnswerError(f"give {n_expected} number(s), you gave {len(values)}")
    if any(isinstance(v, bool | str) or np.ndim(v) != 0 for v in values):
        raise UnusableAnswerError(f"give plain numbers, not {value!r}")
    try:
        return np.array([float(v) for v in values])
    except (TypeError, ValueError):
        raise UnusableAnswerError(f"give plain numbers, not {value!r}") from None


def check_prediction(answer: Any, prediction: Prediction, name: str) -> None:
    """Compare a predicted number with the course's value and print one line: ✓ or a hint."""
    expected = np.atleast_1d(np.asarray(prediction.expected, dtype=float))
    try:
        got = _numbers(answer, expected.size)
    except UnusableAnswerError as problem:
        print(f"✗ {name}: {problem}")
        return
    shown = ", ".join(f"{v:.4g}" for v in got)
    if np.allclose(got, expected, rtol=prediction.rtol, atol=0):
        print(f"✓ {name} = {shown}: right.")
        return
    for value, hint in prediction.wrong:
        if np.allclose(got, np.atleast_1d(value), rtol=prediction.rtol, atol=0):
            print(f"✗ {name} = {shown}: {hint}")
            return
    print(f"✗ {name} = {shown} is not it. Hint: {prediction.hint}")


def check_choice(answer: Any, choice: Choice, name: str) -> None:
    """Compare a chosen word with the course's answer and print one line: ✓ or a hint."""
    if answer is Ellipsis:
        print(f"✗ {name}: {NOT_ATTEMPTED}")
        return
    options = ", ".join(repr(c) for c in choice.choices)
    if not isinstance(answer, str) or answer.strip().lower() not in choice.choices:
        print(f"✗ {name}: choose one of {options}, as a string (got {answer!r})")
        return
    picked = answer.strip().lower()
    if picked == choice.expected:
        print(f"✓ {name} = {picked!r}: right.")
    else:
        print(f"✗ {name} = {picked!r}: {choice.wrong[picked]}")
