"""Exercise 6.1 (one AdaDelta step): each known mistake gets its own hint, right answers pass."""

import numpy as np
import pytest
import tensorflow as tf
from exercise_output import one_line

from course_utils.exercises import adadelta
from course_utils.exercises.adadelta import check_adadelta_step

HINTS = {mistake.hint for mistake in adadelta._MISTAKES}


def run(student, capsys) -> str:
    """The check's single line of output for `student`."""
    return one_line(check_adadelta_step, student, capsys)


def numpy_answer(g, Eg2_prev, Edw2_prev, beta, eps):
    g = np.asarray(g, dtype=np.float64)
    Eg2 = beta * np.asarray(Eg2_prev) + (1 - beta) * g**2
    dw = g * np.sqrt((np.asarray(Edw2_prev) + eps) / (Eg2 + eps))
    return Eg2, dw, beta * np.asarray(Edw2_prev) + (1 - beta) * dw**2


def increment_form(g, Eg2_prev, Edw2_prev, beta, eps):
    """Each average as a correction of the old one, and the ratio under one root."""
    Eg2 = Eg2_prev + (1 - beta) * (g * g - Eg2_prev)
    dw = g * tf.math.rsqrt((Eg2 + eps) / (Edw2_prev + eps))
    return Eg2, dw, Edw2_prev + (1 - beta) * (dw * dw - Edw2_prev)


@pytest.mark.parametrize("student", [numpy_answer, increment_form])
def test_correct_answers_written_differently_pass(student, capsys):
    out = run(student, capsys)
    assert out.startswith("✓ "), out


def not_attempted(g, Eg2_prev, Edw2_prev, beta, eps):
    raise NotImplementedError()


def no_return(g, Eg2_prev, Edw2_prev, beta, eps):
    beta * Eg2_prev + (1 - beta) * g * g


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (not_attempted, "not attempted yet"),
        (no_return, "returned None"),
        (lambda g, E, U, beta, eps: (E, g), "expected 3"),
        (lambda g, E, U, beta, eps: (E, g, "U"), "not a number"),
    ],
)
def test_unusable_answers_say_why_in_one_line(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗") and words in out, out


def step(
    g,
    Eg2_prev,
    Edw2_prev,
    beta,
    eps,
    keep_g=None,
    add_g=None,
    keep_dw=None,
    add_dw=None,
    **change,
):
    """A NumPy AdaDelta step with one thing changed (the weights of each EMA, or `change`)."""
    g, E, U = (np.asarray(x, dtype=np.float64) for x in (g, Eg2_prev, Edw2_prev))
    keep_g, add_g = beta if keep_g is None else keep_g, 1 - beta if add_g is None else add_g
    keep_dw, add_dw = beta if keep_dw is None else keep_dw, 1 - beta if add_dw is None else add_dw
    g_in = g if change.get("unsquared_g") else g**2
    Eg2 = keep_g * E + add_g * g_in
    past = 0.0 if change.get("no_past") else U
    den_avg = E if change.get("old_den") else Eg2
    num_eps = 0.0 if change.get("no_eps_num") else eps
    den_eps = 0.0 if change.get("no_eps_den") else eps
    num = past + num_eps if change.get("no_root_num") else np.sqrt(past + num_eps)
    den = den_avg + den_eps if change.get("no_root_den") else np.sqrt(den_avg + den_eps)
    if change.get("eps_outside"):
        num, den = np.sqrt(past) + eps, np.sqrt(den_avg) + eps
    dw = num / den * (1.0 if change.get("no_g") else g) * change.get("sign", 1.0)
    Edw2 = keep_dw * U + add_dw * (dw if change.get("unsquared_dw") else dw**2)
    if change.get("new_numerator"):
        dw = np.sqrt(Edw2 + eps) / np.sqrt(Eg2 + eps) * g
    return Eg2, dw, Edw2


def wrong(**change):
    def student(g, Eg2_prev, Edw2_prev, beta, eps):
        weights = {k: v(beta) if callable(v) else v for k, v in change.items()}
        return step(g, Eg2_prev, Edw2_prev, beta, eps, **weights)

    return student


def one_minus(beta):
    return 1 - beta


def same(beta):
    return beta


EMA = "an EMA is beta * old + (1 - beta) * new"
SUM = "AdaDelta keeps EMAs: beta * old + (1 - beta) * new"
CARRY = "not carried over: an EMA is beta * old + (1 - beta) * new"
SWAP = "the OLD average gets beta"

# (wrong answer, a part of the hint that names it; a trailing "\n" anchors the end of the line)
WRONG = [
    (wrong(new_numerator=True), "update E[dw^2] only after computing dw"),
    (wrong(sign=-1.0), "sign error"),
    (wrong(add_g=1.0, add_dw=1.0), f"missing: {EMA}\n"),
    (wrong(add_g=1.0), f"missing: {EMA} (in E[g^2])"),
    (wrong(add_dw=1.0), f"missing: {EMA} (in E[dw^2])"),
    (wrong(keep_g=1.0, add_g=1.0, keep_dw=1.0, add_dw=1.0), f"{SUM}\n"),
    (wrong(keep_g=1.0, add_g=1.0), f"{SUM} (in E[g^2])"),
    (wrong(keep_dw=1.0, add_dw=1.0), f"{SUM} (in E[dw^2])"),
    (wrong(keep_g=0.0, keep_dw=0.0), f"{CARRY}\n"),
    (wrong(keep_g=0.0), f"{CARRY} (in E[g^2])"),
    (wrong(keep_dw=0.0), f"{CARRY} (in E[dw^2])"),
    (wrong(keep_g=one_minus, add_g=same, keep_dw=one_minus, add_dw=same), f"{SWAP}\n"),
    (wrong(keep_g=one_minus, add_g=same), f"{SWAP} (in E[g^2])"),
    (wrong(keep_dw=one_minus, add_dw=same), f"{SWAP} (in E[dw^2])"),
    (wrong(no_past=True), "the numerator ignores the past steps"),
    (wrong(old_den=True), "already includes today's g_t"),
    (wrong(unsquared_g=True), "average the SQUARED gradient"),
    (wrong(unsquared_dw=True), "average the SQUARED step"),
    (wrong(no_root_num=True), "square root is missing in the numerator"),
    (wrong(no_root_den=True), "square root is missing in the denominator"),
    (wrong(no_eps_num=True), "epsilon is missing in the numerator"),
    (wrong(no_eps_den=True), "epsilon is missing in the denominator"),
    (wrong(eps_outside=True), "inside both square roots"),
    (wrong(no_g=True), "TIMES the gradient g_t"),
]


@pytest.mark.parametrize(("student", "words"), WRONG)
def test_each_mistake_gets_its_hint(student, words, capsys):
    out = run(student, capsys)
    assert out.startswith("✗ "), out
    assert out.split(": ", 1)[1].rstrip("\n") in HINTS, out
    assert words in out, out


def test_the_cases_cover_every_hint_and_each_names_one():
    for _, words in WRONG:
        assert len([hint for hint in HINTS if words in hint + "\n"]) == 1, words
    assert {hint for hint in HINTS for _, words in WRONG if words in hint + "\n"} == HINTS
    assert len(WRONG) >= len(adadelta._MISTAKES)
