"""The playground (course_utils.playground): the settings each rule takes, results equal to
`cu.train(..., jit_compile=True)`'s though computed in a background thread, runs only for
the rules shown, remembered runs, failures in the status line, and colours by rule."""

import threading
import time
from dataclasses import replace

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_rgb

import course_utils as cu
from course_utils import model, playground, playground_engine
from course_utils.figures.comparison import RULE_COLORS

matplotlib.use("Agg")

RAVINE = "2-D: ravine 0.1 x1² + 2 x2²"


@pytest.fixture
def engine(monkeypatch):
    """A fresh engine (nothing compiled, nothing remembered) for the playgrounds of one test."""
    playground.ENGINE.cancel_warm_up()
    fresh = playground.Engine()
    monkeypatch.setattr(playground, "ENGINE", fresh)
    return fresh


def test_playground_settings_per_rule():
    settings = {"lr": 0.05, "beta": 0.8, "beta1": 0.9, "beta2": 0.99, "epsilon": 1e-9}
    assert playground.hyperparameters_for("sgd", settings) == {"lr": 0.05}
    assert playground.hyperparameters_for("adam", settings) == {
        "lr": 0.05,
        "beta1": 0.9,
        "beta2": 0.99,
        "epsilon": 1e-9,
    }
    assert playground.hyperparameters_for("adadelta", settings) == {"epsilon": 1e-6}
    settings = {**settings, "weight_decay": 0.01}
    assert playground.hyperparameters_for("lion", settings) == {"lr": 0.05, "beta1": 0.9}
    assert playground.hyperparameters_for("muon", settings) == {
        "lr": 0.05,
        "epsilon": 1e-9,
        "weight_decay": 0.01,
    }
    assert playground.hyperparameters_for("adamw", settings)["weight_decay"] == 0.01
    for name, rules in playground.MOVES.items():
        for rule in rules:
            assert name in cu.RULES[rule].hyperparameters, (name, rule)


def test_every_slider_is_labelled_with_the_rules_it_moves(engine):
    panel = playground.playground(rules=("sgd",), epochs=20)
    labels = {name: playground.Playground.label(name) for name in panel.controls}
    assert labels["beta"] == "SGD with momentum, Nesterov momentum, RMSProp"
    assert "Lion" in labels["beta1"] and "Lion" not in labels["beta2"]
    assert labels["weight_decay"] == "AdamW, Muon"
    assert set(panel.controls) == set(playground.MOVES)


@pytest.mark.parametrize("epochs", [500, 130])
def test_results_equal_plain_xla_training(engine, epochs):
    """Computed in the background thread, from a longer compiled run when shorter: the same
    numbers, bit for bit, as `cu.train(..., jit_compile=True)`."""
    settings = {**playground.DEFAULT_SETTINGS, "lr": 0.05}
    rules = ["sgd", "adamw", "lion"]
    outcome = playground.collect(rules, settings, epochs, playground.IRIS, wait=600)
    assert not outcome.pending and not outcome.failures
    for rule in rules:
        history = cu.train(
            rule, playground.hyperparameters_for(rule, settings), epochs, jit_compile=True
        )
        shown = outcome.runs[rule]
        np.testing.assert_array_equal(shown.loss, history.loss)
        np.testing.assert_array_equal(shown.test_accuracy, history.test_accuracy)


def test_walks_equal_the_shared_walk(engine):
    from course_utils.walk import walk

    settings = playground.DEFAULT_SETTINGS
    outcome = playground.collect(["adam", "lion"], settings, 200, RAVINE, wait=600)
    surface, start = playground.VIEWS[RAVINE][:2]
    for rule, path in outcome.runs.items():
        expected = walk(rule, playground.hyperparameters_for(rule, settings), surface, start, 200)
        np.testing.assert_array_equal(path, expected)


def test_only_the_shown_rules_run(engine):
    panel = playground.playground(rules=("sgd", "adam"), epochs=20)
    panel.wait()
    assert {job.rule for job in engine.runs} == {"sgd", "adam"}
    assert all(count == 1 for count in engine.runs.values())


def test_a_slider_reruns_only_the_rules_that_read_it(engine):
    panel = playground.playground(rules=("sgd", "sgdm", "adam"), epochs=100)
    panel.wait()
    before = dict(engine.runs)
    panel.controls["beta"].value = 0.5  # SGD with momentum's only
    assert panel.status.value.startswith("<small>redrawn in")
    new = {job.rule for job in engine.runs if job not in before}
    assert new == {"sgdm"}
    before = dict(engine.runs)
    panel.controls["beta2"].value = 0.99  # Adam's only
    assert {job.rule for job in engine.runs if job not in before} == {"adam"}
    before = dict(engine.runs)
    panel.epochs.value = 300  # shorter than the compiled 500: nothing runs again
    panel.controls["beta"].value = 0.9  # back to a setting run before: remembered
    assert dict(engine.runs) == before
    assert all(count == 1 for count in engine.runs.values())
    assert "compiling" not in panel.status.value


def test_the_first_figure_does_not_wait_for_a_slow_compile(engine):
    release = threading.Event()
    compute = engine._compute

    def slow_adam(job):
        if job.rule == "adam":
            release.wait(timeout=600)
        return compute(job)

    engine._compute = slow_adam
    panel = playground.playground(rules=("sgd", "adam"), epochs=20)
    assert panel.image.value  # a figure exists already
    assert "compiling" in panel.status.value and "Adam…" in panel.status.value
    release.set()
    outcome = panel.wait()
    assert set(outcome.runs) == {"sgd", "adam"}
    assert "compiling" not in panel.status.value


def test_a_background_failure_reaches_the_status_line(engine):
    compute = engine._compute

    def broken_adam(job):
        if job.rule == "adam":
            raise RuntimeError("XLA said no")
        return compute(job)

    engine._compute = broken_adam
    panel = playground.playground(rules=("sgd", "adam"), epochs=20)
    outcome = panel.wait(timeout=300)  # no hang: the failure settles the wait
    assert "⚠ Adam failed: RuntimeError: XLA said no" in panel.status.value
    assert set(outcome.runs) == {"sgd"}  # the others are drawn


def test_bad_settings_give_a_warning_not_a_traceback(engine):
    compute = engine._compute

    def sgd_blows_up(job):  # no slider setting makes an Iris run diverge: pretend one did
        result = compute(job)
        if job.rule == "sgd" and job.view == playground.IRIS:
            loss = result.loss.copy()
            loss[30:] = np.nan
            result = replace(result, loss=loss)
        return result

    engine._compute = sgd_blows_up
    panel = playground.playground(rules=("sgd", "adam"), epochs=20)
    outcome = panel.wait()
    assert outcome.failures == {} and set(outcome.runs) == {"sgd", "adam"}  # epochs 0-19
    panel.epochs.value = 50
    assert "⚠ SGD diverged: sgd: the loss became nan at epoch 30" in panel.status.value
    assert set(panel.outcome.runs) == {"adam"}
    panel.controls["lr"].value = 10.0
    panel.view.value = RAVINE
    panel.wait()
    assert "⚠ SGD left the picture" in panel.status.value
    assert "Traceback" not in panel.status.value


def line_colours(panel, view):
    """Each drawn line's label and colour, in the view's (first) axes."""
    _, axes = panel._canvas._figures[view]
    return {line.get_label(): to_rgb(line.get_color()) for line in axes[0].lines
            if not line.get_label().startswith("_")}


@pytest.mark.parametrize("view", [playground.IRIS, RAVINE])
def test_colours_follow_the_rule_not_its_place(engine, view):
    panel = playground.playground(rules=("sgd", "rmsprop", "adam"), epochs=20)
    panel.view.value = view
    panel.wait()
    for selection in (("sgd", "rmsprop", "adam"), ("adam",), ("rmsprop", "adam")):
        panel.chooser.value = selection
        panel.wait()
        colours = line_colours(panel, view)
        assert colours == {cu.RULES[rule].title: RULE_COLORS[rule] for rule in selection}


def test_a_diverging_walk_is_reported():
    settings = {"lr": 5.0, "beta": 0.9, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    failures = playground.draw(["sgd"], settings, 200, RAVINE)
    assert "left the picture" in failures["SGD"]


@pytest.mark.parametrize("view", list(playground.VIEWS))
def test_every_view_draws_all_rules(view):
    settings = playground.DEFAULT_SETTINGS
    failures = playground.draw(list(cu.RULES), settings, 20, view)
    assert set(failures) <= {rule.title for rule in cu.RULES.values()}
    if playground.VIEWS[view] is None:
        assert failures == {}  # nothing diverges on Iris at these settings


def test_moving_a_slider_redraws(engine):
    panel = playground.playground(rules=("sgd", "adam"), epochs=20)
    panel.wait()
    before = panel.image.value
    panel.status.value = ""
    panel.controls["lr"].value = 0.05
    assert panel.status.value.startswith("<small>redrawn in")
    assert panel.image.value != before


def test_the_worker_thread_draws_no_random_numbers(monkeypatch):
    """Random draws in the worker would race with the notebook's (the initial weights are
    tf.random.set_seed and two draws): only the constructing thread may build the problem."""
    called_in = []

    def watched(real):
        def call(*args, **kwargs):
            called_in.append(threading.current_thread())
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(model, "initial_dense_weights", watched(model.initial_dense_weights))
    monkeypatch.setattr(
        playground_engine, "default_problem", watched(playground_engine.default_problem)
    )
    fresh = playground.Engine()
    fresh.warm_up([playground.job_for("sgd", playground.DEFAULT_SETTINGS, 20, playground.IRIS)])
    while not fresh.idle():
        time.sleep(0.05)
    assert fresh.runs and called_in and set(called_in) == {threading.main_thread()}
